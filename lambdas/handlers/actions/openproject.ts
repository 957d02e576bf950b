/** What an action whose catalog needs name `openproject` gets: the OpenProject client, built on first use. */
import type { ContextPartFor } from '../../actions/action-context';
import { openProjectFromEnv } from '../../providers/openproject/openproject-from-env';

export const contextFor: ContextPartFor = () => ({ providers: { openproject: openProjectFromEnv() } });
