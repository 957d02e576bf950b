/** Lambda entry of google.restoreDirectoryVisibility. */
import { actionContextFromEnv } from '../../actions/action-context';
import { restoreDirectoryVisibility } from '../../actions/google/restore-directory-visibility';
import { googleFromEnv } from '../../providers/google/google-from-env';
import { createActionHandler } from '../action-handler';

export const handler = createActionHandler(restoreDirectoryVisibility, () => actionContextFromEnv({ google: googleFromEnv() }));
