import { PRIORITY_CLASSES, type PriorityClass } from '../../config/priority';
import { playbookStepSchema } from '../../config/schema';
import { ACTION_CATALOG, priorityOf } from '../../lambdas/actions/catalog';
import type { Run, Step } from '../../lambdas/engine/model';
import { sortByPriority, withPriorities } from '../../lambdas/engine/priority';
import { releaseDue } from '../../lambdas/engine/step-machine';
import { LocalQueue } from '../../local/local-queue';
import { afterServing, DEFAULT_STARVATION_BOUND, nextClass, PriorityQueues } from '../../local/priority-queues';

const message = (stepId: string, priority?: PriorityClass) => JSON.stringify({ runId: 'r', employeeId: 'E1', stepId, ...(priority ? { priority } : {}) });

function priorityQueues(starvationBound = DEFAULT_STARVATION_BOUND) {
  const dlq = new LocalQueue({ name: 'dlq', visibilityTimeoutSeconds: 30 });
  const queueOf = (c: PriorityClass) => new LocalQueue({ name: `steps-${c}`, visibilityTimeoutSeconds: 30, redrive: { deadLetter: dlq, maxReceiveCount: 4 } });
  return new PriorityQueues({ lockout: queueOf('lockout'), protect: queueOf('protect'), housekeeping: queueOf('housekeeping') }, starvationBound);
}

const stepIdsOf = (batch: { body: string }[]) => batch.map((m) => (JSON.parse(m.body) as { stepId: string }).stepId);

describe('the ordering rule', () => {
  const none = { lockout: 0, protect: 0, housekeeping: 0 };

  it.each<[PriorityClass[], PriorityClass | undefined]>([
    [['lockout', 'protect', 'housekeeping'], 'lockout'],
    [['protect', 'housekeeping'], 'protect'],
    [['housekeeping'], 'housekeeping'],
    [[], undefined],
  ])('with %j waiting and none passed over, takes %s', (waiting, taken) => {
    expect(nextClass(new Set(waiting), none, DEFAULT_STARVATION_BOUND)).toBe(taken);
  });

  it('serves a lower class passed over as many times as the bound, ahead of a waiting lockout', () => {
    const waiting = new Set<PriorityClass>(['lockout', 'housekeeping']);
    expect(nextClass(waiting, { ...none, housekeeping: 3 }, 4)).toBe('lockout');
    expect(nextClass(waiting, { ...none, housekeeping: 4 }, 4)).toBe('housekeeping');
  });

  it('counts a pass-over only for a class that was waiting, and starts again once served', () => {
    const waiting = new Set<PriorityClass>(['lockout', 'protect']);
    expect(afterServing('lockout', waiting, { lockout: 2, protect: 1, housekeeping: 5 })).toEqual({ lockout: 0, protect: 2, housekeeping: 0 });
  });
});

describe('the local steps queues, one per class', () => {
  it('routes each message to its class and a message naming none to the default class', () => {
    const q = priorityQueues();
    q.send(message('a', 'lockout'));
    q.send(message('b', 'housekeeping'));
    q.send(message('c'));
    expect(PRIORITY_CLASSES.map((c) => [c, stepIdsOf(q.queues[c].peek())])).toEqual([
      ['lockout', ['a']],
      ['protect', ['c']],
      ['housekeeping', ['b']],
    ]);
  });

  it('never hands out a lower class while a higher one waits, within the starvation bound', () => {
    const q = priorityQueues(100);
    for (let i = 0; i < 5; i++) q.send(message(`h${i}`, 'housekeeping'));
    for (let i = 0; i < 5; i++) q.send(message(`p${i}`, 'protect'));
    for (let i = 0; i < 25; i++) q.send(message(`l${i}`, 'lockout'));
    const order = [q.receive(10), q.receive(10), q.receive(10), q.receive(10), q.receive(10)].map(stepIdsOf);
    expect(order.map((b) => b.map((id) => id[0]).join(''))).toEqual(['llllllllll', 'llllllllll', 'lllll', 'ppppp', 'hhhhh']);
  });

  it('lets housekeeping through a continuous stream of lockouts once every bound + 1 receives', () => {
    const bound = 3;
    const q = priorityQueues(bound);
    for (let i = 0; i < 3; i++) q.send(message(`h${i}`, 'housekeeping'));
    const served: string[] = [];
    for (let receive = 0; receive < 12; receive++) {
      // The stream never dries up: a lockout is waiting at every receive.
      q.send(message(`l${receive}`, 'lockout'));
      served.push(...stepIdsOf(q.receive(1)));
    }
    const housekeepingAt = served.map((id, i) => (id.startsWith('h') ? i : -1)).filter((i) => i >= 0);
    expect(housekeepingAt).toEqual([3, 7, 11]);
  });

  it('sums the three queues in its counts and deletes by any receipt handle', () => {
    const q = priorityQueues();
    q.send(message('a', 'lockout'));
    q.send(message('b', 'protect'), 30);
    const [got] = q.receive(10);
    expect(q.stats()).toEqual({ visible: 0, inFlight: 1, delayed: 1 });
    expect(q.delete(got.receiptHandle!)).toBe(true);
    expect(q.stats()).toEqual({ visible: 0, inFlight: 0, delayed: 1 });
  });
});

describe('the class of a step', () => {
  it('gives every action in the catalog a class', () => {
    expect(ACTION_CATALOG.filter((a) => !PRIORITY_CLASSES.includes(a.priority)).map((a) => a.name)).toEqual([]);
  });

  it.each([
    ['google.signOut', 'lockout'],
    ['google.resetPassword', 'lockout'],
    ['google.revokeTokens', 'lockout'],
    ['google.deleteAppPasswords', 'lockout'],
    ['google.invalidateBackupCodes', 'lockout'],
    ['google.removeExternalForwarding', 'protect'],
    ['google.wipeMobileDevices', 'protect'],
    ['google.hideFromDirectory', 'protect'],
    ['google.removeFromGroups', 'protect'],
    ['google.delegateToManager', 'protect'],
    ['google.setAutoReply', 'protect'],
    ['google.transferData', 'housekeeping'],
    ['google.removeLicenses', 'housekeeping'],
    ['google.moveToOrgUnit', 'housekeeping'],
    ['google.suspendUser', 'housekeeping'],
    ['google.deleteUser', 'housekeeping'],
    ['forward.event', 'housekeeping'],
    ['connect.removeAgent', 'housekeeping'],
  ])('%s is %s', (action, priority) => {
    expect(priorityOf(action)).toBe(priority);
  });

  const step = (stepId: string, action: string, extra: Partial<Step> = {}): Step => ({ stepId, action, params: {}, status: 'pending', dueAt: '2026-12-01T00:00:00.000Z', after: [], attempts: 0, ...extra });
  const run = (steps: Step[]): Run => ({
    runId: 'r', employeeId: 'E1', eventId: 'e', type: 'terminate', status: 'scheduled', effectiveDate: '2026-12-01', urgent: true, steps, version: 0,
    createdAt: '2026-12-01T00:00:00.000Z', updatedAt: '2026-12-01T00:00:00.000Z', employee: { id: 'E1', firstName: 'Ada', timezone: 'UTC' },
  });

  it("takes the catalog's class unless the playbook step overrides it", () => {
    const planned = withPriorities(run([step('forward-event', 'forward.event'), step('sign-out', 'google.signOut'), step('urgent-forward', 'forward.event', { priority: 'lockout' })]), priorityOf);
    expect(planned.steps.map((s) => [s.stepId, s.priority])).toEqual([['forward-event', 'housekeeping'], ['sign-out', 'lockout'], ['urgent-forward', 'lockout']]);
  });

  it('accepts a class in a playbook step and refuses an unknown one', () => {
    expect(playbookStepSchema.parse({ id: 'x', action: 'forward.event', priority: 'lockout' }).priority).toBe('lockout');
    expect(playbookStepSchema.safeParse({ id: 'x', action: 'forward.event', priority: 'urgent' }).success).toBe(false);
  });

  it('releases the due steps of a run lockout first, keeping the playbook order within a class and its dependencies', () => {
    const planned = withPriorities(
      run([
        step('forward-event', 'forward.event'),
        step('hide', 'google.hideFromDirectory'),
        step('sign-out', 'google.signOut'),
        step('suspend', 'google.suspendUser', { after: ['sign-out'] }),
        step('reset-password', 'google.resetPassword'),
      ]),
      priorityOf,
    );
    const settings = { requeueAfterSeconds: 900, dueShards: 4 };
    const released = releaseDue(planned, new Date('2026-12-01T00:00:00.000Z'), settings);
    expect(released.enqueue).toEqual(['sign-out', 'reset-password', 'hide', 'forward-event']);
  });

  it('orders messages by class, keeping their order within a class', () => {
    const sorted = sortByPriority([{ id: 1, priority: 'housekeeping' as const }, { id: 2, priority: 'lockout' as const }, { id: 3 }, { id: 4, priority: 'lockout' as const }]);
    expect(sorted.map((m) => m.id)).toEqual([2, 4, 3, 1]);
  });
});
