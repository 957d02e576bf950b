/** Step priority: which class a step belongs to. Pure. */
import { DEFAULT_PRIORITY, priorityRank, type PriorityClass } from '../../config/priority';
import type { Run, Step } from './model';

export { PRIORITY_CLASSES, DEFAULT_PRIORITY, priorityRank, type PriorityClass } from '../../config/priority';

/**
 * The run with each step's class set: its playbook override if it has one, else its action's class in the catalog.
 * A run stored before steps carried a class is read through this, so its steps take their action's class.
 */
export function withPriorities(run: Run, priorityOf: (action: string) => PriorityClass): Run {
  if (run.steps.every((s) => s.priority)) return run;
  return { ...run, steps: run.steps.map((s) => (s.priority ? s : { ...s, priority: priorityOf(s.action) })) };
}

/** Items ordered highest class first; within a class their order holds (a stable sort). An item naming no class (a message sent before messages carried one) counts as DEFAULT_PRIORITY. */
export function sortByPriority<T extends { priority?: PriorityClass }>(items: T[]): T[] {
  return [...items].sort((a, b) => priorityRank(a.priority ?? DEFAULT_PRIORITY) - priorityRank(b.priority ?? DEFAULT_PRIORITY));
}

/**
 * The class a step is taken in: its own, or, for a step stored before steps carried one, its action's class in the
 * catalog (`priorityOf` answers DEFAULT_PRIORITY only for an action the catalog does not list).
 */
export function stepPriority(step: Pick<Step, 'priority' | 'action'>, priorityOf: (action: string) => PriorityClass): PriorityClass {
  return step.priority ?? priorityOf(step.action);
}
