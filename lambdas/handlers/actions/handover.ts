/** What an action whose catalog needs name `handover` gets: the stage's setting, read once from its environment. */
import type { ContextPartFor } from '../../actions/action-context';
import { parseHandover } from '../../../config/handover';
import { ENV } from '../../shared/env-names';

export const contextFor: ContextPartFor = () => {
  const setting = parseHandover(process.env[ENV.handover]);
  return { handover: () => setting };
};
