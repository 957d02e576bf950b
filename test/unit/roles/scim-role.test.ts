/** The SCIM role properties: read and checked from a Notion page, checked against the stage's apps, and planned per app. */
import { diffRoles, moverSteps } from '../../../lambdas/roles/diff';
import { resolveRole, validate } from '../../../lambdas/roles/resolve';
import { joinerPlan, leaverPlan, noRole } from '../../../lambdas/roles/role-plan';
import type { ResolvedRole } from '../../../lambdas/roles/resolve';
import { catalogOf, role } from './role-fixtures';

const scimRole = (name: string, apps: string[], groups: string[]): ResolvedRole => {
  const r = noRole(name);
  r.lists.scimApps = apps.map((value) => ({ value, grantedBy: name }));
  r.lists.scimGroups = groups.map((value) => ({ value, grantedBy: name }));
  return r;
};

describe('the SCIM role properties', () => {
  it('reads SCIM apps and SCIM groups from the page', () => {
    const [r] = catalogOf([role('engineer', undefined, { 'SCIM apps': ['wiki'], 'SCIM groups': ['wiki/Wiki Editors', 'crm/Sales'] })]);
    expect(r.errors).toEqual([]);
    expect(r.grants.lists).toMatchObject({ scimApps: ['wiki'], scimGroups: ['wiki/Wiki Editors', 'crm/Sales'] });
  });

  it('names the property and the bad values, for an app name and a group entry not of the form app/group', () => {
    const [r] = catalogOf([role('engineer', undefined, { 'SCIM apps': ['Wiki App'], 'SCIM groups': ['Editors', 'wiki/'] })]);
    expect(r.errors).toEqual([
      { role: 'engineer', property: 'SCIM apps', message: expect.stringContaining('"Wiki App" is not a SCIM app name') },
      { role: 'engineer', property: 'SCIM groups', message: expect.stringContaining('"Editors", "wiki/" are not of the form app/Group name') },
    ]);
  });

  it('an app the stage does not configure is a role error naming it, from SCIM apps and from SCIM groups', () => {
    const catalog = catalogOf([role('engineer', undefined, { 'SCIM apps': ['wiki', 'payroll'], 'SCIM groups': ['hr/People'] })]);
    const { role: resolved } = resolveRole(catalog, 'engineer');
    expect(validate(resolved!, { scimApps: new Set(['wiki']) })).toEqual([
      { role: 'engineer', property: 'SCIM apps', message: 'unknown SCIM app "payroll"' },
      { role: 'engineer', property: 'SCIM groups', message: 'unknown SCIM app "hr" in "hr/People"' },
    ]);
  });
});

describe('the SCIM steps planned from a role', () => {
  it('a joiner: one provision step per app, with its groups; an app named by a group entry alone counts', () => {
    const { steps } = joinerPlan(scimRole('engineer', ['wiki'], ['wiki/Engineering', 'crm/Sales']));
    expect(steps.map((s) => [s.id, s.action, s.params])).toEqual([
      ['scim-wiki-provision', 'scim.provisionUser', { app: 'wiki', groups: ['Engineering'] }],
      ['scim-crm-provision', 'scim.provisionUser', { app: 'crm', groups: ['Sales'] }],
    ]);
  });

  it('a mover: groups added on the day, old groups removed after the grace period once the add is done, a lost app deactivated, a new one provisioned', () => {
    const from = scimRole('support', ['wiki', 'crm'], ['wiki/Support', 'wiki/Everyone']);
    const to = scimRole('engineer', ['wiki', 'git'], ['wiki/Engineering', 'wiki/Everyone']);
    const steps = moverSteps(diffRoles(from, to), { graceDays: 7 });
    expect(steps.map((s) => [s.id, s.action, s.params, s.offsetDays, s.after])).toEqual([
      ['scim-wiki-add-groups', 'scim.addToGroups', { app: 'wiki', groups: ['Engineering'] }, 0, undefined],
      ['scim-git-provision', 'scim.provisionUser', { app: 'git', groups: [] }, 0, undefined],
      ['scim-wiki-remove-groups', 'scim.removeFromGroups', { app: 'wiki', groups: ['Support'] }, 7, ['scim-wiki-add-groups']],
      ['scim-crm-deactivate', 'scim.deactivateUser', { app: 'crm' }, 7, undefined],
    ]);
  });

  it('a leaver: every app of the role held deactivated at once', () => {
    expect(leaverPlan(scimRole('engineer', ['wiki'], ['crm/Sales'])).map((s) => [s.id, s.action, s.params, s.offsetDays])).toEqual([
      ['scim-wiki-deactivate', 'scim.deactivateUser', { app: 'wiki' }, 0],
      ['scim-crm-deactivate', 'scim.deactivateUser', { app: 'crm' }, 0],
    ]);
  });
});
