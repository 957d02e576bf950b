/** Lambda entry of google.signOut. */
import { actionContextFromEnv } from '../../actions/action-context';
import { signOut } from '../../actions/google/sign-out';
import { googleFromEnv } from '../../providers/google/google-from-env';
import { createActionHandler } from '../action-handler';

export const handler = createActionHandler(signOut, () => actionContextFromEnv({ google: googleFromEnv() }));
