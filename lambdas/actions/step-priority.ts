/**
 * The priority class of a step: its own when it carries one (the dispatcher always sets it), else its action's from the
 * catalog. The one place the budget and the benchmarks learn a step's class from.
 */
import type { RequestPriority } from '../providers/rate-limited-fetch';
import { priorityOf } from './catalog';

export function priorityOfStep(step: { action: string; priority?: RequestPriority }): RequestPriority {
  return step.priority ?? priorityOf(step.action);
}
