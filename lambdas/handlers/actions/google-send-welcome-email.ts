/** Lambda entry of google.sendWelcomeEmail. */
import { actionContextFromEnv } from '../../actions/action-context';
import { sendWelcomeEmail } from '../../actions/google/send-welcome-email';
import { credentialsFromEnv } from '../../credentials/credentials-from-env';
import { welcomeEmailFromEnv } from '../../mail/mail-settings-from-env';
import { googleFromEnv } from '../../providers/google/google-from-env';
import { createActionHandler } from '../action-handler';

export const handler = createActionHandler(sendWelcomeEmail, () =>
  actionContextFromEnv({ google: googleFromEnv() }, [], { credentials: credentialsFromEnv({ seal: false }), welcomeEmail: welcomeEmailFromEnv() }),
);
