/** Lambda entry of google.restoreGroups. */
import { actionContextFromEnv } from '../../actions/action-context';
import { restoreGroups } from '../../actions/google/restore-groups';
import { googleFromEnv } from '../../providers/google/google-from-env';
import { createActionHandler } from '../action-handler';

export const handler = createActionHandler(restoreGroups, () => actionContextFromEnv({ google: googleFromEnv() }));
