/**
 * A specification sent back changes nothing on the run: its accounts are checked against the run the revision would
 * make before the revision is written, whether the role stays or changes.
 */
import { playbooks } from '../../../config/playbooks';
import type { Run } from '../../../lambdas/engine/model';
import type { EngineDeps } from '../../../lambdas/engine/ports';
import { catalogOf, role } from '../roles/role-fixtures';
import { memberTaskChanged, openMemberTask, type MemberTaskDeps } from '../../../lambdas/openproject/member-tasks';
import { memoryEngine, type MemoryEngine } from '../../support/memory-engine';
import { memberTasksOn, proposedRun, useOpenProjectTestBed } from '../../support/openproject-emulator';

describe('member task: a specification sent back', () => {
  const bed = useOpenProjectTestBed();
  let engine: MemoryEngine;
  let tasks: MemberTaskDeps;
  let run: Run;
  beforeEach(async () => {
    // Two roles: a member has a Google account; an engineer a Nextcloud user in Engineering too.
    const catalog = catalogOf([role('member', undefined, { 'Google OU': '/Members' }), role('engineer', 'member', { 'Nextcloud groups': ['Engineering'] })]);
    engine = memoryEngine({ deps: { playbooks, roles: { catalog: { load: async () => catalog } } } as Partial<EngineDeps> });
    tasks = memberTasksOn(engine.deps, bed);
    run = await proposedRun({ ...engine.deps, proposals: { role: 'member' } });
  });
  const op = () => bed().emulator;
  const wpOf = async (id: number) => (await bed().openproject.client.getWorkPackage(id))!;
  const stored = async () => (await engine.store.findRun(run.runId))!;
  const statusOf = (id: number) => op().state.statuses.find((s) => s.id === op().workPackage(id)!.statusId)!.name;
  const accountsOf = (r: Run) => [...new Set(r.steps.filter((s) => s.status !== 'cancelled').map((s) => s.action.split('.')[0]))].filter((p) => ['google', 'nextcloud'].includes(p)).sort();
  const planOf = (r: Run) => ({ effectiveDate: r.effectiveDate, role: r.employee.role, planHash: r.approval?.planHash, status: r.status, steps: r.steps.map((s) => `${s.stepId}@${s.dueAt}`) });
  const line = (description: string, field: string, value: string) => description.replace(new RegExp(`^- ${field}:.*$`, 'm'), `- ${field}: ${value}`);

  it('a new first day with an account the role does not give: sent back naming Accounts, the run as it was', async () => {
    const { workPackageId: id } = (await openMemberTask(tasks, run))!;
    const was = await stored();
    const description = line(line(op().workPackage(id)!.description, 'First day', '2026-12-02'), 'Accounts', 'google, zendesk');
    await op().personEdits(id, { description, status: 'scheduled', asLogin: 'grace.hopper' });
    expect(await memberTaskChanged(tasks, await wpOf(id))).toMatchObject({ outcome: 'sent back', problems: [expect.objectContaining({ field: 'Accounts' })] });
    const now = await stored();
    expect(accountsOf(was)).toEqual(['google']);
    expect(planOf(now)).toEqual(planOf(was));
    expect((await engine.store.listAudit(run.employeeId)).map((a) => a.change)).not.toContainEqual(expect.stringMatching(/revised/));
    expect(statusOf(id)).toBe('In specification');
  });

  it('a new role whose accounts the line does not name: sent back naming what the role gives, the run as it was', async () => {
    const { workPackageId: id } = (await openMemberTask(tasks, run))!;
    const was = await stored();
    await op().personEdits(id, { description: line(op().workPackage(id)!.description, 'Role', 'engineer'), status: 'scheduled', asLogin: 'grace.hopper' });
    expect(await memberTaskChanged(tasks, await wpOf(id))).toMatchObject({ outcome: 'sent back', problems: [{ field: 'Accounts', message: expect.stringMatching(/role engineer gives nextcloud too/) }] });
    expect(planOf(await stored())).toEqual(planOf(was));
    // Named as the role gives them, it is applied and approved.
    await op().personEdits(id, { description: line(line(op().workPackage(id)!.description, 'Role', 'engineer'), 'Accounts', 'google, nextcloud'), status: 'scheduled', asLogin: 'grace.hopper' });
    expect(await memberTaskChanged(tasks, await wpOf(id))).toMatchObject({ outcome: 'started', revised: true, approved: true });
    expect(accountsOf(await stored())).toEqual(['google', 'nextcloud']);
  });
});
