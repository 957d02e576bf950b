/** Lambda entry of google.removeDelegation. */
import { actionContextFromEnv } from '../../actions/action-context';
import { removeDelegation } from '../../actions/google/remove-delegation';
import { googleFromEnv } from '../../providers/google/google-from-env';
import { createActionHandler } from '../action-handler';

export const handler = createActionHandler(removeDelegation, () => actionContextFromEnv({ google: googleFromEnv() }));
