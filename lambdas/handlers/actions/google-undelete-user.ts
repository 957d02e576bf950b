/** Lambda entry of google.undeleteUser. */
import { actionContextFromEnv } from '../../actions/action-context';
import { undeleteUser } from '../../actions/google/undelete-user';
import { googleFromEnv } from '../../providers/google/google-from-env';
import { createActionHandler } from '../action-handler';

export const handler = createActionHandler(undeleteUser, () => actionContextFromEnv({ google: googleFromEnv() }));
