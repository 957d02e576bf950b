/** Lambda entry of google.restoreForwarding. */
import { actionContextFromEnv } from '../../actions/action-context';
import { restoreForwarding } from '../../actions/google/restore-forwarding';
import { googleFromEnv } from '../../providers/google/google-from-env';
import { createActionHandler } from '../action-handler';

export const handler = createActionHandler(restoreForwarding, () => actionContextFromEnv({ google: googleFromEnv() }));
