/**
 * The steps due in the next days, across runs, from the sparse due index: only runs with a step waiting for a
 * time are read (never the table), and of each its pending steps due inside the window (the index holds a run's
 * next wake only, so a run's later steps are read from the run).
 */
import type { EngineDeps } from './ports';
import type { UpcomingStep } from './model';

export type { UpcomingStep };

export const UPCOMING_DAYS = { default: 30, min: 1, max: 90 } as const;
/** Steps one answer lists at most; past it the answer says `truncated` (the earliest are kept). */
export const MAX_UPCOMING_STEPS = 5000;


export interface Upcoming {
  /** The window: now, and now plus the days asked for (ISO instants). */
  from: string;
  to: string;
  steps: UpcomingStep[];
  truncated?: true;
  /** Items the due-index queries read. */
  itemsRead: number;
}

/**
 * Pending steps due at or before now + `days`, earliest first. A pending step already past its time (the sweep
 * has not taken it yet) is listed too: it is the next thing to happen. Held runs (awaiting approval, quarantined)
 * wait for an operator, not a time, and are not on the due index.
 */
export async function upcomingSteps(deps: Pick<EngineDeps, 'store' | 'clock' | 'settings'>, days: number): Promise<Upcoming> {
  const now = deps.clock.now();
  const until = new Date(now.getTime() + days * 86_400_000).toISOString();
  const steps: UpcomingStep[] = [];
  let itemsRead = 0;
  for (let shard = 0; shard < deps.settings.dueShards; shard++) {
    let cursor: Record<string, unknown> | undefined;
    do {
      const page = await deps.store.queryDue(shard, until, cursor);
      itemsRead += page.itemsRead;
      cursor = page.cursor;
      for (const run of page.runs) {
        const name = [run.employee.firstName, run.employee.lastName].filter(Boolean).join(' ');
        for (const step of run.steps) {
          if (step.status !== 'pending' || step.dueAt > until) continue;
          steps.push({
            employeeId: run.employeeId,
            ...(name ? { employeeName: name } : {}),
            timezone: run.employee.timezone,
            runId: run.runId,
            type: run.type,
            stepId: step.stepId,
            action: step.action,
            dueAt: step.dueAt,
            status: step.status,
          });
        }
      }
    } while (cursor);
  }
  steps.sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.employeeId.localeCompare(b.employeeId) || a.runId.localeCompare(b.runId) || a.stepId.localeCompare(b.stepId));
  const truncated = steps.length > MAX_UPCOMING_STEPS;
  return { from: now.toISOString(), to: until, steps: truncated ? steps.slice(0, MAX_UPCOMING_STEPS) : steps, ...(truncated ? { truncated: true as const } : {}), itemsRead };
}
