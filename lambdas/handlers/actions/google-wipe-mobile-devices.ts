/** Lambda entry of google.wipeMobileDevices. */
import { actionContextFromEnv } from '../../actions/action-context';
import { wipeMobileDevices } from '../../actions/google/wipe-mobile-devices';
import { googleFromEnv } from '../../providers/google/google-from-env';
import { createActionHandler } from '../action-handler';

export const handler = createActionHandler(wipeMobileDevices, () => actionContextFromEnv({ google: googleFromEnv() }));
