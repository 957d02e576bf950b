/** What an action whose catalog needs name `zendesk` gets: the Zendesk client and the stage's settings, built on first use. */
import type { ContextPartFor } from '../../actions/action-context';
import { zendeskFromEnv } from '../../providers/zendesk/zendesk-from-env';

export const contextFor: ContextPartFor = () => ({ providers: { zendesk: zendeskFromEnv() } });
