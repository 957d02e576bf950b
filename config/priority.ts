/**
 * The priority classes of a step, highest first: the one place the classes and their order are defined (config/ imports
 * nothing from lambdas/, so the playbook schema and the engine both read them from here).
 * - `lockout`: what stops a person acting now (sign-out, password, tokens, app passwords, backup codes, Connect offline).
 * - `protect`: what guards the company's data and people (forwarding, devices, directory, groups, delegation, auto-reply).
 * - `housekeeping`: the rest (transfers, licenses, org unit, suspension, deletion, forwarding the event downstream).
 */
export const PRIORITY_CLASSES = ['lockout', 'protect', 'housekeeping'] as const;
export type PriorityClass = (typeof PRIORITY_CLASSES)[number];

/** The class of a step stored before steps carried one: the middle, so it neither jumps nor trails a lockout. */
export const DEFAULT_PRIORITY: PriorityClass = 'protect';

/** The rank of a class: 0 is taken first. */
export function priorityRank(priority: PriorityClass): number {
  return PRIORITY_CLASSES.indexOf(priority);
}

/** The least maximum concurrency an SQS event source mapping takes (Lambda's floor). */
const MIN_EVENT_SOURCE_CONCURRENCY = 2;

/**
 * The least dispatcherMaxConcurrency a stage may set: lockout's share must be at least protect's and housekeeping's
 * together, and each of those is at least Lambda's floor.
 */
export const MIN_DISPATCHER_MAX_CONCURRENCY = 2 * MIN_EVENT_SOURCE_CONCURRENCY;

/**
 * The dispatcher's maximum concurrency on each class's queue (one event source mapping each), from the stage's
 * dispatcherMaxConcurrency (at least MIN_DISPATCHER_MAX_CONCURRENCY): lockout may use all of it on its own; protect a
 * quarter and housekeeping the floor, so a backlog of lower classes never holds every dispatcher while lockouts arrive,
 * and lockout alone gets at least as many dispatchers as the two lower classes together. Their sum is the most at once.
 */
export function dispatcherConcurrencyByClass(dispatcherMaxConcurrency: number): Record<PriorityClass, number> {
  return {
    lockout: dispatcherMaxConcurrency,
    protect: Math.max(MIN_EVENT_SOURCE_CONCURRENCY, Math.ceil(dispatcherMaxConcurrency / 4)),
    housekeeping: MIN_EVENT_SOURCE_CONCURRENCY,
  };
}
