/** The emulator checks a token's scopes as Google does: a call whose token lacks them gets Google's 403, before anything else. */
import { admin_directory_v1 } from '@googleapis/admin';
import { OAuth2Client } from 'google-auth-library';
import { localAccessToken } from '../../../../local/credentials/google-local-token';
import { GOOGLE_SCOPE } from '../../../../lambdas/providers/google/google-scopes';
import { GoogleWorkspaceEmulator } from '../../../../local/emulators/google';
import { SCOPED_ROUTES } from '../../../../local/emulators/google/scopes';
import { pathPattern } from '../../../../local/emulators/google/http';
import { googleError, startGoogle, type GoogleHarness } from './google-harness';

let g: GoogleHarness;
beforeEach(async () => {
  g = await startGoogle();
});
afterEach(() => g.stop());

const directoryWith = (scopes: string[]) => {
  const auth = new OAuth2Client();
  auth.setCredentials({ access_token: localAccessToken('local', g.sample.users.admin.email, scopes) });
  return new admin_directory_v1.Admin({ rootUrl: g.rootUrl, auth, retry: false, fetchImplementation: fetch });
};

describe('scopes on the Google emulator', () => {
  it("refuses a token without a scope the method accepts with Google's 403 and ACCESS_TOKEN_SCOPE_INSUFFICIENT", async () => {
    const err = await googleError(directoryWith([GOOGLE_SCOPE.userReadonly]).users.patch({ userKey: g.sample.users.ada.email, requestBody: { suspended: true } }));
    expect(err.status).toBe(403);
    expect(err.error).toEqual({
      code: 403,
      message: 'Request had insufficient authentication scopes.',
      errors: [{ message: 'Insufficient Permission', domain: 'global', reason: 'insufficientPermissions' }],
      status: 'PERMISSION_DENIED',
      details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT', domain: 'googleapis.com', metadata: { service: 'admin.googleapis.com' } }],
    });
    // Refused before it reached the tenant.
    expect(g.emulator.user(g.sample.users.ada.email)?.suspended).toBe(false);
  });

  it('accepts any one of the scopes a method lists: the read-only scope reads, the full scope reads and writes', async () => {
    const readonly = directoryWith([GOOGLE_SCOPE.userReadonly]);
    expect((await readonly.users.get({ userKey: g.sample.users.ada.email })).data.primaryEmail).toBe(g.sample.users.ada.email);
    const full = directoryWith([GOOGLE_SCOPE.user]);
    expect((await full.users.get({ userKey: g.sample.users.ada.email })).status).toBe(200);
    await full.users.patch({ userKey: g.sample.users.ada.email, requestBody: { suspended: true } });
    expect(g.emulator.user(g.sample.users.ada.email)?.suspended).toBe(true);
  });

  it.each([
    ['users.signOut without admin.directory.user.security', (d: admin_directory_v1.Admin, email: string) => d.users.signOut({ userKey: email }), [GOOGLE_SCOPE.user]],
    ['members.insert with only admin.directory.group.readonly', (d: admin_directory_v1.Admin, email: string) => d.members.insert({ groupKey: 'all-staff@example.com', requestBody: { email } }), [GOOGLE_SCOPE.groupReadonly]],
    ['groups.list with only admin.directory.group.member', (d: admin_directory_v1.Admin, email: string) => d.groups.list({ userKey: email }), [GOOGLE_SCOPE.groupMember]],
    ['mobiledevices.list with only admin.directory.user', (d: admin_directory_v1.Admin) => d.mobiledevices.list({ customerId: 'my_customer' }), [GOOGLE_SCOPE.user]],
  ])('refuses %s', async (_what, call, scopes) => {
    expect((await googleError(call(directoryWith(scopes), g.sample.users.ada.email))).status).toBe(403);
  });

  it('has a scope rule for every API route it serves, so no call goes unchecked', () => {
    const served = new GoogleWorkspaceEmulator()
      .routes()
      .filter((r) => !r.pattern.source.includes('_emulator'))
      .map((r) => `${r.method} ${r.pattern.source}`)
      // The OAuth token endpoint takes no token: it issues them, against the JWT it is sent (oauth-token.test.ts).
      .filter((route) => route !== 'POST ^\\/token$');
    const ruled = new Set(SCOPED_ROUTES.map((r) => `${r.method} ${pathPattern(r.template).source}`));
    expect(served.filter((route) => !ruled.has(route))).toEqual([]);
    expect(served.length).toBeGreaterThan(50);
  });
});
