/** Lambda entry of google.restoreOrgUnit. */
import { actionContextFromEnv } from '../../actions/action-context';
import { restoreOrgUnit } from '../../actions/google/restore-org-unit';
import { googleFromEnv } from '../../providers/google/google-from-env';
import { createActionHandler } from '../action-handler';

export const handler = createActionHandler(restoreOrgUnit, () => actionContextFromEnv({ google: googleFromEnv() }));
