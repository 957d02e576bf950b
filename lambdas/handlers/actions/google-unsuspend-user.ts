/** Lambda entry of google.unsuspendUser. */
import { actionContextFromEnv } from '../../actions/action-context';
import { unsuspendUser } from '../../actions/google/unsuspend-user';
import { googleFromEnv } from '../../providers/google/google-from-env';
import { createActionHandler } from '../action-handler';

export const handler = createActionHandler(unsuspendUser, () => actionContextFromEnv({ google: googleFromEnv() }));
