/** Planning a hire or a role change from its role: the joiner's access, the mover's diff, the hold on a broken role, approval by role. */
import { parsePlaybooks } from '../../config/playbooks';
import { buildRoleAlert } from '../../lambdas/engine/alerts';
import { approvalReason, finishPlan } from '../../lambdas/engine/intake';
import type { PlannedEvent, Run } from '../../lambdas/engine/model';
import { heldRole, planRun, type PlannedRole } from '../../lambdas/engine/plan';
import { silentLog, type EngineDeps } from '../../lambdas/engine/ports';
import { knownAddress, roleForEvent, unrevokedRoleNote } from '../../lambdas/engine/role-planning';
import { actionCatalog } from '../../lambdas/handlers/engine-deps';
import { releaseDue } from '../../lambdas/engine/step-machine';
import { renderRole } from '../../lambdas/roles/render';
import { resolveRole } from '../../lambdas/roles/resolve';
import type { RawRole } from '../../lambdas/roles/role-model';
import { settings, terminateEvent } from '../support/builders';
import { memoryEngine } from '../support/memory-engine';
import { intake } from '../../lambdas/engine/intake';
import { catalogOf, idOf, role } from './roles/role-fixtures';

const now = new Date('2026-11-23T10:00:00Z');

const catalog = catalogOf([
  role('employee', undefined, { 'Google OU': '/Staff', 'License SKU': '1010020027', Groups: ['all-staff@example.com'], 'Manual tasks': ['Order a laptop'] }),
  role('agent', 'employee', {
    Groups: ['support@example.com'],
    Calendars: ['c_rota@group.calendar.google.com'],
    'Custom schema': '{"SAML":{"role":"helpdesk"}}',
    'Connect routing profile': 'Support-Tier1',
    'Connect security profiles': ['Agent'],
  }),
  role('lead', 'agent', { 'License SKU': '1010020028', Groups: ['leads@example.com'], 'Connect security profiles': ['CallCenterManager'], 'Requires approval': true }),
  role('engineer', 'employee', { Groups: ['eng@example.com'] }),
  role('broken', 'employee', { Parent: [idOf('nowhere')] }),
]);

const playbooks = parsePlaybooks({
  hire: {
    role: { offsetDays: -1, at: '09:00', after: ['create-user'] },
    steps: [
      { id: 'create-user', action: 'google.createUser', offsetDays: -1, at: '09:00', params: { orgUnitPath: '/New' } },
      { id: 'welcome-email', action: 'google.sendWelcomeEmail', offsetDays: 0, at: '09:00', after: ['create-user'] },
      { id: 'summary', action: 'forward.event', offsetDays: -1, afterRole: true },
    ],
  },
  role_change: { role: { offsetDays: 0, at: '00:00' }, steps: [{ id: 'forward-event', action: 'forward.event' }] },
  terminate: { steps: [] },
});

const resolved = (name: string) => {
  const r = resolveRole(catalog, name);
  expect(r.errors).toEqual([]);
  return r.role!;
};
const plannedRole = (name: string, previous?: string): PlannedRole => ({
  name,
  resolved: resolved(name),
  text: renderRole(resolved(name)),
  ...(previous ? { previous: { role: resolved(previous), runId: 'r-before' } } : {}),
  planned: 1,
});
const hire = (r = 'agent'): PlannedEvent => terminateEvent({ type: 'hire', eventId: 'h-1', effectiveDate: '2026-12-07', employee: { ...terminateEvent().employee, email: undefined, role: r } });
const move = (r: string): PlannedEvent => terminateEvent({ type: 'role_change', eventId: 'm-1', effectiveDate: '2026-12-07', employee: { ...terminateEvent().employee, role: r } });
const byId = (run: Run) => Object.fromEntries(run.steps.map((s) => [s.stepId, s]));

describe('a hire planned from its role', () => {
  it('creates the account in the role org unit with its custom schema values, then grants the rest after it', () => {
    const run = planRun(hire(), playbooks, now, settings, plannedRole('agent'));
    const steps = byId(run);
    expect(steps['create-user'].params).toEqual({ orgUnitPath: '/Staff', customSchemas: { SAML: { role: 'helpdesk' } } });
    expect(Object.keys(steps)).toEqual(['create-user', 'welcome-email', 'summary', 'assign-license', 'add-groups', 'share-calendars', 'create-connect-agent']);
    expect(steps['assign-license']).toMatchObject({ action: 'google.assignLicense', params: { skuId: '1010020027' }, after: ['create-user'], fromRole: true });
    expect(steps['add-groups'].params).toEqual({ groups: ['all-staff@example.com', 'support@example.com'] });
    expect(steps['create-connect-agent']).toMatchObject({ action: 'connect.createAgent', params: { routingProfileId: 'Support-Tier1', securityProfileIds: ['Agent'] } });
    // The role's time: the day before the start, 09:00 in the employee's zone (Europe/Berlin: UTC+1).
    expect(steps['add-groups'].dueAt).toBe('2026-12-06T08:00:00.000Z');
    // A step after the role waits for every step planned from it.
    expect(steps.summary.after).toEqual(['assign-license', 'add-groups', 'share-calendars', 'create-connect-agent']);
    expect(run.role).toMatchObject({ name: 'agent', planned: 1 });
    expect(run.role?.text).toContain('support@example.com');
    expect(run.status).toBe('scheduled');
  });

  it('plans only the account without a role, or from a playbook with no role section', () => {
    const none = planRun(hire(), playbooks, now, settings);
    const { role: _r, ...withoutRole } = playbooks.hire;
    const ignored = planRun(hire(), parsePlaybooks({ ...playbooks, hire: withoutRole }), now, settings, plannedRole('agent'));
    expect(ignored.steps.map((s) => s.stepId)).toEqual(['create-user', 'welcome-email', 'summary']);
    expect(none.steps.map((s) => s.stepId)).toEqual(['create-user', 'welcome-email', 'summary']);
    expect(none.steps[0].params).toEqual({ orgUnitPath: '/New' });
    expect(none.role).toBeUndefined();
  });

  it('refuses a playbook whose step ids clash with the steps a role plans', () => {
    const clash = parsePlaybooks({ ...playbooks, hire: { role: { offsetDays: 0, at: '00:00', after: [] }, steps: [{ id: 'add-groups', action: 'forward.event' }] } });
    expect(() => planRun(hire(), clash, now, settings, plannedRole('agent'))).toThrow('add-groups');
  });

  it('holds the run in needs_attention, with no role step and nothing released, when the role cannot be resolved', () => {
    const { errors } = resolveRole(catalog, 'broken');
    const run = finishPlan(planRun(hire('broken'), playbooks, now, settings, { name: 'broken', errors, planned: 1 }), { settings, actions: actionCatalog } as EngineDeps);
    expect(run.status).toBe('needs_attention');
    expect(run.steps.every((s) => !s.fromRole)).toBe(true);
    expect(run.dueAt).toBeUndefined();
    expect(releaseDue(run, new Date('2027-01-01T00:00:00Z'), settings).enqueue).toEqual([]);
    expect(run.role?.alertId).toBe(`${run.runId}:plan:1`);
    const alert = buildRoleAlert(run, errors, 1, now.toISOString());
    expect(alert.message).toContain('broken / Parent');
    expect(alert.whatToDo).toContain(`/v1/runs/${run.runId}/replan`);
  });

  it('waits for approval when the role or one it inherits from asks for it, and not otherwise', () => {
    const lead = finishPlan(planRun(hire('lead'), playbooks, now, settings, plannedRole('lead')), { settings, actions: actionCatalog } as EngineDeps);
    expect(lead.status).toBe('awaiting_approval');
    expect(lead.approval?.requiredBy).toBe('role lead requires approval');
    const agent = finishPlan(planRun(hire('agent'), playbooks, now, settings, plannedRole('agent')), { settings, actions: actionCatalog } as EngineDeps);
    expect(agent.status).toBe('scheduled');
    expect(approvalReason(agent, { ...settings, approveHires: true })).toBe('stage setting approveHires');
  });

  it('waits for approval on a rehire and on a changed personal email, unless the stage turns either off', () => {
    const agent = planRun(hire('agent'), playbooks, now, settings, plannedRole('agent'));
    const rehire = { ...agent, restoresRunId: 'r-left' };
    expect(approvalReason(rehire, settings)).toBe('rehire: restores what run r-left removed (stage setting approveRehires)');
    expect(approvalReason(rehire, { ...settings, approveRehires: false })).toBeUndefined();
    const moved = { ...agent, personalEmailWas: 'old@home.example' };
    expect(approvalReason(moved, settings)).toMatch(/^personal email changed from old@home.example to /);
    expect(approvalReason(moved, { ...settings, approvePersonalEmailChanges: false })).toBeUndefined();
    expect(finishPlan(moved, { settings, actions: actionCatalog } as EngineDeps).status).toBe('awaiting_approval');
    // Not for a leaver or a mover: no welcome link goes out.
    expect(approvalReason({ ...moved, type: 'role_change' }, settings)).toBeUndefined();
  });
});

describe('a role change planned as a diff', () => {
  it('adds what only the new role has on the day and removes what only the old had after the grace period', () => {
    const run = planRun(move('engineer'), playbooks, now, { ...settings, moverGraceDays: 10 }, plannedRole('engineer', 'agent'));
    const steps = byId(run);
    expect(steps['add-groups']).toMatchObject({ params: { groups: ['eng@example.com'] }, dueAt: '2026-12-06T23:00:00.000Z' });
    expect(steps['remove-groups']).toMatchObject({ action: 'google.removeFromGroups', params: { groups: ['support@example.com'] }, dueAt: '2026-12-16T23:00:00.000Z', after: ['add-groups'] });
    expect(steps['remove-connect-agent']).toMatchObject({ action: 'connect.removeAgent', dueAt: '2026-12-16T23:00:00.000Z' });
    // Shared access (all-staff, the license) is untouched.
    expect(JSON.stringify(run.steps)).not.toContain('all-staff@example.com');
    expect(steps['assign-license']).toBeUndefined();
    expect(run.role?.previous).toEqual({ name: 'agent', runId: 'r-before' });
  });

  it('defaults the grace period to 7 days', () => {
    const run = planRun(move('engineer'), playbooks, now, settings, plannedRole('engineer', 'agent'));
    expect(byId(run)['remove-groups'].dueAt).toBe('2026-12-13T23:00:00.000Z');
  });

  it('with no earlier role on record, adds the new role and removes nothing', () => {
    const run = planRun(move('engineer'), playbooks, now, settings, plannedRole('engineer'));
    expect(run.steps.filter((s) => s.fromRole).map((s) => s.stepId)).toEqual(['move-org-unit', 'assign-license', 'add-groups']);
    expect(run.role?.previous).toBeUndefined();
  });
});

describe('the role held before and the address on record', () => {
  const runOf = (over: Partial<Run>): Run => ({ ...planRun(hire(), playbooks, now, settings, plannedRole('agent')), ...over });

  it('is the latest hire or role change planned from a resolved role that was not undone', () => {
    const runs = [
      runOf({ runId: 'r1', createdAt: '2026-01-01T00:00:00Z' }),
      runOf({ runId: 'r2', type: 'role_change', createdAt: '2026-03-01T00:00:00Z', role: { name: 'lead', resolved: resolved('lead'), planned: 1 } }),
      runOf({ runId: 'r3', type: 'role_change', createdAt: '2026-04-01T00:00:00Z', status: 'rejected', role: { name: 'engineer', resolved: resolved('engineer'), planned: 1 } }),
      runOf({ runId: 'r4', type: 'role_change', createdAt: '2026-05-01T00:00:00Z', role: { name: 'engineer', resolved: resolved('engineer'), planned: 1 } }),
      runOf({ runId: 'r5', type: 'cancel', createdAt: '2026-05-02T00:00:00Z', cancelsRunId: 'r4' }),
      runOf({ runId: 'r6', type: 'role_change', createdAt: '2026-06-01T00:00:00Z', role: { name: 'x', errors: [{ role: 'x', property: 'Name', message: 'no role' }], planned: 1 } }),
    ];
    expect(heldRole(runs, 'new')).toMatchObject({ runId: 'r2', role: { name: 'lead' } });
    expect(heldRole(runs, 'r2')?.runId).toBe('r1');
  });

  it('is still the role of a run cancelled after one of its grants succeeded (a termination stopped the hire)', () => {
    const hire = runOf({ runId: 'r1', createdAt: '2026-01-01T00:00:00Z', status: 'cancelled' });
    expect(heldRole([hire], 'new')).toBeUndefined();
    const granted = { ...hire, steps: hire.steps.map((s, i) => (s.fromRole && i === hire.steps.findIndex((x) => x.fromRole) ? { ...s, status: 'succeeded' as const } : { ...s, status: 'cancelled' as const })) };
    expect(heldRole([granted], 'new')?.runId).toBe('r1');
    // Undone by HR's cancel event: not held.
    expect(heldRole([granted, runOf({ runId: 'c1', type: 'cancel', createdAt: '2026-01-02T00:00:00Z', cancelsRunId: 'r1' })], 'new')).toBeUndefined();
  });

  it('takes the newest known company address', () => {
    const runs = [runOf({ createdAt: '2026-01-01T00:00:00Z', employee: { ...hire().employee, email: 'old@example.com' } }), runOf({ createdAt: '2026-02-01T00:00:00Z', employee: { ...hire().employee, email: 'new@example.com' } })];
    expect(knownAddress(runs)).toBe('new@example.com');
  });
});

describe('roleForEvent', () => {
  const deps = (load: () => Promise<RawRole[]>, known?: EngineDeps['roles'] extends infer R ? (R extends { knownReferences?: infer K } ? K : never) : never) =>
    ({ log: silentLog, roles: { catalog: { load }, ...(known ? { knownReferences: known } : {}) } }) as Pick<EngineDeps, 'roles' | 'log'>;

  it('resolves the role, renders it, and finds the role a mover leaves', async () => {
    const before = { ...planRun(hire(), playbooks, now, settings, plannedRole('agent')), runId: 'r-hire' };
    const found = await roleForEvent(deps(async () => catalog), move('engineer'), [before], 'r-move', 1);
    expect(found).toMatchObject({ ok: true, role: { name: 'engineer', previous: { runId: 'r-hire', role: { name: 'agent' } } } });
  });

  it('answers the errors of an unknown role and of references that do not exist, naming role and property', async () => {
    expect(await roleForEvent(deps(async () => catalog), hire('nope'), [], 'r', 1)).toEqual({ ok: true, role: { name: 'nope', errors: [{ role: 'nope', property: 'Name', message: 'no role of that name in the catalog' }], planned: 1 } });
    const unknownGroup = await roleForEvent(deps(async () => catalog, async () => ({ groups: new Set(['all-staff@example.com']) })), hire('agent'), [], 'r', 2);
    expect(unknownGroup).toEqual({ ok: true, role: { name: 'agent', planned: 2, errors: [{ role: 'agent', property: 'Groups', message: 'unknown Google group "support@example.com"' }] } });
  });

  it('refuses (nothing to write) when the catalog cannot be read or none is configured; a leaver needs no role', async () => {
    const down = await roleForEvent(deps(async () => Promise.reject(new Error('503 service_unavailable'))), hire(), [], 'r', 1);
    expect(down).toMatchObject({ ok: false, message: expect.stringContaining('503 service_unavailable') });
    expect(await roleForEvent({ log: silentLog }, hire(), [], 'r', 1)).toMatchObject({ ok: false, message: expect.stringContaining('no role catalog') });
    expect(await roleForEvent({ log: silentLog }, terminateEvent(), [], 'r', 1)).toEqual({ ok: true });
  });
});

describe('a leaver no run granted a role to, whose event names one', () => {
  it('goes ahead with the playbook alone, and the run names the role whose grants are left to check by hand', async () => {
    const load = jest.fn(async () => catalog);
    const engine = memoryEngine({ deps: { roles: { catalog: { load } } } });
    const event = terminateEvent({ urgent: true, employee: { ...terminateEvent().employee, role: 'agent' } });
    expect(await intake(engine.deps, event, JSON.stringify(event))).toMatchObject({ outcome: 'created' });
    const [run] = await engine.store.listRuns(event.employee.id);
    expect(run.status).not.toBe('needs_attention');
    expect(run.role).toBeUndefined();
    expect(run.steps.filter((s) => s.fromRole)).toEqual([]);
    expect(run.notes).toEqual([unrevokedRoleNote('agent')]);
    expect(unrevokedRoleNote('agent')).toMatch(/^the event names role agent, which no earlier run granted: .* not revoked; check them by hand$/);
    // The catalog is not read for a leaver.
    expect(load).not.toHaveBeenCalled();
  });
});
