/** A mover's diff as the console shows it: from which role to which, access added, removed and kept with the role granting each, and the grace date. */
import { parsePlaybooks } from '../../../config/playbooks';
import type { PlannedEvent, Run } from '../../../lambdas/engine/model';
import { moverDiffView, runMoverDiff } from '../../../lambdas/engine/mover-diff';
import { findRunView } from '../../../lambdas/engine/operator';
import type { EngineDeps } from '../../../lambdas/engine/ports';
import { terminateEvent } from '../../support/builders';
import { memoryEngine, type MemoryEngine } from '../../support/memory-engine';
import { catalogOf, role } from '../roles/role-fixtures';
import { accept } from './engine-fixtures';

const catalog = catalogOf([
  role('employee', undefined, { 'Google OU': '/Staff', Groups: ['all-staff@example.com'] }),
  role('agent', 'employee', { 'Google OU': '/Staff/Support', Groups: ['support@example.com', 'helpdesk@example.com'], 'Custom schema': '{"SAML":{"role":"helpdesk","region":"eu"}}' }),
  role('engineer', 'employee', { Groups: ['eng@example.com', 'support@example.com'], 'Custom schema': '{"SAML":{"role":"dev","region":"eu"}}' }),
  role('senior-engineer', 'engineer', {}),
]);

const playbooks = parsePlaybooks({
  hire: { role: { offsetDays: 0, at: '09:00' }, steps: [{ id: 'forward-event', action: 'forward.event' }] },
  role_change: { role: { offsetDays: 0, at: '00:00' }, steps: [{ id: 'forward-event', action: 'forward.event' }] },
  terminate: { steps: [{ id: 'forward-event', action: 'forward.event', cutoff: true }] },
});

const engineWith = (moverGraceDays?: number) =>
  memoryEngine({ settings: moverGraceDays === undefined ? {} : { moverGraceDays }, deps: { playbooks, roles: { catalog: { load: async () => catalog } } } as Partial<EngineDeps> });

const employee = (roleName: string) => ({ ...terminateEvent().employee, id: 'M1', role: roleName });
const hire = (roleName: string): PlannedEvent => terminateEvent({ eventId: 'hire-m1', type: 'hire', effectiveDate: '2026-12-01', employee: employee(roleName) });
const move = (roleName: string, eventId = 'move-m1', effectiveDate = '2026-12-20'): PlannedEvent => terminateEvent({ eventId, type: 'role_change', effectiveDate, employee: employee(roleName) });

async function mover(engine: MemoryEngine, from: string | undefined, to: string): Promise<Run> {
  if (from) await accept(engine, hire(from));
  engine.clock.advance(1000);
  return accept(engine, move(to));
}

describe('the mover diff of a role change', () => {
  it('lists access added, removed and kept, each with its field, value and the role that grants or granted it', async () => {
    const engine = engineWith();
    const run = await mover(engine, 'agent', 'engineer');
    const diff = await runMoverDiff(engine.deps, run);
    expect(diff).toMatchObject({ from: 'agent', fromRunId: run.role?.previous?.runId, to: 'engineer', previousKnown: true });
    expect(diff?.note).toBeUndefined();
    expect(diff?.added).toEqual([
      { field: 'googleOrgUnit', label: 'Google org unit', kind: 'single', value: '/Staff', grantedBy: 'employee' },
      { field: 'googleGroups', label: 'Google groups', kind: 'list', value: 'eng@example.com', grantedBy: 'engineer' },
      { field: 'googleCustomSchemas', label: 'Google custom schema', kind: 'map', key: 'SAML.role', value: 'dev', grantedBy: 'engineer' },
    ]);
    expect(diff?.removed).toEqual([
      { field: 'googleOrgUnit', label: 'Google org unit', kind: 'single', value: '/Staff/Support', grantedBy: 'agent' },
      { field: 'googleGroups', label: 'Google groups', kind: 'list', value: 'helpdesk@example.com', grantedBy: 'agent' },
      { field: 'googleCustomSchemas', label: 'Google custom schema', kind: 'map', key: 'SAML.role', value: 'helpdesk', grantedBy: 'agent' },
    ]);
    expect(diff?.kept).toEqual([
      { field: 'googleGroups', label: 'Google groups', kind: 'list', value: 'all-staff@example.com', grantedBy: 'employee' },
      { field: 'googleGroups', label: 'Google groups', kind: 'list', value: 'support@example.com', grantedBy: 'engineer', previouslyGrantedBy: 'agent' },
      { field: 'googleCustomSchemas', label: 'Google custom schema', kind: 'map', key: 'SAML.region', value: 'eu', grantedBy: 'engineer', previouslyGrantedBy: 'agent' },
    ]);
  });

  it('gives the grace date: the day the removal steps are due, effective date plus the stage’s grace days, in the employee’s zone', async () => {
    const engine = engineWith();
    const run = await mover(engine, 'agent', 'engineer');
    const removals = run.steps.filter((s) => s.removes);
    expect(removals.length).toBeGreaterThan(0);
    // Effective 2026-12-20, seven days' grace by default, midnight in Berlin.
    expect(await runMoverDiff(engine.deps, run)).toMatchObject({ removalsDueAt: '2026-12-26T23:00:00.000Z', graceDate: '2026-12-27' });
    expect(removals.every((s) => s.dueAt === '2026-12-26T23:00:00.000Z')).toBe(true);

    const shorter = engineWith(3);
    expect(await runMoverDiff(shorter.deps, await mover(shorter, 'agent', 'engineer'))).toMatchObject({ graceDate: '2026-12-23' });
  });

  it('reads the grace date from the removal steps as planned, not from a setting changed since', async () => {
    const engine = engineWith(3);
    const run = await mover(engine, 'agent', 'engineer');
    const changed = { ...engine.deps, settings: { ...engine.deps.settings, moverGraceDays: 10 } };
    expect(await runMoverDiff(changed, run)).toMatchObject({ graceDate: '2026-12-23' });
  });

  it('a mover who loses nothing still gets the date removals would be due, from the same setting', async () => {
    const engine = engineWith(5);
    const run = await mover(engine, 'engineer', 'senior-engineer');
    expect(run.steps.some((s) => s.removes)).toBe(false);
    const diff = await runMoverDiff(engine.deps, run);
    expect(diff).toMatchObject({ from: 'engineer', to: 'senior-engineer', removed: [], added: [], graceDate: '2026-12-25', removalsDueAt: '2026-12-24T23:00:00.000Z' });
    expect(diff?.kept.map((k) => k.value)).toEqual(['/Staff', 'all-staff@example.com', 'eng@example.com', 'support@example.com', 'dev', 'eu']);
  });

  it('says so when no earlier role is on record: everything is added, nothing removed', async () => {
    const engine = engineWith();
    const run = await mover(engine, undefined, 'engineer');
    const diff = await runMoverDiff(engine.deps, run);
    expect(diff).toMatchObject({ to: 'engineer', previousKnown: false, removed: [], kept: [] });
    expect(diff?.from).toBeUndefined();
    expect(diff?.note).toMatch(/no earlier role is on record/);
    expect(diff?.added.map((a) => a.value)).toEqual(['/Staff', 'all-staff@example.com', 'eng@example.com', 'support@example.com', 'dev', 'eu']);
  });

  it('says so when the run that granted the earlier role cannot be read, naming it', async () => {
    const engine = engineWith();
    const run = await mover(engine, 'agent', 'engineer');
    const diff = moverDiffView(run, undefined, engine.deps);
    expect(diff).toMatchObject({ from: 'agent', previousKnown: false, removed: [], kept: [] });
    expect(diff?.note).toContain(`run ${run.role?.previous?.runId}`);
  });

  it('is absent for a hire, a leaver and a mover whose role cannot be resolved', async () => {
    const engine = engineWith();
    const hired = await accept(engine, hire('agent'));
    expect(await runMoverDiff(engine.deps, hired)).toBeUndefined();
    const broken = await accept(engine, move('no-such-role', 'move-broken'));
    expect(broken.role?.errors?.length).toBeGreaterThan(0);
    expect(await runMoverDiff(engine.deps, broken)).toBeUndefined();
  });

  it('comes with the run that GET /v1/runs/{runId} reads, and only there', async () => {
    const engine = engineWith();
    const run = await mover(engine, 'agent', 'engineer');
    const view = await findRunView(engine.deps, run.runId);
    expect(view?.moverDiff).toMatchObject({ from: 'agent', to: 'engineer', graceDate: '2026-12-27' });
    expect(await engine.store.getRun('M1', run.runId)).not.toHaveProperty('moverDiff');
  });
});
