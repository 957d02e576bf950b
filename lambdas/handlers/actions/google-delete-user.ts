/** Lambda entry of google.deleteUser. */
import { actionContextFromEnv } from '../../actions/action-context';
import { deleteUser } from '../../actions/google/delete-user';
import { googleFromEnv } from '../../providers/google/google-from-env';
import { createActionHandler } from '../action-handler';

export const handler = createActionHandler(deleteUser, () => actionContextFromEnv({ google: googleFromEnv() }));
