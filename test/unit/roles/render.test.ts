/** The role as an operator reads it. */
import { renderRole, roleTree } from '../../../lambdas/roles/render';
import { resolveRole } from '../../../lambdas/roles/resolve';
import { catalogOf, role } from './role-fixtures';

const catalog = catalogOf([
  role('employee', undefined, { 'Google OU': '/Staff', 'License SKU': '1010020027', Groups: ['all-staff@example.com'] }),
  role('junior-support-agent', 'employee', {
    Groups: ['support@example.com', 'all-staff@example.com'],
    'Connect routing profile': 'Support-Tier1',
    'Custom schema': '{"SAML":{"role":"helpdesk"}}',
  }),
  role('support-agent', 'junior-support-agent', {}),
  role('senior-support-agent', 'support-agent', { 'Connect routing profile': 'Support-Tier2', 'Custom schema': '{"SAML":{"role":"helpdesk-lead"}}' }),
]);

describe('renderRole', () => {
  it('draws the inheritance tree, then the effective access with where each grant comes from', () => {
    expect(renderRole(resolveRole(catalog, 'senior-support-agent').role!)).toBe(
      [
        'senior-support-agent',
        '├─ inherits support-agent',
        '│  └─ inherits junior-support-agent',
        '│     ├─ inherits employee',
        '│     │  ├─ Google org unit: /Staff',
        '│     │  ├─ Google license SKU: 1010020027',
        '│     │  └─ Google groups: all-staff@example.com',
        '│     ├─ Google groups: support@example.com, all-staff@example.com (also from employee)',
        '│     ├─ Google custom schema: SAML.role = helpdesk',
        '│     └─ Connect routing profile: Support-Tier1',
        '├─ Google custom schema: SAML.role = helpdesk-lead (overrides helpdesk from junior-support-agent)',
        '└─ Connect routing profile: Support-Tier2 (overrides Support-Tier1 from junior-support-agent)',
        '',
        'Effective access:',
        '  Google org unit: /Staff (employee)',
        '  Google license SKU: 1010020027 (employee)',
        '  Google groups: all-staff@example.com (employee), support@example.com (junior-support-agent)',
        '  Google custom schema: SAML.role = helpdesk-lead (senior-support-agent)',
        '  Connect routing profile: Support-Tier2 (senior-support-agent)',
      ].join('\n'),
    );
  });

  it('a role that grants nothing says so', () => {
    expect(renderRole(resolveRole(catalogOf([role('visitor', undefined)]), 'visitor').role!)).toBe(['visitor', '└─ (grants nothing)', '', 'Effective access:', '  (none)'].join('\n'));
  });
});

describe('roleTree', () => {
  it('nests each ancestor under the role it gives to', () => {
    const tree = roleTree(resolveRole(catalog, 'support-agent').role!);
    expect(tree.role).toBe('support-agent');
    expect(tree.grants).toEqual([]);
    expect(tree.inherits?.role).toBe('junior-support-agent');
    expect(tree.inherits?.inherits).toMatchObject({ role: 'employee', grants: [{ field: 'googleOrgUnit', property: 'Google OU', text: 'Google org unit: /Staff' }, {}, {}] });
  });
});
