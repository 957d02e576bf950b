/** Lambda entry of google.invalidateBackupCodes. */
import { actionContextFromEnv } from '../../actions/action-context';
import { invalidateBackupCodes } from '../../actions/google/invalidate-backup-codes';
import { googleFromEnv } from '../../providers/google/google-from-env';
import { createActionHandler } from '../action-handler';

export const handler = createActionHandler(invalidateBackupCodes, () => actionContextFromEnv({ google: googleFromEnv() }));
