/**
 * The member task poll against the OpenProject emulator, with no webhook: a task set to scheduled is picked up by the
 * poll and approves its run; the position (in the runtime's table) moves to the task's update; a failing OpenProject
 * leaves the position where it was.
 */
import { openMemberTask } from '../../../lambdas/openproject/member-tasks';
import { MemoryMemberTaskPollStore, memberTaskPollTurn } from '../../../lambdas/openproject/member-task-poll';
import { silentLog } from '../../../lambdas/engine/ports';
import { createDocumentClient } from '../../../lambdas/store/dynamo-store';
import { DynamoMemberTaskPollStore } from '../../../lambdas/store/dynamo/member-task-poll-repository';
import { LOCAL_AWS } from '../../../local/embedded-store';
import { LOCAL_DEFAULTS } from '../../../config/local-defaults';
import { SAMPLE_NOTION } from '../../../local/emulators/notion/notion-sample';
import { freeSeat, useE2eRuntime } from '../../support/e2e-runtime';
import { operator } from '../../support/harness';

const EMPLOYEE = { id: 'E-POLL', firstName: 'Mary', lastName: 'Somerville', personalEmail: 'mary@home.example', managerEmail: 'grace.hopper@example.com', role: 'community-member', timezone: 'Europe/Berlin' };

describe('the member task poll', () => {
  let now = Date.parse('2099-01-10T10:00:00Z');
  const { rt, runOf } = useE2eRuntime(() => now, EMPLOYEE.id, {
    setUp: (r) => {
      freeSeat(r);
      r.emulators.notion.addPage(SAMPLE_NOTION.rolesDataSourceId, { id: 'e0000006-0000-4000-8000-0000000000c2', values: { Name: 'community-member', Parent: [SAMPLE_NOTION.pages.employee], 'OpenProject account': 'user' } });
      // This OpenProject sends no webhooks: only the poll hears of a change.
      r.emulators.openproject.webhook = undefined;
    },
    timeoutMs: 60_000,
  });
  const op = () => rt().emulators.openproject;
  const position = () => new DynamoMemberTaskPollStore({ doc: createDocumentClient({ ...LOCAL_AWS, endpoint: rt().storeEndpoint }), name: LOCAL_DEFAULTS.tableName }).position();

  it('a failing OpenProject leaves the position where it was', async () => {
    const store = new MemoryMemberTaskPollStore();
    store.stored = '2099-01-09T00:00:00.000Z';
    op().faults.failNext({ method: 'GET', path: '/api/v3/projects/.*/work_packages', count: 5, status: 500 });
    await expect(memberTaskPollTurn({ memberTasks: rt().memberTasks!, store, clock: rt().engine.clock, log: silentLog })).rejects.toThrow();
    expect(store.stored).toBe('2099-01-09T00:00:00.000Z');
    op().faults.clear();
  }, 60_000);

  it('a task set to scheduled with no webhook is picked up by the poll, and the position moves to its update', async () => {
    expect(rt().memberTaskPollNow).toBeDefined();
    const res = await operator(rt(), 'POST', '/v1/operator/events', { eventId: 'console-poll-hire', type: 'hire', effectiveDate: '2099-03-20', employee: EMPLOYEE });
    expect(res).toMatchObject({ status: 202, body: { status: 'awaiting_approval' } });
    const task = await openMemberTask(rt().memberTasks!, await runOf(res.body.runId));
    now += 60_000;
    await op().personEdits(task!.workPackageId, { status: 'scheduled', asLogin: 'grace.hopper' });
    expect((await runOf(res.body.runId)).status).toBe('awaiting_approval');
    const updatedAt = op().workPackage(task!.workPackageId)!.updatedAt;

    const turn = await rt().memberTaskPollNow!();
    expect(turn.outcomes).toContainEqual(expect.objectContaining({ outcome: 'started', runId: res.body.runId, approved: true }));
    expect(turn).toMatchObject({ saved: true, next: updatedAt });
    expect(await position()).toBe(updatedAt);
    expect((await runOf(res.body.runId)).approval).toMatchObject({ decision: 'approved', decidedBy: 'openproject:grace.hopper' });

    // Nothing changed since: the next turn reads from there and leaves the position as it is.
    const again = await rt().memberTaskPollNow!();
    expect(again).toMatchObject({ since: updatedAt, saved: false });
    expect(await position()).toBe(updatedAt);

    // OpenProject failing: the turn fails and the position stays.
    op().faults.failNext({ method: 'GET', path: '/api/v3/projects/.*/work_packages', count: 5, status: 503 });
    await expect(rt().memberTaskPollNow!()).rejects.toThrow();
    expect(await position()).toBe(updatedAt);
    op().faults.clear();
  }, 120_000);
});
