/** What an action whose catalog needs name `forwardTo` gets: the downstream receivers, each with its own signing key. */
import type { ContextPartFor } from '../../actions/action-context';
import { forwardReceiversFromEnv } from '../../actions/forward/forward-receivers';

export const contextFor: ContextPartFor = () => ({ forwardTo: forwardReceiversFromEnv() });
