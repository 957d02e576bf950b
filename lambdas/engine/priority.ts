/** Step priority: which class a step belongs to. Pure. */
import { DEFAULT_PRIORITY, type PriorityClass } from '../../config/priority';
import type { Step } from './model';

export { PRIORITY_CLASSES, DEFAULT_PRIORITY, priorityRank, type PriorityClass } from '../../config/priority';

/** The class a step is taken in: its own, or the default for a step stored before steps carried one. */
export function stepPriority(step: Pick<Step, 'priority'>): PriorityClass {
  return step.priority ?? DEFAULT_PRIORITY;
}
