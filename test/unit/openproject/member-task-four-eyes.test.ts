/** Review: ways the OpenProject user who changes the personal email can still approve it from the task. */
import type { Run } from '../../../lambdas/engine/model';
import { proposeHire } from '../../../lambdas/engine/proposals';
import { memberTaskChanged, openMemberTask, type MemberTaskDeps } from '../../../lambdas/openproject/member-tasks';
import { SAMPLE_OPENPROJECT } from '../../../local/emulators/openproject/openproject-sample';
import { memoryEngine, type MemoryEngine } from '../../support/memory-engine';
import { useOpenProjectTestBed } from '../../support/openproject-emulator';

describe('review: four eyes on the personal email', () => {
  const bed = useOpenProjectTestBed();
  let engine: MemoryEngine;
  let tasks: MemberTaskDeps;
  let run: Run;
  const setup = async (settings: Record<string, unknown> = {}) => {
    engine = memoryEngine({ settings });
    tasks = {
      engine: engine.deps,
      openproject: () => bed().openproject.client,
      settings: { project: SAMPLE_OPENPROJECT.project.identifier, typeId: SAMPLE_OPENPROJECT.types.memberTask, statuses: { inSpecification: 'In specification', scheduled: 'scheduled', inProgress: 'in progress' } },
    };
    const proposed = await proposeHire(engine.deps, { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@home.example', proposedBy: '@alice:example.org', source: 'matrix', reference: '$event-1', proposedAt: '2026-11-30T07:00:00.000Z' });
    if (proposed.outcome !== 'proposed') throw new Error(`not proposed: ${proposed.outcome}`);
    run = proposed.run;
  };
  const op = () => bed().emulator;
  const wpOf = async (id: number) => (await bed().openproject.client.getWorkPackage(id))!;
  const stored = async () => (await engine.store.findRun(run.runId))!;

  it('an email change sent back for another field (Accounts) is applied, then the same user approves it from the task', async () => {
    await setup();
    const { workPackageId: id } = (await openMemberTask(tasks, run))!;
    const original = op().workPackage(id)!.description;
    const accountsLine = original.split('\n').find((l) => l.startsWith('- Accounts:'))!;
    // 1. Email changed together with an account the role does not give: sent back for Accounts.
    const bad = original.replace('- Email: ada@home.example', '- Email: mallory@elsewhere.example').replace(accountsLine, `${accountsLine}${accountsLine.endsWith(': ') ? '' : ','} zendesk`);
    await op().personEdits(id, { description: bad, status: 'scheduled', asLogin: 'grace.hopper' });
    expect(await memberTaskChanged(tasks, await wpOf(id))).toMatchObject({ outcome: 'sent back' });
    // The run already carries the new address, and no hold was recorded.
    expect((await stored()).employee.personalEmail).toBe('mallory@elsewhere.example');
    // 2. The same user fixes Accounts only and schedules again.
    await op().personEdits(id, { description: bad.replace(/- Accounts:.*$/m, accountsLine), status: 'scheduled', asLogin: 'grace.hopper' });
    const outcome = await memberTaskChanged(tasks, await wpOf(id));
    // Four eyes would say: held. The defect: approved by the person who wrote the address.
    expect(outcome).toMatchObject({ outcome: 'held' });
  });

  it('an approved run whose task changes the email goes on without an approver when approvePersonalEmailChanges is false (docs: "whatever the stage says")', async () => {
    await setup({ approvePersonalEmailChanges: false });
    const { workPackageId: id } = (await openMemberTask(tasks, run))!;
    await op().personEdits(id, { status: 'scheduled', asLogin: 'grace.hopper' });
    expect(await memberTaskChanged(tasks, await wpOf(id))).toMatchObject({ outcome: 'started', approved: true });
    const description = op().workPackage(id)!.description;
    await op().personEdits(id, { description: description.replace('- Email: ada@home.example', '- Email: mallory@elsewhere.example'), status: 'scheduled', asLogin: 'grace.hopper' });
    const outcome = await memberTaskChanged(tasks, await wpOf(id));
    expect((await stored()).employee.personalEmail).toBe('mallory@elsewhere.example');
    expect(outcome).toMatchObject({ outcome: 'held' });
  });
});
