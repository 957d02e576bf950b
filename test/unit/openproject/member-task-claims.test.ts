/**
 * Member tasks handled at once, against the OpenProject emulator at its real paths and the engine in memory: two
 * openings of one proposed hire make one work package; a task set to scheduled and handled twice at once (a webhook
 * delivered twice, or a delivery and a poll) approves once with one comment; a task that changes the personal email
 * approves nothing, and an approver in the console or API decides.
 */
import type { Run } from '../../../lambdas/engine/model';
import { operatorApprove } from '../../../lambdas/engine/operator';
import { MemberTaskOpeningPending, memberTaskChanged, openMemberTask, OPENING_CLAIM_STALE_MS, type MemberTaskDeps } from '../../../lambdas/openproject/member-tasks';
import { SAMPLE_OPENPROJECT } from '../../../local/emulators/openproject/openproject-sample';
import { memoryEngine, type MemoryEngine } from '../../support/memory-engine';
import { memberTasksOn, proposedRun, useOpenProjectTestBed } from '../../support/openproject-emulator';

describe('member tasks handled at once', () => {
  const bed = useOpenProjectTestBed();
  let engine: MemoryEngine;
  let tasks: MemberTaskDeps;
  let run: Run;

  beforeEach(async () => {
    engine = memoryEngine();
    tasks = memberTasksOn(engine.deps, bed);
    run = await proposedRun(engine.deps);
  });

  const op = () => bed().emulator;
  const memberTasks = () => op().state.workPackages.filter((w) => w.typeId === SAMPLE_OPENPROJECT.types.memberTask);
  const comments = (id: number) => op().comments(id).map((c) => c.comment);
  const statusOf = (id: number) => op().state.statuses.find((s) => s.id === op().workPackage(id)!.statusId)!.name;
  const wpOf = async (id: number) => (await bed().openproject.client.getWorkPackage(id))!;
  const stored = async () => (await engine.store.findRun(run.runId))!;
  const audit = async () => engine.store.listAudit(run.employeeId);

  it('two openings at once make one work package, recorded on the run; the claim is cleared', async () => {
    const [a, b] = await Promise.all([openMemberTask(tasks, run), openMemberTask(tasks, run)]);
    expect(memberTasks()).toHaveLength(1);
    const id = memberTasks()[0].id;
    expect([a, b]).toEqual(expect.arrayContaining([{ workPackageId: id, created: true }, { workPackageId: id, created: false }]));
    expect(await stored()).toMatchObject({ memberTask: { system: 'openproject', workPackageId: id } });
    expect((await stored()).memberTaskOpening).toBeUndefined();
    expect((await audit()).filter((e) => /member task #\d+ opened/.test(e.change))).toHaveLength(1);
  });

  it('a claim left by an opening that died is taken over once stale: the task is made once', async () => {
    const at = engine.clock.now().toISOString();
    await engine.store.saveRun({ ...(await stored()), memberTaskOpening: { claim: 'died', at }, version: (await stored()).version + 1 });
    // Before it is stale: the call is told to come again (retryable), so its caller does not count the task as opened.
    await expect(openMemberTask(tasks, run)).rejects.toBeInstanceOf(MemberTaskOpeningPending);
    expect(memberTasks()).toHaveLength(0);
    engine.clock.advance(OPENING_CLAIM_STALE_MS + 1000);
    expect(await openMemberTask(tasks, run)).toEqual({ workPackageId: expect.any(Number), created: true });
    expect(memberTasks()).toHaveLength(1);
    expect(await stored()).toMatchObject({ memberTask: { workPackageId: memberTasks()[0].id } });
  }, 20_000);

  it('a delivery that read the task scheduled, then found the journal after another handled it: it does nothing', async () => {
    const { workPackageId: id } = (await openMemberTask(tasks, run))!;
    await op().personEdits(id, { status: 'scheduled', asLogin: 'grace.hopper' });
    const real = bed().openproject.client;
    const scheduled = (await real.getWorkPackage(id))!;
    let first: Promise<unknown> | undefined;
    // The late delivery's first read sees the task scheduled; the other delivery is handled in full before its next call.
    let reads = 0;
    const late = new Proxy(real, {
      get(target, name, receiver) {
        if (name === 'getWorkPackage')
          return async (wpId: number) => {
            reads += 1;
            if (reads === 1) {
              first = memberTaskChanged(tasks, scheduled);
              await first;
              return scheduled;
            }
            return target.getWorkPackage(wpId);
          };
        const value = Reflect.get(target, name, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const outcome = await memberTaskChanged({ ...tasks, openproject: () => late }, scheduled);
    expect(await first).toMatchObject({ outcome: 'started', approved: true });
    expect(outcome).toMatchObject({ outcome: 'ignored', reason: expect.stringMatching(/moved on/) });
    // The late delivery claimed nothing: the first one's record of its change stands, done.
    expect(await stored()).toMatchObject({ memberTask: { handled: { done: true } } });
    expect(comments(id)).toHaveLength(1);
    expect(statusOf(id)).toBe('in progress');
    expect((await audit()).filter((e) => e.change === 'plan approved by an operator')).toHaveLength(1);
  });

  it('a task set to scheduled and handled twice at once: one comment, in progress, approved once, never sent back; the other delivery is asked to come again or told it is handled', async () => {
    const { workPackageId: id } = (await openMemberTask(tasks, run))!;
    await op().personEdits(id, { status: 'scheduled', asLogin: 'grace.hopper' });
    const wp = (await bed().openproject.client.getWorkPackage(id))!;
    const outcomes = await Promise.all([memberTaskChanged(tasks, wp), memberTaskChanged(tasks, wp)]);
    expect(outcomes).toEqual(expect.arrayContaining([expect.objectContaining({ outcome: 'started', approved: true }), expect.objectContaining({ outcome: expect.stringMatching(/^(busy|ignored)$/) })]));
    // The other: asked to come again while the first is still going (busy), or, once it is done, answered as handled;
    // one that read the journal after the first moved the task finds, under its claim, that the task moved on.
    expect(outcomes.find((o) => o.outcome !== 'started')).toMatchObject(outcomes.some((o) => o.outcome === 'busy') ? { reason: expect.stringMatching(/being handled/) } : { reason: expect.stringMatching(/already handled|moved on/) });
    expect(comments(id).filter((c) => /^Approved by grace\.hopper/.test(c))).toHaveLength(1);
    expect(comments(id)).toHaveLength(1);
    expect(statusOf(id)).toBe('in progress');
    expect(await stored()).toMatchObject({ status: 'scheduled', approval: { decision: 'approved', decidedBy: 'openproject:grace.hopper' }, memberTask: { handled: { done: true } } });
    expect((await audit()).filter((e) => e.change === 'plan approved by an operator')).toHaveLength(1);
    // Delivered again later: the change is handled, nothing more is written.
    expect(await memberTaskChanged(tasks, wp)).toMatchObject({ outcome: 'ignored' });
    expect(comments(id)).toHaveLength(1);
  });

  it('a task approved already by an earlier change of the same task is not sent back', async () => {
    const { workPackageId: id } = (await openMemberTask(tasks, run))!;
    await op().personEdits(id, { status: 'scheduled', asLogin: 'grace.hopper' });
    const planHash = (await stored()).approval!.planHash;
    await operatorApprove(engine.deps, run.runId, planHash, 'openproject:grace.hopper');
    // This handling read the run before the approval landed: it still shows it awaiting approval.
    const listRuns = engine.store.listRuns.bind(engine.store);
    engine.store.listRuns = async (employeeId: string) => (await listRuns(employeeId)).map((r) => ({ ...r, status: 'awaiting_approval' as const, approval: { requiredBy: 'x', planHash } }));
    const outcome = await memberTaskChanged(tasks, await wpOf(id));
    engine.store.listRuns = listRuns;
    expect(outcome).toMatchObject({ outcome: 'started', approved: false });
    expect(statusOf(id)).toBe('in progress');
    expect(comments(id).some((c) => /nothing was made/.test(c))).toBe(false);
  });

  it('a task that changes the personal email approves nothing: the run waits for an approver, who then approves', async () => {
    const { workPackageId: id } = (await openMemberTask(tasks, run))!;
    const description = op().workPackage(id)!.description;
    expect(description).toContain('- Email: ada@home.example');
    await op().personEdits(id, { description: description.replace('- Email: ada@home.example', '- Email: mallory@elsewhere.example'), status: 'scheduled', asLogin: 'grace.hopper' });
    const outcome = await memberTaskChanged(tasks, await wpOf(id));
    expect(outcome).toMatchObject({ outcome: 'held', runId: run.runId, revised: true, reason: expect.stringMatching(/personal email was changed/) });
    const held = await stored();
    expect(held).toMatchObject({ status: 'awaiting_approval', employee: { personalEmail: 'mallory@elsewhere.example' }, memberTask: { emailHeld: { by: 'openproject:grace.hopper', from: 'ada@home.example', to: 'mallory@elsewhere.example' } } });
    expect(held.approval?.decision).toBeUndefined();
    expect(comments(id).some((c) => /^Approved/.test(c))).toBe(false);
    expect(comments(id)).toEqual([expect.stringMatching(/^Not approved from this task: the Email line was changed .* approves run .* in the console or through the API/)]);
    expect(statusOf(id)).toBe('scheduled');
    expect(await audit()).toContainEqual(expect.objectContaining({ actor: 'openproject:grace.hopper', change: expect.stringMatching(/^approval from member task #\d+ withheld: the personal email was changed/) }));

    // Set to scheduled again by the same person, the email unchanged since: still no approval from the task.
    await op().personEdits(id, { status: 'specified', asLogin: 'grace.hopper' });
    await op().personEdits(id, { status: 'scheduled', asLogin: 'grace.hopper' });
    expect(await memberTaskChanged(tasks, await wpOf(id))).toMatchObject({ outcome: 'held' });
    expect((await stored()).status).toBe('awaiting_approval');

    // An approver in the console approves the plan they see: the run goes on.
    const approved = await operatorApprove(engine.deps, run.runId, (await stored()).approval!.planHash, 'linus@example.com');
    expect(approved).toMatchObject({ status: 'scheduled', approval: { decision: 'approved', decidedBy: 'linus@example.com' } });
  });
});
