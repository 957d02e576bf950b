/** What an action whose catalog needs name `scim` gets: the stage's SCIM apps, each with its token, built on first use. */
import type { ContextPartFor } from '../../actions/action-context';
import { scimFromEnv } from '../../providers/scim/scim-from-env';

export const contextFor: ContextPartFor = () => ({ providers: { scim: scimFromEnv() } });
