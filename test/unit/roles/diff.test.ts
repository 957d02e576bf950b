/** A mover's difference of roles: what is added on the effective date, removed after the grace period, left alone. */
import { DEFAULT_GRACE_DAYS, diffRoles, moverSteps, type MoverStepPlan } from '../../../lambdas/roles/diff';
import { resolveRole } from '../../../lambdas/roles/resolve';
import { catalogOf, role } from './role-fixtures';

const catalog = catalogOf([
  role('employee', undefined, { 'Google OU': '/Staff', 'License SKU': '1010020027', Groups: ['all-staff@example.com'] }),
  role('junior-support-agent', 'employee', {
    Groups: ['support@example.com', 'support-juniors@example.com'],
    Calendars: ['c_support-rota@group.calendar.google.com'],
    'Connect routing profile': 'Support-Tier1',
    'Connect security profiles': ['Agent', 'Trainee'],
    'Connect hierarchy group': 'Tier1',
    'Custom schema': '{"SAML":{"role":"helpdesk","region":"eu","probation":true}}',
  }),
  role('support-agent', 'junior-support-agent', { 'Connect routing profile': 'Support-Tier2', Groups: ['escalations@example.com'] }),
  // Not a child of junior: a senior holds neither the juniors' group nor the trainee profile.
  role('senior-support-agent', 'employee', {
    'Google OU': '/Staff/Support',
    'License SKU': '1010020028',
    Groups: ['support@example.com', 'escalations@example.com'],
    Calendars: ['c_support-rota@group.calendar.google.com', 'c_support-escalations@group.calendar.google.com'],
    'Connect routing profile': 'Support-Tier2',
    'Connect security profiles': ['Agent', 'CallCenterManager'],
    'Connect hierarchy group': 'Tier2',
    'Custom schema': '{"SAML":{"role":"helpdesk-lead","region":"eu","team":"t2"}}',
  }),
  role('engineer', 'employee', { Groups: ['eng@example.com'] }),
]);

const resolved = (name: string) => {
  const { role: r, errors } = resolveRole(catalog, name);
  expect(errors).toEqual([]);
  return r!;
};
const steps = (from: string | undefined, to: string, graceDays = DEFAULT_GRACE_DAYS) => moverSteps(diffRoles(from ? resolved(from) : undefined, resolved(to)), { graceDays });
const byId = (plan: MoverStepPlan[]) => Object.fromEntries(plan.map((s) => [s.id, s]));

describe('diffRoles', () => {
  it('junior → senior: new groups and profiles are added, single values changed, shared access kept with its provenance', () => {
    const diff = diffRoles(resolved('junior-support-agent'), resolved('senior-support-agent'));
    expect(diff.from).toBe('junior-support-agent');
    expect(diff.to).toBe('senior-support-agent');
    expect(diff.lists.googleGroups).toEqual({
      added: [{ value: 'escalations@example.com', grantedBy: 'senior-support-agent' }],
      removed: [{ value: 'support-juniors@example.com', grantedBy: 'junior-support-agent' }],
      kept: [
        { value: 'all-staff@example.com', grantedBy: 'employee' },
        { value: 'support@example.com', grantedBy: 'senior-support-agent', previouslyGrantedBy: 'junior-support-agent' },
      ],
    });
    expect(diff.lists.connectSecurityProfiles.added).toEqual([{ value: 'CallCenterManager', grantedBy: 'senior-support-agent' }]);
    expect(diff.lists.connectSecurityProfiles.removed).toEqual([{ value: 'Trainee', grantedBy: 'junior-support-agent' }]);
    expect(diff.single.googleLicenseSku).toEqual({
      changed: { from: { value: '1010020027', grantedBy: 'employee' }, to: { value: '1010020028', grantedBy: 'senior-support-agent' } },
    });
    expect(diff.single.connectHierarchyGroup).toEqual({ changed: { from: { value: 'Tier1', grantedBy: 'junior-support-agent' }, to: { value: 'Tier2', grantedBy: 'senior-support-agent' } } });
    expect(diff.single.connectTemplateUser).toBeUndefined();
  });

  it('a single value granted by both is kept, naming both roles when they differ', () => {
    const diff = diffRoles(resolved('support-agent'), resolved('senior-support-agent'));
    expect(diff.single.connectRoutingProfile).toEqual({ kept: { value: 'Support-Tier2', grantedBy: 'senior-support-agent', previouslyGrantedBy: 'support-agent' } });
  });

  it('custom schema fields are set, changed, removed and kept one by one', () => {
    const diff = diffRoles(resolved('junior-support-agent'), resolved('senior-support-agent'));
    expect(diff.maps.googleCustomSchemas).toEqual({
      set: { 'SAML.team': { value: 't2', grantedBy: 'senior-support-agent' } },
      changed: { 'SAML.role': { from: { value: 'helpdesk', grantedBy: 'junior-support-agent' }, to: { value: 'helpdesk-lead', grantedBy: 'senior-support-agent' } } },
      removed: { 'SAML.probation': { value: true, grantedBy: 'junior-support-agent' } },
      kept: { 'SAML.region': { value: 'eu', grantedBy: 'senior-support-agent', previouslyGrantedBy: 'junior-support-agent' } },
    });
  });

  it('from an unknown role everything is added and nothing removed', () => {
    const diff = diffRoles(undefined, resolved('junior-support-agent'));
    expect(diff.from).toBeUndefined();
    expect(diff.lists.googleGroups.added.map((g) => g.value)).toEqual(['all-staff@example.com', 'support@example.com', 'support-juniors@example.com']);
    expect(Object.values(diff.lists).flatMap((l) => [...l.removed, ...l.kept])).toEqual([]);
    expect(diff.single.googleOrgUnit).toEqual({ changed: { to: { value: '/Staff', grantedBy: 'employee' } } });
    expect(Object.keys(diff.maps.googleCustomSchemas.set)).toEqual(['SAML.role', 'SAML.region', 'SAML.probation']);
  });
});

describe('moverSteps', () => {
  it('junior → senior: adds on the effective date, only what is new', () => {
    const plan = byId(steps('junior-support-agent', 'senior-support-agent'));
    expect(plan['move-org-unit']).toEqual({ id: 'move-org-unit', action: 'google.moveToOrgUnit', params: { orgUnitPath: '/Staff/Support' }, phase: 'add', offsetDays: 0 });
    expect(plan['add-groups']).toMatchObject({ action: 'google.addToGroups', params: { groups: ['escalations@example.com'] }, phase: 'add', offsetDays: 0 });
    expect(plan['share-calendars']).toMatchObject({ action: 'google.shareCalendars', params: { calendars: ['c_support-escalations@group.calendar.google.com'] }, offsetDays: 0 });
    expect(plan['update-custom-schemas']).toMatchObject({ action: 'google.updateCustomSchemas', params: { set: { SAML: { role: 'helpdesk-lead', team: 't2' } }, remove: [] }, offsetDays: 0 });
    expect(plan['update-connect-agent']).toMatchObject({
      action: 'connect.updateAgent',
      params: { routingProfileId: 'Support-Tier2', hierarchyGroupId: 'Tier2', addSecurityProfileIds: ['CallCenterManager'] },
      phase: 'add',
      offsetDays: 0,
    });
  });

  it('junior → senior: what only the junior role had goes after the grace period', () => {
    const plan = byId(steps('junior-support-agent', 'senior-support-agent', 14));
    expect(plan['remove-groups']).toEqual({ id: 'remove-groups', action: 'google.removeFromGroups', params: { groups: ['support-juniors@example.com'] }, phase: 'remove', offsetDays: 14, after: ['add-groups'] });
    expect(plan['remove-custom-schemas']).toMatchObject({ action: 'google.updateCustomSchemas', params: { set: {}, remove: ['SAML.probation'] }, offsetDays: 14 });
    expect(plan['remove-connect-access']).toMatchObject({ action: 'connect.updateAgent', params: { removeSecurityProfileIds: ['Trainee'] }, offsetDays: 14, after: ['update-connect-agent'] });
    expect(plan['unshare-calendars']).toBeUndefined();
  });

  it('senior → junior: the senior-only access is removed after the default grace period, the junior-only access added at once', () => {
    const plan = steps('senior-support-agent', 'junior-support-agent');
    const removals = plan.filter((s) => s.phase === 'remove');
    expect(removals.map((s) => s.id)).toEqual(['remove-groups', 'unshare-calendars', 'remove-custom-schemas', 'remove-connect-access']);
    expect(removals.every((s) => s.offsetDays === DEFAULT_GRACE_DAYS)).toBe(true);
    expect(DEFAULT_GRACE_DAYS).toBe(7);
    const s = byId(plan);
    expect(s['remove-groups'].params).toEqual({ groups: ['escalations@example.com'] });
    expect(s['unshare-calendars']).toMatchObject({ action: 'google.unshareCalendars', params: { calendars: ['c_support-escalations@group.calendar.google.com'] } });
    expect(s['change-license']).toMatchObject({ action: 'google.assignLicense', params: { skuId: '1010020027', replaces: '1010020028' }, phase: 'add', offsetDays: 0 });
    expect(s['remove-connect-access'].params).toEqual({ removeSecurityProfileIds: ['CallCenterManager'] });
    expect(s['add-groups'].params).toEqual({ groups: ['support-juniors@example.com'] });
  });

  it('no step ever runs a removal before an add', () => {
    for (const [from, to] of [['junior-support-agent', 'senior-support-agent'], ['senior-support-agent', 'junior-support-agent'], ['engineer', 'support-agent'], ['support-agent', 'engineer']] as const) {
      const plan = steps(from, to);
      const firstRemoval = plan.findIndex((s) => s.phase === 'remove');
      expect(plan.slice(firstRemoval < 0 ? plan.length : firstRemoval).every((s) => s.phase === 'remove')).toBe(true);
      const ids = new Set(plan.map((s) => s.id));
      expect(ids.size).toBe(plan.length);
      for (const s of plan) for (const a of s.after ?? []) expect(plan.find((p) => p.id === a)?.phase).toBe('add');
    }
  });

  it('a SKU in both roles is changed in one step on the effective date: no second SKU beside the old, no later removal', () => {
    const plan = byId(steps('junior-support-agent', 'senior-support-agent'));
    expect(plan['change-license']).toEqual({ id: 'change-license', action: 'google.assignLicense', params: { skuId: '1010020028', replaces: '1010020027' }, phase: 'add', offsetDays: 0 });
    expect(plan['assign-license']).toBeUndefined();
    expect(plan['remove-license']).toBeUndefined();
  });

  it('a SKU only the new role names is assigned; one only the old role names is removed after the grace period', () => {
    const cat = catalogOf([role('unlicensed', undefined, {}), role('licensed', undefined, { 'License SKU': '1010020028' })]);
    const up = moverSteps(diffRoles(resolveRole(cat, 'unlicensed').role, resolveRole(cat, 'licensed').role!), { graceDays: 7 });
    expect(up).toEqual([{ id: 'assign-license', action: 'google.assignLicense', params: { skuId: '1010020028' }, phase: 'add', offsetDays: 0 }]);
    const down = moverSteps(diffRoles(resolveRole(cat, 'licensed').role, resolveRole(cat, 'unlicensed').role!), { graceDays: 7 });
    expect(down).toEqual([{ id: 'remove-license', action: 'google.removeLicenses', params: { products: [{ productId: 'Google-Apps', skuId: '1010020028' }] }, phase: 'remove', offsetDays: 7 }]);
  });

  it("a changed Mail retention shows in the diff and plans no step: it is read when the mover leaves, not granted", () => {
    const cat = catalogOf([role('held', undefined, { 'Mail retention': 'vault-hold' }), role('archived', undefined, { 'Mail retention': 'archived-user-license' })]);
    const diff = diffRoles(resolveRole(cat, 'held').role, resolveRole(cat, 'archived').role!);
    expect(diff.single.mailRetention).toEqual({ changed: { from: { value: 'vault-hold', grantedBy: 'held' }, to: { value: 'archived-user-license', grantedBy: 'archived' } } });
    expect(moverSteps(diff, { graceDays: 7 })).toEqual([]);
  });

  it('the same SKU in both roles plans no license step', () => {
    const plan = steps('junior-support-agent', 'support-agent');
    expect(plan.filter((s) => /license/.test(s.id))).toEqual([]);
  });

  it('the same role plans no steps', () => {
    expect(steps('senior-support-agent', 'senior-support-agent')).toEqual([]);
  });

  it('from an unknown role every grant is added and nothing is removed', () => {
    const plan = steps(undefined, 'junior-support-agent');
    expect(plan.every((s) => s.phase === 'add' && s.offsetDays === 0)).toBe(true);
    expect(plan.map((s) => s.id)).toEqual(['move-org-unit', 'assign-license', 'add-groups', 'share-calendars', 'update-custom-schemas', 'create-connect-agent']);
    expect(byId(plan)['create-connect-agent'].params).toEqual({ routingProfileId: 'Support-Tier1', securityProfileIds: ['Agent', 'Trainee'], hierarchyGroupId: 'Tier1' });
    expect(byId(plan)['update-custom-schemas'].params).toEqual({ set: { SAML: { role: 'helpdesk', region: 'eu', probation: true } }, remove: [] });
  });

  it('a move into the contact center creates the agent; a move out removes it after the grace period', () => {
    const into = byId(steps('engineer', 'support-agent'));
    expect(into['create-connect-agent']).toMatchObject({ action: 'connect.createAgent', params: { routingProfileId: 'Support-Tier2', securityProfileIds: ['Agent', 'Trainee'] }, offsetDays: 0 });
    const out = byId(steps('support-agent', 'engineer'));
    expect(out['remove-connect-agent']).toEqual({ id: 'remove-connect-agent', action: 'connect.removeAgent', params: {}, phase: 'remove', offsetDays: DEFAULT_GRACE_DAYS });
    expect(out['update-connect-agent']).toBeUndefined();
  });

  it('a group differing only in case is the same group', () => {
    const upper = catalogOf([role('a', undefined, { Groups: ['Support@Example.com'] }), role('b', undefined, { Groups: ['support@example.com'] })]);
    const diff = diffRoles(resolveRole(upper, 'a').role, resolveRole(upper, 'b').role!);
    expect(diff.lists.googleGroups.added).toEqual([]);
    expect(moverSteps(diff, { graceDays: 7 })).toEqual([]);
  });

  it('an org unit or SKU the new role does not name: the account stays where it is, the old license goes after the grace period', () => {
    const cat = catalogOf([role('a', undefined, { 'Google OU': '/Staff', 'License SKU': '1010020027' }), role('b', undefined, {})]);
    const plan = moverSteps(diffRoles(resolveRole(cat, 'a').role, resolveRole(cat, 'b').role!), { graceDays: 3 });
    expect(plan).toEqual([{ id: 'remove-license', action: 'google.removeLicenses', params: { products: [{ productId: 'Google-Apps', skuId: '1010020027' }] }, phase: 'remove', offsetDays: 3 }]);
  });
});

describe('custom schema keys from older runs', () => {
  it('a key named like Object machinery is only a key: nothing reaches Object or its prototype', () => {
    // A run stored before names were checked carries its resolved role as JSON: the keys were never validated.
    const hostile = JSON.parse(JSON.stringify(resolved('engineer')));
    hostile.maps.googleCustomSchemas = JSON.parse('{"constructor.polluted":{"value":"yes","grantedBy":"x"},"__proto__.polluted":{"value":"yes","grantedBy":"x"},"toString.x":{"value":1,"grantedBy":"x"}}');
    const plan = byId(moverSteps(diffRoles(undefined, hostile), { graceDays: 0 }));
    const set = plan['update-custom-schemas'].params.set as Record<string, Record<string, unknown>>;
    expect(Object.getPrototypeOf(set)).toBeNull();
    expect(Object.keys(set).sort()).toEqual(['__proto__', 'constructor', 'toString']);
    expect(Object.prototype.hasOwnProperty.call(set.constructor, 'polluted')).toBe(true);
    expect((Object as unknown as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(typeof ({} as { toString: unknown }).toString).toBe('function');
  });
});
