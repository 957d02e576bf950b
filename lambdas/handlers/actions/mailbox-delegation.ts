/** What an action whose catalog needs name `mailboxDelegation` gets: the stage's setting, read once from its environment. */
import type { ContextPartFor } from '../../actions/action-context';
import { parseMailboxDelegation } from '../../../config/mailbox-delegation';
import { ENV } from '../../shared/env-names';

export const contextFor: ContextPartFor = () => {
  const setting = parseMailboxDelegation(process.env[ENV.mailboxDelegation]);
  return { mailboxDelegation: () => setting };
};
