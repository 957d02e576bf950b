/** What an action whose catalog needs name `credentials` gets: the initial-password vault, sealing only for `seal`. */
import type { ContextPartFor } from '../../actions/action-context';
import { credentialsFromEnv } from '../../credentials/credentials-from-env';

export const contextFor: ContextPartFor = (needs) => ({ credentials: credentialsFromEnv({ seal: needs.credentials === 'seal' }) });
