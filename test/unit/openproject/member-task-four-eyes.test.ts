/**
 * Four eyes on the personal email of a member task's run, in the ways its author could otherwise approve it: the
 * address written by a change sent back for another field (or by a handling that died before its hold), and an email
 * changed on a run already approved on a stage with approvePersonalEmailChanges false. Only an approver in the console
 * or API ends the hold. A held answer names ids only.
 */
import type { Run } from '../../../lambdas/engine/model';
import { operatorApprove } from '../../../lambdas/engine/operator';
import { memberTaskChanged, memberTaskReports, openMemberTask, type MemberTaskDeps } from '../../../lambdas/openproject/member-tasks';
import { memoryEngine, type MemoryEngine } from '../../support/memory-engine';
import { memberTasksOn, proposedRun, useOpenProjectTestBed } from '../../support/openproject-emulator';

describe('member task: four eyes on the personal email', () => {
  const bed = useOpenProjectTestBed();
  let engine: MemoryEngine;
  let tasks: MemberTaskDeps;
  let run: Run;
  const setup = async (settings: Record<string, unknown> = {}) => {
    engine = memoryEngine({ settings, deps: { reports: { runChanged: (r, n) => memberTaskReports(tasks).runChanged(r, n) } } });
    tasks = memberTasksOn(engine.deps, bed);
    run = await proposedRun(engine.deps);
  };
  const op = () => bed().emulator;
  const wpOf = async (id: number) => (await bed().openproject.client.getWorkPackage(id))!;
  const stored = async () => (await engine.store.findRun(run.runId))!;
  const statusOf = (id: number) => op().state.statuses.find((s) => s.id === op().workPackage(id)!.statusId)!.name;
  const withEmail = (description: string) => description.replace('- Email: ada@home.example', '- Email: mallory@elsewhere.example');

  it('an email change sent back for another field (Accounts), then scheduled with Accounts fixed: held, not approved by its author', async () => {
    await setup();
    const { workPackageId: id } = (await openMemberTask(tasks, run))!;
    expect((await stored()).memberTask).toMatchObject({ approvedEmail: 'ada@home.example' });
    const original = op().workPackage(id)!.description;
    const accountsLine = original.split('\n').find((l) => l.startsWith('- Accounts:'))!;
    // 1. Email changed together with an account the role does not give: sent back for Accounts.
    const bad = withEmail(original).replace(accountsLine, `${accountsLine}${accountsLine.endsWith(': ') ? '' : ','} zendesk`);
    await op().personEdits(id, { description: bad, status: 'scheduled', asLogin: 'grace.hopper' });
    expect(await memberTaskChanged(tasks, await wpOf(id))).toMatchObject({ outcome: 'sent back' });
    // Sent back, the specification changed nothing on the run: the address is still the proposal's.
    expect((await stored()).employee.personalEmail).toBe('ada@home.example');
    // 2. The same user fixes Accounts only and schedules again.
    await op().personEdits(id, { description: bad.replace(/- Accounts:.*$/m, accountsLine), status: 'scheduled', asLogin: 'grace.hopper' });
    const outcome = await memberTaskChanged(tasks, await wpOf(id));
    expect(outcome).toMatchObject({ outcome: 'held', revised: true });
    // The answer goes back to the webhook's sender: ids only, no address.
    expect(JSON.stringify(outcome)).not.toMatch(/@/);
    expect(await stored()).toMatchObject({ status: 'awaiting_approval', memberTask: { emailHeld: { from: 'ada@home.example', to: 'mallory@elsewhere.example' } } });
    expect((await stored()).approval?.decision).toBeUndefined();
    // The audit trail keeps both addresses, as the run's approval reason does.
    expect(await engine.store.listAudit(run.employeeId)).toContainEqual(expect.objectContaining({ change: expect.stringMatching(/withheld: .*from ada@home\.example to mallory@elsewhere\.example/) }));
  });

  it('a handling that wrote the address and died before its hold: the next scheduling holds', async () => {
    await setup();
    const { workPackageId: id } = (await openMemberTask(tasks, run))!;
    await op().personEdits(id, { description: withEmail(op().workPackage(id)!.description), status: 'scheduled', asLogin: 'grace.hopper' });
    // The write of the hold fails once (the process dies right after the revision).
    const saveRun = engine.store.saveRun.bind(engine.store);
    let died = false;
    engine.store.saveRun = async (r: Run) => {
      if (!died && r.memberTask?.emailHeld) {
        died = true;
        throw new Error('process died');
      }
      return saveRun(r);
    };
    await expect(memberTaskChanged(tasks, await wpOf(id))).rejects.toThrow('process died');
    expect(await stored()).toMatchObject({ status: 'awaiting_approval', employee: { personalEmail: 'mallory@elsewhere.example' } });
    expect((await stored()).memberTask?.emailHeld).toBeUndefined();
    // Delivered again (the claim was given up): held, not approved.
    expect(await memberTaskChanged(tasks, await wpOf(id))).toMatchObject({ outcome: 'held' });
    expect((await stored()).approval?.decision).toBeUndefined();
  });

  it('only an approver in the console or API ends the hold; the address approved there is then the task’s', async () => {
    await setup();
    const { workPackageId: id } = (await openMemberTask(tasks, run))!;
    await op().personEdits(id, { description: withEmail(op().workPackage(id)!.description), status: 'scheduled', asLogin: 'grace.hopper' });
    expect(await memberTaskChanged(tasks, await wpOf(id))).toMatchObject({ outcome: 'held' });
    const approved = await operatorApprove(engine.deps, run.runId, (await stored()).approval!.planHash, 'linus@example.com');
    expect(approved).toMatchObject({ status: 'scheduled', approval: { decidedBy: 'linus@example.com' }, memberTask: { approvedEmail: 'mallory@elsewhere.example' } });
    expect(approved.memberTask?.emailHeld).toBeUndefined();
    // The task follows the approval given in the console: to in progress, saying who approved.
    expect(statusOf(id)).toBe('in progress');
    expect(op().comments(id).map((a) => a.comment).at(-1)).toMatch(/^Approved by linus@example\.com in the console/);
    // Scheduled again unchanged: goes on as any other.
    await op().personEdits(id, { status: 'specified', asLogin: 'grace.hopper' });
    await op().personEdits(id, { status: 'scheduled', asLogin: 'grace.hopper' });
    expect(await memberTaskChanged(tasks, await wpOf(id))).toMatchObject({ outcome: 'started' });
    expect(statusOf(id)).toBe('in progress');
  });

  it('a completed run: a later edit changing the email (with a role giving more) is sent back, no role change is planned', async () => {
    await setup();
    const { workPackageId: id } = (await openMemberTask(tasks, run))!;
    const done = await stored();
    await engine.store.saveRun({ ...done, status: 'completed', version: done.version + 1 });
    const description = op().workPackage(id)!.description;
    const engineer = withEmail(description).replace(/- Role:.*$/m, '- Role: engineer').replace(/- Accounts:.*$/m, '- Accounts: google, scim, nextcloud');
    await op().personEdits(id, { description: engineer, status: 'scheduled', asLogin: 'grace.hopper' });
    expect(await memberTaskChanged(tasks, await wpOf(id))).toMatchObject({ outcome: 'sent back', problems: [{ field: 'Email', message: expect.stringMatching(/approver changes it in the console/) }] });
    expect((await engine.store.listRuns(run.employeeId)).filter((r) => r.type === 'role_change')).toHaveLength(0);
    expect(statusOf(id)).toBe('In specification');
  });

  it('an approved run whose task changes the email is held again for an approver, though approvePersonalEmailChanges is false', async () => {
    await setup({ approvePersonalEmailChanges: false });
    const { workPackageId: id } = (await openMemberTask(tasks, run))!;
    await op().personEdits(id, { status: 'scheduled', asLogin: 'grace.hopper' });
    expect(await memberTaskChanged(tasks, await wpOf(id))).toMatchObject({ outcome: 'started', approved: true });
    expect((await stored()).status).toBe('scheduled');
    await op().personEdits(id, { description: withEmail(op().workPackage(id)!.description), status: 'scheduled', asLogin: 'grace.hopper' });
    const outcome = await memberTaskChanged(tasks, await wpOf(id));
    expect(outcome).toMatchObject({ outcome: 'held', revised: true });
    // Back to waiting for approval through the engine's revision path: nothing runs until an approver decides.
    expect(await stored()).toMatchObject({ status: 'awaiting_approval', employee: { personalEmail: 'mallory@elsewhere.example' }, memberTask: { emailHeld: { to: 'mallory@elsewhere.example' } } });
    expect((await stored()).approval?.decision).toBeUndefined();
    // The reason names what holds it: the task, not a stage setting that is off here.
    expect((await stored()).approval?.requiredBy).toMatch(/to mallory@elsewhere\.example: the welcome link goes there \(a member task: its author does not approve the address it wrote\)/);
    expect((await stored()).approval?.requiredBy).not.toContain('approvePersonalEmailChanges');
    expect(statusOf(id)).toBe('scheduled');
  });
});
