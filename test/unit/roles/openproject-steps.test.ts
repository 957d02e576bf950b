/** The OpenProject steps a role diff plans (joiner, mover, leaver), and the OpenProject role property read from Notion. */
import { diffRoles, moverSteps } from '../../../lambdas/roles/diff';
import type { ResolvedRole } from '../../../lambdas/roles/resolve';
import { joinerPlan, leaverPlan, noRole } from '../../../lambdas/roles/role-plan';
import { catalogOf, role } from './role-fixtures';

function openProjectRole(name: string, account?: string): ResolvedRole {
  const r = noRole(name);
  if (account) r.single.openprojectAccount = { value: account, grantedBy: name };
  return r;
}

const steps = (plan: { id: string; action: string; params: Record<string, unknown> }[]) => plan.map((s) => [s.id, s.action, s.params]);

describe('OpenProject steps from the role', () => {
  const engineer = openProjectRole('engineer', 'user');

  it('a joiner gets a user; a role without one plans nothing', () => {
    expect(steps(joinerPlan(engineer).steps)).toEqual([['provision-openproject-user', 'openproject.provisionUser', {}]]);
    expect(joinerPlan(noRole('nothing')).steps).toEqual([]);
  });

  it('a mover keeping an OpenProject user plans nothing; one coming to a role with one gets it; one leaving it is locked', () => {
    expect(moverSteps(diffRoles(engineer, openProjectRole('lead', 'user')), { graceDays: 7 })).toEqual([]);
    expect(steps(moverSteps(diffRoles(noRole('sales'), engineer), { graceDays: 7 }))).toEqual([['provision-openproject-user', 'openproject.provisionUser', {}]]);
    expect(steps(moverSteps(diffRoles(engineer, noRole('sales')), { graceDays: 7 }))).toEqual([['lock-openproject-user', 'openproject.lockUser', { granted: { account: 'user' } }]]);
  });

  it('a leaver is locked', () => {
    expect(steps(leaverPlan(engineer))).toEqual([['lock-openproject-user', 'openproject.lockUser', { granted: { account: 'user' } }]]);
  });

  it('reads the OpenProject account from Notion, and names a value that is not one', () => {
    const [ok, bad] = catalogOf([role('a', undefined, { 'OpenProject account': 'user' }), role('b', undefined, { 'OpenProject account': 'admin' })]);
    expect(ok.grants).toMatchObject({ single: { openprojectAccount: 'user' } });
    expect(ok.errors).toEqual([]);
    expect(bad.errors).toEqual([{ role: 'b', property: 'OpenProject account', message: expect.stringMatching(/is not an OpenProject account kind/) }]);
    expect(bad.grants.single.openprojectAccount).toBeUndefined();
  });
});
