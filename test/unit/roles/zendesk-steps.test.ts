/** The Zendesk steps a role diff plans (joiner, mover, leaver), and the Zendesk role properties read from Notion. */
import { diffRoles, moverSteps } from '../../../lambdas/roles/diff';
import type { ResolvedRole } from '../../../lambdas/roles/resolve';
import { joinerPlan, leaverPlan, noRole } from '../../../lambdas/roles/role-plan';
import { catalogOf, role } from './role-fixtures';

function zendeskRole(name: string, values: { role?: string; customRole?: string; groups?: string[] }): ResolvedRole {
  const r = noRole(name);
  const grant = <T>(value: T) => ({ value, grantedBy: name });
  if (values.role) r.single.zendeskRole = grant(values.role);
  if (values.customRole) r.single.zendeskCustomRole = grant(values.customRole);
  r.lists.zendeskGroups = (values.groups ?? []).map(grant);
  return r;
}

const steps = (plan: { id: string; action: string; params: Record<string, unknown>; phase?: string }[]) => plan.map((s) => [s.id, s.action, s.params]);

describe('Zendesk steps from the role', () => {
  const agent = zendeskRole('support-agent', { role: 'agent', groups: ['Support'] });

  it('a joiner gets a user with the role, custom role and groups', () => {
    expect(steps(joinerPlan(zendeskRole('x', { role: 'agent', customRole: 'Light agent', groups: ['Support', 'Tier 2'] })).steps)).toEqual([
      ['provision-zendesk-user', 'zendesk.provisionUser', { role: 'agent', customRole: 'Light agent', groups: ['Support', 'Tier 2'] }],
    ]);
    // Groups alone make an agent.
    expect(steps(joinerPlan(zendeskRole('x', { groups: ['Support'] })).steps)).toEqual([['provision-zendesk-user', 'zendesk.provisionUser', { role: 'agent', groups: ['Support'] }]]);
    expect(joinerPlan(noRole('nothing')).steps).toEqual([]);
  });

  it('a mover gets the new groups and role on the day, loses the old groups after the grace period', () => {
    const lead = zendeskRole('lead', { role: 'admin', groups: ['Tier 2'] });
    const plan = moverSteps(diffRoles(agent, lead), { graceDays: 7 });
    expect(plan.map((s) => [s.id, s.action, s.params, s.phase])).toEqual([
      ['update-zendesk-user', 'zendesk.updateUser', { role: 'admin', addGroups: ['Tier 2'] }, 'add'],
      ['remove-zendesk-access', 'zendesk.updateUser', { removeGroups: ['Support'] }, 'remove'],
    ]);
    expect(moverSteps(diffRoles(agent, agent), { graceDays: 7 })).toEqual([]);
  });

  it('a leaver, or a mover to a role without Zendesk, is suspended, naming what the role gave', () => {
    expect(steps(leaverPlan(agent))).toEqual([['suspend-zendesk-user', 'zendesk.suspendUser', { granted: { role: 'agent', groups: ['Support'] } }]]);
    expect(steps(moverSteps(diffRoles(agent, noRole('engineer')), { graceDays: 7 }))).toEqual([['suspend-zendesk-user', 'zendesk.suspendUser', { granted: { role: 'agent', groups: ['Support'] } }]]);
  });

  it('reads the Zendesk properties from Notion, and names a Zendesk role that is not one', () => {
    const [ok, bad] = catalogOf([
      role('a', undefined, { 'Zendesk role': 'agent', 'Zendesk custom role': 'Light agent', 'Zendesk groups': ['Support', 'Tier 2'] }),
      role('b', undefined, { 'Zendesk role': 'wizard' }),
    ]);
    expect(ok.grants).toMatchObject({ single: { zendeskRole: 'agent', zendeskCustomRole: 'Light agent' }, lists: { zendeskGroups: ['Support', 'Tier 2'] } });
    expect(ok.errors).toEqual([]);
    expect(bad.errors).toEqual([{ role: 'b', property: 'Zendesk role', message: '"wizard" is not a Zendesk role: one of end-user, agent, admin' }]);
    expect(bad.grants.single.zendeskRole).toBeUndefined();
  });
});
