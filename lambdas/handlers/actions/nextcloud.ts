/** What an action whose catalog needs name `nextcloud` gets: the Nextcloud client, built on first use. */
import type { ContextPartFor } from '../../actions/action-context';
import { nextcloudFromEnv } from '../../providers/nextcloud/nextcloud-from-env';

export const contextFor: ContextPartFor = () => ({ providers: { nextcloud: nextcloudFromEnv() } });
