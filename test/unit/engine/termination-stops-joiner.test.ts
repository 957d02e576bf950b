/**
 * A termination meets the employee's hire or role change still going: what that run has not started is cancelled
 * (no welcome link to the personal address of an account being locked), and a run's open alerts are resolved
 * whenever it ends cancelled or rejected.
 */
import { parsePlaybooks } from '../../../config/playbooks';
import { dispatchStep } from '../../../lambdas/engine/dispatch';
import { intake } from '../../../lambdas/engine/intake';
import type { LifecycleEvent, PlannedEvent, Run } from '../../../lambdas/engine/model';
import { listAlerts, operatorCancel, operatorReject, operatorRejectQuarantine } from '../../../lambdas/engine/operator';
import { previewEvent } from '../../../lambdas/engine/preview';
import { updateRun } from '../../../lambdas/engine/run-updates';
import { unfinishedJoiners } from '../../../lambdas/engine/termination-overlap';
import { hrBody, terminateEvent } from '../../support/builders';
import { memoryEngine, type MemoryEngine } from '../../support/memory-engine';
import { accept, queuedLeaver } from './engine-fixtures';

/** The day before the first day the account is made; on the first day at 09:00 the welcome link is mailed. */
const playbooks = parsePlaybooks({
  hire: {
    steps: [
      { id: 'create-user', action: 'forward.event', offsetDays: -1, at: '09:00' },
      { id: 'welcome-email', action: 'google.sendWelcomeEmail', at: '09:00', after: ['create-user'] },
    ],
  },
  role_change: { steps: [{ id: 'forward-event', action: 'forward.event' }] },
  terminate: { steps: [{ id: 'forward-event', action: 'forward.event', cutoff: true }] },
});

/** The clock starts on 2026-11-30 08:00 UTC; the hire starts on 2026-12-01 (Berlin), so create-user is due 2026-11-30 08:00 UTC. */
const hireEvent = (over: Partial<PlannedEvent> = {}): LifecycleEvent =>
  ({ ...hrBody({ eventId: 'hire-1', type: 'hire', effectiveDate: '2026-12-01' }), ...over }) as unknown as LifecycleEvent;

function engineWith(settings: Record<string, unknown> = {}): MemoryEngine {
  const engine = memoryEngine({ settings });
  engine.deps.playbooks = playbooks;
  return engine;
}

/** A hire whose account step is running: the welcome mail is pending, due on the first day. */
async function hireInProgress(engine: MemoryEngine): Promise<Run> {
  const hire = await accept(engine, hireEvent());
  expect(hire.steps.map((s) => [s.stepId, s.status])).toEqual([['create-user', 'queued'], ['welcome-email', 'pending']]);
  return hire;
}

const auditOf = async (engine: MemoryEngine, runId: string) => (await engine.store.listAudit('E100')).filter((a) => a.runId === runId);

describe('a termination of an employee whose hire is still going', () => {
  it('urgent: cancels the steps not started, lets the running one finish, and names its event in the audit', async () => {
    const engine = engineWith();
    const hire = await hireInProgress(engine);
    const leaver = await accept(engine, terminateEvent({ eventId: 'leave-now', urgent: true }));
    expect(leaver.type).toBe('terminate');

    const stopped = (await engine.store.getRun('E100', hire.runId))!;
    expect(stopped.status).toBe('cancelled');
    // A queued step had not started: cancelled like the pending welcome mail.
    expect(stopped.steps.map((s) => [s.stepId, s.status])).toEqual([['create-user', 'cancelled'], ['welcome-email', 'cancelled']]);
    expect((await auditOf(engine, hire.runId)).find((a) => a.to === 'cancelled')).toMatchObject({
      actor: 'hr-event',
      change: 'run cancelled by the termination of event leave-now: its steps not started will not run',
    });
    expect(stopped.dueShard).toBeUndefined();
  });

  it('keeps a step already done', async () => {
    const engine = engineWith();
    const hire = await hireInProgress(engine);
    const message = engine.queue.sent.find((s) => s.message.runId === hire.runId)!.message;
    engine.invoker.answer('forward.event', { ok: true });
    expect(await dispatchStep(engine.deps, message, 1)).toBe('succeeded');

    await accept(engine, terminateEvent({ eventId: 'leave-now', urgent: true }));
    const stopped = (await engine.store.getRun('E100', hire.runId))!;
    expect(stopped.status).toBe('cancelled');
    expect(stopped.steps.map((s) => [s.stepId, s.status])).toEqual([['create-user', 'succeeded'], ['welcome-email', 'cancelled']]);
  });

  it('lets a running step finish', async () => {
    const engine = engineWith();
    const hire = await hireInProgress(engine);
    // create-user is taken by a worker when the termination comes.
    await updateRun(engine.deps, 'E100', hire.runId, (run) => ({ run: { ...run, steps: run.steps.map((s) => (s.stepId === 'create-user' ? { ...s, status: 'running', attempts: 1 } : s)) }, value: null }));

    await accept(engine, terminateEvent({ eventId: 'leave-now', urgent: true }));
    const stopped = (await engine.store.getRun('E100', hire.runId))!;
    expect(stopped.status).toBe('cancelled');
    expect(stopped.steps.map((s) => [s.stepId, s.status])).toEqual([['create-user', 'running'], ['welcome-email', 'cancelled']]);
  });

  it('with a cut-off after every step of the hire leaves the hire alone (a fixed-term contract sent with its end)', async () => {
    const engine = engineWith();
    const hire = await hireInProgress(engine);
    await accept(engine, terminateEvent({ eventId: 'leave-later', effectiveDate: '2027-05-31' }));
    expect((await engine.store.getRun('E100', hire.runId))!.status).toBe('in_progress');
  });

  it('with a cut-off before a step of the hire is due stops the hire', async () => {
    const engine = engineWith();
    const hire = await hireInProgress(engine);
    // The last working day is 2026-11-30: the cut-off (midnight in Berlin) comes before the 09:00 welcome mail.
    await accept(engine, terminateEvent({ eventId: 'leave-today', effectiveDate: '2026-11-30' }));
    expect((await engine.store.getRun('E100', hire.runId))!.status).toBe('cancelled');
  });

  it('stops a role change still going the same way', async () => {
    const engine = engineWith();
    const move = await accept(engine, { ...terminateEvent({ eventId: 'move-1', type: 'role_change', effectiveDate: '2026-12-10' }) } as LifecycleEvent);
    expect(move.status).toBe('scheduled');
    await accept(engine, terminateEvent({ eventId: 'leave-now', urgent: true }));
    expect((await engine.store.getRun('E100', move.runId))!.status).toBe('cancelled');
  });

  it('is not undone by a cancel of the termination: the hire stays cancelled, the operator sends it again if wanted', async () => {
    const engine = engineWith();
    const hire = await hireInProgress(engine);
    await accept(engine, terminateEvent({ eventId: 'leave-now', urgent: true }));
    const cancel = { eventId: 'leave-now-cancel', type: 'cancel' as const, cancels: 'leave-now' };
    expect((await intake(engine.deps, cancel, JSON.stringify(cancel))).outcome).toBe('created');
    expect((await engine.store.getRun('E100', hire.runId))!.steps.find((s) => s.stepId === 'welcome-email')?.status).toBe('cancelled');
  });

  it('from the operator route is refused before anything changes: a person cancels the hire first', async () => {
    const engine = engineWith();
    const hire = await hireInProgress(engine);
    const event = terminateEvent({ eventId: 'leave-by-hand', urgent: true });
    const result = await intake(engine.deps, event, JSON.stringify(event), { sentBy: 'alice@example.com' });
    expect(result).toMatchObject({ outcome: 'conflict', message: expect.stringContaining(`hire run in progress (run ${hire.runId})`) });
    expect((await engine.store.getRun('E100', hire.runId))!.status).toBe('in_progress');
  });

  it('is shown in the preview of the termination', async () => {
    const engine = engineWith();
    const hire = await hireInProgress(engine);
    expect(await previewEvent(engine.deps, terminateEvent({ eventId: 'leave-now', urgent: true }))).toMatchObject({ outcome: 'planned', preview: { stopsRunIds: [hire.runId] } });
    expect((await engine.store.getRun('E100', hire.runId))!.status).toBe('in_progress');
  });
});

describe('unfinishedJoiners', () => {
  const now = new Date('2026-11-30T08:00:00.000Z');
  const run = (over: Partial<Run>): Run =>
    ({ runId: 'r', type: 'hire', status: 'scheduled', steps: [{ stepId: 's', status: 'pending', dueAt: '2026-12-01T08:00:00.000Z' }], ...over }) as unknown as Run;

  it('names hires and role changes not ended with a step not started that would run after the cut-off', () => {
    const urgent = terminateEvent({ urgent: true });
    expect(unfinishedJoiners([run({ runId: 'h' }), run({ runId: 'm', type: 'role_change' })], urgent, 'own', now).map((r) => r.runId)).toEqual(['h', 'm']);
    for (const status of ['completed', 'cancelled', 'rejected'] as const) expect(unfinishedJoiners([run({ status })], urgent, 'own', now)).toEqual([]);
    expect(unfinishedJoiners([run({ type: 'terminate' }), run({ type: 'cancel' })], urgent, 'own', now)).toEqual([]);
    // Nothing left to start: only a running step, which finishes anyway.
    expect(unfinishedJoiners([run({ steps: [{ stepId: 's', status: 'running', dueAt: now.toISOString() }] as Run['steps'] })], urgent, 'own', now)).toEqual([]);
    // A later cut-off: only a step due at or after it counts.
    expect(unfinishedJoiners([run({})], terminateEvent({ effectiveDate: '2026-12-15' }), 'own', now)).toEqual([]);
    expect(unfinishedJoiners([run({ steps: [{ stepId: 's', status: 'pending', dueAt: '2026-12-20T08:00:00.000Z' }] as Run['steps'] })], terminateEvent({ effectiveDate: '2026-12-15' }), 'own', now)).toHaveLength(1);
    // Not a termination: nothing.
    expect(unfinishedJoiners([run({})], { ...urgent, type: 'role_change' }, 'own', now)).toEqual([]);
  });
});

describe('the open alerts of a run that ends cancelled or rejected', () => {
  /** A leaver whose cut-off failed with an error a retry cannot fix: needs_attention, one open alert. */
  async function stuckLeaver(engine: MemoryEngine) {
    const { run, message } = await queuedLeaver(engine);
    engine.invoker.answer('forward.event', { ok: false, error: { message: '403 from the receiver', retryable: false } });
    expect(await dispatchStep(engine.deps, message, 1)).toBe('needs_attention');
    expect(await listAlerts(engine.deps, 'open')).toHaveLength(1);
    return run;
  }

  it("are resolved by an operator's cancel, saying who cancelled it", async () => {
    const engine = memoryEngine();
    const run = await stuckLeaver(engine);
    await operatorCancel(engine.deps, run.runId, 'ops@example.com');
    expect(await listAlerts(engine.deps, 'open')).toEqual([]);
    expect(await listAlerts(engine.deps, 'resolved')).toEqual([
      expect.objectContaining({ runId: run.runId, status: 'resolved', resolvedAt: '2026-11-30T08:00:00.000Z', resolution: 'run cancelled by an operator (ops@example.com)' }),
    ]);
  });

  it("are resolved by HR's cancel event, naming it; a second cancel keeps the first resolution", async () => {
    const engine = memoryEngine();
    const run = await stuckLeaver(engine);
    const cancel = { eventId: 'hr-cancel-1', type: 'cancel' as const, cancels: 'hr-7781' };
    expect((await intake(engine.deps, cancel, JSON.stringify(cancel))).outcome).toBe('created');
    expect(await listAlerts(engine.deps, 'open')).toEqual([]);
    expect((await listAlerts(engine.deps, 'resolved'))[0].resolution).toBe('run cancelled by event hr-cancel-1 (hr-event)');
    await operatorCancel(engine.deps, run.runId, 'ops@example.com');
    expect((await listAlerts(engine.deps, 'resolved'))[0].resolution).toBe('run cancelled by event hr-cancel-1 (hr-event)');
  });

  it('are resolved when a termination stops a hire whose step waits for an operator', async () => {
    const engine = engineWith();
    const hire = await hireInProgress(engine);
    const message = engine.queue.sent.find((s) => s.message.runId === hire.runId)!.message;
    engine.invoker.answer('forward.event', { ok: false, error: { message: '403 from the directory', retryable: false } });
    expect(await dispatchStep(engine.deps, message, 1)).toBe('needs_attention');
    await accept(engine, terminateEvent({ eventId: 'leave-now', urgent: true }));
    expect(await listAlerts(engine.deps, 'open')).toEqual([]);
    expect((await listAlerts(engine.deps, 'resolved'))[0]).toMatchObject({
      runId: hire.runId,
      resolution: 'run cancelled by the termination of event leave-now: its steps not started will not run (hr-event)',
    });
  });

  it('are resolved when an operator rejects the quarantine, with the reason', async () => {
    const engine = engineWith({ massChange: { threshold: 1, windowMinutes: 60 } });
    await accept(engine, terminateEvent({ eventId: 'leave-1', effectiveDate: '2026-12-15' }));
    const held = await accept(engine, terminateEvent({ eventId: 'leave-2', effectiveDate: '2026-12-15', employee: { ...terminateEvent().employee, id: 'E200' } }));
    expect(held.status).toBe('quarantined');
    const alert = { alertId: `${held.runId}:forward-event:1`, raisedAt: '2026-11-30T08:00:00.000Z', employeeId: 'E200', runId: held.runId, stepId: 'forward-event', action: 'forward.event', attempts: 1, providerAnswer: 'x', message: 'x', whatToDo: 'x', status: 'open' as const };
    await engine.store.putAlert(alert);
    await updateRun(engine.deps, 'E200', held.runId, (run) => ({ run: { ...run, steps: run.steps.map((s) => ({ ...s, alertId: alert.alertId })) }, value: null }));
    expect(await operatorRejectQuarantine(engine.deps, 1, 'a faulty feed', 'ops@example.com')).toMatchObject({ ok: true, decision: 'rejected' });
    expect((await listAlerts(engine.deps, 'resolved')).find((a) => a.alertId === alert.alertId)?.resolution).toBe('rejected in quarantine by an operator (ops@example.com): a faulty feed');
  });

  it("are resolved by an operator's rejection, with the reason", async () => {
    const engine = engineWith({ approveHires: true });
    const hire = await accept(engine, hireEvent());
    expect(hire.status).toBe('awaiting_approval');
    // An alert raised about the run while it waits (as a role's plan alert would be).
    const alert = { alertId: `${hire.runId}:create-user:1`, raisedAt: '2026-11-30T08:00:00.000Z', employeeId: 'E100', runId: hire.runId, stepId: 'create-user', action: 'forward.event', attempts: 1, providerAnswer: 'x', message: 'x', whatToDo: 'x', status: 'open' as const };
    await engine.store.putAlert(alert);
    await updateRun(engine.deps, 'E100', hire.runId, (run) => ({ run: { ...run, steps: run.steps.map((s) => (s.stepId === 'create-user' ? { ...s, alertId: alert.alertId } : s)) }, value: null }));
    await operatorReject(engine.deps, hire.runId, hire.approval!.planHash, 'not this person', 'ops@example.com');
    expect(await listAlerts(engine.deps, 'open')).toEqual([]);
    expect((await listAlerts(engine.deps, 'resolved'))[0].resolution).toBe('plan rejected by an operator (ops@example.com): not this person');
  });
});
