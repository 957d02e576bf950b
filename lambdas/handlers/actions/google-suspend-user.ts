/** Lambda entry of google.suspendUser. */
import { actionContextFromEnv } from '../../actions/action-context';
import { suspendUser } from '../../actions/google/suspend-user';
import { googleFromEnv } from '../../providers/google/google-from-env';
import { createActionHandler } from '../action-handler';

export const handler = createActionHandler(suspendUser, () => actionContextFromEnv({ google: googleFromEnv() }));
