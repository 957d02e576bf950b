/** Lambda entry of google.restoreAutoReply. */
import { actionContextFromEnv } from '../../actions/action-context';
import { restoreAutoReply } from '../../actions/google/restore-auto-reply';
import { googleFromEnv } from '../../providers/google/google-from-env';
import { createActionHandler } from '../action-handler';

export const handler = createActionHandler(restoreAutoReply, () => actionContextFromEnv({ google: googleFromEnv() }));
