/** Step priority: which class a step belongs to. Pure. */
import { DEFAULT_PRIORITY, priorityRank, type PriorityClass } from '../../config/priority';
import type { Run, Step } from './model';

export { PRIORITY_CLASSES, DEFAULT_PRIORITY, priorityRank, type PriorityClass } from '../../config/priority';

/** The run with each step's class set: its playbook override if it has one, else its action's class in the catalog. */
export function withPriorities(run: Run, priorityOf: (action: string) => PriorityClass): Run {
  return { ...run, steps: run.steps.map((s) => (s.priority ? s : { ...s, priority: priorityOf(s.action) })) };
}

/** Items ordered highest class first; within a class their order holds (a stable sort). */
export function sortByPriority<T extends { priority?: PriorityClass }>(items: T[]): T[] {
  return [...items].sort((a, b) => priorityRank(stepPriority(a)) - priorityRank(stepPriority(b)));
}

/** The class a step is taken in: its own, or the default for a step stored before steps carried one. */
export function stepPriority(step: Pick<Step, 'priority'>): PriorityClass {
  return step.priority ?? DEFAULT_PRIORITY;
}
