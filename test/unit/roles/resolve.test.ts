/** Role inheritance: unions, overrides, provenance and every error a catalog can hold. */
import { catalogSummary, resolveRole, validate } from '../../../lambdas/roles/resolve';
import { catalogOf, idOf, role } from './role-fixtures';

const supportCatalog = () =>
  catalogOf([
    role('employee', undefined, { 'Google OU': '/Staff', 'License SKU': '1010020027', Groups: ['all-staff@example.com'] }),
    role('junior-support-agent', 'employee', {
      Groups: ['support@example.com', 'all-staff@example.com'],
      'Connect routing profile': 'Support-Tier1',
      'Connect security profiles': ['Agent'],
      'Custom schema': '{"SAML":{"role":"helpdesk","region":"eu"}}',
    }),
    role('support-agent', 'junior-support-agent', { 'Connect routing profile': 'Support-Tier2', Groups: ['escalations@example.com'] }),
    role('senior-support-agent', 'support-agent', {
      'License SKU': '1010020028',
      'Connect security profiles': ['CallCenterManager', 'Agent'],
      'Custom schema': '{"SAML":{"role":"helpdesk-lead"}}',
    }),
  ]);

describe('resolveRole', () => {
  it('a senior agent gets everything the roles above grant, ancestors first', () => {
    const { role: r, errors } = resolveRole(supportCatalog(), 'senior-support-agent');
    expect(errors).toEqual([]);
    expect(r!.chain.map((c) => c.name)).toEqual(['employee', 'junior-support-agent', 'support-agent', 'senior-support-agent']);
    expect(r!.lists.googleGroups).toEqual([
      { value: 'all-staff@example.com', grantedBy: 'employee' },
      { value: 'support@example.com', grantedBy: 'junior-support-agent' },
      { value: 'escalations@example.com', grantedBy: 'support-agent' },
    ]);
    expect(r!.lists.connectSecurityProfiles).toEqual([
      { value: 'Agent', grantedBy: 'junior-support-agent' },
      { value: 'CallCenterManager', grantedBy: 'senior-support-agent' },
    ]);
  });

  it('a single value is overridden by the more specific role and the overridden values are kept', () => {
    const { role: r } = resolveRole(supportCatalog(), 'senior-support-agent');
    expect(r!.single.googleOrgUnit).toEqual({ value: '/Staff', grantedBy: 'employee' });
    expect(r!.single.googleLicenseSku).toEqual({ value: '1010020028', grantedBy: 'senior-support-agent', overrides: [{ value: '1010020027', grantedBy: 'employee' }] });
    expect(r!.single.connectRoutingProfile).toEqual({ value: 'Support-Tier2', grantedBy: 'support-agent', overrides: [{ value: 'Support-Tier1', grantedBy: 'junior-support-agent' }] });
  });

  it("a role's Mail retention is a single value: the more specific role's wins, and a bad one is an error on the role that names it", () => {
    const cat = catalogOf([
      role('employee', undefined, { 'Mail retention': 'vault-hold' }),
      role('engineer', 'employee', { 'Mail retention': 'archived-user-license' }),
      role('intern', 'engineer', {}),
      role('contractor', 'employee', { 'Mail retention': 'tape' }),
    ]);
    expect(resolveRole(cat, 'intern').role!.single.mailRetention).toEqual({ value: 'archived-user-license', grantedBy: 'engineer', overrides: [{ value: 'vault-hold', grantedBy: 'employee' }] });
    expect(resolveRole(cat, 'employee').role!.single.mailRetention).toEqual({ value: 'vault-hold', grantedBy: 'employee' });
    const bad = resolveRole(cat, 'contractor');
    // The bad value is not kept: the parent's stands, and the error holds a hire of the role for an operator.
    expect(bad.role!.single.mailRetention).toEqual({ value: 'vault-hold', grantedBy: 'employee' });
    expect(bad.errors).toEqual([{ role: 'contractor', property: 'Mail retention', message: '"tape" is not a mail retention method: one of archived-user-license, vault-hold, none' }]);
  });

  it('custom schema fields are overridden one by one', () => {
    const { role: r } = resolveRole(supportCatalog(), 'senior-support-agent');
    expect(r!.maps.googleCustomSchemas).toEqual({
      'SAML.role': { value: 'helpdesk-lead', grantedBy: 'senior-support-agent', overrides: [{ value: 'helpdesk', grantedBy: 'junior-support-agent' }] },
      'SAML.region': { value: 'eu', grantedBy: 'junior-support-agent' },
    });
  });

  it('a role without a parent resolves to what it declares', () => {
    const { role: r, errors } = resolveRole(supportCatalog(), 'employee');
    expect(errors).toEqual([]);
    expect(r!.chain.map((c) => c.name)).toEqual(['employee']);
    expect(r!.lists.connectSecurityProfiles).toEqual([]);
  });

  it('an unknown role is an error, not a throw', () => {
    expect(resolveRole(supportCatalog(), 'astronaut')).toEqual({ errors: [{ role: 'astronaut', property: 'Name', message: 'no role of that name in the catalog' }] });
  });

  it('a cycle is reported with its chain', () => {
    const catalog = catalogOf([role('a', 'c'), role('b', 'a'), role('c', 'b')]);
    const { role: r, errors } = resolveRole(catalog, 'c');
    expect(errors).toEqual([{ role: 'a', property: 'Parent', message: 'makes a cycle: c → b → a → c' }]);
    expect(r!.chain.map((x) => x.name)).toEqual(['a', 'b', 'c']);
  });

  it('a role that is its own parent is a cycle', () => {
    expect(resolveRole(catalogOf([role('loop', 'loop')]), 'loop').errors).toEqual([{ role: 'loop', property: 'Parent', message: 'makes a cycle: loop → loop' }]);
  });

  it('a missing parent names the child and the page it points to', () => {
    const { errors } = resolveRole(catalogOf([role('orphan', 'gone'), role('child', 'orphan')]), 'child');
    expect(errors).toEqual([{ role: 'orphan', property: 'Parent', message: `names page ${idOf('gone')}, which is not a role in the catalog` }]);
  });

  it('a malformed property anywhere up the chain is reported on the role that holds it', () => {
    const catalog = catalogOf([role('base', undefined, { 'Custom schema': '{"SAML": "helpdesk"}' }), role('leaf', 'base')]);
    expect(resolveRole(catalog, 'leaf').errors).toEqual([
      { role: 'base', property: 'Custom schema', message: 'must be a JSON object of schemas, each an object of fields, like {"SAML":{"role":"helpdesk"}}' },
    ]);
  });

  it('two pages with one name are an error', () => {
    const catalog = catalogOf([role('twin', undefined), { ...role('twin', undefined), id: idOf('twin-2') }]);
    expect(resolveRole(catalog, 'twin').errors).toEqual([{ role: 'twin', property: 'Name', message: 'is used by more than one page; role names must be unique' }]);
  });
});

describe('validate', () => {
  const known = {
    groups: new Set(['all-staff@example.com', 'support@example.com']),
    routingProfiles: new Set(['Support-Tier1', 'Support-Tier2']),
    securityProfiles: new Set(['Agent']),
  };

  it('names each unknown reference with the role that grants it', () => {
    const { role: r } = resolveRole(supportCatalog(), 'senior-support-agent');
    expect(validate(r!, known)).toEqual([
      { role: 'support-agent', property: 'Groups', message: 'unknown Google group "escalations@example.com"' },
      { role: 'senior-support-agent', property: 'Connect security profiles', message: 'unknown Connect security profile "CallCenterManager"' },
    ]);
  });

  it('a set left out is not checked', () => {
    const { role: r } = resolveRole(supportCatalog(), 'junior-support-agent');
    expect(validate(r!, known)).toEqual([]);
    expect(validate(r!, {})).toEqual([]);
  });
});

describe('catalogSummary', () => {
  it('lists every role with its parent and what stops it resolving', () => {
    const catalog = catalogOf([role('base', undefined), role('leaf', 'base'), role('stray', 'nowhere')]);
    expect(catalogSummary(catalog)).toEqual([
      { name: 'base', errors: [] },
      { name: 'leaf', parent: 'base', errors: [] },
      { name: 'stray', errors: [{ role: 'stray', property: 'Parent', message: `names page ${idOf('nowhere')}, which is not a role in the catalog` }] },
    ]);
  });
});
