import { compare, findingId, hasLeft, type EmployeeRecord } from '../../../lambdas/consolidation/compare';
import type { DirectoryAccount } from '../../../lambdas/consolidation/directory';
import type { Run, Step } from '../../../lambdas/engine/model';
import { noRole } from '../../../lambdas/roles/role-plan';
import type { ResolvedRole } from '../../../lambdas/roles/resolve';

const role = (name: string, grants: { groups?: string[]; sku?: string; nextcloud?: string[] }): ResolvedRole => {
  const r = noRole(name);
  return {
    ...r,
    single: grants.sku ? { googleLicenseSku: { value: grants.sku, grantedBy: name } } : {},
    lists: { ...r.lists, googleGroups: (grants.groups ?? []).map((value) => ({ value, grantedBy: name })), nextcloudGroups: (grants.nextcloud ?? []).map((value) => ({ value, grantedBy: name })) },
  };
};

const step = (over: Partial<Step>): Step => ({ stepId: 's', action: 'google.createUser', params: {}, status: 'succeeded', dueAt: '2026-01-01T00:00:00.000Z', after: [], attempts: 1, ...over });

const run = (over: Partial<Run>): Run => ({
  runId: 'r1',
  employeeId: 'E1',
  eventId: 'e1',
  type: 'hire',
  status: 'completed',
  effectiveDate: '2026-01-01',
  urgent: false,
  steps: [],
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  employee: { id: 'E1', firstName: 'Ada', email: 'ada@example.com', timezone: 'UTC' },
  ...over,
});

const hired = (id: string, email: string, resolved: ResolvedRole, extraSteps: Step[] = []): EmployeeRecord => ({
  employee: { id, firstName: id, email, timezone: 'UTC' },
  runs: [run({ runId: `hire-${id}`, employeeId: id, employee: { id, firstName: id, email, timezone: 'UTC' }, role: { name: resolved.name, resolved, planned: 1 }, steps: [step({ fromRole: true }), ...extraSteps] })],
});

const left = (record: EmployeeRecord): EmployeeRecord => ({
  ...record,
  runs: [...record.runs, run({ runId: `leave-${record.employee.id}`, employeeId: record.employee.id, type: 'terminate', createdAt: '2026-06-01T00:00:00.000Z', steps: [step({ action: 'google.suspendUser' })] })],
});

const account = (over: Partial<DirectoryAccount>): DirectoryAccount => ({ system: 'google', accountId: 'g1', email: 'ada@example.com', employeeId: 'E1', active: true, signInKnown: true, access: [], ...over });

const sales = role('sales', { groups: ['sales@example.com'], sku: '1010020020' });

describe('consolidation comparison', () => {
  it('reports an account bound to nobody, offering bind alone (suggesting the employee of its address)', () => {
    const findings = compare({ accounts: [account({ employeeId: undefined, accountId: 'g9' })], records: [hired('E1', 'ada@example.com', sales)], systemsRead: [] });
    expect(findings).toEqual([
      expect.objectContaining({ kind: 'unbound', system: 'google', id: findingId('unbound', 'google', 'g9'), fixes: [expect.objectContaining({ fix: 'bind', suggestedEmployeeId: 'E1' })] }),
    ]);
  });

  it('takes an account carrying an id no employee has as bound to nobody', () => {
    const [finding] = compare({ accounts: [account({ system: 'nextcloud', accountId: 'jdoe', employeeId: 'jdoe', email: 'jdoe@example.com' })], records: [], systemsRead: [] });
    expect(finding).toMatchObject({ kind: 'unbound', message: expect.stringContaining('"jdoe", which no employee has') });
  });

  it('takes an account the runs recorded as adopted as the employee\'s, though it carries no id', () => {
    const record = hired('E1', 'ada@example.com', role('r', { nextcloud: ['staff'] }), [step({ action: 'nextcloud.provisionUser', account: { system: 'nextcloud', address: 'ada@example.com', accountId: 'ada.l', state: 'active', boundBy: 'adopted' } })]);
    const findings = compare({ accounts: [account({ system: 'nextcloud', accountId: 'ada.l', employeeId: 'ada.l', access: ['nextcloudGroups:staff'] })], records: [record], systemsRead: ['nextcloud'] });
    expect(findings).toEqual([]);
  });

  it('reports a leaver\'s active account, and not a suspended one', () => {
    const record = left(hired('E1', 'ada@example.com', sales));
    expect(hasLeft(record.runs)).toBe(true);
    const findings = compare({ accounts: [account({}), account({ system: 'nextcloud', accountId: 'E1', active: false })], records: [record], systemsRead: ['google', 'nextcloud'] });
    expect(findings).toEqual([expect.objectContaining({ kind: 'leaver_active', system: 'google', employeeId: 'E1', fixes: [expect.objectContaining({ fix: 'remove' })] })]);
  });

  it('does not take a rehired person for a leaver', () => {
    const record = left(hired('E1', 'ada@example.com', sales));
    const rehired = { ...record, runs: [...record.runs, run({ runId: 'rehire', createdAt: '2026-09-01T00:00:00.000Z', role: { name: 'sales', resolved: sales, planned: 1 } })] };
    expect(hasLeft(rehired.runs)).toBe(false);
  });

  it('reports missing access and extra access on a person\'s account', () => {
    const findings = compare({ accounts: [account({ access: ['googleGroups:sales@example.com', 'googleGroups:finance@example.com'] })], records: [hired('E1', 'ada@example.com', sales)], systemsRead: ['google'] });
    expect(findings).toEqual([
      expect.objectContaining({ kind: 'missing', access: ['googleLicenseSku:1010020020'], fixes: [expect.objectContaining({ fix: 'grant' })] }),
      expect.objectContaining({ kind: 'extra', access: ['googleGroups:finance@example.com'], fixes: [] }),
    ]);
  });

  it('reports a missing account only in a system read in full', () => {
    const record = hired('E1', 'ada@example.com', role('r', { nextcloud: ['staff'] }));
    expect(compare({ accounts: [], records: [record], systemsRead: [] })).toEqual([]);
    expect(compare({ accounts: [], records: [record], systemsRead: ['nextcloud'] })).toEqual([
      expect.objectContaining({ kind: 'missing', system: 'nextcloud', employeeId: 'E1', access: ['nextcloudGroups:staff'] }),
    ]);
  });

  it('reports a protected account but never offers to remove anything from it', () => {
    const findings = compare({
      accounts: [account({ protected: true, employeeId: undefined, accountId: 'admin' }), account({ protected: true, access: ['googleGroups:admins@example.com', 'googleGroups:sales@example.com', 'googleLicenseSku:1010020020'] })],
      records: [hired('E1', 'ada@example.com', sales)],
      systemsRead: ['google'],
    });
    expect(findings.map((f) => f.kind)).toEqual(['unbound', 'extra']);
    // Nothing at all is offered on a protected account: not a removal, and not a binding to an employee either.
    for (const f of findings) expect(f.fixes).toEqual([]);
    const leaver = compare({ accounts: [account({ protected: true })], records: [left(hired('E1', 'ada@example.com', sales))], systemsRead: [] });
    expect(leaver).toEqual([expect.objectContaining({ kind: 'leaver_active', fixes: [] })]);
  });

  it('does not compare a person whose hire or role change is still under way: what it has not made yet is not missing', () => {
    const record = hired('E1', 'ada@example.com', role('r', { nextcloud: ['staff'], groups: ['staff@example.com'] }));
    const withStatus = (status: Run['status']): EmployeeRecord => ({ ...record, runs: record.runs.map((r) => ({ ...r, status })) });
    const input = (r: EmployeeRecord) => ({ accounts: [account({ access: ['googleGroups:finance@example.com'] })], records: [r], systemsRead: ['google', 'nextcloud'] });
    for (const status of ['awaiting_approval', 'scheduled', 'in_progress', 'needs_attention'] as const) expect(compare(input(withStatus(status)))).toEqual([]);
    expect(compare(input(withStatus('completed'))).map((f) => `${f.kind}:${f.system}`)).toEqual(['missing:google', 'missing:nextcloud', 'extra:google']);
  });

  it('while a role change is under way: nothing is missing, and access either role gives is not extra; once it ends, the new role is compared', () => {
    const before = role('staff', { groups: ['staff@example.com'] });
    const after = role('lead', { groups: ['staff@example.com', 'leads@example.com'] });
    const record = hired('E1', 'ada@example.com', before);
    const change = (status: Run['status']): EmployeeRecord => ({ ...record, runs: [...record.runs, run({ runId: 'change', type: 'role_change', status, createdAt: '2026-03-01T00:00:00.000Z', role: { name: 'lead', resolved: after, planned: 1 } })] });
    const read = (r: EmployeeRecord, access: string[]) => compare({ accounts: [account({ access })], records: [r], systemsRead: ['google'] }).map((f) => `${f.kind}:${(f.access ?? []).join(',')}`);
    expect(read(change('scheduled'), ['googleGroups:staff@example.com', 'googleGroups:leads@example.com', 'googleGroups:finance@example.com'])).toEqual(['extra:googleGroups:finance@example.com']);
    expect(read(change('needs_attention'), [])).toEqual([]);
    expect(read(change('completed'), ['googleGroups:staff@example.com'])).toEqual(['missing:googleGroups:leads@example.com']);
  });

  it('offers no fix for a missing Google account: a hire makes it, a role\'s grants do not', () => {
    const findings = compare({ accounts: [], records: [hired('E1', 'ada@example.com', role('r', { groups: ['staff@example.com'], nextcloud: ['staff'] }))], systemsRead: ['google', 'nextcloud'] });
    expect(findings).toEqual([
      expect.objectContaining({ kind: 'missing', system: 'google', fixes: [], message: expect.stringContaining('a hire makes it') }),
      expect.objectContaining({ kind: 'missing', system: 'nextcloud', fixes: [expect.objectContaining({ fix: 'grant' })] }),
    ]);
  });

  it('gives the same problem the same id on every read', () => {
    const input = { accounts: [account({ access: [] })], records: [hired('E1', 'ada@example.com', sales)], systemsRead: ['google'] };
    expect(compare(input).map((f) => f.id)).toEqual(compare(structuredClone(input)).map((f) => f.id));
  });
});
