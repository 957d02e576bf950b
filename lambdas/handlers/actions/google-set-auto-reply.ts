/** Lambda entry of google.setAutoReply. */
import { actionContextFromEnv } from '../../actions/action-context';
import { setAutoReply } from '../../actions/google/set-auto-reply';
import { googleFromEnv } from '../../providers/google/google-from-env';
import { createActionHandler } from '../action-handler';

export const handler = createActionHandler(setAutoReply, () => actionContextFromEnv({ google: googleFromEnv() }));
