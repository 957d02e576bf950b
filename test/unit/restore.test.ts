import type { Step } from '../../lambdas/engine/model';
import { planRestoreSteps, type RestoreRule } from '../../lambdas/engine/restore';

const step = (stepId: string, action: string, status: Step['status'], result?: Record<string, unknown>): Step => ({
  stepId,
  action,
  params: {},
  status,
  dueAt: '2026-11-30T23:00:00.000Z',
  after: [],
  attempts: 1,
  result,
});

const rules: Record<string, RestoreRule> = {
  'p.removeGroups': { restoredBy: 'p.restoreGroups', phase: 2 },
  'p.suspend': { restoredBy: 'p.unsuspend', phase: 1 },
  'p.delete': { restoredBy: 'p.undelete', phase: 0 },
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
});
