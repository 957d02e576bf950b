/**
 * The doctor against the local emulators with the real clients: all green on the sample tenant, and each check failing
 * with its own clear line when its part is broken.
 */
import { runChecks, type CheckResult } from '../../../bin/cli/doctor/checks';
import { localTarget, runtimeParts, type LocalSecretName } from '../../../bin/cli/doctor/local-target';
import { GOOGLE_SCOPE } from '../../../lambdas/providers/google/google-scopes';
import { SAMPLE_CONNECT } from '../../../local/emulators/connect/connect-sample';
import { startProviderEmulators, type ProviderEmulators } from '../../../local/emulators/provider-emulators';
import { LocalAlertChannel } from '../../../local/local-alert-channel';
import { LocalQueue } from '../../../local/local-queue';

let emulators: ProviderEmulators;
let alerts: LocalAlertChannel;
let deadLetters: LocalQueue;

beforeEach(async () => {
  emulators = await startProviderEmulators({ port: 0, dataDir: null, downstream: { name: 'sample-downstream', keys: () => ({ current: 'downstream-key' }) } });
  alerts = new LocalAlertChannel();
  alerts.subscribe({ name: 'console', receive: () => {} });
  deadLetters = new LocalQueue({ name: 'steps-dlq', visibilityTimeoutSeconds: 30 });
});

afterEach(() => emulators.stop());

function doctor(secrets: Partial<Record<LocalSecretName, string>> = {}): Promise<CheckResult[]> {
  return runChecks(localTarget({ emulatorUrl: emulators.server.url, fetch: globalThis.fetch, secrets, ...runtimeParts({ alerts, deadLetters }) }));
}

const failures = (results: CheckResult[]) => results.filter((r) => r.status === 'FAIL').map((r) => `${r.check}: ${r.detail}`);
const statusOf = (results: CheckResult[], check: string) => results.find((r) => r.check === check)?.status;

describe('lifecycle doctor against the local emulators', () => {
  it('passes every check on the sample tenant, a Google token minted for each scope the actions need', async () => {
    const results = await doctor();
    expect(failures(results)).toEqual([]);
    expect(results.filter((r) => r.status === 'skip')).toEqual([]);
    expect(results.map((r) => r.check)).toEqual(
      expect.arrayContaining([
        'secret HR signing key',
        'secret Google service account key',
        'secret Notion token',
        'google admin.directory.user.security',
        'google gmail.send',
        'connect instance',
        'connect routing profiles',
        'connect security profiles',
        'notion role catalog',
        'alert subscribers',
        'dead-letter queue',
      ]),
    );
    expect(results.find((r) => r.check === 'google gmail.send')?.detail).toBe('token granted as admin@example.com');
  });

  it("fails the one scope whose delegation the admin revoked, saying so", async () => {
    const key = emulators.google.serviceAccountKey();
    emulators.google.delegation.revoke(key.client_id, GOOGLE_SCOPE.gmailSettingsSharing);
    expect(failures(await doctor())).toEqual([
      `google gmail.settings.sharing: not delegated: add it to the domain-wide delegation of ${key.client_email}'s client id (docs/google-scopes.md)`,
    ]);
  });

  it('with the customer id left at my_customer, fails admin.directory.customer.readonly until it is delegated; with the real id configured, skips it', async () => {
    const key = emulators.google.serviceAccountKey();
    emulators.google.delegation.revoke(key.client_id, GOOGLE_SCOPE.customerReadonly);
    expect(failures(await doctor())).toEqual([
      `google admin.directory.customer.readonly: not delegated: add it to the domain-wide delegation of ${key.client_email}'s client id (docs/google-scopes.md)`,
    ]);

    const target = localTarget({ emulatorUrl: emulators.server.url, fetch: globalThis.fetch, secrets: {}, ...runtimeParts({ alerts, deadLetters }) });
    const results = await runChecks({ ...target, google: { ...target.google, customerId: emulators.google.customerId } });
    expect(failures(results)).toEqual([]);
    expect(results.find((r) => r.check === 'google admin.directory.customer.readonly')).toEqual({
      check: 'google admin.directory.customer.readonly',
      status: 'skip',
      detail: `the stage configures customer id ${emulators.google.customerId}: customers.get is never called, so it need not be delegated`,
    });
  });

  it('fails the Connect instance when it is gone, and skips its profiles', async () => {
    emulators.connect.removeInstance(SAMPLE_CONNECT.instanceId);
    const results = await doctor();
    expect(failures(results)).toEqual([`connect instance: ${SAMPLE_CONNECT.instanceId}: Instance not found: ${SAMPLE_CONNECT.instanceId}`]);
    expect(statusOf(results, 'connect routing profiles')).toBe('skip');
  });

  it('fails the profiles check naming a profile the role catalog uses that the instance lacks', async () => {
    emulators.connect.removeProfile(SAMPLE_CONNECT.instanceId, 'routing profile', SAMPLE_CONNECT.routingProfiles.supportTier2);
    emulators.connect.removeProfile(SAMPLE_CONNECT.instanceId, 'security profile', SAMPLE_CONNECT.securityProfiles.agent);
    expect(failures(await doctor())).toEqual([
      expect.stringMatching(/^connect routing profiles: the role catalog names one the instance lacks: "Support-Tier2" \(role .+\)$/),
      expect.stringMatching(/^connect security profiles: the role catalog names one the instance lacks: "Agent" \(role .+\)$/),
    ]);
  });

  it('fails the role catalog with a wrong Notion token, and skips what needs the catalog', async () => {
    const results = await doctor({ 'Notion token': 'secret_not-the-integration-token' });
    expect(failures(results)).toEqual([expect.stringMatching(/^notion role catalog: data source .+: API token is invalid\.$/)]);
    expect(statusOf(results, 'connect routing profiles')).toBe('skip');
  });

  it('fails the alert check when nobody is subscribed to the alert channel', async () => {
    alerts.unsubscribe('console');
    expect(failures(await doctor())).toEqual(['alert subscribers: the local alert channel: nobody receives alerts: no subscription']);
  });

  it('fails the dead-letter check while a message waits there', async () => {
    deadLetters.send(JSON.stringify({ employeeId: 'E1', runId: 'r1', stepId: 's1' }));
    expect(failures(await doctor())).toEqual([
      'dead-letter queue: 1 message waiting: the dead-letter handler is not draining it; see its logs and npx lifecycle alerts',
    ]);
  });

  it('fails an empty secret, and skips the Google tokens when the key is the empty template', async () => {
    const results = await doctor({ 'HR signing key': '', 'Google service account key': JSON.stringify({ client_email: '', private_key: '' }) });
    expect(failures(results)).toEqual([
      'secret HR signing key: empty: paste the value in (docs/doctor.md says where each comes from)',
      'secret Google service account key: empty template: client_email or private_key is blank; paste the JSON key file in',
    ]);
    expect(results.find((r) => r.check === 'google tokens')).toEqual({ check: 'google tokens', status: 'skip', detail: 'the Google key (Google service account key) is not usable: no token can be asked for' });
  });
});
