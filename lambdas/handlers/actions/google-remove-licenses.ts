/** Lambda entry of google.removeLicenses. */
import { actionContextFromEnv } from '../../actions/action-context';
import { removeLicenses } from '../../actions/google/remove-licenses';
import { googleFromEnv } from '../../providers/google/google-from-env';
import { createActionHandler } from '../action-handler';

export const handler = createActionHandler(removeLicenses, () => actionContextFromEnv({ google: googleFromEnv() }));
