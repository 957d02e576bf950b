/**
 * The community onboarding end to end, as the issue describes it, against the emulators at the real paths: `!on Ada
 * Lovelace ada@home.example` in the bot's room proposes a hire and opens its member task in OpenProject, In
 * specification, with no comment; the task specified and set to scheduled approves the run, moves the task to in
 * progress with a comment, and on the day before the first day the accounts are made in Google, Nextcloud and
 * OpenProject; the task hears the accounts are ready, and so does the command's thread.
 */
import { restoreLogLevel } from '../support/verbose-logs';
import { LOCAL_DEFAULTS } from '../../config/local-defaults';
import { derivedEmployeeId } from '../../lambdas/engine/hire-import';
import { DynamoMatrixBotStore } from '../../lambdas/store/dynamo/matrix-repository';
import { createDocumentClient } from '../../lambdas/store/dynamo-store';
import { LOCAL_AWS } from '../../local/embedded-store';
import { SAMPLE_MATRIX } from '../../local/emulators/matrix/matrix-sample';
import { SAMPLE_NOTION } from '../../local/emulators/notion/notion-sample';
import type { Runtime } from '../../local/runtime';
import { fastPolling } from '../support/fast-playbooks';
import { freeSeat } from '../support/e2e-runtime';
import { eventually, runReaches, start } from '../support/harness';

const ROOM = SAMPLE_MATRIX.roomId;
const ROLE = 'community-member';

describe('community onboarding: Matrix, an OpenProject member task, then Google, Nextcloud and OpenProject accounts', () => {
  let rt: Runtime;
  let now = Date.parse('2099-05-03T09:00:00Z');
  let spies: jest.SpyInstance[] = [];

  const post = async (sender: string, body: string) => {
    const res = await fetch(`${rt.emulatorUrl}/_emulator/matrix/rooms/${encodeURIComponent(ROOM)}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sender, body }) });
    expect(res.status).toBe(200);
    return ((await res.json()) as { event_id: string }).event_id;
  };
  const replyTexts = (eventId: string) => rt.emulators.matrix.thread(ROOM, eventId).filter((e) => e.sender === SAMPLE_MATRIX.bot).map((e) => String(e.content.body));
  const waitForReplies = (eventId: string, n: number) => eventually(async () => replyTexts(eventId).length >= n && replyTexts(eventId), 30_000, `${n} replies to ${eventId}`);
  const op = () => rt.emulators.openproject;
  const statusOf = (id: number) => op().state.statuses.find((s) => s.id === op().workPackage(id)!.statusId)!.name;
  const comments = (id: number) => op().comments(id).map((c) => c.comment);

  beforeAll(async () => {
    // The runtime's log lines are not this test's subject: kept off the test output.
    spies = [jest.spyOn(process.stdout, 'write').mockImplementation(() => true), jest.spyOn(process.stderr, 'write').mockImplementation(() => true)];
    const clock = { now: () => new Date(now) };
    rt = await start({ clock, providerClock: clock, roleCacheMs: 0, playbooks: fastPolling, matrix: { startInDays: 14, role: ROLE, syncTimeoutMs: 2000 } });
    freeSeat(rt);
    const seats = rt.emulators.google.seats('Google-Apps', '1010020027')!;
    rt.emulators.google.setSkuSeats('Google-Apps', '1010020027', seats.used + 2);
    // A newcomer's role: the employee's Google account, a Nextcloud user in Engineering, an OpenProject user.
    rt.emulators.notion.addPage(SAMPLE_NOTION.rolesDataSourceId, { id: 'e0000006-0000-4000-8000-0000000000c2', values: { Name: ROLE, Parent: [SAMPLE_NOTION.pages.employee], 'OpenProject account': 'user', 'Nextcloud groups': ['Engineering'] } });
    const store = new DynamoMatrixBotStore({ doc: createDocumentClient({ ...LOCAL_AWS, endpoint: rt.storeEndpoint }), name: LOCAL_DEFAULTS.tableName });
    await eventually(() => store.syncPosition(), 20_000, 'the bot to sync');
  }, 120_000);
  afterAll(async () => {
    await rt?.stop();
    for (const spy of spies) spy.mockRestore();
    restoreLogLevel();
  });

  it('goes from !on in the bot room to accounts in Google, Nextcloud and OpenProject, the task and the thread told', async () => {
    const command = await post(SAMPLE_MATRIX.moderator, '!on Ada Lovelace ada@home.example');
    const [proposed] = await waitForReplies(command, 1);
    expect(proposed).toMatch(/awaits approval/);

    // The proposal opened its member task: In specification, the specification in its description, no comment.
    const employeeId = derivedEmployeeId('ada@home.example');
    const run = await eventually(async () => (await rt.engine.store.listRuns(employeeId)).find((r) => r.memberTask), 20_000, 'the member task recorded on the run');
    expect(run).toMatchObject({ type: 'hire', status: 'awaiting_approval', role: { name: ROLE } });
    const taskId = run.memberTask!.workPackageId;
    expect(statusOf(taskId)).toBe('In specification');
    expect(op().workPackage(taskId)!.description).toMatch(/- Email: ada@home\.example[\s\S]*- Role: community-member[\s\S]*- Accounts: google, nextcloud, openproject/);
    expect(comments(taskId)).toEqual([]);

    // Reviewed and specified, then scheduled by a person: approved as them, the task in progress with a comment.
    await op().personEdits(taskId, { status: 'specified' });
    expect(comments(taskId)).toEqual([]);
    await op().personEdits(taskId, { status: 'scheduled', asLogin: 'grace.hopper' });
    const approved = (await rt.engine.store.getRun(employeeId, run.runId))!;
    expect(approved).toMatchObject({ status: 'scheduled', approval: { decision: 'approved', decidedBy: 'openproject:grace.hopper' } });
    expect(statusOf(taskId)).toBe('in progress');
    expect(comments(taskId)).toEqual([expect.stringMatching(/^Approved by grace\.hopper/)]);

    // The day before the first day the accounts are made; the welcome mail goes on the first day, and the run ends.
    now = Date.parse('2099-05-16T09:30:00Z');
    await rt.sweepNow();
    for (const stepId of ['create-user', 'provision-nextcloud-user', 'provision-openproject-user']) {
      await eventually(async () => {
        const step = (await rt.engine.store.getRun(employeeId, run.runId))!.steps.find((x) => x.stepId === stepId);
        if (step?.status === 'needs_attention') throw new Error(`${stepId}: ${step.lastError?.message}`);
        return step?.status === 'succeeded';
      }, 60_000, stepId);
    }
    now = Date.parse('2099-05-17T10:00:00Z');
    await rt.sweepNow();
    const done = await runReaches(rt, employeeId, run.runId, 'completed', 60_000);
    const address = done.employee.email!;
    expect(rt.emulators.google.user(address)).toBeDefined();
    expect(rt.emulators.nextcloud.state.users.find((u) => u.id === employeeId)).toMatchObject({ email: address, groups: expect.arrayContaining(['Engineering']) });
    expect(op().state.users.find((u) => u.email === address)).toMatchObject({ firstName: 'Ada', lastName: 'Lovelace' });

    // The task and the command's thread hear the accounts are ready.
    await eventually(async () => comments(taskId).length >= 2, 20_000, 'the closing comment on the task');
    expect(comments(taskId).at(-1)).toMatch(/ready/i);
    const texts = await waitForReplies(command, 2);
    expect(texts[1]).toMatch(/^The accounts of Ada Lovelace are ready/);
  }, 240_000);
});
