/** Lambda entry of google.resetPassword. */
import { actionContextFromEnv } from '../../actions/action-context';
import { resetPassword } from '../../actions/google/reset-password';
import { googleFromEnv } from '../../providers/google/google-from-env';
import { createActionHandler } from '../action-handler';

export const handler = createActionHandler(resetPassword, () => actionContextFromEnv({ google: googleFromEnv() }));
