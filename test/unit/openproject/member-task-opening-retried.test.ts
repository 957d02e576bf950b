/**
 * An opening claim left by a call that died, met by the repeated Matrix turn: the proposal is not answered (the follow-up
 * throws a retryable error, so the bot does not record the command) and the turn after takes the stale claim over.
 */
import { proposeHire } from '../../../lambdas/engine/proposals';
import { MemberTaskOpeningPending, OPENING_CLAIM_STALE_MS, proposalFollowUps, type MemberTaskDeps } from '../../../lambdas/openproject/member-tasks';
import { SAMPLE_OPENPROJECT } from '../../../local/emulators/openproject/openproject-sample';
import { memoryEngine } from '../../support/memory-engine';
import { ADA_PROPOSAL, memberTasksOn, useOpenProjectTestBed } from '../../support/openproject-emulator';

describe('member task: opening claim of a died call', () => {
  const bed = useOpenProjectTestBed();
  it('the repeated proposal throws while the claim is fresh; proposed again once it is stale, the task is made once', async () => {
    const engine = memoryEngine();
    const tasks: MemberTaskDeps = memberTasksOn(engine.deps, bed);
    const proposal = ADA_PROPOSAL;
    // First turn: the proposal is recorded, then the process dies right after claiming the opening (before creating the task).
    const first = await proposeHire(engine.deps, proposal);
    if (first.outcome !== 'proposed') throw new Error(first.outcome);
    const run = (await engine.store.findRun(first.run.runId))!;
    await engine.store.saveRun({ ...run, memberTaskOpening: { claim: 'died', at: engine.clock.now().toISOString() }, version: run.version + 1 });
    const deps = { ...engine.deps, proposals: { onAccepted: proposalFollowUps(tasks) } };
    const memberTasks = () => bed().emulator.state.workPackages.filter((w) => w.typeId === SAMPLE_OPENPROJECT.types.memberTask);
    // The next lease holder reads the same sync and proposes again: the claim is fresh, so the command is not answered.
    await expect(proposeHire(deps, proposal)).rejects.toBeInstanceOf(MemberTaskOpeningPending);
    expect(memberTasks()).toHaveLength(0);
    // A later turn, once the claim is stale, proposes again: duplicate, and the task is opened.
    engine.clock.advance(OPENING_CLAIM_STALE_MS + 1000);
    const again = await proposeHire(deps, proposal);
    expect(again.outcome).toBe('duplicate');
    expect(memberTasks()).toHaveLength(1);
    expect(await engine.store.findRun(first.run.runId)).toMatchObject({ memberTask: { workPackageId: memberTasks()[0].id, approvedEmail: 'ada@home.example' } });
  }, 20_000);
});
