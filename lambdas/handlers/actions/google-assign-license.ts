/** Lambda entry of google.assignLicense. */
import { actionContextFromEnv } from '../../actions/action-context';
import { assignLicense } from '../../actions/google/assign-license';
import { googleFromEnv } from '../../providers/google/google-from-env';
import { createActionHandler } from '../action-handler';

export const handler = createActionHandler(assignLicense, () => actionContextFromEnv({ google: googleFromEnv() }));
