/** The Nextcloud steps a role diff plans (joiner, mover, leaver), and the Nextcloud role properties read from Notion. */
import { diffRoles, moverSteps } from '../../../lambdas/roles/diff';
import type { ResolvedRole } from '../../../lambdas/roles/resolve';
import { joinerPlan, leaverPlan, noRole } from '../../../lambdas/roles/role-plan';
import { catalogOf, role } from './role-fixtures';

function nextcloudRole(name: string, values: { groups?: string[]; quota?: string }): ResolvedRole {
  const r = noRole(name);
  const grant = <T>(value: T) => ({ value, grantedBy: name });
  if (values.quota) r.single.nextcloudQuota = grant(values.quota);
  r.lists.nextcloudGroups = (values.groups ?? []).map(grant);
  return r;
}

const steps = (plan: { id: string; action: string; params: Record<string, unknown> }[]) => plan.map((s) => [s.id, s.action, s.params]);

describe('Nextcloud steps from the role', () => {
  const engineer = nextcloudRole('engineer', { groups: ['Engineering'], quota: '10 GB' });

  it('a joiner gets a user in the groups with the quota; a quota alone makes one too', () => {
    expect(steps(joinerPlan(engineer).steps)).toEqual([['provision-nextcloud-user', 'nextcloud.provisionUser', { groups: ['Engineering'], quota: '10 GB' }]]);
    expect(steps(joinerPlan(nextcloudRole('x', { quota: '1 GB' })).steps)).toEqual([['provision-nextcloud-user', 'nextcloud.provisionUser', { quota: '1 GB' }]]);
    expect(joinerPlan(noRole('nothing')).steps).toEqual([]);
  });

  it('a mover gets the new groups and quota on the day, loses the old groups after the grace period', () => {
    const lead = nextcloudRole('lead', { groups: ['Engineering Leads'], quota: '50 GB' });
    expect(moverSteps(diffRoles(engineer, lead), { graceDays: 7 }).map((s) => [s.id, s.action, s.params, s.phase])).toEqual([
      ['update-nextcloud-user', 'nextcloud.updateUser', { addGroups: ['Engineering Leads'], quota: '50 GB' }, 'add'],
      ['remove-nextcloud-groups', 'nextcloud.removeGroups', { groups: ['Engineering'] }, 'remove'],
    ]);
    expect(moverSteps(diffRoles(engineer, engineer), { graceDays: 7 })).toEqual([]);
  });

  it('a leaver, or a mover to a role without Nextcloud, is disabled, naming what the role gave', () => {
    const granted = { groups: ['Engineering'], quota: '10 GB' };
    expect(steps(leaverPlan(engineer))).toEqual([['disable-nextcloud-user', 'nextcloud.disableUser', { granted }]]);
    expect(steps(moverSteps(diffRoles(engineer, noRole('sales')), { graceDays: 7 }))).toEqual([['disable-nextcloud-user', 'nextcloud.disableUser', { granted }]]);
  });

  it('reads the Nextcloud properties from Notion, and names a quota that is not one', () => {
    const [ok, bad] = catalogOf([role('a', undefined, { 'Nextcloud groups': ['Engineering'], 'Nextcloud quota': '10 GB' }), role('b', undefined, { 'Nextcloud quota': 'lots' })]);
    expect(ok.grants).toMatchObject({ single: { nextcloudQuota: '10 GB' }, lists: { nextcloudGroups: ['Engineering'] } });
    expect(ok.errors).toEqual([]);
    expect(bad.errors).toEqual([{ role: 'b', property: 'Nextcloud quota', message: expect.stringMatching(/is not a Nextcloud quota/) }]);
    expect(bad.grants.single.nextcloudQuota).toBeUndefined();
  });

  it('refuses a quota in GiB, which Nextcloud reads as bytes, naming the property; takes bytes alone and KB to PB', () => {
    const [gib, bytes, tb] = catalogOf([role('g', undefined, { 'Nextcloud quota': '5 GiB' }), role('b', undefined, { 'Nextcloud quota': '1073741824' }), role('t', undefined, { 'Nextcloud quota': '1 TB' })]);
    expect(gib.errors).toEqual([{ role: 'g', property: 'Nextcloud quota', message: expect.stringMatching(/"5 GiB" is not a Nextcloud quota.*5 bytes/) }]);
    expect(bytes.errors).toEqual([]);
    expect(tb.errors).toEqual([]);
  });
});
