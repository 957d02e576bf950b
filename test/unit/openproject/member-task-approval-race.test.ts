/**
 * A handling in flight approves with the plan hash it read; a later change of the task's Email, handled meanwhile,
 * holds the run: the approval binds the person (the plan hash covers the employee) and the four-eyes check is made
 * again inside the approval's write, so the earlier handling approves nothing and the task says so.
 */
import type { Run } from '../../../lambdas/engine/model';
import { memberTaskChanged, openMemberTask, type MemberTaskDeps } from '../../../lambdas/openproject/member-tasks';
import { memoryEngine } from '../../support/memory-engine';
import { proposedRun, memberTasksOn, useOpenProjectTestBed } from '../../support/openproject-emulator';

describe('member task: email changed while an earlier scheduled change is being handled', () => {
  const bed = useOpenProjectTestBed();
  it('the earlier handling does not approve the run with the new address; the run waits for an approver', async () => {
    const engine = memoryEngine();
    const tasks: MemberTaskDeps = memberTasksOn(engine.deps, bed);
    const proposed = await proposedRun(engine.deps);
    const { workPackageId: id } = (await openMemberTask(tasks, proposed))!;
    const op = bed().emulator;
    const client = bed().openproject.client;
    await op.personEdits(id, { status: 'scheduled', asLogin: 'grace.hopper' });
    const first = (await client.getWorkPackage(id))!;
    const hashBefore = (await engine.store.findRun(proposed.runId))!.approval!.planHash;
    // While the first handling writes its "Approved" comment, the task is edited and scheduled again through the API.
    const comment = client.comment.bind(client);
    let later: unknown;
    client.comment = async (wpId: number, text: string) => {
      if (!later && /^Approved/.test(text)) {
        later = 'running';
        const description = op.workPackage(id)!.description.replace('- Email: ada@home.example', '- Email: mallory@elsewhere.example');
        await op.personEdits(id, { description, status: 'specified', asLogin: 'grace.hopper' });
        await op.personEdits(id, { status: 'scheduled', asLogin: 'grace.hopper' });
        later = await memberTaskChanged(tasks, (await client.getWorkPackage(id))!);
      }
      return comment(wpId, text);
    };
    const outcome = await memberTaskChanged(tasks, first);
    expect(later).toMatchObject({ outcome: 'held' });
    const run: Run = (await engine.store.findRun(proposed.runId))!;
    // The address changed, and so did the plan the approver is shown.
    expect(run.approval!.planHash).not.toBe(hashBefore);
    // The earlier handling approves nothing: the task goes back to scheduled, saying an approver decides.
    expect(outcome).toMatchObject({ outcome: 'held', runId: run.runId });
    expect({ status: run.status, email: run.employee.personalEmail, by: run.approval?.decidedBy }).toEqual({ status: 'awaiting_approval', email: 'mallory@elsewhere.example', by: undefined });
    expect(op.state.statuses.find((s) => s.id === op.workPackage(id)!.statusId)!.name).toBe('scheduled');
    expect(op.comments(id).map((c) => c.comment).at(-1)).toMatch(/^Not approved from this task/);
  });
});
