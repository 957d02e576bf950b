/** Lambda entry of google.addToGroups. */
import { actionContextFromEnv } from '../../actions/action-context';
import { addToGroups } from '../../actions/google/add-to-groups';
import { googleFromEnv } from '../../providers/google/google-from-env';
import { createActionHandler } from '../action-handler';

export const handler = createActionHandler(addToGroups, () => actionContextFromEnv({ google: googleFromEnv() }));
