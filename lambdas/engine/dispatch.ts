/** The dispatcher's use case: claim a queued step, run its action, record what the provider said. */
import { DEFAULT_ACTION_TIMEOUT_SECONDS, worstCaseDispatchSeconds } from '../../config/dispatch-timing';
import { randomToken } from './ids';
import { isInFlight, type Run, type Step, type StepError } from './model';
import { stepPriority } from './priority';
import type { ActionRequest, ActionResponse, EngineDeps, EngineSettings, StepMessage } from './ports';
import { updateRun } from './run-updates';
import { claimStep, markNeedsAttention, recordDeferred, recordRetryableFailure, recordSuccess } from './step-machine';
import { buildAccountHoldAlert, buildAlert } from './alerts';
import { stepErrorFields } from '../shared/log-fields';
import { mailRetentionMethod } from '../roles/role-model';
import { managerLeaving } from './manager-leaving';
import type { MailRetentionMethod } from '../../config/mail-retention';

/** Thrown to hand a message back to the queue for another try. */
export class RetryLaterError extends Error {
  constructor(
    message: string,
    readonly delaySeconds: number,
  ) {
    super(message);
    this.name = 'RetryLaterError';
  }
}

export type DispatchOutcome = 'succeeded' | 'waiting' | 'needs_attention' | 'nothing_to_do' | 'lease_lost';

const ACTOR = 'dispatcher';

/** Backoff before the next delivery: base, then doubling, capped at 15 minutes. */
export function retryDelaySeconds(receiveCount: number, baseSeconds: number): number {
  return Math.min(900, baseSeconds * 2 ** Math.max(0, receiveCount - 1));
}

async function raiseAlert(deps: EngineDeps, run: Run, step: Step, error: StepError | undefined, reason: string): Promise<string> {
  const at = deps.clock.now().toISOString();
  const alert = error?.hold ? buildAccountHoldAlert(run, step, { ...error, hold: error.hold }, at) : buildAlert(run, step, error, reason, at);
  if (await deps.store.putAlert(alert)) {
    await deps.alerts.publish(alert);
    deps.log.warn('operator alert raised', { runId: run.runId, stepId: step.stepId, action: step.action, alertId: alert.alertId });
  }
  return alert.alertId;
}

/** Moves a step to needs_attention with an alert. Alert first: a crash after it only repeats it. */
export async function handToOperator(deps: EngineDeps, message: StepMessage, error: StepError | undefined, reason: string, actor: string) {
  const run = await deps.store.getRun(message.employeeId, message.runId);
  const step = run?.steps.find((s) => s.stepId === message.stepId);
  if (!run || !step || !isInFlight(step.status)) return false;
  const alertId = await raiseAlert(deps, run, step, error ?? step.lastError, reason);
  const { changed } = await updateRun(deps, message.employeeId, message.runId, (current) => {
    const next = markNeedsAttention(current, message.stepId, deps.clock.now(), alertId, deps.settings, error);
    const before = current.steps.find((s) => s.stepId === message.stepId);
    return {
      run: next,
      audit: [{ stepId: message.stepId, actor, change: reason, from: before?.status, to: 'needs_attention', detail: { alertId, error: error ?? before?.lastError } }],
      value: null,
    };
  });
  if (changed) deps.metrics.stepFailed(step.action);
  return changed;
}

/** The held role's mail retention, when it names a method (a role stored before the property existed has none). */
function roleMailRetention(value: string | undefined): { mailRetention?: MailRetentionMethod } {
  const method = mailRetentionMethod(value);
  return method ? { mailRetention: method } : {};
}

/** What an action learns of its run beyond its own step: the role, and where the other steps stand. */
function requestContext(run: Run, step: Step): Pick<ActionRequest, 'role' | 'runSteps'> {
  const role = run.role?.resolved
    ? {
        role: {
          name: run.role.name,
          text: run.role.text,
          manualTasks: run.role.resolved.lists.manualTasks?.map((g) => g.value) ?? [],
          ...roleMailRetention(run.role.resolved.single.mailRetention?.value),
        },
      }
    : {};
  const runSteps = run.steps
    .filter((s) => s.stepId !== step.stepId)
    .map((s) => ({ stepId: s.stepId, action: s.action, status: s.status, dueAt: s.dueAt, ...(s.note ? { note: s.note } : {}), ...(s.lastError ? { error: s.lastError.message } : {}) }));
  return { ...role, runSteps };
}

/** A step this worker holds the lease of, with the run as the claim wrote it. */
interface Claimed {
  message: StepMessage;
  run: Run;
  step: Step;
  token: string;
}

/**
 * Claims the step for this worker. A delivery that finds a live lease is never dropped: the worker holding
 * it may have died after claiming (its message then comes back while the lease still holds), so the message
 * returns once the lease has run out, when it is claimed again or finds the step finished.
 */
async function claim(deps: EngineDeps, message: StepMessage): Promise<Claimed | DispatchOutcome> {
  const token = randomToken();
  const claimed = await updateRun(deps, message.employeeId, message.runId, (current) => {
    const c = claimStep(current, message.stepId, deps.clock.now(), deps.settings.leaseSeconds, token, deps.settings);
    const from = current.steps.find((s) => s.stepId === message.stepId)?.status;
    return { run: c.run, audit: c.outcome === 'claimed' ? [{ stepId: message.stepId, actor: ACTOR, change: `attempt ${c.step.attempts} started`, from, to: 'running' }] : [], value: c };
  });
  const { outcome, step } = claimed.value;
  if (outcome === 'busy') {
    const leaseLeft = Math.ceil((Date.parse(step.leaseUntil ?? '') - deps.clock.now().getTime()) / 1000);
    throw new RetryLaterError(`step ${message.stepId} of run ${message.runId} is leased to another worker`, Math.max(1, Math.min(900, leaseLeft + 1)));
  }
  if (outcome !== 'claimed') {
    deps.log.info('delivery dropped', { runId: message.runId, stepId: message.stepId, employeeId: message.employeeId, reason: outcome, status: step.status });
    return 'nothing_to_do';
  }
  return { message, run: claimed.run, step, token };
}

/** Runs the step's action; an invoker that throws is a failure a retry may fix. */
async function runAction(deps: EngineDeps, { run, step }: Claimed): Promise<ActionResponse> {
  let leaving: Pick<ActionRequest, 'managerLeaving'>;
  try {
    leaving = await managerLeaving(deps, run, step.action);
  } catch (err) {
    return { ok: false, error: { message: `looking up whether the manager of employee ${run.employee.id} is leaving too failed: ${String(err)}`, retryable: true } };
  }
  const request: ActionRequest = {
    action: step.action,
    runId: run.runId,
    stepId: step.stepId,
    eventId: run.eventId,
    eventType: run.type,
    effectiveDate: run.effectiveDate,
    urgent: run.urgent,
    attempt: step.attempts,
    priority: stepPriority(step, deps.actions.priorityOf),
    employee: run.employee,
    params: step.params,
    progress: step.progress,
    ...(step.retries ? { retries: step.retries } : {}),
    ...(run.accountConfirmations?.length ? { confirmedAccounts: run.accountConfirmations.map(({ system, account, confirms }) => ({ system, account, confirms })) } : {}),
    ...requestContext(run, step),
    ...leaving,
  };
  return deps.invoker.invoke(request).catch((err: unknown) => ({ ok: false as const, error: { message: `invoking ${step.action} failed: ${String(err)}`, retryable: true } }));
}

type Answered<K extends 'ok' | 'failed'> = Extract<ActionResponse, { ok: K extends 'ok' ? true : false }>;

/** "Not done yet, check again at T": the step waits, queued with a delay or pending for the sweep. */
async function recordNotYet(deps: EngineDeps, { message, step, token }: Claimed, response: Answered<'ok'> & { checkAgainAt: string }): Promise<DispatchOutcome> {
  const { checkAgainAt } = response;
  const waiting = await updateRun(deps, message.employeeId, message.runId, (current) => {
    const deferred = recordDeferred(current, message.stepId, token, deps.clock.now(), { checkAgainAt, progress: response.progress, note: response.note }, deps.settings);
    const to = deferred.run.steps.find((s) => s.stepId === message.stepId)?.status;
    return {
      run: deferred.run,
      enqueue: deferred.enqueue,
      enqueueDelaySeconds: deferred.delaySeconds,
      audit: deferred.run === current ? [] : [{ stepId: message.stepId, actor: step.action, change: `not done yet; checking again at ${checkAgainAt}`, from: 'running', to, detail: { note: response.note, providerAnswer: response.providerAnswer, progress: response.progress } }],
      value: null,
    };
  });
  return waiting.changed ? 'waiting' : 'lease_lost';
}

/** A success: recorded, and the steps that waited for it are queued. */
async function recordDone(deps: EngineDeps, { message, step, token }: Claimed, response: Answered<'ok'>): Promise<DispatchOutcome> {
  const done = await updateRun(deps, message.employeeId, message.runId, (current) => {
    const released = recordSuccess(current, message.stepId, token, deps.clock.now(), response, deps.settings);
    const audit = released.run === current ? [] : [
      { stepId: message.stepId, actor: step.action, change: 'step succeeded', from: 'running', to: 'succeeded', detail: { note: response.note, providerAnswer: response.providerAnswer, result: response.result } },
      ...released.enqueue.map((id) => ({ stepId: id, actor: ACTOR, change: `step queued after ${message.stepId}`, from: 'pending', to: 'queued' })),
    ];
    return { run: released.run, enqueue: released.enqueue, audit, value: null };
  });
  if (!done.changed) return 'lease_lost';
  deps.metrics.stepSucceeded(step.action, Math.max(0, deps.clock.now().getTime() - Date.parse(step.dueAt)));
  deps.log.info('step succeeded', { runId: message.runId, stepId: message.stepId, employeeId: message.employeeId, action: step.action });
  return 'succeeded';
}

/**
 * A failure: to an operator when a retry cannot help; otherwise recorded and handed back to the queue with backoff.
 * `receives` counts this message's failed receives, its handed-back copies' included: a copy's own receive count
 * starts again at one, so when the copies together reach the queue's maxReceiveCount the step goes to an operator
 * here, as the dead-letter queue would have sent it.
 */
async function recordFailure(deps: EngineDeps, { message, run, step, token }: Claimed, error: StepError, receives: number): Promise<DispatchOutcome> {
  deps.log.warn('step failed', { runId: message.runId, stepId: message.stepId, employeeId: message.employeeId, action: step.action, attempt: step.attempts, ...stepErrorFields(error) });
  if (!error.retryable) {
    await handToOperator(deps, message, error, error.hold ? `held for an operator (${error.hold})` : 'failed with an error a retry cannot fix', step.action);
    return 'needs_attention';
  }
  if (message.priorReceives && receives >= deps.settings.maxReceiveCount) {
    await handToOperator(deps, message, error, `failed ${deps.settings.maxReceiveCount} times and needs an operator`, step.action);
    return 'needs_attention';
  }
  const failed = await updateRun(deps, message.employeeId, message.runId, (current) => ({
    run: recordRetryableFailure(current, message.stepId, token, deps.clock.now(), error, deps.settings),
    audit: [{ stepId: message.stepId, actor: step.action, change: `attempt ${step.attempts} failed; will retry`, from: 'running', to: 'queued', detail: { error } }],
    value: null,
  }));
  if (!failed.changed) return 'lease_lost';
  deps.metrics.stepFailed(step.action);
  // Ids only: this error may reach the function's log; the provider's words are in the audit trail.
  throw new RetryLaterError(`step ${step.stepId} (${step.action}) of run ${run.runId} failed; will retry`, retryDelaySeconds(receives, deps.settings.retryBaseSeconds));
}

/** What recording an action's answer may take after the invoke returns (a few conditional writes, an alert). */
/**
 * The longest a delivery may take from its claim to its answer: the action's timeout, a cold start of its function
 * (not counted in that timeout) and the recording after it.
 */
export function worstCaseDispatchMs(settings: Pick<EngineSettings, 'actionTimeoutSeconds'>): number {
  return worstCaseDispatchSeconds(settings.actionTimeoutSeconds ?? DEFAULT_ACTION_TIMEOUT_SECONDS) * 1000;
}


/**
 * Hands a delivery back unclaimed, as a fresh copy visible at once: the original is then deleted as handled. A copy
 * rather than the same message made visible again, because SQS counts every receive toward the dead-letter queue's
 * maxReceiveCount, and a delivery the dispatcher had no time for is not a failure. The copy carries the failed
 * receives before this one; the step's attempts are untouched (nothing was claimed).
 */
export async function handBack(deps: EngineDeps, message: StepMessage, receiveCount: number): Promise<void> {
  const priorReceives = (message.priorReceives ?? 0) + Math.max(0, receiveCount - 1);
  const { runId, employeeId, stepId, priority } = message;
  await deps.queue.send([{ runId, employeeId, stepId, ...(priority ? { priority } : {}), ...(priorReceives ? { priorReceives } : {}) }], 0);
  deps.log.info('delivery handed back: too little time left to run it', { runId, stepId, employeeId, priorReceives });
}

/** The dispatcher's use case: claim the step, run its action, record what it answered. */
export async function dispatchStep(deps: EngineDeps, message: StepMessage, receiveCount: number): Promise<DispatchOutcome> {
  const receives = receiveCount + (message.priorReceives ?? 0);
  const claimed = await claim(deps, message);
  if (typeof claimed === 'string') return claimed;
  if (!deps.actions.isKnownAction(claimed.step.action)) {
    await handToOperator(deps, message, { message: `unknown action ${claimed.step.action}`, retryable: false }, 'names an action that is not in the catalog', ACTOR);
    return 'needs_attention';
  }
  const response = await runAction(deps, claimed);
  if (!response.ok) return recordFailure(deps, claimed, response.error, receives);
  if (response.checkAgainAt) return recordNotYet(deps, claimed, { ...response, checkAgainAt: response.checkAgainAt });
  return recordDone(deps, claimed, response);
}

/** The dead-letter handler's use case: a step whose retries ran out goes to an operator. */
export async function handleDeadLetter(deps: EngineDeps, message: StepMessage): Promise<boolean> {
  return handToOperator(deps, message, undefined, `failed ${deps.settings.maxReceiveCount} times and needs an operator`, 'dead-letter');
}

