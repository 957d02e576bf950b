/**
 * A leaver end to end with the default playbook: signed event in, every step run against the
 * emulators, and the final state read back through the real Google and Amazon Connect paths.
 */
import { ListUsersCommand } from '@aws-sdk/client-connect';
import { playbooks } from '../../config/playbooks';
import type { Run } from '../../lambdas/engine/model';
import { sweep } from '../../lambdas/engine/sweep';
import { createConnectClient, LOCAL_CONNECT_CREDENTIALS } from '../../lambdas/providers/connect/connect-client';
import { LOCAL_CONNECT_INSTANCE_ID } from '../../local/emulators/provider-emulators';
import type { Runtime } from '../../local/runtime';
import { hrBody } from '../support/builders';
import { fastPolling } from '../support/fast-playbooks';
import { providerClockFollowing } from '../support/manual-clock';
import { eventually, googleClientsOf, operator, postEvent, start } from '../support/harness';

const ADA = 'ada.lovelace@example.com';
const GRACE = 'grace.hopper@example.com';

describe('a leaver, end to end', () => {
  let rt: Runtime;
  let now = Date.now();
  const google = () => googleClientsOf(rt);

  beforeAll(async () => {
    const clock = { now: () => new Date(now) };
    rt = await start({ playbooks: fastPolling, clock, providerClock: providerClockFollowing(clock) });
    rt.emulators.google.setTransferBehaviour({ delayMs: 200 });
  });
  afterAll(async () => {
    await rt.stop();
  });
  // The tenant's automatic licensing a test turned on goes off again whether or not its assertions passed.
  afterEach(() => {
    rt.emulators.google.setAutoLicense(undefined);
  });

  const stepsOf = async (runId: string): Promise<Run> => (await rt.engine.store.getRun('E100', runId))!;
  const settledWhereAsync = (runId: string, pred: (run: Run) => Promise<boolean>, what: string) =>
    eventually(async () => {
      const run = await stepsOf(runId);
      return (await pred(run)) && rt.idle() ? run : undefined;
    }, 30_000, what);
  const settledWhere = (runId: string, pred: (run: Run) => boolean, what: string) =>
    eventually(async () => {
      const run = await stepsOf(runId);
      return pred(run) && rt.idle() ? run : undefined;
    }, 30_000, what);

  it('cuts access at once, hands over the data the next day, suspends a month later and keeps the license the Vault hold needs', async () => {
    // A tenant with automatic licensing on for everyone, turned off for the offboarding org unit as docs/google-refusals.md
    // tells an admin: the license can go only once the leaver is there.
    rt.emulators.google.setAutoLicensing('/', 'Google-Apps', { skuId: '1010020027' });
    rt.emulators.google.setAutoLicensing('/Offboarded', 'Google-Apps', 'off');
    const res = await postEvent(rt, hrBody({ eventId: 'leaver-1', urgent: true, effectiveDate: new Date(now).toISOString().slice(0, 10) }));
    expect(res.status).toBe(202);
    // Every cut-off step is queued at once, but one that waits for another (the Connect removal, after the agent's offline step).
    const cutoffIds = playbooks.terminate.steps.filter((s) => s.cutoff && s.enabled && !s.after?.length).map((s) => s.id);
    expect(res.body.steps.filter((s: { status: string }) => s.status === 'queued').map((s: { stepId: string }) => s.stepId).sort()).toEqual([...cutoffIds].sort());

    // 1. The cut-off: every access step, read back through the real API paths.
    const afterCutoff = await settledWhere(res.body.runId, (run) => cutoffIds.every((id) => run.steps.find((s) => s.stepId === id)?.status === 'succeeded'), 'the cut-off steps');
    expect(afterCutoff.steps.filter((s) => s.status === 'needs_attention')).toEqual([]);
    const g = google();
    const user = (await g.directory.users.get({ userKey: ADA })).data as Record<string, unknown>;
    expect(user).toMatchObject({ includeInGlobalAddressList: false, suspended: false });
    expect(user.lastSignOutAt).toBeTruthy();
    expect((await g.directory.tokens.list({ userKey: ADA })).data.items ?? []).toEqual([]);
    expect((await g.directory.asps.list({ userKey: ADA })).data.items ?? []).toEqual([]);
    expect((await g.directory.groups.list({ userKey: ADA })).data.groups ?? []).toEqual([]);
    const gmail = await g.gmailFor(ADA);
    expect(((await gmail.users.settings.delegates.list({ userId: ADA })).data.delegates ?? []).map((d) => d.delegateEmail)).toEqual([GRACE]);
    expect((await gmail.users.settings.getVacation({ userId: ADA })).data.enableAutoReply).toBe(true);
    const devices = (await g.directory.mobiledevices.list({ customerId: 'my_customer', query: `email:${ADA}` })).data.mobiledevices ?? [];
    expect(devices.map((d) => d.status)).toEqual(['ACCOUNT_WIPING']);
    const connect = createConnectClient({ region: rt.emulators.connect.region, endpoint: rt.emulatorUrl, credentials: LOCAL_CONNECT_CREDENTIALS });
    const agents = (await connect.send(new ListUsersCommand({ InstanceId: LOCAL_CONNECT_INSTANCE_ID }))).UserSummaryList ?? [];
    expect(agents.map((a) => a.Username)).not.toContain('ada.lovelace');
    expect(rt.downstream.deliveries.get(`${res.body.runId}:forward-event`)?.times).toBe(1);
    // What was removed is on record for a restore.
    const groups = afterCutoff.steps.find((s) => s.stepId === 'remove-from-groups')?.result as { removed: { groups: unknown[] } };
    expect(groups.removed.groups).toHaveLength(3);
    expect(afterCutoff.steps.find((s) => s.stepId === 'remove-connect-agent')?.result).toMatchObject({ removed: { agent: { username: 'ada.lovelace' } } });
    // The local stage keeps a leaver's mail on a Vault hold, placed with the cut-off and read back through Vault.
    const kept = afterCutoff.steps.find((s) => s.stepId === 'hold-mail')?.result as { retained: { matterId: string; holdId: string } };
    expect((await g.vault.getHold(kept.retained.matterId, kept.retained.holdId)).accounts?.map((a) => a.email)).toEqual([ADA]);

    // 2. Day +1: the Drive and Calendar transfer waits ("not yet") until Google says it completed.
    now = Date.parse(afterCutoff.steps.find((s) => s.stepId === 'transfer-data')!.dueAt) + 1000;
    await sweep(rt.engine);
    const transferred = await settledWhere(res.body.runId, (run) => run.steps.find((s) => s.stepId === 'transfer-data')?.status === 'succeeded', 'the transfer');
    expect(transferred.steps.find((s) => s.stepId === 'transfer-data')?.result).toMatchObject({ newOwner: GRACE });
    const audit = await rt.engine.store.listAudit('E100');
    expect(audit.some((a) => a.stepId === 'transfer-data' && a.change.startsWith('not done yet'))).toBe(true);

    // 3. Day +30: delegation removed, then suspension, the offboarded OU and the licenses.
    now = Date.parse(transferred.steps.find((s) => s.stepId === 'suspend-user')!.dueAt) + 1000;
    await sweep(rt.engine);
    const done = await settledWhere(res.body.runId, (run) => run.status === 'completed', 'the run to complete');
    expect(done.steps.map((s) => [s.stepId, s.status]).filter(([, status]) => status !== 'succeeded')).toEqual([]);
    const finalUser = (await g.directory.users.get({ userKey: ADA })).data;
    expect(finalUser).toMatchObject({ suspended: true, orgUnitPath: '/Offboarded' });
    // The local stage keeps a leaver's mail on a Vault hold, which holds only a licensed account: the license stays,
    // and so does the hold.
    await expect(g.licensing.get('Google-Apps', '1010020028', ADA)).resolves.toMatchObject({ skuId: '1010020028' });
    expect(done.steps.find((s) => s.stepId === 'remove-licenses')).toMatchObject({ status: 'succeeded', note: expect.stringMatching(/^licenses kept: the stage says vault-hold/) });
    const held = (rt.emulators.google.toJSON().matters ?? []).flatMap((m) => m.holds).flatMap((h) => h.accounts.map((a) => a.accountId));
    expect(held).toContain(finalUser.id);
    // Suspension ran only after everything that needs a live mailbox.
    const finished = (id: string) => done.steps.find((s) => s.stepId === id)!.finishedAt!;
    for (const before of ['set-auto-reply', 'delegate-to-manager', 'invalidate-backup-codes', 'transfer-data', 'remove-delegation']) {
      expect(finished(before) <= done.steps.find((s) => s.stepId === 'suspend-user')!.startedAt!).toBe(true);
    }
    expect(done.steps.find((s) => s.stepId === 'remove-licenses')?.after).toContain('move-to-org-unit');
  }, 120_000);

  it('then hired back: the former account is restored, not a second one made', async () => {
    const g = google();
    const terminated = (await rt.engine.store.listRuns('E100')).find((r) => r.type === 'terminate');
    expect(terminated?.status).toBe('completed');
    // Back as of yesterday: every step of the rehire (the welcome email at 09:00 too) is due now.
    const yesterday = new Date(now - 86_400_000).toISOString().slice(0, 10);
    const rehire = (extra: Record<string, unknown>) => hrBody({ eventId: 'rehire-1', type: 'hire', effectiveDate: yesterday, ...extra });

    // Another address than the one she left with is refused, naming the field, and records nothing.
    const other = await postEvent(rt, rehire({ employee: { ...hrBody().employee, email: 'ada.king@example.com' } }));
    expect(other.status).toBe(400);
    expect(JSON.stringify(other.body)).toContain('employee.email');
    expect(await rt.engine.store.getEvent('rehire-1')).toBeUndefined();

    const res = await postEvent(rt, rehire({}));
    expect(res.status).toBe(202);
    expect(res.body.restoresRunId).toBe(terminated!.runId);
    // A rehire restores access: it waits for an operator who approves the plan shown.
    expect(res.body).toMatchObject({ status: 'awaiting_approval', approval: { requiredBy: expect.stringMatching(/^rehire: /) } });
    const approved = await operator(rt, 'POST', `/v1/runs/${res.body.runId}/approve`, { planHash: res.body.approval.planHash });
    expect(approved.status).toBe(200);
    const done = await settledWhereAsync(res.body.runId, async (run) => {
      if (run.status === 'needs_attention') {
        const alerts = (await rt.engine.store.listAlerts('open')).filter((a) => a.runId === run.runId);
        throw new Error(`the rehire needs attention: ${alerts.map((a) => a.message).join('\n')}`);
      }
      return run.status === 'completed';
    }, 'the rehire run');
    expect(done.steps.filter((s) => s.status !== 'succeeded')).toEqual([]);
    expect(done.steps.map((s) => s.action)).toEqual(
      expect.arrayContaining(['google.unsuspendUser', 'google.restoreOrgUnit', 'google.releaseMailRetention', 'google.restoreGroups', 'google.restoreDelegates', 'connect.restoreAgent']),
    );

    const users = (await g.directory.users.list({ customer: 'my_customer', query: `email:${ADA}` })).data.users ?? [];
    expect(users).toHaveLength(1);
    expect(users[0]).toMatchObject({ suspended: false, orgUnitPath: '/Staff' });
    expect(users[0].includeInGlobalAddressList).not.toBe(false);
    // Her license, kept for the Vault hold, was changed to her role's (support-agent: Business Starter), not a second one added.
    await expect(g.licensing.get('Google-Apps', '1010020027', ADA)).resolves.toMatchObject({ skuId: '1010020027' });
    await expect(g.licensing.get('Google-Apps', '1010020028', ADA)).rejects.toMatchObject({ status: 404 });
    // Her account is the one she left with, with a new initial password sealed for the welcome email.
    expect(done.steps.find((s) => s.stepId === 'create-user')?.result).toMatchObject({ existing: { primaryEmail: ADA } });
    expect(done.steps.find((s) => s.stepId === 'welcome-email')?.status).toBe('succeeded');
    expect(((await g.directory.groups.list({ userKey: ADA })).data.groups ?? []).length).toBe(3);
    // The cut-off made the manager the only delegate and day +30 removed her: undone latest first, the delegate she had is back.
    const gmail = await g.gmailFor(ADA);
    expect(((await gmail.users.settings.delegates.list({ userId: ADA })).data.delegates ?? []).map((d) => d.delegateEmail)).toEqual(['alan.turing@example.com']);
    expect((await gmail.users.settings.getVacation({ userId: ADA })).data.enableAutoReply).toBe(false);
    const connect = createConnectClient({ region: rt.emulators.connect.region, endpoint: rt.emulatorUrl, credentials: LOCAL_CONNECT_CREDENTIALS });
    const agents = (await connect.send(new ListUsersCommand({ InstanceId: LOCAL_CONNECT_INSTANCE_ID }))).UserSummaryList ?? [];
    expect(agents.map((a) => a.Username)).toContain('ada.lovelace');
    // The termination's record stays as it was: an auditor reads both.
    expect((await rt.engine.store.getRun('E100', terminated!.runId))?.status).toBe('completed');
  }, 120_000);
});

describe('an HR mistake, undone', () => {
  let rt: Runtime;
  beforeAll(async () => {
    rt = await start({ playbooks: fastPolling });
  });
  afterAll(async () => {
    await rt.stop();
  });

  it('a cancel of a termination stops what has not run and restores what was removed', async () => {
    const g = googleClientsOf(rt);
    const groupsOf = async () => ((await g.directory.groups.list({ userKey: ADA })).data.groups ?? []).map((x) => x.email).sort();
    const delegatesOf = async () => ((await (await g.gmailFor(ADA)).users.settings.delegates.list({ userId: ADA })).data.delegates ?? []).map((d) => d.delegateEmail).sort();
    const groupsBefore = await groupsOf();
    const delegatesBefore = await delegatesOf();
    expect(groupsBefore.length).toBeGreaterThan(0);

    const res = await postEvent(rt, hrBody({ eventId: 'mistake-1', urgent: true, effectiveDate: new Date().toISOString().slice(0, 10) }));
    await eventually(async () => {
      const run = await rt.engine.store.getRun('E100', res.body.runId);
      return run?.steps.filter((s) => s.status === 'queued' || s.status === 'running').length === 0 && rt.idle() ? run : undefined;
    }, 30_000, 'the cut-off');
    expect(await groupsOf()).toEqual([]);

    const cancel = await postEvent(rt, { eventId: 'mistake-1-cancel', type: 'cancel', cancels: 'mistake-1' });
    expect(cancel.status).toBe(202);
    expect(cancel.body.cancelsRunId).toBe(res.body.runId);
    const restoreIds = cancel.body.steps.map((s: { stepId: string }) => s.stepId);
    expect(restoreIds).toEqual(expect.arrayContaining(['restore-remove-from-groups', 'restore-delegate-to-manager', 'restore-hide-from-directory', 'restore-remove-connect-agent', 'restore-set-auto-reply', 'restore-hold-mail']));
    // The reset password is not among them, and the cancel says so to HR and on the run.
    expect(restoreIds).not.toContain('restore-reset-password');
    expect(cancel.body.notes).toEqual([expect.stringContaining('the password reset by step reset-password cannot be given back')]);

    const restored = await eventually(async () => {
      const run = await rt.engine.store.getRun('E100', cancel.body.runId);
      return run?.status === 'completed' && rt.idle() ? run : undefined;
    }, 30_000, 'the restore run');
    expect(restored.steps.every((s) => s.status === 'succeeded')).toBe(true);
    const cancelled = (await rt.engine.store.getRun('E100', res.body.runId))!;
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.steps.find((s) => s.stepId === 'suspend-user')?.status).toBe('cancelled');

    expect(await groupsOf()).toEqual(groupsBefore);
    expect(await delegatesOf()).toEqual(delegatesBefore);
    expect((await g.directory.users.get({ userKey: ADA })).data.includeInGlobalAddressList).not.toBe(false);
    expect((await (await g.gmailFor(ADA)).users.settings.getVacation({ userId: ADA })).data.enableAutoReply).toBe(false);
    const connect = createConnectClient({ region: rt.emulators.connect.region, endpoint: rt.emulatorUrl, credentials: LOCAL_CONNECT_CREDENTIALS });
    const agents = (await connect.send(new ListUsersCommand({ InstanceId: LOCAL_CONNECT_INSTANCE_ID }))).UserSummaryList ?? [];
    expect(agents.map((a) => a.Username)).toContain('ada.lovelace');
    // The mail hold the run placed is gone with the cancel.
    const held = await Promise.all((await g.vault.listMatters('OPEN')).map((m) => g.vault.listHolds(m.matterId)));
    expect(held.flat().flatMap((h) => h.accounts ?? []).map((a) => a.email)).not.toContain(ADA);
  }, 120_000);
});
