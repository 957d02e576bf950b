/** The dispatcher's use case: claim a queued step, run its action, record what the provider said. */
import { isKnownAction } from '../actions/catalog';
import { randomToken } from './ids';
import type { Run, Step, StepError } from './model';
import type { ActionRequest, EngineDeps, StepMessage } from './ports';
import { updateRun } from './run-updates';
import { claimStep, markNeedsAttention, recordDeferred, recordRetryableFailure, recordSuccess } from './step-machine';
import { buildAccountHoldAlert, buildAlert } from './alerts';
import { stepErrorFields } from '../shared/log-fields';

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

export type DispatchOutcome = 'succeeded' | 'waiting' | 'needs_attention' | 'duplicate' | 'nothing_to_do' | 'lease_lost';

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
  if (!run || !step || !['pending', 'queued', 'running'].includes(step.status)) return false;
  const alertId = await raiseAlert(deps, run, step, error ?? step.lastError, reason);
  const { changed } = await updateRun(deps, message.employeeId, message.runId, (current) => {
    const next = markNeedsAttention(current, message.stepId, deps.clock.now(), alertId, deps.settings, error?.hold, error?.heldAccount);
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

/** What an action learns of its run beyond its own step: the role, and where the other steps stand. */
function requestContext(run: Run, step: Step): Pick<ActionRequest, 'role' | 'runSteps'> {
  const role = run.role?.resolved
    ? { role: { name: run.role.name, text: run.role.text, manualTasks: run.role.resolved.lists.manualTasks?.map((g) => g.value) ?? [] } }
    : {};
  const runSteps = run.steps
    .filter((s) => s.stepId !== step.stepId)
    .map((s) => ({ stepId: s.stepId, action: s.action, status: s.status, dueAt: s.dueAt, ...(s.note ? { note: s.note } : {}), ...(s.lastError ? { error: s.lastError.message } : {}) }));
  return { ...role, runSteps };
}

export async function dispatchStep(deps: EngineDeps, message: StepMessage, receiveCount: number): Promise<DispatchOutcome> {
  const token = randomToken();
  const logCtx = { runId: message.runId, stepId: message.stepId, employeeId: message.employeeId };
  const claim = await updateRun(deps, message.employeeId, message.runId, (current) => {
    const c = claimStep(current, message.stepId, deps.clock.now(), deps.settings.leaseSeconds, token, deps.settings);
    return {
      run: c.run,
      audit: c.outcome === 'claimed' ? [{ stepId: message.stepId, actor: ACTOR, change: `attempt ${c.step.attempts} started`, from: current.steps.find((s) => s.stepId === message.stepId)?.status, to: 'running' }] : [],
      value: c,
    };
  });
  if (claim.value.outcome === 'busy' && receiveCount > 1) {
    // A redelivery while a lease is live: the first delivery's worker may have died after claiming
    // (or failed to record its result). Come back when the lease has run out instead of dropping it.
    const leaseLeft = Math.ceil((Date.parse(claim.value.step.leaseUntil ?? '') - deps.clock.now().getTime()) / 1000);
    throw new RetryLaterError(`step ${message.stepId} of run ${message.runId} is leased to another worker`, Math.max(1, Math.min(900, leaseLeft + 1)));
  }
  if (claim.value.outcome !== 'claimed') {
    deps.log.info('delivery dropped', { ...logCtx, reason: claim.value.outcome, status: claim.value.step.status });
    return claim.value.outcome === 'busy' ? 'duplicate' : 'nothing_to_do';
  }
  const run = claim.run;
  const step = claim.value.step;

  if (!isKnownAction(step.action)) {
    await handToOperator(deps, message, { message: `unknown action ${step.action}`, retryable: false }, 'names an action that is not in the catalog', ACTOR);
    return 'needs_attention';
  }

  const response = await deps.invoker
    .invoke({
      action: step.action,
      runId: run.runId,
      stepId: step.stepId,
      eventId: run.eventId,
      eventType: run.type,
      effectiveDate: run.effectiveDate,
      urgent: run.urgent,
      attempt: step.attempts,
      employee: run.employee,
      params: step.params,
      progress: step.progress,
      ...(run.accountConfirmations?.length ? { confirmedAccounts: run.accountConfirmations.map(({ system, account, confirms }) => ({ system, account, confirms })) } : {}),
      ...requestContext(run, step),
    })
    .catch((err: unknown) => ({ ok: false as const, error: { message: `invoking ${step.action} failed: ${String(err)}`, retryable: true } }));

  if (response.ok && response.checkAgainAt) {
    const checkAgainAt = response.checkAgainAt;
    const waiting = await updateRun(deps, message.employeeId, message.runId, (current) => {
      const deferred = recordDeferred(current, message.stepId, token, deps.clock.now(), { checkAgainAt, progress: response.progress, note: response.note }, deps.settings);
      return {
        run: deferred.run,
        enqueue: deferred.enqueue,
        enqueueDelaySeconds: deferred.delaySeconds,
        audit: deferred.run === current ? [] : [{ stepId: message.stepId, actor: step.action, change: `not done yet; checking again at ${checkAgainAt}`, from: 'running', to: deferred.run.steps.find((s) => s.stepId === message.stepId)?.status, detail: { note: response.note, providerAnswer: response.providerAnswer, progress: response.progress } }],
        value: null,
      };
    });
    return waiting.changed ? 'waiting' : 'lease_lost';
  }

  if (response.ok) {
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
    deps.log.info('step succeeded', { ...logCtx, action: step.action });
    return 'succeeded';
  }

  const error: StepError = response.error;
  deps.log.warn('step failed', { ...logCtx, action: step.action, attempt: step.attempts, ...stepErrorFields(error) });
  if (!error.retryable) {
    await handToOperator(deps, message, error, error.hold ? `held for an operator (${error.hold})` : 'failed with an error a retry cannot fix', step.action);
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
  throw new RetryLaterError(`step ${step.stepId} (${step.action}) of run ${run.runId} failed; will retry`, retryDelaySeconds(receiveCount, deps.settings.retryBaseSeconds));
}

/** The dead-letter handler's use case: a step whose retries ran out goes to an operator. */
export async function handleDeadLetter(deps: EngineDeps, message: StepMessage): Promise<boolean> {
  return handToOperator(deps, message, undefined, `failed ${deps.settings.maxReceiveCount} times and needs an operator`, 'dead-letter');
}

