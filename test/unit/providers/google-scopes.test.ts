/** Google scopes: every Google action declares its own, the code requests their union and no more, each action only its own. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACTION_CATALOG, googleScopesOf, type ActionSpec } from '../../../lambdas/actions/catalog';
import { runAction } from '../../../lambdas/actions/run-action';
import { suspendUser } from '../../../lambdas/actions/google/suspend-user';
import { createGoogleClients, type GoogleClients } from '../../../lambdas/providers/google/google-clients';
import { googleConfigFromEnv } from '../../../lambdas/providers/google/google-config';
import { ALL_GOOGLE_SCOPES, GOOGLE_SCOPE } from '../../../lambdas/providers/google/google-scopes';
import { LOCAL_GOOGLE_CREDENTIALS, readLocalAccessToken } from '../../../local/credentials/google-local-token';
import { DEFAULT_RATE_LIMIT } from '../../../lambdas/providers/rate-limited-fetch';
import { ENV } from '../../../lambdas/shared/env-names';
import { expectFailure, useGoogleTestBed } from '../../support/google-emulator';

const catalog: readonly ActionSpec[] = ACTION_CATALOG;
const declared = new Set(catalog.flatMap((a) => a.needs.googleScopes ?? []));

describe('declared Google scopes', () => {
  it.each(catalog.map((a) => [a.name, a] as const))('%s declares scopes exactly when it calls Google', (_name, action) => {
    expect((action.needs.googleScopes?.length ?? 0) > 0).toBe(action.needs.google === true);
    expect(new Set(action.needs.googleScopes).size).toBe(action.needs.googleScopes?.length ?? 0);
  });

  it('together are every scope the code knows: none is requested that no action needs', () => {
    expect([...declared].sort()).toEqual([...ALL_GOOGLE_SCOPES].sort());
  });

  it("match each action's row of the table in docs/google-scopes.md, and every Google action has one", () => {
    const doc = readFileSync(join(__dirname, '../../../docs/google-scopes.md'), 'utf8');
    const prefix = 'https://www.googleapis.com/auth/';
    const known = new Set(ALL_GOOGLE_SCOPES.map((s) => s.slice(prefix.length)));
    const rows = new Map<string, string[]>();
    for (const [, name, cell] of doc.matchAll(/^\| `(google\.\w+)` \| (.*) \|$/gm)) {
      rows.set(name, [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]).filter((s) => known.has(s)).sort());
    }
    const expected = new Map(catalog.filter((a) => a.needs.googleScopes?.length).map((a) => [a.name, a.needs.googleScopes!.map((s) => s.slice(prefix.length)).sort()]));
    expect(Object.fromEntries(rows)).toEqual(Object.fromEntries(expected));
  });

  it('match the domain-wide delegation line in docs/google-scopes.md', () => {
    const doc = readFileSync(join(__dirname, '../../../docs/google-scopes.md'), 'utf8');
    expect(doc).toContain(ALL_GOOGLE_SCOPES.join(','));
  });
});

describe('the scopes the Google clients request', () => {
  const bed = useGoogleTestBed();

  /** Calls one method on each token the clients use, and answers the scopes each token carried. */
  async function requested(clients: (g: GoogleClients) => GoogleClients): Promise<string[]> {
    const seen: string[] = [];
    const realFetch = globalThis.fetch;
    const spy = jest.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
      const header = new Headers(init?.headers).get('authorization') ?? (input instanceof Request ? input.headers.get('authorization') : null);
      const claims = header && readLocalAccessToken(header.replace(/^Bearer\s+/i, ''));
      if (claims) seen.push(...claims.scopes);
      return realFetch(input, init);
    });
    try {
      const g = clients(
        createGoogleClients({
          rootUrl: `${bed().url}/`,
          customerId: 'my_customer',
          adminSubject: bed().sample.users.admin.email,
          credentials: LOCAL_GOOGLE_CREDENTIALS,
          rateLimit: { ...DEFAULT_RATE_LIMIT, perMinute: 60_000, maxRetries: 0 },
        }),
      );
      const ada = bed().sample.users.ada.email;
      const settle = (p: Promise<unknown>) => p.catch(() => undefined);
      await settle(g.directory.users.get({ userKey: ada }));
      await settle(g.licensing.listForProduct('Google-Apps'));
      await settle(g.calendar.acl.list({ calendarId: 'primary' }));
      await settle(g.gmailFor(ada).then((m) => m.users.settings.getVacation({ userId: 'me' })));
      await settle(g.gmailSenderFor(bed().sample.users.admin.email).then((m) => m.users.messages.list({ userId: 'me' })));
      await settle(g.driveFor(ada).then((d) => d.files.list({})));
      await settle(g.vault.listMatters());
      await settle(g.driveAdmin().then((d) => d.drives.list({ useDomainAdminAccess: true })));
      await settle(g.calendarFor(ada).then((c) => c.calendarList.list({ minAccessRole: 'owner' })));
    } finally {
      spy.mockRestore();
    }
    return [...new Set(seen)].sort();
  }

  it('without narrowing: the union of the declared scopes, and nothing else', async () => {
    expect(await requested((g) => g)).toEqual([...declared].sort());
  });

  it.each([['google.suspendUser'], ['google.transferData'], ['google.sendWelcomeEmail'], ['google.removeFromGroups']])('%s: only its own scopes', async (action) => {
    expect(await requested((g) => g.withScopes(googleScopesOf(action)!))).toEqual([...googleScopesOf(action)!].sort());
  });

  /** The scopes of each token google.assignLicense's clients mint while listing a product's assignments. */
  async function assignLicenseTokens(customerId: string): Promise<string[][]> {
    const tokens: string[][] = [];
    const realFetch = globalThis.fetch;
    const spy = jest.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
      const header = new Headers(init?.headers).get('authorization');
      const claims = header && readLocalAccessToken(header.replace(/^Bearer\s+/i, ''));
      if (claims) tokens.push([...claims.scopes].sort());
      return realFetch(input, init);
    });
    try {
      const g = createGoogleClients({
        rootUrl: `${bed().url}/`,
        customerId,
        adminSubject: bed().sample.users.admin.email,
        credentials: LOCAL_GOOGLE_CREDENTIALS,
        rateLimit: { ...DEFAULT_RATE_LIMIT, perMinute: 60_000, maxRetries: 0 },
      }).withScopes(googleScopesOf('google.assignLicense')!);
      await g.directory.users.get({ userKey: bed().sample.users.ada.email });
      await g.licensing.listForProduct('Google-Apps');
    } finally {
      spy.mockRestore();
    }
    return tokens.filter((t, i) => tokens.findIndex((u) => u.join() === t.join()) === i);
  }

  it('admin.directory.customer.readonly goes on a token of its own, for customers.get only: the admin token never carries it', async () => {
    const tokens = await assignLicenseTokens('my_customer');
    expect(tokens).toContainEqual([GOOGLE_SCOPE.customerReadonly]);
    expect(tokens.filter((t) => t.includes(GOOGLE_SCOPE.customerReadonly))).toEqual([[GOOGLE_SCOPE.customerReadonly]]);
  });

  it('with the real customer id configured, no token asks for admin.directory.customer.readonly (a tenant need not delegate it)', async () => {
    const tokens = await assignLicenseTokens(bed().emulator.customerId);
    expect(tokens.length).toBeGreaterThan(0);
    expect(tokens.flat()).not.toContain(GOOGLE_SCOPE.customerReadonly);
  });

  it('a Lambda granted fewer scopes than an action asks for never widens them', async () => {
    const scopes = await requested((g) => g.withScopes([GOOGLE_SCOPE.userReadonly]).withScopes([GOOGLE_SCOPE.user, GOOGLE_SCOPE.userReadonly]));
    expect(scopes).toEqual([GOOGLE_SCOPE.userReadonly]);
  });

  it("an action whose scopes do not cover its calls fails, not retryable, with Google's answer", async () => {
    const base = bed().ctx.providers.google!();
    // As on a Lambda whose environment lacks admin.directory.user: the tokens cannot carry it.
    const ctx = { ...bed().ctx, providers: { google: () => base.withScopes([GOOGLE_SCOPE.userReadonly]) } };
    const error = expectFailure(await runAction(suspendUser, ctx, bed().request('google.suspendUser')));
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('insufficient authentication scopes');
    expect(bed().emulator.user(bed().sample.users.ada.email)?.suspended).toBe(false);
  });
});

describe('the scopes from the environment', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });
  const config = () => googleConfigFromEnv(async () => ({ client_email: 'x', private_key: 'y' }));
  beforeEach(() => {
    process.env[ENV.googleServiceAccountSecretArn] = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:google-sa';
  });

  it('reads the comma-separated list an action Lambda carries', () => {
    process.env[ENV.googleAdminSubject] = 'admin@example.com';
    process.env[ENV.googleScopes] = googleScopesOf('google.signOut')!.join(',');
    expect(config().scopes).toEqual([GOOGLE_SCOPE.userReadonly, GOOGLE_SCOPE.userSecurity]);
  });

  it('refuses a scope the code does not know, naming it', () => {
    process.env[ENV.googleAdminSubject] = 'admin@example.com';
    process.env[ENV.googleScopes] = `${GOOGLE_SCOPE.user},https://www.googleapis.com/auth/admin.directory.orgunit`;
    expect(config).toThrow('unknown Google scopes: https://www.googleapis.com/auth/admin.directory.orgunit');
  });

  it('without the variable, may request every scope the code knows (the local runtime)', () => {
    process.env[ENV.googleAdminSubject] = 'admin@example.com';
    delete process.env[ENV.googleScopes];
    expect(config().scopes).toBeUndefined();
  });
});
