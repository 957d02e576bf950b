/**
 * Front end to end with the default playbook and the sample role catalog: a support agent's hire gives them a Front
 * teammate made through SCIM (bound to their employee id, from the support template) in the Support team and the
 * Support and Billing inboxes; their urgent termination takes it out of every team and inbox and deactivates it; a
 * cancel restores it. Each read back from the emulator.
 */
import { postEvent } from '../support/harness';
import { useE2eRuntime } from '../support/e2e-runtime';

const EMPLOYEE = { id: 'E-FR', firstName: 'Fran', lastName: 'Front', personalEmail: 'fran@home.example', managerEmail: 'grace.hopper@example.com', role: 'support-agent', timezone: 'Europe/Berlin' };

describe('Front, end to end', () => {
  let now = Date.parse('2099-01-10T10:00:00Z');
  const { rt, stepDone } = useE2eRuntime(() => now, EMPLOYEE.id);

  let address = '';

  it('a support agent’s hire makes a Front teammate bound to the employee id, in the Support team and inboxes, read back', async () => {
    const res = await postEvent(rt(), { eventId: 'fr-hire', type: 'hire', effectiveDate: '2099-01-20', employee: EMPLOYEE });
    expect(res.status).toBe(202);
    expect(res.body.steps.map((s: { stepId: string }) => s.stepId)).toContain('provision-front-teammate');
    now = Date.parse('2099-01-19T08:00:00Z');
    await rt().sweepNow();
    const { run, step } = await stepDone(res.body.runId, 'provision-front-teammate');
    address = run.employee.email!;
    const f = rt().emulators.front;
    expect(f.scimUser(address)).toMatchObject({ externalId: EMPLOYEE.id, active: true, roles: [{ value: 'Support agent', primary: true }] });
    const teammate = f.teammate(`alt:email:${address}`)!;
    expect(teammate).toMatchObject({ first_name: 'Fran', last_name: 'Front', is_blocked: false });
    expect(f.teamsOf(address)).toEqual(['Support']);
    expect(f.inboxesOf(address)).toEqual(['Support', 'Billing']);
    expect(step.result).toMatchObject({ created: { teammateId: teammate.id, teams: ['Support'], inboxes: ['Support', 'Billing'], template: 'Support agent' } });
    expect(step.account).toEqual({ system: 'front', address, accountId: teammate.id, state: 'active', boundBy: 'created' });
  });

  it('the leaver: out of every team and inbox, deactivated; a cancel restores the teammate', async () => {
    now = Date.parse('2099-01-25T10:00:00Z');
    const { personalEmail: _p, ...employee } = EMPLOYEE;
    const res = await postEvent(rt(), { eventId: 'fr-leave', type: 'terminate', urgent: true, effectiveDate: '2099-01-25', employee: { ...employee, email: address } });
    expect(res.status).toBe(202);
    const { step } = await stepDone(res.body.runId, 'deactivate-front-teammate');
    const f = rt().emulators.front;
    expect(f.scimUser(address)).toMatchObject({ active: false, externalId: EMPLOYEE.id });
    expect(f.teammate(`alt:email:${address}`)).toMatchObject({ is_blocked: true });
    expect(f.teamsOf(address)).toEqual([]);
    expect(f.inboxesOf(address)).toEqual([]);
    expect(step.result).toMatchObject({ removed: { email: address, active: true, teams: [{ name: 'Support' }], inboxes: [{ name: 'Support' }, { name: 'Billing' }] } });

    const cancel = await postEvent(rt(), { eventId: 'fr-leave-cancel', type: 'cancel', cancels: 'fr-leave' });
    expect(cancel.status).toBe(202);
    expect(cancel.body.steps.map((s: { stepId: string }) => s.stepId)).toContain('restore-deactivate-front-teammate');
    await stepDone(cancel.body.runId, 'restore-deactivate-front-teammate');
    expect(f.scimUser(address)).toMatchObject({ active: true, externalId: EMPLOYEE.id });
    expect(f.teammate(`alt:email:${address}`)).toMatchObject({ is_blocked: false });
    expect(f.teamsOf(address)).toEqual(['Support']);
    expect(f.inboxesOf(address)).toEqual(['Support', 'Billing']);
  }, 120_000);
});
