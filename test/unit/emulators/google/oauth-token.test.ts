/** The emulator's OAuth token endpoint: a service account's signed JWT becomes a token only within the delegation. */
import { generateKeyPairSync } from 'node:crypto';
import { GOOGLE_SCOPE } from '../../../../lambdas/providers/google/google-scopes';
import { mintAccessToken, serviceAccountJwt } from '../../../../lambdas/providers/google/service-account-token';
import { startGoogle, type GoogleHarness } from './google-harness';

let google: GoogleHarness;
beforeAll(async () => {
  google = await startGoogle();
});
afterAll(() => google.stop());

const ADMIN = 'admin@example.com';

describe('POST /token with domain-wide delegation', () => {
  it('issues a token for a delegated scope, which the API then accepts for that scope', async () => {
    const key = google.emulator.serviceAccountKey();
    const jwt = serviceAccountJwt(key, ADMIN, [GOOGLE_SCOPE.userReadonly], { tokenRoot: google.server.url });
    const { token } = await jwt.getAccessToken();
    const res = await fetch(`${google.server.url}/admin/directory/v1/users/${ADMIN}`, { headers: { Authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const refused = await fetch(`${google.server.url}/admin/directory/v1/users/${ADMIN}/tokens`, { headers: { Authorization: `Bearer ${token}` } });
    expect(refused.status).toBe(403);
  });

  it("refuses a scope the admin took out of the delegation with Google's unauthorized_client", async () => {
    const key = google.emulator.serviceAccountKey();
    google.emulator.delegation.revoke(key.client_id, GOOGLE_SCOPE.licensing);
    await expect(mintAccessToken(key, ADMIN, [GOOGLE_SCOPE.licensing], { tokenRoot: google.server.url })).rejects.toThrow(
      'unauthorized_client: Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.',
    );
    google.emulator.delegation.grant(key.client_id, [GOOGLE_SCOPE.licensing]);
    await expect(mintAccessToken(key, ADMIN, [GOOGLE_SCOPE.licensing], { tokenRoot: google.server.url })).resolves.toBeUndefined();
  });

  it('refuses a user the tenant does not have', async () => {
    const key = google.emulator.serviceAccountKey();
    await expect(mintAccessToken(key, 'nobody@example.com', [GOOGLE_SCOPE.user], { tokenRoot: google.server.url })).rejects.toThrow('invalid_grant: Invalid email or User ID');
  });

  it('refuses a JWT signed with another key', async () => {
    const key = google.emulator.serviceAccountKey();
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    await expect(mintAccessToken({ ...key, private_key: other }, ADMIN, [GOOGLE_SCOPE.user], { tokenRoot: google.server.url })).rejects.toThrow('invalid_grant: Invalid JWT Signature.');
  });

  it('refuses a service account it does not know', async () => {
    const key = { ...google.emulator.serviceAccountKey(), client_email: 'stranger@elsewhere.iam.gserviceaccount.com' };
    await expect(mintAccessToken(key, ADMIN, [GOOGLE_SCOPE.user], { tokenRoot: google.server.url })).rejects.toThrow('invalid_client');
  });
});
