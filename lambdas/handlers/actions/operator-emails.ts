/** What an action whose catalog needs name `operatorEmails` gets: the operators' addresses. */
import type { ContextPartFor } from '../../actions/action-context';
import { operatorEmailsFromEnv } from '../../mail/mail-settings-from-env';

export const contextFor: ContextPartFor = () => ({ operatorEmails: operatorEmailsFromEnv() });
