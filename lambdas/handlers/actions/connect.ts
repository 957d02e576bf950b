/** What an action whose catalog needs name `connect` gets: the Amazon Connect client and instance, built on first use. */
import type { ContextPartFor } from '../../actions/action-context';
import { connectFromEnv } from '../../providers/connect/connect-from-env';

export const contextFor: ContextPartFor = () => ({ providers: { connect: connectFromEnv() } });
