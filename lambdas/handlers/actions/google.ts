/** What an action whose catalog needs name `google` gets: the Google clients, built on first use. */
import type { ContextPartFor } from '../../actions/action-context';
import { googleFromEnv } from '../../providers/google/google-from-env';

export const contextFor: ContextPartFor = () => ({ providers: { google: googleFromEnv() } });
