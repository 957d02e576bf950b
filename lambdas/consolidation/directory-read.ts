/**
 * The directory read function on AWS (docs/consolidation.md#on-aws): one function reads the stage's systems for both
 * consolidation and the inactivity check. Its schedules and the api hand it an event naming the job; this module says
 * what each event asks and how the api reaches the function, so the handler stays a thin composition.
 */
import type { EngineDeps } from '../engine/ports';
import type { InactivityReport } from '../inactivity/check';
import type { ConsolidationApi } from './consolidation-api';
import { applyFix, type RevokeSystemAccess } from './fix';
import type { ConsolidationReport, ConsolidationStore } from './report';

/**
 * `consolidation`: read, compare and store a report. `inactivity`: the inactivity check, a dry run only reporting;
 * `requestedBy` names the operator who ran a real one now (unset: the daily schedule).
 */
export type DirectoryReadEvent = { job: 'consolidation'; requestedBy: string } | { job: 'inactivity'; dryRun: boolean; requestedBy?: string };

/** Who a scheduled consolidation is recorded as requested by. */
export const SCHEDULE_ACTOR = 'schedule';

/**
 * What an event asks. A schedule's rule passes its own input ({"job": …}); an event naming no job is a consolidation,
 * and an inactivity check is a dry run unless it says `"dryRun": false` (the daily schedule, and the api for an
 * operator's run now, which names them in `requestedBy`).
 */
export function parseDirectoryReadEvent(event: unknown): DirectoryReadEvent {
  const e = typeof event === 'object' && event !== null ? (event as Record<string, unknown>) : {};
  if (e.job !== undefined && e.job !== 'consolidation' && e.job !== 'inactivity') throw new Error(`job: must be consolidation or inactivity, got ${JSON.stringify(String(e.job)).slice(0, 40)}`);
  const requestedBy = typeof e.requestedBy === 'string' && e.requestedBy.length > 0 ? e.requestedBy.slice(0, 200) : SCHEDULE_ACTOR;
  if (e.job === 'inactivity') return { job: 'inactivity', dryRun: e.dryRun !== false, ...(requestedBy !== SCHEDULE_ACTOR ? { requestedBy } : {}) };
  return { job: 'consolidation', requestedBy };
}

export interface DirectoryReadJobs {
  consolidate(requestedBy: string): Promise<ConsolidationReport>;
  checkInactivity(options: { dryRun: boolean; requestedBy?: string }): Promise<InactivityReport>;
}

/** Runs the job an event asks; a consolidation answers its summary (ids and counts only), a check its whole report. */
export async function runDirectoryRead(jobs: DirectoryReadJobs, event: unknown): Promise<unknown> {
  const job = parseDirectoryReadEvent(event);
  if (job.job === 'inactivity') return jobs.checkInactivity({ dryRun: job.dryRun, ...(job.requestedBy ? { requestedBy: job.requestedBy } : {}) });
  const report = await jobs.consolidate(job.requestedBy);
  return { reportId: report.reportId, counts: report.counts, systems: report.systems.map(({ system, ok, ms, calls }) => ({ system, ok, ms, calls })) };
}

/** How the api reaches the directory read function (Lambda Invoke on AWS). */
export interface DirectoryReadInvoker {
  /** Hands the event over and returns at once (an asynchronous invoke). */
  start(event: DirectoryReadEvent): Promise<void>;
  /** Waits for the function's answer, at most `timeoutMs`; past it, fails. */
  call(event: DirectoryReadEvent, timeoutMs: number): Promise<unknown>;
}

/**
 * Consolidation as the api serves it on AWS: the latest report and a finding's fix from the table (a fix is a normal
 * run; a remove fix is a system-scoped revoke run sent by the operator, so a second person approves it); a run now is
 * handed to the directory read function, since reading a large directory takes minutes and the API has 29 seconds.
 */
export function invokedConsolidationApi(deps: { engine: EngineDeps; store: ConsolidationStore; invoker: DirectoryReadInvoker; revokeSystemAccess: RevokeSystemAccess }): ConsolidationApi {
  return {
    latest: () => deps.store.latestReport(),
    run: async (requestedBy) => {
      await deps.invoker.start({ job: 'consolidation', requestedBy });
      return { accepted: true };
    },
    fix: (findingId, request, actor, subject) => applyFix({ engine: deps.engine, store: deps.store, revokeSystemAccess: deps.revokeSystemAccess }, findingId, request, actor, subject),
  };
}

/** Time the api waits for the inactivity dry run: under API Gateway's 29 seconds, with room to answer. */
export const INACTIVITY_DRY_RUN_TIMEOUT_MS = 25_000;

/** GET /v1/inactivity on AWS: the dry run, read now by the directory read function, within a bounded time. */
export function invokedInactivityCheck(invoker: DirectoryReadInvoker, timeoutMs: number = INACTIVITY_DRY_RUN_TIMEOUT_MS): () => Promise<InactivityReport> {
  return async () => (await invoker.call({ job: 'inactivity', dryRun: true }, timeoutMs)) as InactivityReport;
}

/**
 * What POST /v1/inactivity/run answers: the check handed over (AWS: it reads every system and sends notices, longer
 * than the API may wait), its report (locally, run at once), or `off` on a stage with the check off.
 */
export type InactivityRunAnswer = { accepted: true } | { report: InactivityReport } | { off: true };

/** POST /v1/inactivity/run on AWS: the real check, handed to the directory read function as the schedule hands it. */
export function invokedInactivityRun(invoker: DirectoryReadInvoker, enabled: boolean): (requestedBy: string) => Promise<InactivityRunAnswer> {
  return async (requestedBy) => {
    if (!enabled) return { off: true };
    await invoker.start({ job: 'inactivity', dryRun: false, requestedBy });
    return { accepted: true };
  };
}
