/**
 * Whose account: a signed event is not trusted for which account it touches. Each attack a holder of the HR
 * signing key (or an HR typo) could make is sent to the running system, and the accounts are read back through
 * the emulators to show that nothing happened to them.
 */
import { playbooks } from '../../config/playbooks';
import type { Alert, Run } from '../../lambdas/engine/model';
import { sweep } from '../../lambdas/engine/sweep';
import type { Runtime } from '../../local/runtime';
import { daysFromToday, hrBody } from '../support/builders';
import { eventually, operator, postEvent, start } from '../support/harness';

const ADMIN = 'admin@example.com';
const ALAN = 'alan.turing@example.com';
const ADA = 'ada.lovelace@example.com';
const OUTSIDE = 'outsider@evil.example';

describe('whose account, end to end', () => {
  let rt: Runtime;
  let now = Date.now();
  const alerts: Alert[] = [];
  const today = () => new Date(now).toISOString().slice(0, 10);

  beforeAll(async () => {
    rt = await start({ playbooks, clock: { now: () => new Date(now) }, onAlert: (a) => alerts.push(a) });
  });
  afterAll(async () => {
    await rt.stop();
  });

  const employee = (id: string, email: string, extra: Record<string, unknown> = {}) => ({
    ...hrBody().employee,
    id,
    email,
    firstName: 'Someone',
    lastName: 'Else',
    ...extra,
  });
  /** The run once no step of it moves any more (every step done, held or waiting for a later day). */
  const settled = (employeeId: string, runId: string, pred: (run: Run) => boolean, what: string) =>
    eventually(async () => {
      const run = await rt.engine.store.getRun(employeeId, runId);
      return run && pred(run) && rt.idle() ? run : undefined;
    }, 30_000, what);
  const stepOf = (run: Run, id: string) => run.steps.find((s) => s.stepId === id)!;
  const cutoffIds = playbooks.terminate.steps.filter((s) => s.cutoff && s.enabled).map((s) => s.id);
  // The Google cut-off steps that wait for no other (the group removal waits for the group handover).
  const googleCutoffIds = playbooks.terminate.steps.filter((s) => s.cutoff && s.enabled && s.action.startsWith('google.') && !s.after.length).map((s) => s.id);
  /** A step that cannot start while a step it runs after waits for an operator. */
  const waitsOnHeld = (run: Run, id: string) => stepOf(run, id).status === 'pending' && stepOf(run, id).after.some((dep) => stepOf(run, dep).status === 'needs_attention');
  const cutoffSettled = (run: Run) => cutoffIds.every((id) => ['succeeded', 'needs_attention'].includes(stepOf(run, id).status) || waitsOnHeld(run, id));

  /** What a leaver step would change on an account, to compare before and after. */
  const accountState = (email: string) => {
    const g = rt.emulators.google;
    const u = g.user(email)!;
    return {
      passwordSha256: u.passwordSha256,
      lastSignOutAt: u.lastSignOutAt,
      suspended: u.suspended,
      includeInGlobalAddressList: u.includeInGlobalAddressList,
      orgUnitPath: u.orgUnitPath,
      externalIds: u.extra.externalIds,
      groups: g.groupsOf(email),
      tokens: g.tokensOf(email),
      delegates: g.gmail(email).delegates,
      vacation: g.gmail(email).vacation,
    };
  };

  it('a takeover through a rehire: the hire is refused while the forged termination has not run, and a hire naming a colleague changes nothing', async () => {
    const alan = accountState(ALAN);
    // 1. A termination for a new id naming the colleague's address, a year ahead: accepted, nothing runs yet.
    const nextYear = `${new Date(now).getUTCFullYear() + 1}-01-15`;
    const term = await postEvent(rt, hrBody({ eventId: 'takeover-term', effectiveDate: nextYear, employee: employee('E900', ALAN) }));
    expect(term.status).toBe(202);
    // 2. The hire of that id with an outside personal email: a termination that has not run is no former job.
    const hire = await postEvent(rt, hrBody({ eventId: 'takeover-hire', type: 'hire', effectiveDate: today(), employee: employee('E900', ALAN, { personalEmail: OUTSIDE, role: undefined }) }));
    expect(hire.status).toBe(409);
    expect(hire.body.error).toContain('has a termination (run');
    expect(hire.body.error).toContain('send a cancel of event takeover-term first');

    // 3. A plain hire of another new id naming the colleague's address: the account is not adopted.
    const other = await postEvent(rt, hrBody({ eventId: 'takeover-hire-2', type: 'hire', effectiveDate: today(), employee: employee('E901', ALAN, { personalEmail: OUTSIDE, role: undefined }) }));
    expect(other.status).toBe(202);
    const run = await settled('E901', other.body.runId, (r) => stepOf(r, 'create-user').status === 'needs_attention', 'the account creation to be held');
    expect(stepOf(run, 'create-user').hold).toBe('bound_elsewhere');
    expect(stepOf(run, 'welcome-email').status).toBe('pending');
    const alert = alerts.find((a) => a.runId === other.body.runId);
    expect(alert?.message).toContain('belongs to employee E101, not to employee E901');
    // No password reset, no mail to the outside address, nothing else changed on Alan.
    expect(accountState(ALAN)).toEqual(alan);
    expect(rt.emulators.google.sentMail(OUTSIDE)).toEqual([]);
  });

  it('a forged urgent termination of the admin: every Google cut-off step is held as protected, then as unbound; nothing changes', async () => {
    const admin = accountState(ADMIN);
    const res = await postEvent(rt, hrBody({ eventId: 'forged-admin', urgent: true, effectiveDate: today(), employee: employee('E666', ADMIN, { managerEmail: ALAN }) }));
    expect(res.status).toBe(202);
    const run = await settled('E666', res.body.runId, cutoffSettled, 'the cut-off to settle');
    for (const id of googleCutoffIds) expect({ id, hold: stepOf(run, id).hold }).toEqual({ id, hold: 'protected' });
    // The group removal waits for the held group handover: it is not run, and not held on its own.
    expect(stepOf(run, 'remove-from-groups').status).toBe('pending');
    const mine = alerts.filter((a) => a.runId === res.body.runId);
    // One alert per held step, each saying why.
    expect(mine.filter((a) => a.alertId.includes(':account:protected:')).map((a) => a.stepId).sort()).toEqual([...googleCutoffIds].sort());
    expect(mine[0].message).toContain('protected account');
    expect(accountState(ADMIN)).toEqual(admin);

    // An operator who confirms the protected account still cannot act on an account bound to no employee.
    const confirmed = await operator(rt, 'POST', `/v1/runs/${res.body.runId}/confirm-account`, { system: 'google', account: ADMIN, confirms: 'protected' });
    expect(confirmed.status).toBe(200);
    const again = await settled('E666', res.body.runId, (r) => googleCutoffIds.every((id) => stepOf(r, id).hold === 'unbound'), 'the steps to be held as unbound');
    expect(again.accountConfirmations).toMatchObject([{ system: 'google', account: ADMIN, confirms: 'protected', by: expect.any(String) }]);
    expect(accountState(ADMIN)).toEqual(admin);
    const audit = await rt.engine.store.listAudit('E666');
    expect(audit.some((a) => a.change.startsWith('confirmed acting on the protected google account admin@example.com'))).toBe(true);
  });

  it('a leaver whose manager is suspended or outside the domain: delegation, auto-reply and the transfer hold, nothing is handed over', async () => {
    const before = accountState(ADA);
    const res = await postEvent(rt, hrBody({ eventId: 'bad-manager', urgent: true, effectiveDate: today(), employee: { ...hrBody().employee, managerEmail: 'charles.babbage@example.com' } }));
    const run = await settled('E100', res.body.runId, cutoffSettled, 'the cut-off to settle');
    expect(stepOf(run, 'delegate-to-manager')).toMatchObject({ status: 'needs_attention', hold: 'beneficiary' });
    expect(stepOf(run, 'set-auto-reply')).toMatchObject({ status: 'needs_attention', hold: 'beneficiary' });
    expect(stepOf(run, 'sign-out').status).toBe('succeeded');
    // Ada alone owns a group: with no manager to take it, the handover holds, and she stays in her groups until an operator acts.
    expect(stepOf(run, 'handover-groups')).toMatchObject({ status: 'needs_attention', hold: 'beneficiary' });
    expect(stepOf(run, 'remove-from-groups').status).toBe('pending');
    const after = accountState(ADA);
    expect(after.delegates).toEqual(before.delegates);
    expect(after.vacation).toEqual(before.vacation);
    expect(alerts.find((a) => a.runId === res.body.runId && a.alertId.includes(':account:beneficiary:'))?.message).toContain('charles.babbage@example.com is suspended');

    // The transfer's day: held too, no transfer started.
    now = Date.parse(stepOf(run, 'transfer-data').dueAt) + 1000;
    await sweep(rt.engine);
    const later = await settled('E100', res.body.runId, (r) => stepOf(r, 'transfer-data').status === 'needs_attention', 'the transfer to be held');
    expect(stepOf(later, 'transfer-data').hold).toBe('beneficiary');
    expect(rt.emulators.google.driveFilesOf(ADA).length).toBeGreaterThan(0);

    // The profile shows the account the run acted on, bound to the employee id.
    const view = await operator(rt, 'GET', '/v1/employees/E100');
    expect(view.body.accounts).toEqual(
      expect.arrayContaining([expect.objectContaining({ system: 'google', address: ADA, state: 'active', boundBy: 'binding' }), expect.objectContaining({ system: 'connect', address: 'ada.lovelace' })]),
    );
  });

  it('a manager outside the domain is no beneficiary either', async () => {
    const res = await postEvent(rt, hrBody({ eventId: 'outside-manager', urgent: true, effectiveDate: today(), employee: { ...hrBody().employee, id: 'E101', email: ALAN, managerEmail: 'boss@other.example' } }));
    const run = await settled('E101', res.body.runId, cutoffSettled, 'the cut-off to settle');
    expect(stepOf(run, 'delegate-to-manager')).toMatchObject({ status: 'needs_attention', hold: 'beneficiary' });
    expect(rt.emulators.google.gmail(ALAN).delegates.map((d) => d.delegateEmail)).not.toContain('boss@other.example');
  });

  it('a hire that sends the welcome link to another personal address waits for approval, and a rejected one does not make that address the one on record', async () => {
    const joiner = (eventId: string, personalEmail: string) =>
      hrBody({ eventId, type: 'hire', effectiveDate: daysFromToday(30), employee: employee('E120', 'new.starter@example.com', { personalEmail, role: undefined }) });
    expect((await postEvent(rt, joiner('start-1', 'me@home.example'))).body.status).toBe('scheduled');
    const moved = await postEvent(rt, joiner('start-2', OUTSIDE));
    expect(moved.body).toMatchObject({ status: 'awaiting_approval', approval: { requiredBy: expect.stringContaining(`personal email changed from me@home.example to ${OUTSIDE}`) } });
    const rejected = await operator(rt, 'POST', `/v1/runs/${moved.body.runId}/reject`, { planHash: moved.body.approval.planHash, reason: 'not the joiner' });
    expect(rejected.status).toBe(200);
    // The rejected hire's address is on the profile now, but the comparison is with the last hire that went ahead.
    const again = await postEvent(rt, joiner('start-3', OUTSIDE));
    expect(again.body.status).toBe('awaiting_approval');
  });

  it('an account made before this system is adopted only by an operator naming it, and then carries the employee id', async () => {
    // Licensed, as every mailbox of a real tenant is: Gmail has no mail service for a user without one.
    rt.emulators.google.seedUser({ email: 'legacy.user@example.com', givenName: 'Legacy', familyName: 'User', orgUnitPath: '/Staff', license: true });
    const res = await postEvent(rt, hrBody({ eventId: 'legacy-leaver', urgent: true, effectiveDate: today(), employee: employee('E950', 'legacy.user@example.com', { managerEmail: 'grace.hopper@example.com' }) }));
    const held = await settled('E950', res.body.runId, cutoffSettled, 'the cut-off to settle');
    expect(stepOf(held, 'sign-out').hold).toBe('unbound');
    expect(rt.emulators.google.user('legacy.user@example.com')?.lastSignOutAt).toBeUndefined();

    const adopted = await operator(rt, 'POST', `/v1/runs/${res.body.runId}/confirm-account`, { system: 'google', account: 'legacy.user@example.com', confirms: 'adopt' });
    expect(adopted.status).toBe(200);
    await settled('E950', res.body.runId, (r) => googleCutoffIds.every((id) => stepOf(r, id).status === 'succeeded'), 'the Google cut-off after the adoption');
    expect(rt.emulators.google.user('legacy.user@example.com')?.extra.externalIds).toEqual([{ type: 'organization', value: 'E950' }]);
    const view = await operator(rt, 'GET', '/v1/employees/E950');
    expect(view.body.accounts).toEqual([expect.objectContaining({ system: 'google', address: 'legacy.user@example.com', boundBy: expect.stringMatching(/^(adopted|binding)$/) })]);
    // A confirmation names what it confirms; a wrong body is a 400 naming the field.
    const bad = await operator(rt, 'POST', `/v1/runs/${res.body.runId}/confirm-account`, { system: 'google', account: 'legacy.user@example.com', confirms: 'yes' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toContain('confirms');
  });
});
