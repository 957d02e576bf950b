/**
 * The step state machine: every legal change of a run's steps, as pure functions from a run to
 * the next run (and the steps to enqueue). The store writes the result with a version check.
 */
import { DONE_STEP_STATUSES, FINAL_STEP_STATUSES, HELD_RUN_STATUSES, isInFlight, SKIPPABLE_STEP_STATUSES, type AccountConfirmation, type AccountHold, type Approval, type BoundAccount, type Run, type RunStatus, type Step, type StepError } from './model';
import { planHash, shardOf } from './ids';
import { sortByPriority } from './priority';

export interface ScheduleSettings {
  dueShards: number;
  /** How long a queued or running step may go unheard of before the sweep enqueues it again. */
  requeueAfterSeconds: number;
}

/** An operator asked for a change the step's status does not allow. */
export class TransitionError extends Error {
  constructor(
    message: string,
    readonly code: 'not_found' | 'conflict',
  ) {
    super(message);
    this.name = 'TransitionError';
  }
}

export interface Released {
  run: Run;
  /** Steps moved to (or kept in) queued that need a queue message now. */
  enqueue: string[];
}

const addSeconds = (iso: string, seconds: number) => new Date(Date.parse(iso) + seconds * 1000).toISOString();

function findStep(run: Run, stepId: string): Step {
  const step = run.steps.find((s) => s.stepId === stepId);
  if (!step) throw new TransitionError(`run ${run.runId} has no step ${stepId}`, 'not_found');
  return step;
}

function replaceStep(run: Run, step: Step): Run {
  return { ...run, steps: run.steps.map((s) => (s.stepId === step.stepId ? step : s)) };
}

/** Removes transient claim and retry fields from a step. */
function settled(step: Step): Step {
  const { leaseUntil: _l, leaseToken: _t, queuedAt: _q, lastError: _e, ...rest } = step;
  return rest;
}

export function dependenciesDone(run: Run, step: Step): boolean {
  return step.after.every((dep) => {
    const d = run.steps.find((s) => s.stepId === dep);
    return d !== undefined && DONE_STEP_STATUSES.includes(d.status);
  });
}

const HELD = HELD_RUN_STATUSES;

/** No step of a held run moves: it waits for an operator's decision, a fixed role, or has ended without running. */
const isHeld = (run: Run) => HELD.includes(run.status) || Boolean(run.role?.errors?.length);

export function deriveRunStatus(run: Run): RunStatus {
  if (HELD.includes(run.status)) return run.status;
  // The role it was planned from cannot be resolved: nothing runs until an operator has it fixed and replans.
  if (run.role?.errors?.length) return 'needs_attention';
  if (run.steps.some((s) => s.status === 'needs_attention')) return 'needs_attention';
  if (run.steps.every((s) => FINAL_STEP_STATUSES.includes(s.status))) return 'completed';
  if (run.steps.some((s) => s.status !== 'pending')) return 'in_progress';
  return 'scheduled';
}

/** The next time the sweep must look at this run, or undefined when nothing waits on time. */
export function nextWakeAt(run: Run, settings: ScheduleSettings): string | undefined {
  if (isHeld(run)) return undefined;
  const times: string[] = [];
  for (const step of run.steps) {
    if (step.status === 'pending' && dependenciesDone(run, step)) times.push(step.dueAt);
    // Safety net: a lost message or a dead worker is noticed once the step has gone quiet.
    if (step.status === 'queued' && step.queuedAt) times.push(addSeconds(step.queuedAt, settings.requeueAfterSeconds));
    if (step.status === 'running' && step.leaseUntil) times.push(addSeconds(step.leaseUntil, settings.requeueAfterSeconds));
  }
  return times.sort()[0];
}

/** Recomputes the run's status and its place in the sparse due index. */
export function withSchedule(run: Run, settings: ScheduleSettings): Run {
  const { dueAt: _d, dueShard: _s, ...rest } = run;
  const next: Run = { ...rest, status: deriveRunStatus(run) };
  const wake = nextWakeAt(next, settings);
  return wake ? { ...next, dueAt: wake, dueShard: shardOf(run.runId, settings.dueShards) } : next;
}

/** Queues every step whose time has come and whose dependencies are done; re-queues quiet ones. */
export function releaseDue(run: Run, now: Date, settings: ScheduleSettings): Released {
  if (isHeld(run)) return { run, enqueue: [] };
  const at = now.toISOString();
  const enqueue: string[] = [];
  const steps = run.steps.map((step): Step => {
    if (step.status === 'pending' && step.dueAt <= at && dependenciesDone(run, step)) {
      enqueue.push(step.stepId);
      return { ...step, status: 'queued', queuedAt: at };
    }
    if (step.status === 'queued' && step.queuedAt && addSeconds(step.queuedAt, settings.requeueAfterSeconds) <= at) {
      enqueue.push(step.stepId);
      return { ...step, queuedAt: at };
    }
    if (step.status === 'running' && step.leaseUntil && addSeconds(step.leaseUntil, settings.requeueAfterSeconds) <= at) {
      enqueue.push(step.stepId);
      const { leaseUntil: _l, leaseToken: _t, ...rest } = step;
      return { ...rest, status: 'queued', queuedAt: at };
    }
    return step;
  });
  if (enqueue.length === 0) return { run, enqueue };
  // Lockouts are sent first: within a class the playbook's order holds.
  // updateRun hands over the run with every step's class set (a step stored without one takes its action's).
  const ranked = sortByPriority(enqueue.map((stepId) => ({ stepId, priority: steps.find((s) => s.stepId === stepId)?.priority }))).map((e) => e.stepId);
  return { run: withSchedule({ ...run, steps, updatedAt: at }, settings), enqueue: ranked };
}

export type ClaimOutcome =
  /** The caller holds the lease and runs the action. */
  | 'claimed'
  /** Another worker holds a live lease: this delivery is a duplicate. */
  | 'busy'
  /** Nothing to do: the step is finished, waits for an operator, or is not yet due. */
  | 'nothing_to_do';

/** Claims a queued step (or one whose lease ran out) for a worker. */
export function claimStep(
  run: Run,
  stepId: string,
  now: Date,
  leaseSeconds: number,
  token: string,
  settings: ScheduleSettings,
): { run: Run; outcome: ClaimOutcome; step: Step } {
  const step = findStep(run, stepId);
  const at = now.toISOString();
  const leaseExpired = step.status === 'running' && (!step.leaseUntil || step.leaseUntil <= at);
  if (run.status !== 'cancelled' && (step.status === 'queued' || leaseExpired)) {
    const claimed: Step = {
      ...step,
      status: 'running',
      attempts: step.attempts + 1,
      startedAt: at,
      leaseUntil: addSeconds(at, leaseSeconds),
      leaseToken: token,
    };
    return { run: withSchedule({ ...replaceStep(run, claimed), updatedAt: at }, settings), outcome: 'claimed', step: claimed };
  }
  return { run, outcome: step.status === 'running' ? 'busy' : 'nothing_to_do', step };
}

/**
 * Queues again a step whose worker is known to be gone (the process that ran it has restarted): its lease
 * no longer protects anything, so the step need not wait for it to run out.
 */
export function releaseAbandoned(run: Run, stepId: string, now: Date, settings: ScheduleSettings): Run {
  const step = findStep(run, stepId);
  if (step.status !== 'running') return run;
  const at = now.toISOString();
  const { leaseUntil: _l, leaseToken: _t, ...rest } = step;
  return withSchedule({ ...replaceStep(run, { ...rest, status: 'queued', queuedAt: at }), updatedAt: at }, settings);
}

/** True when the step is still running under this worker's lease. */
export function holdsLease(run: Run, stepId: string, token: string): boolean {
  const step = findStep(run, stepId);
  return step.status === 'running' && step.leaseToken === token;
}

/** Records a success and releases the steps that waited for it. */
export function recordSuccess(
  run: Run,
  stepId: string,
  token: string,
  now: Date,
  outcome: { result?: Record<string, unknown>; note?: string; employeeEmail?: string; account?: BoundAccount },
  settings: ScheduleSettings,
): Released {
  if (!holdsLease(run, stepId, token)) return { run, enqueue: [] };
  const step = findStep(run, stepId);
  const at = now.toISOString();
  const { progress: _p, ...rest } = settled(step);
  const done: Step = { ...rest, status: 'succeeded', finishedAt: at, result: outcome.result, note: outcome.note, ...(outcome.account ? { account: outcome.account } : {}) };
  // A joiner's derived address becomes the run's: the steps after the account's creation act on it.
  const employee = outcome.employeeEmail && !run.employee.email ? { ...run.employee, email: outcome.employeeEmail } : run.employee;
  const next = withSchedule({ ...replaceStep(run, done), employee, updatedAt: at }, settings);
  return releaseDue(next, now, settings);
}

/** Longest delay a queue message can carry (SQS DelaySeconds). */
export const MAX_MESSAGE_DELAY_SECONDS = 900;

/**
 * Records an action's "not yet, check again at T": within the queue's delay range the step stays
 * queued and its message is sent delayed; further out it goes back to pending for the sweep.
 */
export function recordDeferred(
  run: Run,
  stepId: string,
  token: string,
  now: Date,
  outcome: { checkAgainAt: string; progress?: Record<string, unknown>; note?: string },
  settings: ScheduleSettings,
): Released & { delaySeconds: number } {
  if (!holdsLease(run, stepId, token)) return { run, enqueue: [], delaySeconds: 0 };
  const step = findStep(run, stepId);
  const at = now.toISOString();
  const delaySeconds = Math.max(0, Math.ceil((Date.parse(outcome.checkAgainAt) - now.getTime()) / 1000));
  const { leaseUntil: _l, leaseToken: _t, lastError: _e, ...rest } = step;
  const waiting = { ...rest, progress: outcome.progress, note: outcome.note };
  if (delaySeconds <= MAX_MESSAGE_DELAY_SECONDS) {
    const next = withSchedule({ ...replaceStep(run, { ...waiting, status: 'queued', queuedAt: outcome.checkAgainAt }), updatedAt: at }, settings);
    return { run: next, enqueue: [stepId], delaySeconds };
  }
  const next = withSchedule({ ...replaceStep(run, { ...waiting, status: 'pending', dueAt: outcome.checkAgainAt }), updatedAt: at }, settings);
  return { run: next, enqueue: [], delaySeconds: 0 };
}

/** Records a failure that a retry may fix: the step waits in the queue for its next delivery. */
export function recordRetryableFailure(run: Run, stepId: string, token: string, now: Date, error: StepError, settings: ScheduleSettings): Run {
  if (!holdsLease(run, stepId, token)) return run;
  const step = findStep(run, stepId);
  const at = now.toISOString();
  const { leaseUntil: _l, leaseToken: _t, ...rest } = step;
  const { progress } = error;
  const next: Step = { ...rest, status: 'queued', queuedAt: at, lastError: withoutProgress(error), ...(progress ? { progress: { ...rest.progress, ...progress } } : {}) };
  return withSchedule({ ...replaceStep(run, next), updatedAt: at }, settings);
}

/**
 * Hands a step to an operator: claim and retry state is cleared; what it failed with stays on the step
 * (`lastError`), so whoever looks at the run sees why it waits.
 */
export function markNeedsAttention(run: Run, stepId: string, now: Date, alertId: string, settings: ScheduleSettings, error?: StepError): Run {
  const step = findStep(run, stepId);
  if (!isInFlight(step.status)) return run;
  const at = now.toISOString();
  const failure = error ? withoutProgress(error) : step.lastError;
  const { hold, heldAccount, progress } = error ?? {};
  const kept = settled(step);
  // What the failed attempt learnt (a delegate it added, a license it removed) is handed to the retry an operator triggers.
  const waiting: Step = {
    ...kept,
    status: 'needs_attention',
    alertId,
    finishedAt: at,
    ...(progress ? { progress: { ...kept.progress, ...progress } } : {}),
    ...(failure ? { lastError: failure } : {}),
    ...(hold ? { hold } : {}),
    ...(heldAccount ? { heldAccount } : {}),
  };
  return withSchedule({ ...replaceStep(run, waiting), updatedAt: at }, settings);
}

/** An error as a step keeps it: what it learnt for the next attempt goes to the step's progress, not here. */
function withoutProgress(error: StepError): StepError {
  const { progress: _p, ...rest } = error;
  return rest;
}

/** Cancels a run: steps not yet started are cancelled; a running step finishes. */
export function cancelRun(run: Run, now: Date, settings: ScheduleSettings): Run {
  if (run.status === 'cancelled' || run.status === 'rejected') return run;
  if (run.status === 'completed') throw new TransitionError(`run ${run.runId} is already completed`, 'conflict');
  const at = now.toISOString();
  const steps = run.steps.map((s): Step =>
    s.status === 'pending' || s.status === 'queued' || s.status === 'needs_attention'
      ? { ...settled(s), status: 'cancelled', finishedAt: at }
      : s,
  );
  return withSchedule({ ...run, steps, status: 'cancelled', updatedAt: at }, settings);
}

/** An operator retries a step that needed attention: it is queued now with a fresh count. */
export function retryStep(run: Run, stepId: string, now: Date, settings: ScheduleSettings): Released {
  const step = findStep(run, stepId);
  if (HELD.includes(run.status)) throw new TransitionError(`run ${run.runId} is ${run.status}`, 'conflict');
  if (step.status !== 'needs_attention') {
    throw new TransitionError(`step ${stepId} is ${step.status}; only a step in needs_attention can be retried`, 'conflict');
  }
  const at = now.toISOString();
  const { alertId: _a, finishedAt: _f, hold: _h, heldAccount: _ha, ...rest } = step;
  // A new failure episode: the count of retries makes its alert another one than the last episode's.
  const queued: Step = { ...rest, status: 'queued', attempts: 0, retries: (step.retries ?? 0) + 1, queuedAt: at };
  return { run: withSchedule({ ...replaceStep(run, queued), updatedAt: at }, settings), enqueue: [stepId] };
}

/** An operator skips a step: it counts as done, so the steps after it may run. */
export function skipStep(run: Run, stepId: string, now: Date, settings: ScheduleSettings): Released {
  const step = findStep(run, stepId);
  if (HELD.includes(run.status)) throw new TransitionError(`run ${run.runId} is ${run.status}`, 'conflict');
  if (!SKIPPABLE_STEP_STATUSES.includes(step.status)) {
    throw new TransitionError(`step ${stepId} is ${step.status}; only pending, queued or needs_attention steps can be skipped`, 'conflict');
  }
  const at = now.toISOString();
  const skipped: Step = { ...settled(step), status: 'skipped', finishedAt: at, note: 'skipped by an operator' };
  return releaseDue(withSchedule({ ...replaceStep(run, skipped), updatedAt: at }, settings), now, settings);
}

/** Holds a newly planned run for an operator: nothing is due until it is approved. */
export function holdForApproval(run: Run, requiredBy: string, settings: ScheduleSettings): Run {
  return withSchedule({ ...run, status: 'awaiting_approval', approval: { requiredBy, planHash: planHash(run.steps, run.employee) } }, settings);
}

function decide(run: Run, seenPlanHash: string): Approval {
  if (run.status !== 'awaiting_approval' || !run.approval) throw new TransitionError(`run ${run.runId} is ${run.status}, not awaiting approval`, 'conflict');
  // The plan approved must be the plan shown: a plan changed since, or another run's, is refused.
  if (seenPlanHash !== run.approval.planHash) {
    throw new TransitionError(`the plan of run ${run.runId} is ${run.approval.planHash}, not ${seenPlanHash}: read the run again and decide on what it shows`, 'conflict');
  }
  return run.approval;
}

/** Who decides: the name the audit trail gives them, and their token's stable subject when it carries one. */
export interface Decider {
  name: string;
  subject?: string;
}

/**
 * Whether the decider sent the run's event: the same subject, or the same name (an address compared without regard to
 * case). One person's name differs between token kinds (email or user name), so the subject is what settles it.
 */
export function isSender(run: Pick<Run, 'sentBy' | 'sentBySubject'>, decider: Decider): boolean {
  if (run.sentBy === undefined) return false;
  if (run.sentBySubject !== undefined && decider.subject !== undefined && run.sentBySubject === decider.subject) return true;
  return run.sentBy.toLowerCase() === decider.name.toLowerCase();
}

/** An operator approves the plan they were shown: the run is scheduled, and what is due is queued. */
export function approveRun(run: Run, seenPlanHash: string, actor: string, now: Date, settings: ScheduleSettings, subject?: string): Released {
  const approval = decide(run, seenPlanHash);
  // Four eyes: an approval stands for a second person; whoever typed the event in cannot also wave it through.
  if (isSender(run, { name: actor, ...(subject ? { subject } : {}) })) {
    throw new TransitionError(`run ${run.runId} was sent by ${actor} from the operator API: another approver must approve its plan (reject it to withdraw it)`, 'conflict');
  }
  const at = now.toISOString();
  const approved = withSchedule({ ...run, status: 'scheduled', approval: { ...approval, decision: 'approved', decidedBy: actor, decidedAt: at }, updatedAt: at }, settings);
  const released = releaseDue(approved, now, settings);
  return { run: released.run, enqueue: released.enqueue };
}

/** An operator rejects the plan: no step runs, and the run ends as rejected. */
export function rejectRun(run: Run, seenPlanHash: string, actor: string, reason: string, now: Date, settings: ScheduleSettings): Run {
  const approval = decide(run, seenPlanHash);
  const at = now.toISOString();
  const steps = run.steps.map((s): Step => ({ ...settled(s), status: 'cancelled', finishedAt: at }));
  return withSchedule({ ...run, steps, status: 'rejected', approval: { ...approval, decision: 'rejected', decidedBy: actor, decidedAt: at, reason }, updatedAt: at }, settings);
}

/** The holds an operator's confirmation settles: an adoption settles `unbound`, a go-ahead settles `protected`. */
const SETTLES: Record<AccountConfirmation['confirms'], AccountHold> = { adopt: 'unbound', protected: 'protected' };

/**
 * An operator confirms an account for a run (adopts it, or lets the run act on it although it is protected): the
 * confirmation is kept on the run, handed to every later step, and the steps held for that reason run again.
 */
export function confirmAccount(run: Run, confirmation: AccountConfirmation, now: Date, settings: ScheduleSettings): Released {
  if (HELD.includes(run.status)) throw new TransitionError(`run ${run.runId} is ${run.status}`, 'conflict');
  const held = run.steps.filter(
    (s) =>
      s.status === 'needs_attention' &&
      s.hold === SETTLES[confirmation.confirms] &&
      s.heldAccount?.system === confirmation.system &&
      s.heldAccount.account.toLowerCase() === confirmation.account.toLowerCase(),
  );
  if (held.length === 0) {
    throw new TransitionError(
      `no step of run ${run.runId} is held for ${confirmation.confirms === 'adopt' ? 'the unbound' : 'the protected'} ${confirmation.system} account ${confirmation.account}`,
      'conflict',
    );
  }
  let next: Run = { ...run, accountConfirmations: [...(run.accountConfirmations ?? []), confirmation] };
  for (const step of held) next = retryStep(next, step.stepId, now, settings).run;
  return { run: next, enqueue: held.map((s) => s.stepId) };
}
