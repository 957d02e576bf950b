/** Review: a handling that died after claiming the change; the delivery sent again within 10 minutes is acknowledged and dropped. */
import type { Run } from '../../../lambdas/engine/model';
import { proposeHire } from '../../../lambdas/engine/proposals';
import { lastStatusChange, memberTaskChanged, openMemberTask, type MemberTaskDeps } from '../../../lambdas/openproject/member-tasks';
import { SAMPLE_OPENPROJECT } from '../../../local/emulators/openproject/openproject-sample';
import { memoryEngine } from '../../support/memory-engine';
import { useOpenProjectTestBed } from '../../support/openproject-emulator';

describe('review: handling claim of a died delivery', () => {
  const bed = useOpenProjectTestBed();
  it('the redelivery is answered ignored ("already handled") though nothing was done; the run never leaves awaiting approval', async () => {
    const engine = memoryEngine();
    const tasks: MemberTaskDeps = {
      engine: engine.deps,
      openproject: () => bed().openproject.client,
      settings: { project: SAMPLE_OPENPROJECT.project.identifier, typeId: SAMPLE_OPENPROJECT.types.memberTask, statuses: { inSpecification: 'In specification', scheduled: 'scheduled', inProgress: 'in progress' } },
    };
    const proposed = await proposeHire(engine.deps, { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@home.example', proposedBy: '@alice:example.org', source: 'matrix', reference: '$e1', proposedAt: '2026-11-30T07:00:00.000Z' });
    if (proposed.outcome !== 'proposed') throw new Error(proposed.outcome);
    const { workPackageId: id } = (await openMemberTask(tasks, proposed.run))!;
    await bed().emulator.personEdits(id, { status: 'scheduled', asLogin: 'grace.hopper' });
    // The first delivery's Lambda claimed the change and was killed (timeout) before anything else.
    const change = (await lastStatusChange(bed().openproject.client, id))!;
    const run: Run = (await engine.store.findRun(proposed.run.runId))!;
    await engine.store.saveRun({ ...run, memberTask: { ...run.memberTask!, handled: { change: `journal:${change.activityId}`, at: engine.clock.now().toISOString() } }, version: run.version + 1 });
    // OpenProject (or the poll) delivers it again a minute later.
    engine.clock.advance(60_000);
    const outcome = await memberTaskChanged(tasks, (await bed().openproject.client.getWorkPackage(id))!);
    // The route answers 202 to an 'ignored' outcome: the sender stops; the poll's cursor moves past the task.
    expect(outcome.outcome).not.toBe('ignored');
  });
});
