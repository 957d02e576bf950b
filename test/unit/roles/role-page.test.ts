/** Parsing a Notion role page: every property type the database allows, and errors naming the role and property. */
import { parseRolePage } from '../../../lambdas/roles/role-model';
import { catalogOf, idOf, role, rolePages } from './role-fixtures';

describe('parseRolePage', () => {
  it('reads every grant from the real page shape', () => {
    const [r] = catalogOf([
      role('support-agent', 'junior-support-agent', {
        'Google OU': '/Support',
        'License SKU': '1010020028',
        Groups: ['support@example.com'],
        Calendars: ['c_rota@group.calendar.google.com'],
        'Custom schema': '{"SAML":{"role":"helpdesk"}}',
        'Connect routing profile': 'Support-Tier1',
        'Connect security profiles': ['Agent', 'CallCenterManager'],
        'Connect hierarchy group': 'Tier1',
        'Connect template user': 'grace.hopper',
        'Mail retention': 'vault-hold',
      }),
    ]);
    expect(r).toEqual({
      id: idOf('support-agent'),
      name: 'support-agent',
      parentId: idOf('junior-support-agent'),
      grants: {
        single: {
          googleOrgUnit: '/Support',
          googleLicenseSku: '1010020028',
          connectRoutingProfile: 'Support-Tier1',
          connectHierarchyGroup: 'Tier1',
          connectTemplateUser: 'grace.hopper',
          mailRetention: 'vault-hold',
        },
        lists: { googleGroups: ['support@example.com'], googleCalendars: ['c_rota@group.calendar.google.com'], connectSecurityProfiles: ['Agent', 'CallCenterManager'] },
        maps: { googleCustomSchemas: { 'SAML.role': 'helpdesk' } },
      },
      errors: [],
    });
  });

  it('accepts groups as a rich_text list of addresses and an org unit as rich_text', () => {
    const [r] = catalogOf([
      role('ops', undefined, {}, {
        Groups: { id: 'g', type: 'rich_text', rich_text: [{ plain_text: 'ops@example.com, all-staff@example.com\noncall@example.com' }] },
        'Google OU': { id: 'o', type: 'rich_text', rich_text: [{ plain_text: ' /Ops ' }] },
      }),
    ]);
    expect(r.errors).toEqual([]);
    expect(r.grants.lists.googleGroups).toEqual(['ops@example.com', 'all-staff@example.com', 'oncall@example.com']);
    expect(r.grants.single.googleOrgUnit).toBe('/Ops');
  });

  it.each([
    ['a number where a select belongs', { 'License SKU': { id: 'l', type: 'number', number: 3 } }, 'License SKU', 'must be a select or rich_text property, found number'],
    ['custom schema that is not JSON', { 'Custom schema': { id: 'c', type: 'rich_text', rich_text: [{ plain_text: 'SAML=helpdesk' }] } }, 'Custom schema', 'must be JSON like {"SAML":{"role":"helpdesk"}}'],
    ['a group that is not an address', { Groups: { id: 'g', type: 'multi_select', multi_select: [{ name: 'support team' }] } }, 'Groups', '"support team" is not a group address'],
    ['two parents', { Parent: { id: 'p', type: 'relation', relation: [{ id: 'a' }, { id: 'b' }], has_more: false } }, 'Parent', 'names 2 roles; a role has at most one parent'],
    ['a mail retention that is not a method', { 'Mail retention': { id: 'm', type: 'select', select: { name: 'forever' } } }, 'Mail retention', '"forever" is not a mail retention method: one of archived-user-license, vault-hold, none'],
    ['a mail retention written as text', { 'Mail retention': { id: 'm', type: 'rich_text', rich_text: [{ plain_text: 'none' }] } }, 'Mail retention', 'must be a select property, found rich_text'],
    ['a parent that is not a relation', { Parent: { id: 'p', type: 'rich_text', rich_text: [] } }, 'Parent', 'must be a relation property, found rich_text'],
  ])('reports %s, naming the role and the property', (_what, raw, property, message) => {
    const [r] = catalogOf([role('broken', undefined, {}, raw)]);
    expect(r.errors).toEqual([{ role: 'broken', property, message }]);
  });

  const schemaText = (text: string) => ({ 'Custom schema': { id: 'c', type: 'rich_text', rich_text: [{ plain_text: text }] } });
  it.each([
    ['__proto__ as a schema', '{"__proto__":{"polluted":"yes"}}', 'schema name "__proto__" is reserved'],
    ['constructor as a schema', '{"constructor":{"prototype":"x"}}', 'schema name "constructor" is reserved'],
    ['prototype as a field', '{"SAML":{"prototype":"x"}}', 'field name "prototype" is reserved (in schema SAML)'],
    ['__proto__ as a field', '{"SAML":{"__proto__":{"polluted":"yes"}}}', 'field name "__proto__" is reserved (in schema SAML)'],
    ['a schema starting with a digit', '{"1SAML":{"role":"x"}}', 'schema name "1SAML" must be letters, digits and underscores, start with a letter, and be at most 100 characters'],
    ['a field with a dot', '{"SAML":{"role.name":"x"}}', 'field name "role.name" must be letters, digits and underscores, start with a letter, and be at most 100 characters (in schema SAML)'],
    ['a field with a space', '{"SAML":{"role name":"x"}}', 'field name "role name" must be letters, digits and underscores, start with a letter, and be at most 100 characters (in schema SAML)'],
    ['a schema name of 101 characters', `{"S${'a'.repeat(100)}":{"role":"x"}}`, `schema name "S${'a'.repeat(100)}" must be letters, digits and underscores, start with a letter, and be at most 100 characters`],
  ])('refuses %s in the custom schema, as a role error naming the property', (_what, text, message) => {
    const [r] = catalogOf([role('broken', undefined, {}, schemaText(text))]);
    expect(r.errors).toEqual([{ role: 'broken', property: 'Custom schema', message }]);
    expect(r.grants.maps).toEqual({});
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('accepts names of up to 100 characters with digits and underscores after the first letter', () => {
    const name = `S${'a_1'.repeat(33)}`;
    const [r] = catalogOf([role('ok', undefined, {}, schemaText(`{"${name}":{"Cost_Center_2":"x"}}`))]);
    expect(r.errors).toEqual([]);
    expect(r.grants.maps.googleCustomSchemas).toEqual({ [`${name}.Cost_Center_2`]: 'x' });
  });

  it('a page without a name is named by its id', () => {
    const [page] = rolePages([{ id: idOf('x'), values: {} }]);
    const r = parseRolePage(page);
    expect(r.name).toBe(`(untitled page ${idOf('x')})`);
    expect(r.errors).toEqual([{ role: r.name, property: 'Name', message: 'is empty: every role needs a name' }]);
  });

  it('something that is not a page is an error, not a throw', () => {
    expect(parseRolePage({ object: 'database', id: 'd' }).errors).toEqual([{ role: '(page d)', property: '(page)', message: 'is not a Notion page object' }]);
  });
});
