/**
 * The run-listing benchmark's table: a year of runs as an operator's table holds them. Each run is planned by the real
 * planner (bench/seed-runs.ts) and then carried to the state its place in the year gives it: most completed, the ones
 * still ahead scheduled or awaiting approval, a few hundred in needs_attention.
 */
import type { Playbooks } from '../config/schema';
import type { PlannedEventType, Run, RunStatus, Step } from '../lambdas/engine/model';
import type { ScheduleSettings } from '../lambdas/engine/step-machine';
import { addDays } from '../lambdas/engine/time';
import { planOne, type PlannedSeed, type Shape } from './seed-runs';

const DAY_MS = 24 * 3600 * 1000;
/** Effective dates run from this many days before the listing's instant… */
export const PAST_DAYS = 365;
/** …to this many after it. */
export const AHEAD_DAYS = 90;
/** HR sends an event this many days before its effective date, or at once when that is already past. */
const NOTICE_DAYS = 14;
/** Each employee has up to this many runs, mostly in this order: hired, moved, gone. */
const LIFE: readonly PlannedEventType[] = ['hire', 'role_change', 'terminate'];

export interface ListingRunPlace {
  /** Employee number: `E<number>` in the table. */
  employee: number;
  type: PlannedEventType;
  /** Days from the listing's instant to the effective date (negative: past). */
  effectiveInDays: number;
  status: RunStatus;
}

/**
 * Where run `i` of `runs` sits: effective dates spread evenly over the year before the instant and the 90 days after
 * (so run order is date order); hire, move and leave in turn; an employee's runs a sixth of the table apart. A run whose date is past is completed,
 * except one in 25 left in needs_attention, one in 100 cancelled, and those of the last day still in progress; a run
 * ahead is scheduled, one in 10 awaiting approval.
 */
export function listingPlace(i: number, runs: number): ListingRunPlace {
  const employees = Math.ceil(runs / LIFE.length);
  const effectiveInDays = -PAST_DAYS + Math.floor((i * (PAST_DAYS + AHEAD_DAYS)) / runs);
  // Hires, moves and leaves take turns through the year; an employee's move comes a sixth of the table (about 76 days)
  // after their hire and their leave as long after that, wrapping round to the start for a third of the employees.
  const stage = i % LIFE.length;
  const employee = (Math.floor(i / LIFE.length) - stage * Math.floor(employees / 6) + employees) % employees;
  const base = { employee, type: LIFE[stage], effectiveInDays };
  if (effectiveInDays > 0) return { ...base, status: i % 10 === 3 ? 'awaiting_approval' : 'scheduled' };
  if (i % 25 === 7) return { ...base, status: 'needs_attention' };
  if (i % 100 === 11) return { ...base, status: 'cancelled' };
  if (effectiveInDays >= -1) return { ...base, status: 'in_progress' };
  return { ...base, status: 'completed' };
}

const at = (ms: number) => new Date(ms).toISOString();

/** A step carried to `status`, with the times and attempts that status implies. */
function stepAs(step: Step, status: Step['status'], finishedAt: string): Step {
  if (status === 'succeeded') return { ...step, status, attempts: 1, startedAt: step.dueAt, finishedAt: finishedAt > step.dueAt ? finishedAt : step.dueAt, result: {} };
  if (status === 'needs_attention') {
    return { ...step, status, attempts: 5, startedAt: step.dueAt, lastError: { message: 'Google answered 403: Not Authorized to access this resource/api', retryable: false } };
  }
  return { ...step, status };
}

/**
 * The run as it stands in `status` at the listing's instant: its steps' statuses, its last update (what the status
 * index sorts on: unique per run), and out of the due index once nothing in it waits for a time.
 */
export function runAs(run: Run, status: RunStatus, i: number, now: Date): Run {
  // The last change: a day after the last step was due for a finished run, else when the run was planned; the run
  // number's minutes keep every updatedAt distinct, as real writes are.
  const lastDue = run.steps.reduce((latest, s) => (s.dueAt > latest ? s.dueAt : latest), run.createdAt);
  const finished = Math.min(Date.parse(lastDue) + DAY_MS, now.getTime() - 3600_000) + (i % 1440) * 1000;
  const done = at(finished);
  const { dueAt: _dueAt, dueShard: _dueShard, ...outOfIndex } = run;
  switch (status) {
    case 'completed':
      return { ...outOfIndex, status, steps: run.steps.map((s) => stepAs(s, 'succeeded', done)), version: run.version + run.steps.length, updatedAt: done };
    case 'needs_attention': {
      // The last step failed for good; the ones before it ran.
      const failed = run.steps.length - 1;
      const steps = run.steps.map((s, k) => stepAs(s, k === failed ? 'needs_attention' : 'succeeded', done));
      return { ...outOfIndex, status, steps, version: run.version + run.steps.length, updatedAt: done };
    }
    case 'cancelled':
      return { ...outOfIndex, status, steps: run.steps.map((s) => stepAs(s, 'cancelled', done)), version: run.version + 1, updatedAt: done };
    case 'in_progress': {
      const steps = run.steps.map((s, k) => (k === 0 ? stepAs(s, 'succeeded', run.steps[0].dueAt) : s));
      const started = Math.min(Date.parse(run.steps[0]?.dueAt ?? run.createdAt), now.getTime() - 3600_000) + (i % 1440) * 1000;
      return { ...run, status, steps, version: run.version + 1, updatedAt: at(started) };
    }
    case 'awaiting_approval':
      return { ...outOfIndex, status, approval: { requiredBy: 'stage setting approvals', planHash: '0'.repeat(32) } };
    default:
      return { ...run, status };
  }
}

/** Plans and places `runs` runs at the listing's instant `now`; deterministic for the same arguments. */
export function planListingSeed(runs: number, now: Date, playbooks: Playbooks, settings: ScheduleSettings): PlannedSeed[] {
  const seeds: PlannedSeed[] = [];
  for (let i = 0; i < runs; i++) {
    const place = listingPlace(i, runs);
    // Sent NOTICE_DAYS before the effective date, or on the day before `now` for a date within the notice; the run
    // number's seconds keep every planning time (a waiting run's last update) distinct.
    const sentDaysBefore = Math.max(0, NOTICE_DAYS - place.effectiveInDays) + (i % 86_400) / 86_400;
    const shape: Shape = { type: place.type, effectiveInDays: place.effectiveInDays, sentDaysBefore };
    const seed = planOne(i, shape, now, playbooks, settings, place.employee);
    seeds.push({ ...seed, run: runAs(seed.run, place.status, i, now) });
  }
  return seeds;
}

/** The effective dates of the runs placed between `fromDay` and `toDay` days from `now`, both included: a date range to filter on. */
export function dayRange(now: Date, fromDay: number, toDay: number): { from: string; to: string } {
  const today = now.toISOString().slice(0, 10);
  return { from: addDays(today, fromDay), to: addDays(today, toDay) };
}
