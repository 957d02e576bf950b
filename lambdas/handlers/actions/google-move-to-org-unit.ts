/** Lambda entry of google.moveToOrgUnit. */
import { actionContextFromEnv } from '../../actions/action-context';
import { moveToOrgUnit } from '../../actions/google/move-to-org-unit';
import { googleFromEnv } from '../../providers/google/google-from-env';
import { createActionHandler } from '../action-handler';

export const handler = createActionHandler(moveToOrgUnit, () => actionContextFromEnv({ google: googleFromEnv() }));
