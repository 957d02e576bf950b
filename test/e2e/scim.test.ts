/**
 * A SCIM app end to end with the local runtime, the default playbook and the sample role catalog: the sample
 * `engineer` role names the sample app `wiki` and its group Engineering. A hire gets a wiki user in the group, read back
 * from the SCIM emulator; the urgent leaver has it deactivated and out of the group; the cancel puts both back.
 */
import { SAMPLE_SCIM } from '../../local/emulators/scim/scim-sample';
import { eventually, postEvent } from '../support/harness';
import { freeSeat, useE2eRuntime } from '../support/e2e-runtime';

const EMPLOYEE = {
  id: 'E-SCIM',
  firstName: 'Mary',
  lastName: 'Somerville',
  personalEmail: 'mary@home.example',
  managerEmail: 'grace.hopper@example.com',
  role: 'engineer',
  timezone: 'Europe/Berlin',
};

describe('a SCIM app the role names, end to end', () => {
  let now = Date.parse('2099-01-10T10:00:00Z');
  // A free Business Standard seat for the engineer (the sample's are all taken).
  const { rt, runOf, stepDone } = useE2eRuntime(() => now, EMPLOYEE.id, { emulatorsOnClock: false, setUp: freeSeat });
  const wiki = () => rt().emulators.scim.app(SAMPLE_SCIM.app);

  let address = '';
  let userId = '';

  it('the hire plans the wiki user with its group, and it is made bound to the employee id, read back from the app', async () => {
    const res = await postEvent(rt(), { eventId: 'scim-hire', type: 'hire', effectiveDate: '2099-01-20', employee: EMPLOYEE });
    expect(res.status).toBe(202);
    const runId = res.body.runId as string;
    const planned = (await runOf(runId)).steps.find((s) => s.stepId === 'scim-wiki-provision');
    expect(planned).toMatchObject({ action: 'scim.provisionUser', params: { app: 'wiki', groups: ['Engineering'] } });
    now = Date.parse('2099-01-19T08:00:00Z');
    await rt().sweepNow();
    const { step } = await stepDone(runId, 'scim-wiki-provision');
    address = (await runOf(runId)).employee.email!;
    const user = wiki().userByName(address)!;
    expect(user).toMatchObject({ userName: address, externalId: EMPLOYEE.id, active: true, name: { givenName: 'Mary', familyName: 'Somerville' } });
    userId = String(user.id);
    expect(wiki().groupsOf(userId)).toEqual(['Engineering']);
    expect(step.result).toMatchObject({ app: 'wiki', userId, created: true });
    // The run records the user as the employee's account in the app.
    expect(step.account).toEqual({ system: 'scim', address, accountId: userId, state: 'active', boundBy: 'created' });
  });

  let leaverRunId = '';
  it('the urgent leaver has the wiki user deactivated and out of its groups, recorded', async () => {
    now = Date.parse('2099-02-01T10:00:00Z');
    const { personalEmail: _p, role: _r, ...employee } = EMPLOYEE;
    const res = await postEvent(rt(), { eventId: 'scim-leave', type: 'terminate', effectiveDate: '2099-02-01', urgent: true, employee: { ...employee, email: address } });
    expect(res.status).toBe(202);
    leaverRunId = res.body.runId as string;
    const { step } = await stepDone(leaverRunId, 'scim-wiki-deactivate');
    expect(wiki().user(userId)).toMatchObject({ active: false, externalId: EMPLOYEE.id });
    expect(wiki().groupsOf(userId)).toEqual([]);
    expect(step.result).toMatchObject({ removed: { app: 'wiki', userId, active: true, groups: [{ displayName: 'Engineering' }] } });
    expect(step.account).toMatchObject({ system: 'scim', accountId: userId, state: 'suspended', boundBy: 'binding' });
  });

  it('a cancel of the termination makes the wiki user active again and back in its group', async () => {
    // Let the leaver's other cut-off steps finish first, as an operator's cancel would find them.
    await eventually(async () => (rt().idle() ? true : undefined), 30_000, 'the leaver steps');
    const cancel = await postEvent(rt(), { eventId: 'scim-cancel', type: 'cancel', cancels: 'scim-leave' });
    expect(cancel.status).toBe(202);
    const restoreIds = cancel.body.steps.map((s: { stepId: string }) => s.stepId);
    expect(restoreIds).toContain('restore-scim-wiki-deactivate');
    await stepDone(cancel.body.runId as string, 'restore-scim-wiki-deactivate');
    expect(wiki().user(userId)).toMatchObject({ active: true });
    expect(wiki().groupsOf(userId)).toEqual(['Engineering']);
  });
});
