/** Lambda entry of google.removeExternalForwarding. */
import { actionContextFromEnv } from '../../actions/action-context';
import { removeExternalForwarding } from '../../actions/google/remove-external-forwarding';
import { googleFromEnv } from '../../providers/google/google-from-env';
import { createActionHandler } from '../action-handler';

export const handler = createActionHandler(removeExternalForwarding, () => actionContextFromEnv({ google: googleFromEnv() }));
