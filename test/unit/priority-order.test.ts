import { dispatcherConcurrencyByClass, MIN_DISPATCHER_MAX_CONCURRENCY, PRIORITY_CLASSES, type PriorityClass } from '../../config/priority';
import { playbookStepSchema, stageConfigSchema } from '../../config/schema';
import { loadStageConfig } from '../../config/stages';
import { ACTION_CATALOG, priorityOf } from '../../lambdas/actions/catalog';
import type { Run, Step } from '../../lambdas/engine/model';
import { sortByPriority, withPriorities } from '../../lambdas/engine/priority';
import { releaseDue } from '../../lambdas/engine/step-machine';
import { LocalQueue } from '../../local/local-queue';
import { afterServing, DEFAULT_STARVATION_SECONDS, nextClass, PriorityQueues } from '../../local/priority-queues';

const message = (stepId: string, priority?: PriorityClass) => JSON.stringify({ runId: 'r', employeeId: 'E1', stepId, ...(priority ? { priority } : {}) });

function priorityQueues(starvationSeconds = DEFAULT_STARVATION_SECONDS) {
  let now = 1_000_000;
  const clock = { now: () => now, advance: (s: number) => (now += s * 1000) };
  const dlq = new LocalQueue({ name: 'dlq', visibilityTimeoutSeconds: 30, now: clock.now });
  const queueOf = (c: PriorityClass) => new LocalQueue({ name: `steps-${c}`, visibilityTimeoutSeconds: 30, redrive: { deadLetter: dlq, maxReceiveCount: 4 }, now: clock.now });
  return { q: new PriorityQueues({ lockout: queueOf('lockout'), protect: queueOf('protect'), housekeeping: queueOf('housekeeping') }, starvationSeconds, clock.now), clock };
}

const stepIdsOf = (batch: { body: string }[]) => batch.map((m) => (JSON.parse(m.body) as { stepId: string }).stepId);

describe('the ordering rule', () => {
  const none = { lockout: undefined, protect: undefined, housekeeping: undefined };
  const minute = 60_000;

  it.each<[PriorityClass[], PriorityClass | undefined]>([
    [['lockout', 'protect', 'housekeeping'], 'lockout'],
    [['protect', 'housekeeping'], 'protect'],
    [['housekeeping'], 'housekeeping'],
    [[], undefined],
  ])('with %j waiting and none waiting long, takes %s', (waiting, taken) => {
    expect(nextClass(new Set(waiting), none, 0, minute)).toBe(taken);
  });

  it('serves a lower class that has waited the bound ahead of a waiting lockout, the longest-waiting first', () => {
    const waiting = new Set<PriorityClass>(['lockout', 'protect', 'housekeeping']);
    expect(nextClass(waiting, { ...none, protect: 1, housekeeping: 0 }, minute - 1, minute)).toBe('lockout');
    expect(nextClass(waiting, { ...none, protect: 1, housekeeping: 0 }, minute, minute)).toBe('housekeeping');
    expect(nextClass(waiting, { ...none, protect: 0, housekeeping: 1 }, minute + 1, minute)).toBe('protect');
  });

  it('starts the wait of a class again once served, and forgets it once nothing of it waits', () => {
    const waiting = new Set<PriorityClass>(['lockout', 'protect']);
    expect(afterServing('protect', waiting, { lockout: 5, protect: 1, housekeeping: 2 }, 9)).toEqual({ lockout: 5, protect: 9, housekeeping: undefined });
    expect(afterServing('lockout', waiting, none, 9)).toEqual({ lockout: 9, protect: 9, housekeeping: undefined });
  });
});

describe('the local steps queues, one per class', () => {
  it('routes each message to its class and a message naming none to the default class', () => {
    const { q } = priorityQueues();
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
    const { q, clock } = priorityQueues();
    for (let i = 0; i < 5; i++) q.send(message(`h${i}`, 'housekeeping'));
    for (let i = 0; i < 5; i++) q.send(message(`p${i}`, 'protect'));
    for (let i = 0; i < 25; i++) q.send(message(`l${i}`, 'lockout'));
    const order = Array.from({ length: 5 }, () => {
      clock.advance(10);
      const batch = q.receive(10);
      for (const m of batch) q.delete(m.receiptHandle!);
      return stepIdsOf(batch);
    });
    expect(order.map((b) => b.map((id) => id[0]).join(''))).toEqual(['llllllllll', 'llllllllll', 'lllll', 'ppppp', 'hhhhh']);
  });

  it('lets housekeeping through a continuous stream of lockouts once per starvation bound', () => {
    const { q, clock } = priorityQueues(60);
    for (let i = 0; i < 3; i++) q.send(message(`h${i}`, 'housekeeping'));
    const served: string[] = [];
    for (let receive = 0; receive < 20; receive++) {
      // The stream never dries up: a lockout is waiting at every receive, one every 10 s.
      q.send(message(`l${receive}`, 'lockout'));
      const batch = q.receive(1);
      for (const m of batch) q.delete(m.receiptHandle!);
      served.push(...stepIdsOf(batch));
      clock.advance(10);
    }
    // Waiting from 0 s: served at 60 s, then 60 s after each time it was served.
    expect(served.map((id, i) => (id.startsWith('h') ? i * 10 : -1)).filter((at) => at >= 0)).toEqual([60, 120, 180]);
  });

  it('sums the three queues in its counts and deletes by any receipt handle', () => {
    const { q } = priorityQueues();
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
    ['connect.setAgentOffline', 'lockout'],
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

describe('the dispatchers per class on AWS', () => {
  it('give lockout at least as many as protect and housekeeping together, from the least a stage may set up', () => {
    for (let max = MIN_DISPATCHER_MAX_CONCURRENCY; max <= 1000; max++) {
      const by = dispatcherConcurrencyByClass(max);
      expect([max, by.lockout]).toEqual([max, max]);
      expect([max, by.lockout >= by.protect + by.housekeeping]).toEqual([max, true]);
      expect([max, Math.min(by.protect, by.housekeeping) >= 2]).toEqual([max, true]);
    }
  });

  it('refuse a stage whose maximum would leave lockout no more than the others', () => {
    const parsed = (dispatcherMaxConcurrency: number) => stageConfigSchema.safeParse({ ...loadStageConfig('dev'), dispatcherMaxConcurrency }).success;
    expect(parsed(MIN_DISPATCHER_MAX_CONCURRENCY - 1)).toBe(false);
    expect(parsed(2)).toBe(false);
    expect(parsed(MIN_DISPATCHER_MAX_CONCURRENCY)).toBe(true);
  });
});
