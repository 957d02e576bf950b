/** The doctor's pure parts: what makes a secret usable, which scopes and as whom, which profile references resolve. */
import { connectReferencesOf, inspectSecret, missingReferences, oneLine, scopesTheActionsNeed, subjectFor } from '../../../bin/cli/doctor/checks';
import { ACTION_CATALOG, type ActionSpec } from '../../../lambdas/actions/catalog';
import { GOOGLE_SCOPE } from '../../../lambdas/providers/google/google-scopes';
import { NOTION_TOKEN_PLACEHOLDER } from '../../../lambdas/providers/notion/notion-from-env';
import type { RawRole } from '../../../lambdas/roles/role-model';

describe('a secret is usable', () => {
  it.each([
    ['signing-key', undefined, false, 'empty'],
    ['signing-key', '  ', false, 'empty'],
    ['signing-key', '{"current":""}', false, 'current'],
    ['signing-key', 'short', false, 'at least 8 characters'],
    ['signing-key', '{"current":"k1-aaaaaaaa","previous":"k0-bbbbbbbb"}', true, 'filled (current and previous)'],
    ['notion-token', NOTION_TOKEN_PLACEHOLDER, false, 'still the placeholder'],
    ['notion-token', 'ntn_abc123', true, 'filled'],
    ['google-key', '{"client_email":"","private_key":""}', false, 'empty template'],
    ['google-key', 'not json', false, 'not JSON'],
    ['google-key', '{"client_email":"sa@p.iam.gserviceaccount.com","private_key":"-----BEGIN PRIVATE KEY-----"}', true, 'filled (sa@p.iam.gserviceaccount.com)'],
  ] as const)('%s %p: usable %p (%s)', (kind, value, ok, detail) => {
    const out = inspectSecret(kind, value);
    expect(out.ok).toBe(ok);
    expect(out.detail).toContain(detail);
  });

  it('never repeats the value in what it says', () => {
    const secret = '{"current":"s3cr3t-s3cr3t-s3cr3t"}';
    expect(inspectSecret('signing-key', secret).detail).not.toContain('s3cr3t');
    expect(inspectSecret('google-key', '{"client_email":"sa@x","private_key":"PRIVATE-BITS"}').detail).not.toContain('PRIVATE-BITS');
  });
});

describe('the Google scopes checked', () => {
  it('are every scope some action declares, each once', () => {
    const declared = new Set((ACTION_CATALOG as readonly ActionSpec[]).flatMap((a) => a.needs.googleScopes ?? []));
    const checked = scopesTheActionsNeed();
    expect(new Set(checked)).toEqual(declared);
    expect(checked).toHaveLength(declared.size);
  });

  it('leave out a scope no action declares', () => {
    const scopesOf = (a: ActionSpec): readonly string[] => a.needs.googleScopes ?? [];
    const catalog = (ACTION_CATALOG as readonly ActionSpec[]).filter((a) => !scopesOf(a).includes(GOOGLE_SCOPE.gmailSend));
    expect(scopesTheActionsNeed(catalog)).not.toContain(GOOGLE_SCOPE.gmailSend);
  });

  it("are asked for as the sender for the welcome email's, as the admin for the rest", () => {
    const google = { adminSubject: 'admin@acme.io', sender: 'welcome@acme.io' };
    expect(subjectFor(GOOGLE_SCOPE.gmailSend, google)).toBe('welcome@acme.io');
    expect(subjectFor(GOOGLE_SCOPE.gmailReadonly, google)).toBe('welcome@acme.io');
    expect(subjectFor(GOOGLE_SCOPE.userSecurity, google)).toBe('admin@acme.io');
  });
});

describe('the Connect profiles the role catalog names', () => {
  const role = (name: string, routing?: string, security: string[] = []): RawRole => ({
    id: name,
    name,
    grants: { single: routing ? { connectRoutingProfile: routing } : {}, lists: { connectSecurityProfiles: security }, maps: {} },
    errors: [],
  });
  const roles = [role('Agent', 'Support-Tier1', ['Agent']), role('Lead', 'support-tier2', ['Agent', 'b0000002-0000-4000-8000-000000000002'])];
  const profiles = [
    { Id: 'a0000001-0000-4000-8000-000000000001', Name: 'Support-Tier1' },
    { Id: 'a0000001-0000-4000-8000-000000000002', Name: 'Support-Tier2' },
    { Id: 'b0000002-0000-4000-8000-000000000001', Name: 'Agent' },
  ];

  it('are gathered with the roles that name them', () => {
    expect(connectReferencesOf(roles, 'security profile')).toEqual(
      new Map([
        ['Agent', ['Agent', 'Lead']],
        ['b0000002-0000-4000-8000-000000000002', ['Lead']],
      ]),
    );
  });

  it('resolve by exact name, by name apart from case, and by id, as the actions resolve them', () => {
    expect(missingReferences(connectReferencesOf(roles, 'routing profile'), profiles)).toEqual([]);
    expect(missingReferences(connectReferencesOf(roles, 'security profile'), profiles)).toEqual(['"b0000002-0000-4000-8000-000000000002" (role Lead)']);
  });
});

it('an error becomes one short line', () => {
  expect(oneLine(new Error('first\nsecond'))).toBe('first');
  expect(oneLine(new Error('x'.repeat(300)))).toHaveLength(200);
});
