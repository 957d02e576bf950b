/** Lambda entry of google.deleteAppPasswords. */
import { actionContextFromEnv } from '../../actions/action-context';
import { deleteAppPasswords } from '../../actions/google/delete-app-passwords';
import { googleFromEnv } from '../../providers/google/google-from-env';
import { createActionHandler } from '../action-handler';

export const handler = createActionHandler(deleteAppPasswords, () => actionContextFromEnv({ google: googleFromEnv() }));
