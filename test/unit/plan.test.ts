import { parsePlaybooks, playbooks, playbooksForSet } from '../../config/playbooks';
import { loadStageConfig } from '../../config/stages';
import { runIdFor } from '../../lambdas/engine/ids';
import { formerEmployment, pendingTermination, planRehireRun, planRun } from '../../lambdas/engine/plan';
import type { Run } from '../../lambdas/engine/model';
import type { RestoreRule } from '../../lambdas/engine/restore';
import { isKnownAction, priorityOf } from '../../lambdas/actions/catalog';
import { settings, terminateEvent } from '../support/builders';

const now = new Date('2026-11-23T10:00:00Z');

const playbook = parsePlaybooks({
  hire: { steps: [{ id: 'create', action: 'google.createUser', offsetDays: -3, at: '10:00' }] },
  role_change: { steps: [] },
  terminate: {
    steps: [
      { id: 'sign-out', action: 'google.signOut', cutoff: true },
      { id: 'transfer', action: 'google.transferDrive', offsetDays: 1, at: '09:00' },
      { id: 'suspend', action: 'google.suspendUser', offsetDays: 30, at: '09:00', after: ['transfer'] },
      { id: 'delete', action: 'google.deleteUser', offsetDays: 180, enabled: false, after: ['suspend'] },
    ],
  },
});

describe('planRun', () => {
  it('plans the cut-off at the end of the last day in the employee zone', () => {
    const run = planRun(terminateEvent(), playbook, now, settings);
    expect(run.steps.find((s) => s.stepId === 'sign-out')?.dueAt).toBe('2026-11-30T23:00:00.000Z');
  });

  it('plans offset steps at their local time on their day', () => {
    const run = planRun(terminateEvent(), playbook, now, settings);
    expect(run.steps.map((s) => [s.stepId, s.dueAt])).toEqual([
      ['sign-out', '2026-11-30T23:00:00.000Z'],
      ['transfer', '2026-12-01T08:00:00.000Z'],
      ['suspend', '2026-12-30T08:00:00.000Z'],
    ]);
  });

  it('leaves disabled steps out of the run', () => {
    const run = planRun(terminateEvent(), playbook, now, settings);
    expect(run.steps.map((s) => s.stepId)).not.toContain('delete');
  });

  it('makes an urgent leaver cut-off due now', () => {
    const run = planRun(terminateEvent({ urgent: true }), playbook, now, settings);
    expect(run.steps[0].dueAt).toBe(now.toISOString());
    expect(run.dueAt).toBe(now.toISOString());
  });

  it('plans a hire relative to the first day', () => {
    const run = planRun(terminateEvent({ type: 'hire', effectiveDate: '2026-12-07', eventId: 'h1' }), playbook, now, settings);
    expect(run.steps[0]).toMatchObject({ stepId: 'create', dueAt: '2026-12-04T09:00:00.000Z', status: 'pending', attempts: 0 });
  });

  it('starts scheduled, on a due shard, at its earliest ready step', () => {
    const run = planRun(terminateEvent(), playbook, now, settings);
    expect(run.status).toBe('scheduled');
    expect(run.version).toBe(0);
    expect([0, 1, 2, 3]).toContain(run.dueShard);
    // The suspension waits for the transfer, so only the cut-off and the transfer can wake the run.
    expect(run.dueAt).toBe('2026-11-30T23:00:00.000Z');
  });

  it('derives the run id from the event id, so a repeat names the same run', () => {
    const a = planRun(terminateEvent(), playbook, now, settings);
    const b = planRun(terminateEvent(), playbook, new Date('2026-11-24T00:00:00Z'), settings);
    expect(a.runId).toBe(b.runId);
    expect(a.runId).toBe(runIdFor('hr-7781'));
    expect(runIdFor('hr-7782')).not.toBe(a.runId);
  });

  it('plans the default playbooks for every planned type, naming only catalog actions', () => {
    for (const type of ['hire', 'role_change', 'terminate'] as const) {
      const run = planRun(terminateEvent({ type, eventId: `e-${type}` }), playbooks, now, settings);
      expect(run.steps.length).toBeGreaterThan(0);
      expect(run.steps.filter((s) => !isKnownAction(s.action))).toEqual([]);
    }
  });

  it('the default leaver playbook cuts access at the cut-off and suspends only after what needs a live mailbox', () => {
    const run = planRun(terminateEvent(), playbooks, now, settings);
    const cutoff = '2026-11-30T23:00:00.000Z';
    const at = (id: string) => run.steps.find((s) => s.stepId === id);
    for (const id of ['sign-out', 'reset-password', 'revoke-tokens', 'remove-from-groups', 'remove-connect-agent', 'forward-event']) {
      expect(at(id)?.dueAt).toBe(cutoff);
    }
    expect(at('transfer-data')?.dueAt).toBe('2026-12-01T08:00:00.000Z');
    expect(at('suspend-user')?.after).toEqual(expect.arrayContaining(['set-auto-reply', 'delegate-to-manager', 'invalidate-backup-codes', 'transfer-data']));
    // Licenses go after the move to the offboarding org unit: where automatic licensing covers the user, Google refuses
    // to revoke them, and an org unit with it turned off is how an admin lets them go.
    expect(at('remove-licenses')?.after).toEqual(expect.arrayContaining(['suspend-user', 'transfer-data', 'move-to-org-unit']));
    expect(at('delete-user')).toBeUndefined();
    expect(at('turn-off-two-step')).toBeUndefined();
  });

  it('removes the Connect agent only after the offline step, so the removal never deletes the agent under its PutUserStatus', () => {
    const run = planRun(terminateEvent(), playbooks, now, settings);
    expect(run.steps.find((s) => s.stepId === 'remove-connect-agent')?.after).toEqual(expect.arrayContaining(['connect-agent-offline']));
  });

  it('plans the sole-owner handover a day before the cut-off, and the removals that would orphan what it hands over wait for it', () => {
    const run = planRun(terminateEvent(), playbooks, now, settings);
    const at = (id: string) => run.steps.find((s) => s.stepId === id);
    for (const id of ['handover-shared-drives', 'handover-groups', 'handover-calendars', 'check-sole-served-queues']) expect(at(id)?.dueAt).toBe('2026-11-29T23:00:00.000Z');
    expect(at('remove-from-groups')?.after).toEqual(['handover-groups']);
    expect(at('remove-connect-agent')?.after).toEqual(expect.arrayContaining(['check-sole-served-queues']));
    expect(at('suspend-user')?.after).toEqual(expect.arrayContaining(['handover-shared-drives', 'handover-calendars']));
    // Nothing of the lockout waits for a handover.
    for (const id of ['sign-out', 'reset-password', 'revoke-tokens', 'delete-app-passwords', 'connect-agent-offline']) expect(at(id)?.after).toEqual([]);
  });

  it('plans a handover of an urgent leaver at once with the cut-off: the lockout is taken first by its class', () => {
    const run = planRun(terminateEvent({ urgent: true }), playbooks, now, settings);
    const at = (id: string) => run.steps.find((s) => s.stepId === id);
    expect(at('handover-groups')?.dueAt).toBe(now.toISOString());
    expect(at('sign-out')?.dueAt).toBe(now.toISOString());
    expect([priorityOf('google.handOverGroups'), priorityOf('google.handOverSharedDrives'), priorityOf('connect.checkSoleServedQueues')]).toEqual(['protect', 'protect', 'protect']);
    expect(priorityOf('google.signOut')).toBe('lockout');
  });
});

describe('parsePlaybooks', () => {
  it.each([
    [{ steps: [{ id: 'a', action: 'x.y', after: ['b'] }] }, 'terminate.steps.0.after.0: unknown step b'],
    [{ steps: [{ id: 'a', action: 'x.y' }, { id: 'a', action: 'x.z' }] }, 'terminate.steps.1.id: duplicate step id a'],
    [{ steps: [{ id: 'a', action: 'x.y', at: '25:00' }] }, 'terminate.steps.0.at: must be HH:MM (24 h)'],
    [{ steps: [{ id: 'a', action: 'noprovider' }] }, 'terminate.steps.0.action: must be provider.actionName'],
    [{ steps: [{ id: 'restore-groups', action: 'x.y' }] }, 'terminate.steps.0.id: must not start with restore-, which names restore steps'],
    [{ steps: [{ id: 'a', action: 'x.y', cutoff: true, offsetDays: 1 }] }, 'terminate.steps.0.offsetDays: must be 0 or negative on a cut-off step: days before the cut-off'],
  ])('rejects a bad playbook naming the field (%#)', (terminate, message) => {
    expect(() => parsePlaybooks({ hire: { steps: [] }, role_change: { steps: [] }, terminate })).toThrow(message);
  });
});

describe('playbook sets per stage', () => {
  it.each(['local', 'dev', 'prod'])('stage %s names a set that exists', (stage) => {
    expect(() => playbooksForSet(loadStageConfig(stage).playbookSet)).not.toThrow();
  });

  it('an unknown set is refused by name', () => {
    expect(() => playbooksForSet('nope')).toThrow('unknown playbook set "nope"');
  });
});

describe('the hire of a former employee', () => {
  const rules: Record<string, RestoreRule> = {
    'google.suspendUser': { restoredBy: 'google.unsuspendUser', phase: 1, onRehire: true },
  };
  const left = (overrides: Partial<Run> = {}): Run => {
    const run = planRun(terminateEvent({ eventId: 'leave-1', effectiveDate: '2026-06-30' }), playbook, new Date('2026-06-01T10:00:00Z'), settings);
    return {
      ...run,
      status: 'completed',
      steps: run.steps.map((s) => ({ ...s, status: 'succeeded', finishedAt: s.dueAt, ...(s.action === 'google.suspendUser' ? { result: { removed: { suspended: false } } } : {}) })),
      ...overrides,
    };
  };
  const hire = (overrides: Partial<Parameters<typeof planRun>[0]> = {}) => terminateEvent({ eventId: 'back-1', type: 'hire', effectiveDate: '2026-12-07', ...overrides });

  it('restores what the termination removed when the new employment starts, besides the hire playbook', () => {
    const former = left();
    const run = planRehireRun(hire(), playbook, former, now, settings, (a) => rules[a]);
    expect(run.restoresRunId).toBe(former.runId);
    expect(run.steps.map((s) => [s.stepId, s.action, s.dueAt])).toEqual([
      // Midnight of 7 December in Berlin.
      ['restore-suspend', 'google.unsuspendUser', '2026-12-06T23:00:00.000Z'],
      ['create', 'google.createUser', '2026-12-04T09:00:00.000Z'],
    ]);
    expect(run.steps[0].params).toEqual({ result: { removed: { suspended: false } } });
  });

  it('restores at once when the start date is past, and acts on the former account when the hire names none', () => {
    const { email: _e, ...noEmail } = hire().employee;
    const run = planRehireRun(hire({ effectiveDate: '2026-11-01', employee: noEmail }), playbook, left(), now, settings, (a) => rules[a]);
    expect(run.steps[0].dueAt).toBe(now.toISOString());
    expect(run.employee.email).toBe('ada.lovelace@example.com');
  });

  it('finds the latest termination that nothing has undone', () => {
    const first = left({ runId: 'r-old', createdAt: '2025-01-01T00:00:00.000Z' });
    const second = left({ runId: 'r-new', createdAt: '2026-06-01T10:00:00.000Z' });
    expect(formerEmployment([first, second], 'r-hire')?.runId).toBe('r-new');
    const cancel = { ...left(), runId: 'r-cancel', type: 'cancel' as const, cancelsRunId: 'r-new', createdAt: '2026-06-02T00:00:00.000Z' };
    expect(formerEmployment([first, second, cancel], 'r-hire')?.runId).toBe('r-old');
  });

  it('takes a termination that has not run for no former job: a hire must not undo it, a cancel does', () => {
    const planned = left({ runId: 'r-planned', status: 'scheduled', steps: left().steps.map((s) => ({ ...s, status: 'pending' as const })) });
    expect(formerEmployment([planned], 'r-hire')).toBeUndefined();
    expect(pendingTermination([planned], 'r-hire')?.runId).toBe('r-planned');
    // Once one cut-off step ran, the employee has left: a hire is a rehire, nothing is pending.
    const started = { ...planned, status: 'in_progress' as const, steps: planned.steps.map((s, i) => (i === 0 ? { ...s, status: 'succeeded' as const } : s)) };
    expect(formerEmployment([started], 'r-hire')?.runId).toBe('r-planned');
    expect(pendingTermination([started], 'r-hire')).toBeUndefined();
    // Cancelled, it is neither.
    const cancel = { ...left(), runId: 'r-cancel', type: 'cancel' as const, cancelsRunId: 'r-planned', createdAt: '2026-06-02T00:00:00.000Z' };
    expect(pendingTermination([planned, cancel], 'r-hire')).toBeUndefined();
    expect(formerEmployment([planned, cancel], 'r-hire')).toBeUndefined();
  });

  it('finds none when a later hire already brought the employee back, or there was no termination', () => {
    const former = left({ runId: 'r-left', createdAt: '2026-06-01T10:00:00.000Z' });
    const backBefore = { ...left(), runId: 'r-back', type: 'hire' as const, restoresRunId: 'r-left', createdAt: '2026-07-01T00:00:00.000Z' };
    expect(formerEmployment([former, backBefore], 'r-hire')).toBeUndefined();
    // The same hire planned again (a repeat after a crash) still finds what it restores.
    expect(formerEmployment([former, backBefore], 'r-back')?.runId).toBe('r-left');
    expect(formerEmployment([{ ...backBefore, restoresRunId: undefined }], 'r-hire')).toBeUndefined();
  });
});
