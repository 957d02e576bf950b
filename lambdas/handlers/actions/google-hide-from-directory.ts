/** Lambda entry of google.hideFromDirectory. */
import { actionContextFromEnv } from '../../actions/action-context';
import { hideFromDirectory } from '../../actions/google/hide-from-directory';
import { googleFromEnv } from '../../providers/google/google-from-env';
import { createActionHandler } from '../action-handler';

export const handler = createActionHandler(hideFromDirectory, () => actionContextFromEnv({ google: googleFromEnv() }));
