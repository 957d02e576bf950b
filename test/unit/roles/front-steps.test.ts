/** The Front steps a role diff plans (joiner, mover, leaver), and the Front role properties read from Notion. */
import { diffRoles, moverSteps } from '../../../lambdas/roles/diff';
import type { ResolvedRole } from '../../../lambdas/roles/resolve';
import { joinerPlan, leaverPlan, noRole } from '../../../lambdas/roles/role-plan';
import { catalogOf, role } from './role-fixtures';

function frontRole(name: string, values: { teams?: string[]; inboxes?: string[]; template?: string }): ResolvedRole {
  const r = noRole(name);
  const grant = <T>(value: T) => ({ value, grantedBy: name });
  if (values.template) r.single.frontTemplate = grant(values.template);
  r.lists.frontTeams = (values.teams ?? []).map(grant);
  r.lists.frontInboxes = (values.inboxes ?? []).map(grant);
  return r;
}

const steps = (plan: { id: string; action: string; params: Record<string, unknown>; phase?: string }[]) => plan.map((s) => [s.id, s.action, s.params]);

describe('Front steps from the role', () => {
  const agent = frontRole('support-agent', { teams: ['Support'], inboxes: ['Support', 'Billing'], template: 'Support agent' });

  it('a joiner gets a teammate with the template, teams and inboxes; an inbox alone makes one too', () => {
    expect(steps(joinerPlan(agent).steps)).toEqual([
      ['provision-front-teammate', 'front.provisionTeammate', { teams: ['Support'], inboxes: ['Support', 'Billing'], template: 'Support agent' }],
    ]);
    expect(steps(joinerPlan(frontRole('x', { inboxes: ['Sales'] })).steps)).toEqual([['provision-front-teammate', 'front.provisionTeammate', { inboxes: ['Sales'] }]]);
    expect(joinerPlan(noRole('nothing')).steps).toEqual([]);
  });

  it('a mover gets the new teams and inboxes on the day, loses the old ones after the grace period', () => {
    const sales = frontRole('sales', { teams: ['Sales'], inboxes: ['Support', 'Sales'], template: 'Sales rep' });
    const plan = moverSteps(diffRoles(agent, sales), { graceDays: 7 });
    expect(plan.map((s) => [s.id, s.action, s.params, s.phase])).toEqual([
      ['update-front-teammate', 'front.updateTeammate', { addTeams: ['Sales'], addInboxes: ['Sales'] }, 'add'],
      ['remove-front-access', 'front.removeAccess', { teams: ['Support'], inboxes: ['Billing'] }, 'remove'],
    ]);
    expect(moverSteps(diffRoles(agent, agent), { graceDays: 7 })).toEqual([]);
  });

  it('a leaver, or a mover to a role without Front, is deactivated, naming what the role gave', () => {
    const granted = { teams: ['Support'], inboxes: ['Support', 'Billing'], template: 'Support agent' };
    expect(steps(leaverPlan(agent))).toEqual([['deactivate-front-teammate', 'front.deactivateTeammate', { granted }]]);
    expect(steps(moverSteps(diffRoles(agent, noRole('engineer')), { graceDays: 7 }))).toEqual([['deactivate-front-teammate', 'front.deactivateTeammate', { granted }]]);
  });

  it('reads the Front properties from Notion, and names a template value that is not one name', () => {
    const [ok, bad] = catalogOf([
      role('a', undefined, { 'Front teams': ['Support'], 'Front inboxes': ['Support', 'Billing'], 'Front template': 'Support agent' }),
      role('b', undefined, { 'Front template': 'Support agent, Sales rep' }),
    ]);
    expect(ok.grants).toMatchObject({ single: { frontTemplate: 'Support agent' }, lists: { frontTeams: ['Support'], frontInboxes: ['Support', 'Billing'] } });
    expect(ok.errors).toEqual([]);
    expect(bad.errors).toEqual([{ role: 'b', property: 'Front template', message: expect.stringMatching(/is not one teammate template's name/) }]);
    expect(bad.grants.single.frontTemplate).toBeUndefined();
  });
});
