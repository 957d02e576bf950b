/**
 * Consolidation end to end against the emulators: a Nextcloud user made by hand (through the OCS API) at a hire's
 * company address shows as bound to nobody; its bind fix makes a run that adopts it for the employee, and asked again
 * gives that same run; a leaver whose Google account an admin reactivated by hand shows as a leaver still active, and
 * its remove fix, once a second person approves it, suspends the account again through a revoke run.
 * Nothing changes in any system by the reading itself.
 */
import type { Run } from '../../lambdas/engine/model';
import { eventually, googleClientsOf, operator, postEvent, TOKEN } from '../support/harness';
import { freeSeat, useE2eRuntime } from '../support/e2e-runtime';
import { LOCAL_NEXTCLOUD_ADMIN, LOCAL_NEXTCLOUD_APP_PASSWORD } from '../../local/emulators/nextcloud/nextcloud-emulator';
import { LOCAL_OPERATOR_TOKENS } from '../../config/local-defaults';

const CORA = { id: 'E-CB', firstName: 'Cora', lastName: 'Bind', email: 'cora.bind@example.com', personalEmail: 'cora@home.example', managerEmail: 'grace.hopper@example.com', role: 'employee', timezone: 'Europe/Berlin' };
const LEO = { id: 'E-CL', firstName: 'Leo', lastName: 'Left', email: 'leo.left@example.com', personalEmail: 'leo@home.example', managerEmail: 'grace.hopper@example.com', role: 'employee', timezone: 'Europe/Berlin' };

type Finding = { id: string; kind: string; system: string; employeeId?: string; account?: { accountId: string; email?: string }; fixes: { fix: string; suggestedEmployeeId?: string }[] };

describe('consolidation, end to end', () => {
  let now = Date.parse('2099-03-01T10:00:00Z');
  let lastRead = 0;
  const { rt } = useE2eRuntime(() => now, CORA.id, {
    setUp: (r) => {
      freeSeat(r);
      const seats = r.emulators.google.seats('Google-Apps', '1010020027');
      if (seats) r.emulators.google.setSkuSeats('Google-Apps', '1010020027', seats.used + 2);
    },
  });
  const run = (employeeId: string, runId: string) => eventually(async () => rt().engine.store.getRun(employeeId, runId), 10_000, `run ${runId}`);
  const stepDone = (employeeId: string, runId: string, stepId: string) =>
    eventually(async () => {
      const r = await rt().engine.store.getRun(employeeId, runId);
      const step = r?.steps.find((s) => s.stepId === stepId);
      if (step?.status === 'needs_attention') throw new Error(`${stepId}: ${step.lastError?.message}`);
      return step?.status === 'succeeded' ? { run: r!, step } : undefined;
    }, 60_000, stepId);
  const consolidate = async () => {
    // Each read later than the last, as reads are (the tests set the clock back): the latest report is the one started last.
    now = Math.max(now, lastRead) + 1000;
    lastRead = now;
    const res = await operator(rt(), 'POST', '/v1/consolidation/run');
    expect(res.status).toBe(200);
    return res.body as { findings: Finding[]; systems: { system: string; ok: boolean; ms: number; calls: number }[]; reportId: string };
  };
  const hire = async (employee: typeof CORA, eventId: string) => {
    const res = await postEvent(rt(), { eventId, type: 'hire', effectiveDate: '2099-03-10', employee });
    expect(res.status).toBe(202);
    return res.body.runId as string;
  };

  it('a Nextcloud user made by hand is bound to nobody; its bind fix adopts it for the employee through one run', async () => {
    const hireRun = await hire(CORA, 'cons-hire-cora');
    now = Date.parse('2099-03-09T08:00:00Z');
    await rt().sweepNow();
    await stepDone(CORA.id, hireRun, 'create-user');

    // An admin makes a user by hand, at Cora's company address, through Nextcloud's own API.
    const made = await fetch(`${rt().emulatorUrl}/ocs/v2.php/cloud/users?format=json`, {
      method: 'POST',
      headers: { Authorization: `Basic ${Buffer.from(`${LOCAL_NEXTCLOUD_ADMIN}:${LOCAL_NEXTCLOUD_APP_PASSWORD}`).toString('base64')}`, 'OCS-APIRequest': 'true', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ userid: 'cora.b', email: CORA.email, password: 'Hand-made-1' }).toString(),
    });
    expect(made.status).toBe(200);
    const before = JSON.stringify(rt().emulators.nextcloud.state.users);

    const report = await consolidate();
    expect(report.systems.map((s) => s.system)).toEqual(expect.arrayContaining(['google', 'connect', 'zendesk', 'front', 'scim:wiki', 'nextcloud']));
    for (const s of report.systems) expect(s).toMatchObject({ ok: true, ms: expect.any(Number), calls: expect.any(Number) });
    // Reading changed nothing.
    expect(JSON.stringify(rt().emulators.nextcloud.state.users)).toBe(before);
    const unbound = report.findings.find((f) => f.kind === 'unbound' && f.system === 'nextcloud' && f.account?.accountId === 'cora.b');
    expect(unbound).toMatchObject({ fixes: [expect.objectContaining({ fix: 'bind', suggestedEmployeeId: CORA.id })] });
    expect((await operator(rt(), 'GET', '/v1/consolidation')).body).toMatchObject({ reportId: report.reportId, durationMs: expect.any(Number) });

    // Bad input names the field and starts nothing; a viewer may not fix.
    const bad = await operator(rt(), 'POST', `/v1/consolidation/findings/${unbound!.id}/fix`, { fix: 'bind' });
    expect(bad).toMatchObject({ status: 400, body: { error: expect.stringContaining('employeeId') } });
    const nobody = await operator(rt(), 'POST', `/v1/consolidation/findings/${unbound!.id}/fix`, { fix: 'bind', employeeId: 'E-NOBODY' });
    expect(nobody).toMatchObject({ status: 400, body: { path: 'employeeId' } });
    const viewer = LOCAL_OPERATOR_TOKENS.find((t) => t.name === 'local-viewer')!;
    expect((await operator(rt(), 'POST', `/v1/consolidation/findings/${unbound!.id}/fix`, { fix: 'bind', employeeId: CORA.id }, viewer.token)).status).toBe(403);
    expect((await operator(rt(), 'POST', '/v1/consolidation/run', undefined, viewer.token)).status).toBe(403);
    expect((await operator(rt(), 'GET', '/v1/consolidation', undefined, viewer.token)).status).toBe(200);
    const removal = await operator(rt(), 'POST', `/v1/consolidation/findings/${unbound!.id}/fix`, { fix: 'remove' });
    // An unbound account is bound first: a revoke run acts only on an employee's account.
    expect(removal).toMatchObject({ status: 409, body: { path: 'fix' } });
    expect((await rt().engine.store.listRuns(CORA.id)).length).toBe(1);

    const fixed = await operator(rt(), 'POST', `/v1/consolidation/findings/${unbound!.id}/fix`, { fix: 'bind', employeeId: CORA.id }, TOKEN);
    expect(fixed).toMatchObject({ status: 201, body: { fix: 'bind', created: true, runId: expect.any(String) } });
    // Sent by an operator, the run waits for a second person's approval like any event sent through the operator API.
    const waiting = await run(CORA.id, fixed.body.runId);
    expect(waiting).toMatchObject({ status: 'awaiting_approval', sentBy: 'local-admin' });
    const approver = LOCAL_OPERATOR_TOKENS.find((t) => t.name === 'local-approver')!;
    expect((await operator(rt(), 'POST', `/v1/runs/${fixed.body.runId}/approve`, { planHash: waiting.approval!.planHash }, approver.token)).status).toBe(200);
    const { step } = await stepDone(CORA.id, fixed.body.runId, 'provision-nextcloud-user');
    expect(step.account).toMatchObject({ system: 'nextcloud', accountId: 'cora.b', boundBy: 'adopted' });
    const bindRun: Run = await run(CORA.id, fixed.body.runId);
    expect(bindRun.accountConfirmations).toEqual([expect.objectContaining({ system: 'nextcloud', account: CORA.email, confirms: 'adopt' })]);
    expect((await rt().engine.store.listAudit(CORA.id)).some((a) => a.runId === bindRun.runId && a.change.includes('adopt'))).toBe(true);

    // The same fix again: the same run, no second one.
    const again = await operator(rt(), 'POST', `/v1/consolidation/findings/${unbound!.id}/fix`, { fix: 'bind', employeeId: CORA.id });
    expect(again).toMatchObject({ status: 200, body: { runId: fixed.body.runId, created: false } });
    expect((await rt().engine.store.listRuns(CORA.id)).length).toBe(2);

    const after = await consolidate();
    expect(after.findings.find((f) => f.system === 'nextcloud' && f.account?.accountId === 'cora.b')).toBeUndefined();
  }, 180_000);

  it('a leaver whose Google account was reactivated by hand shows as a leaver still active, and its fix revokes it', async () => {
    now = Date.parse('2099-03-01T10:00:00Z');
    const hireRun = await hire(LEO, 'cons-hire-leo');
    now = Date.parse('2099-03-09T08:00:00Z');
    await rt().sweepNow();
    await stepDone(LEO.id, hireRun, 'create-user');
    const { personalEmail: _p, ...employee } = LEO;
    const leave = await postEvent(rt(), { eventId: 'cons-leave-leo', type: 'terminate', urgent: true, effectiveDate: '2099-03-12', employee });
    expect(leave.status).toBe(202);
    await stepDone(LEO.id, leave.body.runId, 'sign-out');
    // Suspended, as the playbook's suspension a month later leaves it: a suspended leaver's account is no finding.
    const google = googleClientsOf(rt());
    await google.directory.users.update({ userKey: LEO.email, requestBody: { suspended: true } });

    expect((await consolidate()).findings.find((f) => f.kind === 'leaver_active' && f.employeeId === LEO.id)).toBeUndefined();
    // An admin reactivates the account by hand.
    await google.directory.users.update({ userKey: LEO.email, requestBody: { suspended: false } });
    const report = await consolidate();
    const active = report.findings.find((f) => f.kind === 'leaver_active' && f.employeeId === LEO.id);
    expect(active).toMatchObject({ system: 'google', account: expect.objectContaining({ email: LEO.email, active: true }), fixes: [expect.objectContaining({ fix: 'remove' })] });

    // Its fix: a revoke run of Leo's Google account alone, sent by the operator, so a second person approves it.
    const fixed = await operator(rt(), 'POST', `/v1/consolidation/findings/${active!.id}/fix`, { fix: 'remove' });
    expect(fixed).toMatchObject({ status: 201, body: { fix: 'remove', runId: expect.any(String) } });
    // Asked again: the same revoke, answered as already there.
    expect(await operator(rt(), 'POST', `/v1/consolidation/findings/${active!.id}/fix`, { fix: 'remove' })).toMatchObject({ status: 200, body: { runId: fixed.body.runId, created: false } });
    const revoke = await run(LEO.id, fixed.body.runId);
    expect(revoke).toMatchObject({ type: 'revoke', status: 'awaiting_approval' });
    expect(revoke.steps.length).toBeGreaterThan(0);
    expect(revoke.steps.every((s) => s.action.startsWith('google.'))).toBe(true);
    const approver = LOCAL_OPERATOR_TOKENS.find((t) => t.name === 'local-approver')!;
    expect((await operator(rt(), 'POST', `/v1/runs/${revoke.runId}/approve`, { planHash: revoke.approval!.planHash }, approver.token)).status).toBe(200);
    await rt().sweepNow();
    await eventually(async () => ((await google.directory.users.get({ userKey: LEO.email })).data.suspended ? true : undefined), 60_000, 'Leo suspended again');
    expect((await consolidate()).findings.find((f) => f.kind === 'leaver_active' && f.employeeId === LEO.id)).toBeUndefined();
  }, 180_000);
});
