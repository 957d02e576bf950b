/** Lambda entry of google.revokeTokens. */
import { actionContextFromEnv } from '../../actions/action-context';
import { revokeTokens } from '../../actions/google/revoke-tokens';
import { googleFromEnv } from '../../providers/google/google-from-env';
import { createActionHandler } from '../action-handler';

export const handler = createActionHandler(revokeTokens, () => actionContextFromEnv({ google: googleFromEnv() }));
