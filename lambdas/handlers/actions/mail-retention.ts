/** What an action whose catalog needs name `mailRetention` gets: the stage's setting, read once from its environment. */
import type { ContextPartFor } from '../../actions/action-context';
import { parseMailRetention } from '../../../config/mail-retention';
import { ENV } from '../../shared/env-names';

export const contextFor: ContextPartFor = () => {
  const setting = parseMailRetention(process.env[ENV.mailRetention]);
  return { mailRetention: () => setting };
};
