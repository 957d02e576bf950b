/** Lambda entry of google.restoreLicenses. */
import { actionContextFromEnv } from '../../actions/action-context';
import { restoreLicenses } from '../../actions/google/restore-licenses';
import { googleFromEnv } from '../../providers/google/google-from-env';
import { createActionHandler } from '../action-handler';

export const handler = createActionHandler(restoreLicenses, () => actionContextFromEnv({ google: googleFromEnv() }));
