/**
 * Nextcloud end to end with the default playbook and the sample role catalog: an engineer's hire gives them a
 * Nextcloud user whose id is their employee id, in Engineering with a 10 GB quota, read back from the emulator; their
 * urgent termination takes them out of every group and disables them; a cancel enables them and puts the groups back.
 */
import { postEvent } from '../support/harness';
import { freeSeat, useE2eRuntime } from '../support/e2e-runtime';

const EMPLOYEE = { id: 'E-NC', firstName: 'Nora', lastName: 'Cloud', personalEmail: 'nora@home.example', managerEmail: 'grace.hopper@example.com', role: 'engineer', timezone: 'Europe/Berlin' };

describe('Nextcloud, end to end', () => {
  let now = Date.parse('2099-01-10T10:00:00Z');
  const { rt, stepDone } = useE2eRuntime(() => now, EMPLOYEE.id, { setUp: freeSeat });
  let address = '';

  it('an engineer’s hire makes the Nextcloud user E-NC in Engineering with 10 GB, read back', async () => {
    const res = await postEvent(rt(), { eventId: 'nc-hire', type: 'hire', effectiveDate: '2099-01-20', employee: EMPLOYEE });
    expect(res.status).toBe(202);
    expect(res.body.steps.map((s: { stepId: string }) => s.stepId)).toContain('provision-nextcloud-user');
    now = Date.parse('2099-01-19T08:00:00Z');
    await rt().sweepNow();
    const { run, step } = await stepDone(res.body.runId, 'provision-nextcloud-user');
    address = run.employee.email!;
    const user = rt().emulators.nextcloud.user(EMPLOYEE.id)!;
    expect(user).toMatchObject({ email: address, displayname: 'Nora Cloud', enabled: true, groups: ['Engineering'], quota: 10 * 1024 ** 3, passwordSet: false });
    expect(rt().emulators.nextcloud.state.welcomeMails).toContain(EMPLOYEE.id);
    expect(step.result).toMatchObject({ created: { userId: EMPLOYEE.id, groups: ['Engineering'], quota: '10 GB' } });
    expect(step.account).toEqual({ system: 'nextcloud', address, accountId: EMPLOYEE.id, state: 'active', boundBy: 'created' });
  }, 120_000);

  it('the urgent leaver: out of every group and disabled; a cancel enables them and puts the groups back', async () => {
    const nc = rt().emulators.nextcloud;
    nc.user(EMPLOYEE.id)!.groups.push('Support');
    now = Date.parse('2099-01-25T10:00:00Z');
    const { personalEmail: _p, ...employee } = EMPLOYEE;
    const res = await postEvent(rt(), { eventId: 'nc-leave', type: 'terminate', urgent: true, effectiveDate: '2099-01-25', employee: { ...employee, email: address } });
    expect(res.status).toBe(202);
    const { step } = await stepDone(res.body.runId, 'disable-nextcloud-user');
    expect(nc.user(EMPLOYEE.id)).toMatchObject({ enabled: false, groups: [] });
    expect(step.result).toMatchObject({ removed: { user: { userId: EMPLOYEE.id, enabled: true, groups: ['Engineering', 'Support'] } } });

    const cancel = await postEvent(rt(), { eventId: 'nc-leave-cancel', type: 'cancel', cancels: 'nc-leave' });
    expect(cancel.status).toBe(202);
    expect(cancel.body.steps.map((s: { stepId: string }) => s.stepId)).toContain('restore-disable-nextcloud-user');
    await stepDone(cancel.body.runId, 'restore-disable-nextcloud-user');
    expect(nc.user(EMPLOYEE.id)).toMatchObject({ enabled: true });
    expect([...nc.user(EMPLOYEE.id)!.groups].sort()).toEqual(['Engineering', 'Support']);
  }, 120_000);
});
