/** The sweep: reads only the runs the sparse due index says are due, and queues their due steps. */
import type { Run } from './model';
import type { EngineDeps } from './ports';
import { queuedAudit, updateRun } from './run-updates';
import { releaseDue } from './step-machine';
import { errorFields } from '../shared/log-fields';

export interface SweepReport {
  /** Items the due-index queries read. */
  itemsRead: number;
  runsDue: number;
  stepsQueued: number;
  /** Runs whose update failed; they stay due and the next sweep tries again. */
  failures: number;
}

const ACTOR = 'sweep';

/**
 * Queues whatever of one run is due now (the sweep's per-run update, and what a wake does for its
 * run); returns how many steps it queued. A held run (awaiting approval, cancelled) releases nothing.
 */
export async function releaseRun(
  deps: EngineDeps,
  employeeId: string,
  runId: string,
  actor: string,
  options: { now?: Date; initial?: Run } = {},
): Promise<number> {
  const now = options.now ?? deps.clock.now();
  const { value } = await updateRun(
    deps,
    employeeId,
    runId,
    (current) => {
      const released = releaseDue(current, now, deps.settings);
      return { run: released.run, enqueue: released.enqueue, audit: queuedAudit(current, released.enqueue, actor), value: released.enqueue.length };
    },
    options.initial,
  );
  return value;
}

/** `actor` names who asked for it in the audit trail: the schedule, or the operator who ran it by hand. */
export async function sweep(deps: EngineDeps, actor = ACTOR): Promise<SweepReport> {
  const now = deps.clock.now();
  const report: SweepReport = { itemsRead: 0, runsDue: 0, stepsQueued: 0, failures: 0 };
  for (let shard = 0; shard < deps.settings.dueShards; shard++) {
    let cursor: Record<string, unknown> | undefined;
    do {
      const page = await deps.store.queryDue(shard, now.toISOString(), cursor);
      report.itemsRead += page.itemsRead;
      report.runsDue += page.runs.length;
      cursor = page.cursor;
      for (const due of page.runs) {
        try {
          report.stepsQueued += await releaseRun(deps, due.employeeId, due.runId, actor, { now, initial: due });
        } catch (err) {
          report.failures += 1;
          deps.log.error('sweep could not queue the due steps of a run', { runId: due.runId, ...errorFields(err) });
        }
      }
    } while (cursor);
  }
  deps.log.info('sweep finished', { ...report });
  return report;
}
