/** What an action whose catalog needs name `front` gets: the Front Core API and SCIM clients, built on first use. */
import type { ContextPartFor } from '../../actions/action-context';
import { frontFromEnv } from '../../providers/front/front-from-env';

export const contextFor: ContextPartFor = () => ({ providers: { front: frontFromEnv() } });
