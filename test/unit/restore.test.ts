import type { Run, Step } from '../../lambdas/engine/model';
import { laterRoleRun, planRestoreSteps, restoreNotes, type RestoreRule } from '../../lambdas/engine/restore';
import { planCancelRun } from '../../lambdas/engine/plan';
import { settings } from '../support/builders';
import { restoreRuleFor } from '../../lambdas/actions/catalog';

const step = (stepId: string, action: string, status: Step['status'], result?: Record<string, unknown>, finishedAt?: string): Step => ({
  stepId,
  action,
  params: {},
  status,
  dueAt: '2026-11-30T23:00:00.000Z',
  after: [],
  attempts: 1,
  result,
  ...(finishedAt ? { finishedAt } : {}),
});

const rules: Record<string, RestoreRule> = {
  'p.removeGroups': { restoredBy: 'p.restoreGroups', phase: 2, onRehire: true },
  'p.suspend': { restoredBy: 'p.unsuspend', phase: 1, onRehire: true },
  'p.delete': { restoredBy: 'p.undelete', phase: 0, onRehire: true },
  'p.delegateToManager': { restoredBy: 'p.restoreDelegates', phase: 2, onRehire: true },
  'p.removeDelegation': { restoredBy: 'p.restoreDelegates', phase: 2, onRehire: true },
  'p.removeForwarding': { restoredBy: 'p.restoreForwarding', phase: 2, onRehire: false },
};

describe('planRestoreSteps', () => {
  const now = '2026-12-02T10:00:00.000Z';
  const plan = (steps: Step[]) => planRestoreSteps(steps, (a) => rules[a], now);

  it('undoes each removal that ran, from what it recorded, due now', () => {
    const groups = { removed: { groups: [{ groupKey: 'eng@example.com', role: 'MANAGER' }] } };
    const [restore] = plan([step('remove-from-groups', 'p.removeGroups', 'succeeded', groups)]);
    expect(restore).toEqual({
      stepId: 'restore-remove-from-groups',
      action: 'p.restoreGroups',
      params: { result: groups },
      status: 'pending',
      dueAt: now,
      after: [],
      attempts: 0,
    });
  });

  it.each([
    ['a step that did not run', step('g', 'p.removeGroups', 'cancelled', { removed: { groups: [{ groupKey: 'x' }] } })],
    ['a step that removed nothing', step('g', 'p.removeGroups', 'succeeded', { removed: { groups: [] } })],
    ['a step with no record', step('g', 'p.removeGroups', 'succeeded')],
    ['an action nothing undoes', step('s', 'p.signOut', 'succeeded', { removed: { sessions: 3 } })],
  ])('plans nothing for %s', (_what, s) => {
    expect(plan([s])).toEqual([]);
  });

  it('restores the account before unsuspending it, and both before the rest', () => {
    const steps = plan([
      step('remove-from-groups', 'p.removeGroups', 'succeeded', { removed: { groups: [{ groupKey: 'x' }] } }),
      step('suspend-user', 'p.suspend', 'succeeded', { removed: { suspended: false } }),
      step('delete-user', 'p.delete', 'succeeded', { removed: { userId: 'u1' } }),
    ]);
    const after = Object.fromEntries(steps.map((s) => [s.stepId, s.after]));
    expect(after).toEqual({
      'restore-delete-user': [],
      'restore-suspend-user': ['restore-delete-user'],
      'restore-remove-from-groups': ['restore-suspend-user', 'restore-delete-user'],
    });
  });

  it('undoes two changes of the same kind in the reverse order they were made', () => {
    // At the cut-off the manager became the only delegate; at day +30 the manager was removed too.
    const steps = plan([
      step('delegate-to-manager', 'p.delegateToManager', 'succeeded', { delegate: 'boss@x', removed: { delegates: ['assistant@x'] } }, '2026-11-30T23:00:05.000Z'),
      step('remove-delegation', 'p.removeDelegation', 'succeeded', { removed: { delegates: ['boss@x'] } }, '2026-12-30T08:00:03.000Z'),
    ]);
    const after = Object.fromEntries(steps.map((s) => [s.stepId, s.after]));
    // The manager is put back first, then the cut-off's change is undone: the assistant is the delegate again.
    expect(after).toEqual({ 'restore-remove-delegation': [], 'restore-delegate-to-manager': ['restore-remove-delegation'] });
  });

  it('leaves out, for a rehire, what a rehire does not want back; a cancel restores it', () => {
    const done = [
      step('remove-forwarding', 'p.removeForwarding', 'succeeded', { removed: { forwarding: { emailAddress: 'me@home.example' } } }),
      step('remove-from-groups', 'p.removeGroups', 'succeeded', { removed: { groups: [{ groupKey: 'x' }] } }),
    ];
    expect(planRestoreSteps(done, (a) => rules[a], now, 'rehire').map((s) => s.action)).toEqual(['p.restoreGroups']);
    expect(planRestoreSteps(done, (a) => rules[a], now, 'cancel').map((s) => s.action)).toEqual(['p.restoreForwarding', 'p.restoreGroups']);
  });
});

describe('the catalog\'s restore order', () => {
  it('puts the licenses back before any Gmail setting: Gmail refuses a mailbox with no license', () => {
    const done = [
      step('remove-external-forwarding', 'google.removeExternalForwarding', 'succeeded', { removed: { forwardingAddresses: ['me@home.example'], autoForwarding: null } }),
      step('set-auto-reply', 'google.setAutoReply', 'succeeded', { previous: { enableAutoReply: false } }),
      step('delegate-to-manager', 'google.delegateToManager', 'succeeded', { delegate: 'boss@x', removed: { delegates: [] } }),
      step('suspend-user', 'google.suspendUser', 'succeeded', { removed: { suspended: false } }),
      step('remove-licenses', 'google.removeLicenses', 'succeeded', { removed: { licenses: [{ productId: 'Google-Apps', skuId: '1010020028' }] } }),
    ];
    const steps = planRestoreSteps(done, restoreRuleFor, '2026-12-02T10:00:00.000Z');
    const after = Object.fromEntries(steps.map((s) => [s.stepId, s.after]));
    expect(after['restore-remove-licenses']).toEqual([]);
    for (const gmail of ['restore-remove-external-forwarding', 'restore-set-auto-reply', 'restore-delegate-to-manager']) {
      expect(after[gmail]).toEqual(expect.arrayContaining(['restore-remove-licenses', 'restore-suspend-user']));
    }
  });
});

describe('the release of a Vault hold', () => {
  const retained = (method: string) => ({ retained: { method, matterId: 'm1', holdId: 'h1', accountId: 'u1' }, previous: method === 'vault-hold' ? { onHold: false } : { archived: false } });
  const done = (method: string) => [
    step('hold-mail', 'google.retainMail', 'succeeded', retained(method)),
    step('remove-from-groups', 'google.removeFromGroups', 'succeeded', { removed: { groups: [{ groupKey: 'team@x' }] } }),
    step('remove-aliases', 'google.removeAliases', 'succeeded', { removed: { aliases: ['ada.l@x'] } }),
    step('remove-recovery-info', 'google.removeRecoveryInfo', 'succeeded', { previous: { recoveryEmail: 'me@home.example' } }),
    step('suspend-user', 'google.suspendUser', 'succeeded', { removed: { suspended: false } }),
  ];

  it('goes last, so a Vault refusal holds back no other restore: the groups, aliases and recovery wait for nothing of it', () => {
    const steps = planRestoreSteps(done('vault-hold'), restoreRuleFor, '2026-12-02T10:00:00.000Z');
    const after = Object.fromEntries(steps.map((s) => [s.stepId, s.after]));
    for (const other of ['restore-remove-from-groups', 'restore-remove-aliases', 'restore-remove-recovery-info', 'restore-suspend-user']) {
      expect(after[other]).not.toContain('restore-hold-mail');
    }
    expect(after['restore-hold-mail']).toEqual(expect.arrayContaining(['restore-remove-from-groups', 'restore-suspend-user']));
  });

  it('an archived account is unarchived in phase 1, before the Gmail and group restores', () => {
    const steps = planRestoreSteps(done('archived-user-license'), restoreRuleFor, '2026-12-02T10:00:00.000Z');
    const after = Object.fromEntries(steps.map((s) => [s.stepId, s.after]));
    expect(after['restore-hold-mail']).toEqual([]);
    expect(after['restore-remove-from-groups']).toContain('restore-hold-mail');
  });
});

describe('restoreNotes', () => {
  it("a cancelled Zendesk mover run puts the user's role and groups back, the later change undone first, after the unsuspend", () => {
    const undo = (id: number) => ({ previous: { role: 'agent', customRoleId: null, groups: [] }, changed: ['x'], undo: { userId: id, added: [], removed: [] } });
    const steps = [
      step('update-zendesk-user', 'zendesk.updateUser', 'succeeded', undo(1), '2026-12-01T10:00:00.000Z'),
      step('remove-zendesk-access', 'zendesk.updateUser', 'succeeded', undo(2), '2026-12-01T11:00:00.000Z'),
      step('suspend-zendesk-user', 'zendesk.suspendUser', 'succeeded', { removed: { user: {} } }),
    ];
    const planned = planRestoreSteps(steps, restoreRuleFor, '2026-12-02T10:00:00.000Z', 'cancel');
    const byId = Object.fromEntries(planned.map((s) => [s.stepId, s]));
    expect(byId['restore-update-zendesk-user']).toMatchObject({ action: 'zendesk.restoreRole', after: ['restore-remove-zendesk-access', 'restore-suspend-zendesk-user'] });
    expect(byId['restore-remove-zendesk-access']).toMatchObject({ action: 'zendesk.restoreRole', after: ['restore-suspend-zendesk-user'] });
    // A rehire's role is the new hire's: the mover's changes are not put back.
    expect(planRestoreSteps(steps, restoreRuleFor, '2026-12-02T10:00:00.000Z', 'rehire').map((s) => s.action)).toEqual(['zendesk.restoreUser']);
  });

  it("a cancelled Front mover run puts back the teams and inboxes its removal took, after the teammate's restore; not on a rehire", () => {
    const removed = { removed: { teammateId: 'tea_1', teams: [{ id: 'tim_1', name: 'Support' }], inboxes: [] } };
    const steps = [
      step('update-front-teammate', 'front.updateTeammate', 'succeeded', { added: { teams: [], inboxes: [] } }, '2026-12-01T10:00:00.000Z'),
      step('remove-front-access', 'front.removeAccess', 'succeeded', removed, '2026-12-01T11:00:00.000Z'),
      step('deactivate-front-teammate', 'front.deactivateTeammate', 'succeeded', { removed: { userId: 'u1' } }),
    ];
    const planned = planRestoreSteps(steps, restoreRuleFor, '2026-12-02T10:00:00.000Z', 'cancel');
    const byId = Object.fromEntries(planned.map((s) => [s.stepId, s]));
    expect(byId['restore-remove-front-access']).toMatchObject({ action: 'front.restoreAccess', params: { result: removed }, after: ['restore-deactivate-front-teammate'] });
    expect(byId['restore-update-front-teammate']).toBeUndefined();
    expect(planRestoreSteps(steps, restoreRuleFor, '2026-12-02T10:00:00.000Z', 'rehire').map((s) => s.action)).toEqual(['front.restoreTeammate']);
  });

  it('says that a password the termination reset cannot be given back', () => {
    const notes = restoreNotes([step('reset-password', 'google.resetPassword', 'succeeded'), step('sign-out', 'google.signOut', 'succeeded')]);
    expect(notes).toEqual([expect.stringContaining('the password reset by step reset-password cannot be given back')]);
  });

  it('says nothing of a reset that did not run', () => {
    expect(restoreNotes([step('reset-password', 'google.resetPassword', 'cancelled')])).toEqual([]);
  });
});

describe('cancelling a role change that a later hire or role change followed', () => {
  const run = (runId: string, type: Run['type'], createdAt: string, overrides: Partial<Run> = {}): Run => ({
    runId,
    employeeId: 'E100',
    eventId: `ev-${runId}`,
    type,
    status: 'completed',
    effectiveDate: createdAt.slice(0, 10),
    urgent: false,
    employee: { id: 'E100', firstName: 'Ada', email: 'ada.lovelace@example.com', timezone: 'Europe/Berlin' },
    steps: [],
    version: 1,
    createdAt,
    updatedAt: createdAt,
    ...overrides,
  });
  const first = run('r1', 'role_change', '2026-12-01T09:00:00.000Z', {
    status: 'in_progress',
    steps: [step('update-zendesk-user', 'zendesk.updateUser', 'succeeded', { undo: { userId: 7, added: [{ groupId: 1, name: 'Tier 2' }], removed: [] }, previous: { role: 'agent' } }, '2026-12-01T09:01:00.000Z')],
  });
  const cancel = { eventId: 'hr-cancel-r1', type: 'cancel' as const, cancels: 'ev-r1' };
  const now = new Date('2026-12-03T10:00:00.000Z');

  it('undoes it when nothing came after, or what came after was itself cancelled or rejected', () => {
    expect(planCancelRun(cancel, first, now, settings, restoreRuleFor, [first]).steps.map((s) => s.action)).toEqual(['zendesk.restoreRole']);
    const cancelledLater = run('r2', 'role_change', '2026-12-02T09:00:00.000Z', { status: 'cancelled' });
    const undoneLater = run('r3', 'role_change', '2026-12-02T10:00:00.000Z');
    const undoing = run('r4', 'cancel', '2026-12-02T11:00:00.000Z', { cancelsRunId: 'r3' });
    const rejected = run('r5', 'hire', '2026-12-02T12:00:00.000Z', { status: 'rejected' });
    const earlier = run('r0', 'hire', '2026-11-01T09:00:00.000Z');
    expect(laterRoleRun([earlier, first, cancelledLater, undoneLater, undoing, rejected], first)).toBeUndefined();
  });

  it('plans no restore of its mover steps, for any system, and says why in the cancel run\'s notes', () => {
    const later = run('r2', 'role_change', '2026-12-02T09:00:00.000Z', { status: 'scheduled' });
    const withGoogle = { ...first, steps: [...first.steps, step('remove-groups', 'google.removeFromGroups', 'succeeded', { removed: { groups: [{ groupKey: 'x' }] } }, '2026-12-01T09:02:00.000Z')] };
    const planned = planCancelRun(cancel, withGoogle, now, settings, restoreRuleFor, [withGoogle, later]);
    expect(planned.steps).toEqual([]);
    expect(planned.notes).toEqual([
      expect.stringMatching(/^not undone: step update-zendesk-user \(zendesk.restoreRole would undo it\), step remove-groups \(google.restoreGroups would undo it\)\. The employee's role change of run r2 \(event ev-r2\) came after/),
    ]);
    expect(laterRoleRun([withGoogle, later], withGoogle)?.runId).toBe('r2');
  });

  it('a cancelled termination is restored whatever came after it', () => {
    const leaver = run('t1', 'terminate', '2026-12-01T09:00:00.000Z', { steps: [step('suspend-zendesk-user', 'zendesk.suspendUser', 'succeeded', { removed: { user: { userId: 7 } } })] });
    const later = run('r2', 'role_change', '2026-12-02T09:00:00.000Z');
    expect(planCancelRun(cancel, leaver, now, settings, restoreRuleFor, [leaver, later]).steps.map((s) => s.action)).toEqual(['zendesk.restoreUser']);
  });
});
