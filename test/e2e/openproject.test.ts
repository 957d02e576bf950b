/**
 * OpenProject end to end, at the real API v3 paths of the emulator, with the default playbooks and the sample role
 * catalog (plus a `community-member` role giving an OpenProject user): a proposed hire opens a member task In
 * specification with no comment; the task specified and set to scheduled approves the run as the OpenProject user,
 * moves the task to in progress with a comment, and the accounts are made (Google, OpenProject); a failing step sends
 * the task back to In specification with a comment naming it, and scheduling it again retries it; the end adds a
 * comment; a later edit of the task to a role giving more plans just the additions; a leaver locks the OpenProject user
 * and a cancel unlocks it.
 */
import { openMemberTask, pollMemberTasks } from '../../lambdas/openproject/member-tasks';
import type { Run } from '../../lambdas/engine/model';
import { SAMPLE_NOTION } from '../../local/emulators/notion/notion-sample';
import { SAMPLE_OPENPROJECT } from '../../local/emulators/openproject/openproject-sample';
import { LOCAL_OPENPROJECT_WEBHOOK_SECRET, openProjectSignature } from '../../local/emulators/openproject/openproject-emulator';
import { freeSeat, useE2eRuntime } from '../support/e2e-runtime';
import { eventually, operator, postEvent } from '../support/harness';

const EMPLOYEE = { id: 'E-OP', firstName: 'Ada', lastName: 'Byron', personalEmail: 'ada@home.example', managerEmail: 'grace.hopper@example.com', role: 'community-member', timezone: 'Europe/Berlin' };

describe('OpenProject member tasks and users, end to end', () => {
  let now = Date.parse('2099-01-10T10:00:00Z');
  const { rt, runOf, stepDone, settled } = useE2eRuntime(() => now, EMPLOYEE.id, {
    setUp: (r) => {
      freeSeat(r);
      const seats = r.emulators.google.seats('Google-Apps', '1010020027')!;
      r.emulators.google.setSkuSeats('Google-Apps', '1010020027', seats.used + 2);
      r.emulators.notion.addPage(SAMPLE_NOTION.rolesDataSourceId, { id: 'e0000006-0000-4000-8000-0000000000c1', values: { Name: 'community-member', Parent: [SAMPLE_NOTION.pages.employee], 'OpenProject account': 'user' } });
    },
    timeoutMs: 60_000,
  });
  const op = () => rt().emulators.openproject;
  const comments = (id: number) => op().comments(id).map((c) => c.comment);
  const statusOf = (id: number) => op().state.statuses.find((s) => s.id === op().workPackage(id)!.statusId)!.name;
  let runId = '';
  let taskId = 0;

  it('a proposed hire opens one member task In specification, carrying the specification, with no comment', async () => {
    const res = await operator(rt(), 'POST', '/v1/operator/events', { eventId: 'console-op-hire', type: 'hire', effectiveDate: '2099-01-20', employee: EMPLOYEE });
    expect(res).toMatchObject({ status: 202, body: { status: 'awaiting_approval' } });
    runId = res.body.runId;
    const run = await runOf(runId);
    const first = await openMemberTask(rt().memberTasks!, run);
    const again = await openMemberTask(rt().memberTasks!, await runOf(runId));
    expect(first).toEqual({ workPackageId: expect.any(Number), created: true });
    expect(again).toEqual({ workPackageId: first!.workPackageId, created: false });
    taskId = first!.workPackageId;
    const wp = op().workPackage(taskId)!;
    expect(op().state.workPackages.filter((w) => w.typeId === SAMPLE_OPENPROJECT.types.memberTask)).toHaveLength(1);
    expect(wp).toMatchObject({ projectId: SAMPLE_OPENPROJECT.project.id, typeId: SAMPLE_OPENPROJECT.types.memberTask, subject: 'Member: Ada Byron' });
    expect(statusOf(taskId)).toBe('In specification');
    expect(wp.description).toContain(`Member task of run \`${runId}\``);
    expect(wp.description).toMatch(/- Email: ada@home\.example\n- Username: abyron\n- Role: community-member\n- First day: 2099-01-20\n- Accounts: google, openproject/);
    expect(comments(taskId)).toEqual([]);
    expect((await runOf(runId)).memberTask).toEqual({ system: 'openproject', workPackageId: taskId, approvedEmail: 'ada@home.example' });
  }, 120_000);

  it('a bad signature is refused and changes nothing; a task moved to specified is read and ignored', async () => {
    const body = op().webhookBody(op().workPackage(taskId)!);
    const bad = await fetch(`${rt().apiUrl}/v1/intake/openproject`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-OP-Signature': openProjectSignature('wrong', body) }, body });
    expect(bad.status).toBe(401);
    await op().personEdits(taskId, { status: 'specified' });
    expect((await runOf(runId)).status).toBe('awaiting_approval');
    expect(comments(taskId)).toEqual([]);
  }, 60_000);

  it('a second task whose description names the run, set to scheduled, approves nothing: only the run\'s own task acts on it', async () => {
    const client = await rt().memberTasks!.openproject();
    const own = op().workPackage(taskId)!;
    const forged = await client.createWorkPackage(String(SAMPLE_OPENPROJECT.project.id), { subject: 'Member: someone else', description: own.description.replace('- Role: community-member', '- Role: engineer'), typeId: SAMPLE_OPENPROJECT.types.memberTask });
    await op().personEdits(forged.id, { status: 'scheduled', asLogin: 'grace.hopper' });
    expect(await runOf(runId)).toMatchObject({ status: 'awaiting_approval', employee: { role: 'community-member' } });
    expect(comments(forged.id).some((c) => /Approved/.test(c))).toBe(false);
    expect(statusOf(taskId)).toBe('specified');
  }, 60_000);

  it('a specification the engine cannot use sends the task back with a comment naming the field; nothing changes on the run', async () => {
    const wp = op().workPackage(taskId)!;
    const good = wp.description;
    await op().personEdits(taskId, { description: good.replace('- First day: 2099-01-20', '- First day: next week'), status: 'scheduled' });
    expect(statusOf(taskId)).toBe('In specification');
    expect(comments(taskId)).toEqual([expect.stringMatching(/- First day: "next week" is not a date written YYYY-MM-DD/)]);
    expect((await runOf(runId)).status).toBe('awaiting_approval');
    await op().personEdits(taskId, { description: good });
  }, 60_000);

  it('specified and set to scheduled: revised as specified, approved as the OpenProject user, the task in progress with a comment; a failing step sends it back, scheduling it again retries it', async () => {
    op().faults.failNext({ method: 'POST', path: '/api/v3/users$', count: 1, status: 403, message: 'You are not allowed to create new users.' });
    const wp = op().workPackage(taskId)!;
    await op().personEdits(taskId, { description: wp.description.replace('- Username: abyron', '- Username: ada.byron'), status: 'scheduled', asLogin: 'grace.hopper' });
    const approved = await runOf(runId);
    expect(approved.revision).toMatchObject({ number: 2 });
    expect(approved.employee).toMatchObject({ email: 'ada.byron@example.com', personalEmail: 'ada@home.example', role: 'community-member' });
    expect(approved.status).toBe('scheduled');
    expect(approved.approval).toMatchObject({ decision: 'approved', decidedBy: 'openproject:grace.hopper' });
    expect(statusOf(taskId)).toBe('in progress');
    // The same delivery sent again finds the task in progress: nothing more happens.
    const commented = comments(taskId).length;
    const again = op().webhookBody(op().workPackage(taskId)!).replace('"title":"in progress"', '"title":"scheduled"').replace(`/api/v3/statuses/${SAMPLE_OPENPROJECT.statuses.inProgress}"`, `/api/v3/statuses/${SAMPLE_OPENPROJECT.statuses.scheduled}"`);
    const redelivered = await fetch(`${rt().apiUrl}/v1/intake/openproject`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-OP-Signature': openProjectSignature(LOCAL_OPENPROJECT_WEBHOOK_SECRET, again) }, body: again });
    expect(await redelivered.json()).toMatchObject({ outcome: 'ignored' });
    expect(comments(taskId)).toHaveLength(commented);
    expect(comments(taskId).at(-1)).toMatch(/^Approved by grace\.hopper as specified: making google, openproject for Ada Byron, first day 2099-01-20/);

    now = Date.parse('2099-01-19T08:00:00Z');
    await rt().sweepNow();
    await eventually(async () => statusOf(taskId) === 'In specification', 60_000, 'the task back in specification');
    expect(comments(taskId).at(-1)).toMatch(/provision-openproject-user \(openproject\.provisionUser\): OpenProject create user ada\.byron: 403 MissingPermission/);
    const before = comments(taskId).length;

    await op().personEdits(taskId, { status: 'scheduled', asLogin: 'grace.hopper' });
    expect(statusOf(taskId)).toBe('in progress');
    expect(comments(taskId)).toHaveLength(before + 1);
    const { run, step } = await stepDone(runId, 'provision-openproject-user');
    // The username specified: the company address Google made, and the OpenProject login.
    expect(run.employee.email).toBe('ada.byron@example.com');
    expect(rt().emulators.google.user('ada.byron@example.com')).toBeDefined();
    expect(step.account).toMatchObject({ system: 'openproject', address: 'ada.byron@example.com', boundBy: 'created' });
    expect(op().userByLogin('ada.byron')).toMatchObject({ firstName: 'Ada', lastName: 'Byron', email: 'ada.byron@example.com', status: 'invited', customFields: { customField1: 'E-OP' } });
  }, 180_000);

  it('the run completing adds a comment: the accounts ready', async () => {
    now = Date.parse('2099-01-20T10:00:00Z');
    await rt().sweepNow();
    const run = await settled(runId, (r: Run) => r.status === 'completed', 'the hire completed');
    expect(run.steps.find((s) => s.action === 'google.createUser')?.status).toBe('succeeded');
    await eventually(async () => /^Accounts ready for Ada Byron:/.test(comments(taskId).at(-1) ?? ''), 30_000, 'the accounts-ready comment');
    expect(comments(taskId).at(-1)).toMatch(/created OpenProject user ada\.byron/);
    expect(statusOf(taskId)).toBe('in progress');
  }, 180_000);

  it('a later edit to a role giving more plans just the additions as a role change', async () => {
    const wp = op().workPackage(taskId)!;
    await op().personEdits(taskId, { description: wp.description.replace('- Role: community-member', '- Role: engineer').replace('- Accounts: google, openproject', '- Accounts: google, scim, nextcloud, openproject'), status: 'scheduled', asLogin: 'grace.hopper' });
    const runs = (await rt().engine.store.listRuns(EMPLOYEE.id)).filter((r) => r.type === 'role_change');
    expect(runs).toHaveLength(1);
    const mover = runs[0];
    expect(mover.memberTask).toEqual({ system: 'openproject', workPackageId: taskId });
    const actions = mover.steps.map((s) => s.action);
    expect(actions).toEqual(expect.arrayContaining(['nextcloud.provisionUser', 'scim.provisionUser']));
    expect(actions).not.toContain('openproject.provisionUser');
    expect(actions).not.toContain('openproject.lockUser');
    expect(comments(taskId).at(-1)).toMatch(/Role changed to engineer by grace\.hopper/);
    expect(statusOf(taskId)).toBe('in progress');
  }, 120_000);

  it('a leaver locks the OpenProject user; a cancel unlocks it', async () => {
    now = Date.parse('2099-02-10T10:00:00Z');
    const run = await runOf(runId);
    const res = await postEvent(rt(), { eventId: 'op-leave', type: 'terminate', urgent: true, effectiveDate: '2099-02-10', employee: { ...EMPLOYEE, email: run.employee.email } });
    expect(res.status).toBe(202);
    await stepDone(res.body.runId, 'lock-openproject-user');
    expect(op().userByLogin('ada.byron')!.status).toBe('locked');
    const cancel = await postEvent(rt(), { eventId: 'op-leave-cancel', type: 'cancel', cancels: 'op-leave' });
    expect(cancel.status).toBe(202);
    expect(cancel.body.steps.map((s: { stepId: string }) => s.stepId)).toContain('restore-lock-openproject-user');
    await stepDone(cancel.body.runId, 'restore-lock-openproject-user');
    expect(op().userByLogin('ada.byron')!.status).toBe('active');
  }, 180_000);

  it('without webhooks: a poll of the project’s tasks updated since a time approves a task set to scheduled', async () => {
    const webhook = op().webhook;
    op().webhook = undefined;
    try {
      const res = await operator(rt(), 'POST', '/v1/operator/events', { eventId: 'console-op-hire-2', type: 'hire', effectiveDate: '2099-03-20', employee: { ...EMPLOYEE, id: 'E-OP2', firstName: 'Mary', lastName: 'Somerville', personalEmail: 'mary@home.example' } });
      expect(res).toMatchObject({ status: 202, body: { status: 'awaiting_approval' } });
      const since = new Date(now).toISOString();
      const task = await openMemberTask(rt().memberTasks!, (await rt().engine.store.findRun(res.body.runId))!);
      await op().personEdits(task!.workPackageId, { status: 'scheduled', asLogin: 'grace.hopper' });
      expect((await rt().engine.store.findRun(res.body.runId))!.status).toBe('awaiting_approval');
      const polled = await pollMemberTasks(rt().memberTasks!, since);
      expect(polled.outcomes).toContainEqual(expect.objectContaining({ outcome: 'started', runId: res.body.runId, approved: true }));
      expect((await rt().engine.store.findRun(res.body.runId))!.approval).toMatchObject({ decision: 'approved', decidedBy: 'openproject:grace.hopper' });
      expect(statusOf(task!.workPackageId)).toBe('in progress');
      expect(polled.next >= since).toBe(true);
    } finally {
      op().webhook = webhook;
    }
  }, 120_000);
});
