/**
 * A small layoff: 20 urgent leavers at once while Google answers a burst of 429s. Each is waited out or
 * retried, every cut-off step still succeeds, and the leavers' state is read back through the real Google
 * and Amazon Connect clients. A layoff against a Google quota too tight for it (429s waited out for
 * minutes) is the layoff benchmark's (`npm run bench -- --only layoff`).
 */
import { paginateListUsers } from '@aws-sdk/client-connect';
import type { Playbooks } from '../../config/schema';
import { createConnectClient, LOCAL_CONNECT_CREDENTIALS } from '../../lambdas/providers/connect/connect-client';
import { LOCAL_CONNECT_INSTANCE_ID } from '../../local/emulators/provider-emulators';
import { seedStaff, SEEDED_PER_EMPLOYEE, type StaffRecord } from '../../local/emulators/seed-staff';
import type { Runtime } from '../../local/runtime';
import { fastPolling } from '../support/fast-playbooks';
import { allRunsComplete, googleClientsOf, postEvent, start } from '../support/harness';

const LEAVERS = 20;
/** Google calls answered 429 (Retry-After: 1 s) as the layoff starts. */
const THROTTLED_CALLS = 40;
/** This process's own Google budget: high enough not to pace the test. */
const PROCESS_PER_MINUTE = 60_000;

/** The real terminate playbook's cut-off steps alone, so a run completes once access is cut. */
const cutoffOnly: Playbooks = { ...fastPolling, terminate: { steps: fastPolling.terminate.steps.filter((s) => s.cutoff) } };
const CUTOFF_STEP_IDS = cutoffOnly.terminate.steps.filter((s) => s.enabled).map((s) => s.id);
const WAITS_FOR_ANOTHER = new Set(cutoffOnly.terminate.steps.filter((s) => s.enabled && s.after?.length).map((s) => s.id));

describe('a layoff of 20 urgent leavers while Google throttles', () => {
  let rt: Runtime;
  let staff: StaffRecord[];

  beforeAll(async () => {
    // A layoff the operators expect: the mass-change threshold is raised for it (docs/mass-change-guard.md).
    // A step slowed by a busy machine can outlast the harness's 5-second visibility; redelivered mid-step, it would wait out its lease.
    rt = await start({ playbooks: cutoffOnly, googleRequestsPerMinute: PROCESS_PER_MINUTE, workerConcurrency: 4, visibilityTimeoutSeconds: 60, settings: { retryBaseSeconds: 1, massChange: { threshold: LEAVERS, windowMinutes: 60 } } });
    staff = seedStaff(rt.emulators, LEAVERS, { prefix: 'layoff' });
    // The meetings handover's transfer completes before its first look again.
    rt.emulators.google.setTransferBehaviour({ delayMs: 200 });
  });
  afterAll(async () => {
    await rt?.stop();
  });

  it('cuts every leaver off, with nothing left for an operator', async () => {
    const g = rt.emulators.google;
    // What the cut-off must remove is there to begin with.
    for (const e of staff) {
      expect(g.tokensOf(e.email)).toHaveLength(SEEDED_PER_EMPLOYEE.tokens);
      expect(g.groupsOf(e.email)).toHaveLength(SEEDED_PER_EMPLOYEE.groups);
      expect(rt.emulators.connect.userByUsername(LOCAL_CONNECT_INSTANCE_ID, e.email.split('@')[0])).toBeDefined();
    }

    g.faults.failNext({ path: '.', count: THROTTLED_CALLS, status: 429, reason: 'rateLimitExceeded', retryAfterSeconds: 1 });

    const today = new Date().toISOString().slice(0, 10);
    const answers = await Promise.all(
      staff.map((employee) => postEvent(rt, { eventId: `layoff-${employee.id}`, type: 'terminate', effectiveDate: today, urgent: true, employee })),
    );
    for (const res of answers) {
      expect(res.status).toBe(202);
      // A step that waits for another (the Connect removal, after the agent's offline step) is released once that one is done.
      expect(res.body.steps.map((s: { stepId: string; status: string }) => [s.stepId, s.status])).toEqual(CUTOFF_STEP_IDS.map((id) => [id, WAITS_FOR_ANOTHER.has(id) ? 'pending' : 'queued']));
    }

    const runs = await allRunsComplete(rt, staff.map((e, i) => ({ employeeId: e.id, runId: answers[i].body.runId as string })), 150_000);

    for (const run of runs) {
      expect(run.steps.map((s) => [s.stepId, s.status])).toEqual(CUTOFF_STEP_IDS.map((id) => [id, 'succeeded']));
    }
    // Every injected 429 was answered to this workload: the next call goes through.
    expect(g.faults.check({ method: 'GET', path: '/probe' })).toBeUndefined();
    expect(rt.deadLetters.stats()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });

    // Read back through the client paths the actions use.
    const google = googleClientsOf(rt, 60_000);
    const connect = createConnectClient({ region: rt.emulators.connect.region, endpoint: rt.emulatorUrl, credentials: LOCAL_CONNECT_CREDENTIALS });
    const agents: string[] = [];
    for await (const page of paginateListUsers({ client: connect }, { InstanceId: LOCAL_CONNECT_INSTANCE_ID })) {
      agents.push(...(page.UserSummaryList ?? []).map((u) => u.Username ?? ''));
    }

    for (const e of staff) {
      const user = (await google.directory.users.get({ userKey: e.email })).data as Record<string, unknown>;
      expect({ email: e.email, hidden: user.includeInGlobalAddressList === false, signedOut: Boolean(user.lastSignOutAt) }).toEqual({ email: e.email, hidden: true, signedOut: true });
      expect((await google.directory.tokens.list({ userKey: e.email })).data.items ?? []).toEqual([]);
      expect((await google.directory.asps.list({ userKey: e.email })).data.items ?? []).toEqual([]);
      expect((await google.directory.verificationCodes.list({ userKey: e.email })).data.items ?? []).toEqual([]);
      expect((await google.directory.groups.list({ userKey: e.email })).data.groups ?? []).toEqual([]);
      const devices = (await google.directory.mobiledevices.list({ customerId: 'my_customer', query: `email:${e.email}` })).data.mobiledevices ?? [];
      expect(devices.map((d) => d.status)).toEqual(['ACCOUNT_WIPING']);
      const gmail = await google.gmailFor(e.email);
      expect(((await gmail.users.settings.forwardingAddresses.list({ userId: e.email })).data.forwardingAddresses ?? []).map((f) => f.forwardingEmail)).toEqual([]);
      expect(((await gmail.users.settings.delegates.list({ userId: e.email })).data.delegates ?? []).map((d) => d.delegateEmail)).toEqual([e.managerEmail]);
      expect((await gmail.users.settings.getVacation({ userId: e.email })).data.enableAutoReply).toBe(true);
      expect(agents).not.toContain(e.email.split('@')[0]);
    }
    // Each run recorded what it removed, for a restore: both groups of every leaver.
    for (const run of runs) {
      const removed = run.steps.find((s) => s.stepId === 'remove-from-groups')?.result as { removed: { groups: unknown[] } };
      expect(removed.removed.groups).toHaveLength(SEEDED_PER_EMPLOYEE.groups);
    }
  }, 180_000);
});
