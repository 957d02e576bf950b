/** Lambda entry of google.removeFromGroups. */
import { actionContextFromEnv } from '../../actions/action-context';
import { removeFromGroups } from '../../actions/google/remove-from-groups';
import { googleFromEnv } from '../../providers/google/google-from-env';
import { createActionHandler } from '../action-handler';

export const handler = createActionHandler(removeFromGroups, () => actionContextFromEnv({ google: googleFromEnv() }));
