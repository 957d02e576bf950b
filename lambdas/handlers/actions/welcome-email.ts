/** What an action whose catalog needs name `welcomeEmail` gets: the sender, link lifetime and public API URL. */
import type { ContextPartFor } from '../../actions/action-context';
import { welcomeEmailFromEnv } from '../../mail/mail-settings-from-env';

export const contextFor: ContextPartFor = () => ({ welcomeEmail: welcomeEmailFromEnv() });
