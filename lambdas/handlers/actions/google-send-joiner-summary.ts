/** Lambda entry of google.sendJoinerSummary. */
import { actionContextFromEnv } from '../../actions/action-context';
import { sendJoinerSummary } from '../../actions/google/send-joiner-summary';
import { operatorEmailsFromEnv, welcomeEmailFromEnv } from '../../mail/mail-settings-from-env';
import { googleFromEnv } from '../../providers/google/google-from-env';
import { createActionHandler } from '../action-handler';

export const handler = createActionHandler(sendJoinerSummary, () =>
  actionContextFromEnv({ google: googleFromEnv() }, [], { welcomeEmail: welcomeEmailFromEnv(), operatorEmails: operatorEmailsFromEnv() }),
);
