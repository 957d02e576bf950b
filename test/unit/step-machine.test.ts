import { parsePlaybooks } from '../../config/playbooks';
import type { Run } from '../../lambdas/engine/model';
import { planRun } from '../../lambdas/engine/plan';
import {
  approveRun,
  cancelRun,
  holdForApproval,
  rejectRun,
  claimStep,
  confirmAccount,
  deriveRunStatus,
  markNeedsAttention,
  recordDeferred,
  recordRetryableFailure,
  recordSuccess,
  releaseDue,
  retryStep,
  skipStep,
  TransitionError,
} from '../../lambdas/engine/step-machine';
import { settings, terminateEvent } from '../support/builders';

const planned = new Date('2026-11-23T10:00:00Z');
const playbook = parsePlaybooks({
  hire: { steps: [] },
  role_change: { steps: [] },
  terminate: {
    steps: [
      { id: 'sign-out', action: 'google.signOut', cutoff: true },
      { id: 'delegate', action: 'google.delegate', cutoff: true },
      { id: 'suspend', action: 'google.suspend', cutoff: true, after: ['delegate'] },
      { id: 'later', action: 'google.later', offsetDays: 30 },
    ],
  },
});

const at = (iso: string) => new Date(iso);
const urgentRun = () => planRun(terminateEvent({ urgent: true }), playbook, planned, settings);
const status = (run: Run, id: string) => run.steps.find((s) => s.stepId === id)?.status;

describe('releaseDue', () => {
  it('queues due steps whose dependencies are done, and nothing else', () => {
    const { run, enqueue } = releaseDue(urgentRun(), planned, settings);
    expect(enqueue).toEqual(['sign-out', 'delegate']);
    expect(status(run, 'suspend')).toBe('pending');
    expect(status(run, 'later')).toBe('pending');
    expect(run.status).toBe('in_progress');
  });

  it('queues nothing before the cut-off', () => {
    const run = planRun(terminateEvent(), playbook, planned, settings);
    expect(releaseDue(run, at('2026-11-30T22:59:59Z'), settings).enqueue).toEqual([]);
    expect(releaseDue(run, at('2026-11-30T23:00:00Z'), settings).enqueue).toEqual(['sign-out', 'delegate']);
  });

  it('catches up on everything overdue at once after a missed sweep', () => {
    const run = planRun(terminateEvent(), playbook, planned, settings);
    expect(releaseDue(run, at('2027-02-01T00:00:00Z'), settings).enqueue).toEqual(['sign-out', 'delegate', 'later']);
  });

  it('does not queue an already queued step again until it has been quiet for requeueAfterSeconds', () => {
    const first = releaseDue(urgentRun(), planned, settings).run;
    expect(releaseDue(first, at('2026-11-23T10:01:59Z'), settings).enqueue).toEqual([]);
    expect(releaseDue(first, at('2026-11-23T10:02:00Z'), settings).enqueue).toEqual(['sign-out', 'delegate']);
  });

  it('keeps a queued step in the due index only as a safety net', () => {
    const { run } = releaseDue(urgentRun(), planned, settings);
    expect(run.dueAt).toBe('2026-11-23T10:02:00.000Z');
  });

  it('queues nothing on a cancelled run', () => {
    const run = cancelRun(urgentRun(), planned, settings);
    expect(releaseDue(run, at('2027-01-01T00:00:00Z'), settings).enqueue).toEqual([]);
    expect(run.dueAt).toBeUndefined();
  });
});

describe('claim and record', () => {
  const queued = () => releaseDue(urgentRun(), planned, settings).run;
  const t1 = at('2026-11-23T10:00:05Z');

  it('claims a queued step with a lease and counts the attempt', () => {
    const c = claimStep(queued(), 'sign-out', t1, 30, 'tok-a', settings);
    expect(c.outcome).toBe('claimed');
    expect(c.step).toMatchObject({ status: 'running', attempts: 1, leaseToken: 'tok-a', leaseUntil: '2026-11-23T10:00:35.000Z' });
  });

  it('answers busy to a second delivery while the lease is live', () => {
    const c = claimStep(queued(), 'sign-out', t1, 30, 'tok-a', settings);
    expect(claimStep(c.run, 'sign-out', at('2026-11-23T10:00:20Z'), 30, 'tok-b', settings).outcome).toBe('busy');
  });

  it('lets another worker take over once the lease has run out', () => {
    const c = claimStep(queued(), 'sign-out', t1, 30, 'tok-a', settings);
    const again = claimStep(c.run, 'sign-out', at('2026-11-23T10:00:36Z'), 30, 'tok-b', settings);
    expect(again.outcome).toBe('claimed');
    expect(again.step.attempts).toBe(2);
  });

  it('discards the result of a worker whose lease was taken over', () => {
    const c = claimStep(queued(), 'sign-out', t1, 30, 'tok-a', settings);
    const taken = claimStep(c.run, 'sign-out', at('2026-11-23T10:00:36Z'), 30, 'tok-b', settings).run;
    const late = recordSuccess(taken, 'sign-out', 'tok-a', at('2026-11-23T10:00:40Z'), {}, settings);
    expect(late.run).toBe(taken);
    expect(status(late.run, 'sign-out')).toBe('running');
  });

  it.each(['succeeded', 'skipped', 'cancelled', 'needs_attention'] as const)('drops a delivery for a %s step', (final) => {
    const run = queued();
    const done: Run = { ...run, steps: run.steps.map((s) => (s.stepId === 'sign-out' ? { ...s, status: final } : s)) };
    expect(claimStep(done, 'sign-out', t1, 30, 'tok', settings).outcome).toBe('nothing_to_do');
  });

  it('releases the steps waiting on a success', () => {
    const c = claimStep(queued(), 'delegate', t1, 30, 'tok', settings);
    const done = recordSuccess(c.run, 'delegate', 'tok', t1, { result: { delegates: ['m@example.com'] } }, settings);
    expect(done.enqueue).toEqual(['suspend']);
    const step = done.run.steps.find((s) => s.stepId === 'delegate');
    expect(step).toMatchObject({ status: 'succeeded', result: { delegates: ['m@example.com'] } });
    expect(step?.leaseToken).toBeUndefined();
  });

  it('puts a retryable failure back in the queue with its error', () => {
    const c = claimStep(queued(), 'sign-out', t1, 30, 'tok', settings);
    const failed = recordRetryableFailure(c.run, 'sign-out', 'tok', t1, { message: '503', retryable: true }, settings);
    expect(failed.steps[0]).toMatchObject({ status: 'queued', lastError: { message: '503' }, attempts: 1 });
    expect(failed.steps[0].leaseUntil).toBeUndefined();
  });

  it('hands a step to an operator, clears its retry state and keeps what it failed with', () => {
    const c = claimStep(queued(), 'sign-out', t1, 30, 'tok', settings);
    const failed = recordRetryableFailure(c.run, 'sign-out', 'tok', t1, { message: '503', retryable: true }, settings);
    const attention = markNeedsAttention(failed, 'sign-out', t1, 'alert-1', settings);
    expect(attention.steps[0]).toMatchObject({ status: 'needs_attention', alertId: 'alert-1', lastError: { message: '503', retryable: true } });
    expect(attention.steps[0].queuedAt).toBeUndefined();
    expect(attention.status).toBe('needs_attention');
  });
});

describe('operator changes', () => {
  const attention = () => markNeedsAttention(releaseDue(urgentRun(), planned, settings).run, 'delegate', planned, 'a1', settings);

  it('retries a step that needs attention with a fresh count', () => {
    const { run, enqueue } = retryStep(attention(), 'delegate', planned, settings);
    expect(enqueue).toEqual(['delegate']);
    expect(run.steps.find((s) => s.stepId === 'delegate')).toMatchObject({ status: 'queued', attempts: 0 });
    expect(run.status).toBe('in_progress');
  });

  it('counts each retry, so the next failure is a new episode', () => {
    const once = retryStep(attention(), 'delegate', planned, settings).run;
    const again = markNeedsAttention(once, 'delegate', planned, 'a2', settings, { message: '403', retryable: false });
    const twice = retryStep(again, 'delegate', planned, settings).run;
    expect(twice.steps.find((s) => s.stepId === 'delegate')?.retries).toBe(2);
  });

  it('refuses to retry a step that does not need attention', () => {
    expect(() => retryStep(attention(), 'sign-out', planned, settings)).toThrow(TransitionError);
  });

  it('skipping a step lets its dependents run', () => {
    const { run, enqueue } = skipStep(attention(), 'delegate', planned, settings);
    expect(status(run, 'delegate')).toBe('skipped');
    expect(enqueue).toEqual(['suspend']);
  });

  it('refuses to skip a step that already succeeded', () => {
    const run = attention();
    const done: Run = { ...run, steps: run.steps.map((s) => (s.stepId === 'sign-out' ? { ...s, status: 'succeeded' } : s)) };
    expect(() => skipStep(done, 'sign-out', planned, settings)).toThrow('only pending, queued or needs_attention steps can be skipped');
  });

  it('cancelling cancels what has not started and leaves the due index', () => {
    const run = cancelRun(attention(), planned, settings);
    expect(run.status).toBe('cancelled');
    expect(run.steps.map((s) => s.status)).toEqual(['cancelled', 'cancelled', 'cancelled', 'cancelled']);
    expect(run.dueShard).toBeUndefined();
  });

  it('refuses to cancel a completed run', () => {
    const run = urgentRun();
    const completed: Run = { ...run, status: 'completed', steps: run.steps.map((s) => ({ ...s, status: 'succeeded' })) };
    expect(() => cancelRun(completed, planned, settings)).toThrow('already completed');
  });
});

describe('deriveRunStatus', () => {
  const withStatuses = (...statuses: Run['steps'][number]['status'][]) => {
    const run = urgentRun();
    return { ...run, steps: run.steps.slice(0, statuses.length).map((s, i) => ({ ...s, status: statuses[i] })) };
  };
  it.each([
    [['pending', 'pending'], 'scheduled'],
    [['queued', 'pending'], 'in_progress'],
    [['succeeded', 'pending'], 'in_progress'],
    [['succeeded', 'skipped'], 'completed'],
    [['succeeded', 'cancelled'], 'completed'],
    [['needs_attention', 'running'], 'needs_attention'],
  ] as const)('%j gives %s', (statuses, expected) => {
    expect(deriveRunStatus(withStatuses(...statuses))).toBe(expected);
  });
});

describe('recordDeferred ("not yet, check again at T")', () => {
  const t1 = at('2026-11-23T10:00:05Z');
  const claimed = () => claimStep(releaseDue(urgentRun(), planned, settings).run, 'sign-out', t1, 30, 'tok', settings).run;

  it('keeps a step queued with a delayed message when the check is within 15 minutes', () => {
    const d = recordDeferred(claimed(), 'sign-out', 'tok', t1, { checkAgainAt: '2026-11-23T10:01:05Z', progress: { transferId: 't-1' }, note: 'transfer in progress' }, settings);
    expect(d.enqueue).toEqual(['sign-out']);
    expect(d.delaySeconds).toBe(60);
    expect(d.run.steps[0]).toMatchObject({ status: 'queued', progress: { transferId: 't-1' }, note: 'transfer in progress', attempts: 1 });
    expect(d.run.steps[0].leaseToken).toBeUndefined();
  });

  it('hands a later check to the sweep through the due index', () => {
    const d = recordDeferred(claimed(), 'sign-out', 'tok', t1, { checkAgainAt: '2026-11-23T12:00:00Z' }, settings);
    expect(d.enqueue).toEqual([]);
    expect(d.run.steps[0]).toMatchObject({ status: 'pending', dueAt: '2026-11-23T12:00:00Z' });
  });

  it('is not a failure: no error is kept and the run is still in progress', () => {
    const d = recordDeferred(claimed(), 'sign-out', 'tok', t1, { checkAgainAt: '2026-11-23T10:01:05Z' }, settings);
    expect(d.run.steps[0].lastError).toBeUndefined();
    expect(d.run.status).toBe('in_progress');
  });

  it('clears the progress once the step succeeds', () => {
    const d = recordDeferred(claimed(), 'sign-out', 'tok', t1, { checkAgainAt: '2026-11-23T10:01:05Z', progress: { transferId: 't-1' } }, settings);
    const again = claimStep(d.run, 'sign-out', at('2026-11-23T10:01:06Z'), 30, 'tok2', settings);
    const done = recordSuccess(again.run, 'sign-out', 'tok2', at('2026-11-23T10:01:07Z'), { result: { transferred: true } }, settings);
    expect(done.run.steps[0].progress).toBeUndefined();
    expect(done.run.steps[0]).toMatchObject({ status: 'succeeded', attempts: 2, result: { transferred: true } });
  });
});

describe('a failure that learnt something', () => {
  it('hands its progress to the next attempt and keeps it out of the error', () => {
    const t1 = at('2026-11-23T10:00:05Z');
    const claimed = claimStep(releaseDue(urgentRun(), planned, settings).run, 'sign-out', t1, 30, 'tok', settings).run;
    const failed = recordRetryableFailure(claimed, 'sign-out', 'tok', t1, { message: '500', retryable: true, progress: { snapshot: { userId: 'u1' } } }, settings);
    expect(failed.steps[0].progress).toEqual({ snapshot: { userId: 'u1' } });
    expect(failed.steps[0].lastError).toEqual({ message: '500', retryable: true });
  });

  it('keeps the progress of a failure a retry cannot fix, merged with what earlier attempts learnt, for the retry an operator triggers', () => {
    const t1 = at('2026-11-23T10:00:05Z');
    const claimed = claimStep(releaseDue(urgentRun(), planned, settings).run, 'sign-out', t1, 30, 'tok', settings).run;
    const failed = recordRetryableFailure(claimed, 'sign-out', 'tok', t1, { message: '500', retryable: true, progress: { added: ['a@example.com'] } }, settings);
    const again = claimStep(failed, 'sign-out', t1, 30, 'tok2', settings).run;
    const attention = markNeedsAttention(again, 'sign-out', t1, 'a1', settings, { message: 'no room', retryable: false, progress: { removed: ['b@example.com'] } });
    expect(attention.steps[0]).toMatchObject({ status: 'needs_attention', progress: { added: ['a@example.com'], removed: ['b@example.com'] }, lastError: { message: 'no room', retryable: false } });
    expect(attention.steps[0].lastError).not.toHaveProperty('progress');
    const retried = retryStep(attention, 'sign-out', t1, settings).run;
    expect(retried.steps[0]).toMatchObject({ status: 'queued', progress: { added: ['a@example.com'], removed: ['b@example.com'] } });
  });
});

describe('the approval gate', () => {
  const held = () => holdForApproval(urgentRun(), 'stage setting approveHires', settings);

  it('holds a planned run: nothing is due, nothing is queued, the sweep does not see it', () => {
    const run = held();
    expect(run.status).toBe('awaiting_approval');
    expect(run.approval?.planHash).toMatch(/^[0-9a-f]{32}$/);
    expect(run.dueAt).toBeUndefined();
    expect(run.dueShard).toBeUndefined();
    expect(releaseDue(run, at('2027-01-01T00:00:00Z'), settings).enqueue).toEqual([]);
    expect(() => skipStep(run, 'sign-out', planned, settings)).toThrow(TransitionError);
  });

  it('approving the plan shown schedules it and queues what is due', () => {
    const run = held();
    const { run: approved, enqueue } = approveRun(run, run.approval!.planHash, 'ops@example.com', planned, settings);
    expect(enqueue).toEqual(['sign-out', 'delegate']);
    expect(approved.status).toBe('in_progress');
    expect(approved.approval).toMatchObject({ decision: 'approved', decidedBy: 'ops@example.com', decidedAt: planned.toISOString() });
    expect(approved.steps.map((s) => [s.stepId, s.action, s.dueAt])).toEqual(run.steps.map((s) => [s.stepId, s.action, s.dueAt]));
  });

  it('refuses a plan hash that is not the plan held, and a second decision', () => {
    const run = held();
    expect(() => approveRun(run, 'f'.repeat(32), 'ops', planned, settings)).toThrow(/read the run again/);
    const other = holdForApproval({ ...urgentRun(), steps: urgentRun().steps.slice(1) }, 'x', settings);
    expect(other.approval!.planHash).not.toBe(run.approval!.planHash);
    const { run: approved } = approveRun(run, run.approval!.planHash, 'ops', planned, settings);
    expect(() => approveRun(approved, run.approval!.planHash, 'ops', planned, settings)).toThrow(/not awaiting approval/);
  });

  it('rejecting ends the run with every step cancelled and the reason on record', () => {
    const run = held();
    const rejected = rejectRun(run, run.approval!.planHash, 'ops', 'wrong role', planned, settings);
    expect(rejected.status).toBe('rejected');
    expect(rejected.steps.every((s) => s.status === 'cancelled')).toBe(true);
    expect(rejected.approval).toMatchObject({ decision: 'rejected', reason: 'wrong role' });
    expect(rejected.dueAt).toBeUndefined();
    expect(cancelRun(rejected, planned, settings)).toBe(rejected);
  });
});

describe('confirmAccount', () => {
  const t = at('2026-11-23T10:05:00Z');
  const held = () => {
    let run = releaseDue(urgentRun(), planned, settings).run;
    const ada = { system: 'google' as const, account: 'ada.lovelace@example.com' };
    run = markNeedsAttention(run, 'sign-out', planned, 'a1', settings, { message: 'protected account', retryable: false, hold: 'protected', heldAccount: ada });
    return markNeedsAttention(run, 'delegate', planned, 'a2', settings, { message: 'unbound account', retryable: false, hold: 'unbound', heldAccount: ada });
  };
  const confirmation = (confirms: 'adopt' | 'protected') => ({ system: 'google' as const, account: 'ada.lovelace@example.com', confirms, by: 'ops', at: t.toISOString() });

  it('keeps the confirmation on the run and queues only the steps held for that reason', () => {
    const out = confirmAccount(held(), confirmation('protected'), t, settings);
    expect(out.enqueue).toEqual(['sign-out']);
    expect(status(out.run, 'sign-out')).toBe('queued');
    expect(out.run.steps.find((s) => s.stepId === 'sign-out')?.hold).toBeUndefined();
    expect(status(out.run, 'delegate')).toBe('needs_attention');
    expect(out.run.accountConfirmations).toEqual([confirmation('protected')]);
  });

  it('refuses a confirmation naming another account or system than the held step waits about', () => {
    expect(() => confirmAccount(held(), { ...confirmation('protected'), account: 'grace.hopper@example.com' }, t, settings)).toThrow('no step of run');
    expect(() => confirmAccount(held(), { ...confirmation('protected'), system: 'connect' }, t, settings)).toThrow(TransitionError);
  });

  it('refuses a confirmation no held step waits for, and on a run that is held as a whole', () => {
    const once = confirmAccount(held(), confirmation('adopt'), t, settings).run;
    expect(() => confirmAccount(once, confirmation('adopt'), t, settings)).toThrow(TransitionError);
    expect(() => confirmAccount({ ...held(), status: 'cancelled' }, confirmation('protected'), t, settings)).toThrow('is cancelled');
  });
});
