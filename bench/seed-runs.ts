/** The sweep benchmark's table: runs planned by the real planner, written through the real store with what intake writes beside them. */
import type { Playbooks } from '../config/schema';
import { bodyHash } from '../lambdas/engine/ids';
import type { AuditEntry, PlannedEvent, PlannedEventType, Run } from '../lambdas/engine/model';
import { planRun } from '../lambdas/engine/plan';
import type { ScheduleSettings } from '../lambdas/engine/step-machine';
import { addDays } from '../lambdas/engine/time';
import type { LifecycleStore } from '../lambdas/store/lifecycle-store';

const DAY_MS = 24 * 3600 * 1000;

// Spread over zones on both sides of UTC, so cut-offs and start times land at different instants.
const ZONES = ['Europe/Berlin', 'America/New_York', 'America/Los_Angeles', 'Asia/Tokyo', 'Australia/Sydney', 'Europe/London', 'Asia/Kolkata', 'Pacific/Auckland'];

export interface PlannedSeed {
  event: PlannedEvent;
  /** When HR sent the event: the planner's `now` and the intake writes' time. */
  plannedAt: Date;
  run: Run;
}

/** One seeded run's event: its type, its effective date and when HR sent it, both relative to a fixed instant. */
export interface Shape {
  type: PlannedEventType;
  /** Effective date, in days from the sweep's date. */
  effectiveInDays: number;
  /** When the event arrived, in days before the sweep. */
  sentDaysBefore: number;
}

/**
 * Which runs are due: evenly spread over the run numbers, so they fall on every shard and among
 * the not-due runs rather than in one block.
 */
function dueNumbers(runs: number, due: number): Set<number> {
  const set = new Set<number>();
  for (let k = 0; k < due; k++) set.add(Math.floor((k * runs) / due));
  return set;
}

/**
 * A due run is a leaver whose cut-off (midnight after the last day, local time) has passed, or a
 * mover whose effective day has begun; neither is urgent, so intake left them for the sweep.
 * A run that is not due waits on time too (a hire starting soon, a leaver months ahead, a mover
 * next month), so every seeded run sits in the due index: the index's worst case.
 */
function shapeOf(i: number, dueRank: number | undefined): Shape {
  if (dueRank !== undefined) {
    return dueRank % 2 === 0
      ? { type: 'terminate', effectiveInDays: -2, sentDaysBefore: 9 }
      : { type: 'role_change', effectiveInDays: -1, sentDaysBefore: 5 };
  }
  switch (i % 3) {
    case 0:
      return { type: 'hire', effectiveInDays: 2 + (i % 89), sentDaysBefore: 20 };
    case 1:
      return { type: 'terminate', effectiveInDays: 30 + (i % 151), sentDaysBefore: 3 };
    default:
      return { type: 'role_change', effectiveInDays: 1 + (i % 60), sentDaysBefore: 2 };
  }
}

/**
 * Plans run number `i` with the real planner: event `bench-<i>` of `shape`, relative to `at`, for employee
 * `E<employeeNumber>` (by default its own, `i`).
 */
export function planOne(i: number, shape: Shape, at: Date, playbooks: Playbooks, settings: ScheduleSettings, employeeNumber = i): PlannedSeed {
  const n = String(i).padStart(6, '0');
  const e = String(employeeNumber).padStart(6, '0');
  const event: PlannedEvent = {
    eventId: `bench-${n}`,
    type: shape.type,
    effectiveDate: addDays(at.toISOString().slice(0, 10), shape.effectiveInDays),
    urgent: false,
    employee: {
      id: `E${e}`,
      firstName: `Bench${e}`,
      lastName: 'Employee',
      email: `bench.${e}@example.com`,
      role: employeeNumber % 2 === 0 ? 'engineer' : 'support-agent',
      timezone: ZONES[employeeNumber % ZONES.length],
    },
  };
  const plannedAt = new Date(at.getTime() - shape.sentDaysBefore * DAY_MS);
  return { event, plannedAt, run: planRun(event, playbooks, plannedAt, settings) };
}

/** Plans `runs` runs with the real planner; deterministic for the same arguments. */
export function planSeed(runs: number, due: number, sweepAt: Date, playbooks: Playbooks, settings: ScheduleSettings): PlannedSeed[] {
  const dueSet = dueNumbers(runs, due);
  const seeds: PlannedSeed[] = [];
  let dueRank = 0;
  for (let i = 0; i < runs; i++) seeds.push(planOne(i, shapeOf(i, dueSet.has(i) ? dueRank++ : undefined), sweepAt, playbooks, settings));
  return seeds;
}

/** The step ids the sweep must queue for a run at `now`: due, and waiting for no other step. */
export function stepsDueAt(run: Run, now: Date): string[] {
  const at = now.toISOString();
  return run.steps.filter((s) => s.status === 'pending' && s.dueAt <= at && s.after.length === 0).map((s) => s.stepId);
}

/** Runs through `work` with at most `limit` calls in flight. */
export async function inPool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export interface SeedResult {
  /** Items written: per run its event record, employee profile, run, run pointer and one audit line. */
  items: number;
  runsCreated: number;
}

/**
 * Writes what intake writes for each event (event record, employee, run through createRun, the
 * "run planned" audit line) without intake's release step, which would queue due steps itself.
 */
export async function writeSeed(store: LifecycleStore, seeds: readonly PlannedSeed[], concurrency: number): Promise<SeedResult> {
  let runsCreated = 0;
  await inPool(seeds, concurrency, async ({ event, plannedAt, run }) => {
    const at = plannedAt.toISOString();
    await store.putEventIfAbsent({ eventId: event.eventId, bodyHash: bodyHash(JSON.stringify(event)), runId: run.runId, employeeId: run.employeeId, receivedAt: at });
    await store.putEmployee(event.employee, at);
    if (await store.createRun(run)) runsCreated += 1;
  });
  const audit: AuditEntry[] = seeds.map(({ event, plannedAt, run }) => ({
    at: plannedAt.toISOString(),
    employeeId: run.employeeId,
    runId: run.runId,
    actor: 'hr-event',
    change: `${run.type} run planned`,
    to: run.status,
    detail: { eventId: event.eventId, steps: run.steps.map((s) => ({ stepId: s.stepId, action: s.action, dueAt: s.dueAt })) },
  }));
  const batches: AuditEntry[][] = [];
  for (let i = 0; i < audit.length; i += 25) batches.push(audit.slice(i, i + 25));
  await inPool(batches, concurrency, (batch) => store.appendAudit(batch));
  return { items: seeds.length * 4 + audit.length, runsCreated };
}
