/** One task whose handling fails does not hold the member task poll: the tasks after it are handled, and the position stays before it. */
import { MemoryMemberTaskPollStore, memberTaskPollTurn } from '../../../lambdas/openproject/member-task-poll';
import { silentLog } from '../../../lambdas/engine/ports';
import { OpenProjectApiError } from '../../../lambdas/providers/openproject/openproject-client';
import { memoryEngine } from '../../support/memory-engine';

it('a task refused (403) keeps the position before it; a newer task is still handled on every turn', async () => {
  const engine = memoryEngine();
  const tasks = [
    { id: 1, updatedAt: '2099-01-10T10:00:00Z', description: { raw: '' }, _links: { status: { href: '/api/v3/statuses/1' } } },
    { id: 2, updatedAt: '2099-01-10T10:05:00Z', description: { raw: '' }, _links: { status: { href: '/api/v3/statuses/1' } } },
  ];
  const read: number[] = [];
  const client = {
    workPackagesOf: async () => tasks,
    getWorkPackage: async (id: number) => {
      read.push(id);
      if (id === 1) throw new OpenProjectApiError('get work package', 403, 'MissingPermission', 'You are not authorized to access this resource.');
      return tasks[1];
    },
  };
  const memberTasks = { engine: engine.deps, openproject: async () => client, settings: { project: 'p', typeId: 1, statuses: {} } } as never;
  const store = new MemoryMemberTaskPollStore();
  store.stored = '2099-01-10T09:00:00.000Z';
  for (let turn = 0; turn < 3; turn++) await memberTaskPollTurn({ memberTasks, store, clock: engine.clock, log: silentLog }).catch(() => undefined);
  // Task 2 is read on each of the three turns; task 1 holds the position, so it is read again each turn too.
  expect(read.filter((id) => id === 2)).toHaveLength(3);
  expect(read.filter((id) => id === 1)).toHaveLength(3);
  expect(store.stored).toBe('2099-01-10T09:00:00.000Z');
});
