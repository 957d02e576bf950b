/** What a role gives in each system, named as the readers name access: OpenProject's account, and its comparison. */
import { expectedAccess } from '../../../lambdas/consolidation/expected-access';
import { compare, type EmployeeRecord } from '../../../lambdas/consolidation/compare';
import type { DirectoryAccount } from '../../../lambdas/consolidation/directory';
import { OPENPROJECT_USER_ACCESS } from '../../../lambdas/consolidation/readers/openproject-reader';
import { noRole } from '../../../lambdas/roles/role-plan';
import type { ResolvedRole } from '../../../lambdas/roles/resolve';
import type { Run } from '../../../lambdas/engine/model';

const withOpenProject = (name: string): ResolvedRole => ({ ...noRole(name), single: { openprojectAccount: { value: 'user', grantedBy: name } } });
const nextcloudOnly = (name: string): ResolvedRole => {
  const r = noRole(name);
  return { ...r, lists: { ...r.lists, nextcloudGroups: [{ value: 'staff', grantedBy: name }] } };
};

const hired = (id: string, email: string, role: ResolvedRole): EmployeeRecord => {
  const employee = { id, firstName: id, email, timezone: 'UTC' };
  const run: Run = {
    runId: `hire-${id}`,
    employeeId: id,
    eventId: `e-${id}`,
    type: 'hire',
    status: 'completed',
    effectiveDate: '2026-01-01',
    urgent: false,
    steps: [{ stepId: 's', action: 'openproject.provisionUser', params: {}, status: 'succeeded', dueAt: '2026-01-01T00:00:00.000Z', after: [], attempts: 1, fromRole: true }],
    version: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    employee,
    role: { name: role.name, resolved: role, planned: 1 },
  };
  return { employee, runs: [run] };
};

const opUser = (over: Partial<DirectoryAccount>): DirectoryAccount => ({ system: 'openproject', accountId: '42', email: 'ada@example.com', employeeId: 'E1', active: true, signInKnown: false, access: [OPENPROJECT_USER_ACCESS], ...over });

describe('expected access: OpenProject', () => {
  it('a role whose `OpenProject account` is `user` expects an OpenProject account, named as the reader names every user', () => {
    expect(expectedAccess(withOpenProject('engineer'))).toEqual([{ system: 'openproject', access: ['openprojectAccount:user'] }]);
    expect(OPENPROJECT_USER_ACCESS).toBe('openprojectAccount:user');
    expect(expectedAccess(nextcloudOnly('support')).map((e) => e.system)).toEqual(['nextcloud']);
    expect(expectedAccess(noRole('none'))).toEqual([]);
  });

  it('a person whose role gives an OpenProject account and who has none shows as missing, once OpenProject was read', () => {
    const record = hired('E1', 'ada@example.com', withOpenProject('engineer'));
    expect(compare({ accounts: [], records: [record], systemsRead: [] })).toEqual([]);
    expect(compare({ accounts: [], records: [record], systemsRead: ['openproject'] })).toEqual([
      expect.objectContaining({ kind: 'missing', system: 'openproject', employeeId: 'E1', access: ['openprojectAccount:user'], fixes: [expect.objectContaining({ fix: 'grant' })] }),
    ]);
  });

  it('their user, bound by the employee id field, is all the role asks: no finding', () => {
    const record = hired('E1', 'ada@example.com', withOpenProject('engineer'));
    expect(compare({ accounts: [opUser({})], records: [record], systemsRead: ['openproject'] })).toEqual([]);
  });

  it('an OpenProject user of a person whose role gives none is access the role does not give', () => {
    const record = hired('E1', 'ada@example.com', nextcloudOnly('support'));
    expect(compare({ accounts: [opUser({})], records: [record], systemsRead: ['openproject'] })).toEqual([
      expect.objectContaining({ kind: 'extra', system: 'openproject', employeeId: 'E1', access: ['openprojectAccount:user'] }),
    ]);
  });
});
