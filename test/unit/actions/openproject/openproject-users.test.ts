/** openproject.provisionUser, openproject.lockUser and openproject.unlockUser against the OpenProject emulator through the fetch client. */
import { lockOpenProjectUser } from '../../../../lambdas/actions/openproject/lock-user';
import { provisionOpenProjectUser } from '../../../../lambdas/actions/openproject/provision-user';
import { unlockOpenProjectUser } from '../../../../lambdas/actions/openproject/unlock-user';
import { runAction } from '../../../../lambdas/actions/run-action';
import type { ActionRequest } from '../../../../lambdas/engine/ports';
import { expectFailure as failure, expectOk as ok } from '../../../support/google-emulator';
import { openProjectRequest, useOpenProjectTestBed, type OpenProjectTestBed } from '../../../support/openproject-emulator';

const currentBed = useOpenProjectTestBed();
let bed: OpenProjectTestBed;
beforeEach(() => {
  bed = currentBed();
});

const NORA = { id: 'E300', firstName: 'Nora', lastName: 'Project', email: 'nora.project@example.com', timezone: 'Europe/Berlin' };
const CHARLES = { id: 'E090', firstName: 'Charles', lastName: 'Babbage', email: 'charles.babbage@example.com', timezone: 'Europe/London' };
const provision = (params: Record<string, unknown> = {}, overrides: Partial<ActionRequest> = {}) => runAction(provisionOpenProjectUser, bed.ctx, openProjectRequest('openproject.provisionUser', params, { employee: NORA, ...overrides }));
const lock = (overrides: Partial<ActionRequest> = {}) => runAction(lockOpenProjectUser, bed.ctx, openProjectRequest('openproject.lockUser', {}, overrides));
const unlock = (result: unknown, overrides: Partial<ActionRequest> = {}) => runAction(unlockOpenProjectUser, bed.ctx, openProjectRequest('openproject.unlockUser', { result }, { eventType: 'cancel', ...overrides }));
const user = (login: string) => bed.emulator.userByLogin(login)!;

describe('openproject.provisionUser', () => {
  it('creates the user with their username as login (their company address’s local part), names and email, invited, bound by the employee id field, read back', async () => {
    const res = ok(await provision());
    expect(user('nora.project')).toMatchObject({ firstName: 'Nora', lastName: 'Project', email: NORA.email, status: 'invited', customFields: { customField1: 'E300' } });
    expect(bed.emulator.state.invitations).toEqual([user('nora.project').id]);
    expect(res.result).toEqual({ created: { userId: user('nora.project').id, login: 'nora.project', email: NORA.email } });
    expect(res.account).toEqual({ system: 'openproject', address: NORA.email, accountId: String(user('nora.project').id), state: 'active', boundBy: 'created' });
  });

  it('a newcomer with a personal email alone gets the username rules’ login and the invitation at that address', async () => {
    const newcomer = { id: 'E400', firstName: 'Émile', lastName: 'Noether', personalEmail: 'emmy@home.example', timezone: 'Europe/Berlin' };
    ok(await provision({}, { employee: newcomer }));
    expect(user('enoether')).toMatchObject({ email: 'emmy@home.example', status: 'invited', customFields: { customField1: 'E400' } });
  });

  it('already done: a second run finds the bound user and changes nothing', async () => {
    ok(await provision());
    const again = ok(await provision());
    expect(again.note).toMatch(/already there and bound to employee E300/);
    expect(bed.emulator.state.users.filter((u) => u.email === NORA.email)).toHaveLength(1);
  });

  it('takes the next free login when someone else has it, and a login the member task names', async () => {
    bed.emulator.addUser({ login: 'nora.project', email: 'someone.else@example.com', firstName: 'Ned', lastName: 'Project' });
    ok(await provision());
    expect(user('nora.project2').customFields.customField1).toBe('E300');
    const other = { ...NORA, id: 'E301', email: 'nora2@example.com' };
    ok(await provision({ login: 'nora.p' }, { employee: other }));
    expect(user('nora.p').customFields.customField1).toBe('E301');
  });

  it('a rehire: the locked bound user is unlocked', async () => {
    bed.emulator.addUser({ login: 'nora.project', email: NORA.email, status: 'locked', customFields: { customField1: 'E300' } });
    const res = ok(await provision());
    expect(user('nora.project').status).toBe('active');
    expect(res.note).toMatch(/already existed: unlocked/);
  });

  it('never acts on a user bound to another employee at the email', async () => {
    bed.emulator.addUser({ login: 'np', email: NORA.email, customFields: { customField1: 'E999' } });
    expect(failure(await provision())).toMatchObject({ retryable: false, hold: 'bound_elsewhere' });
    expect(user('np').customFields.customField1).toBe('E999');
    expect(bed.emulator.userByLogin('nora.project')).toBeUndefined();
  });

  it('holds an unbound user at the email until an operator adopts it, then binds it', async () => {
    expect(failure(await provision({}, { employee: CHARLES }))).toMatchObject({ retryable: false, hold: 'unbound' });
    expect(user('charles').customFields.customField1).toBeUndefined();
    const res = ok(await provision({}, { employee: CHARLES, confirmedAccounts: [{ system: 'openproject', account: 'charles.babbage@example.com', confirms: 'adopt' }] }));
    expect(user('charles').customFields.customField1).toBe('E090');
    expect(res.account).toMatchObject({ boundBy: 'adopted' });
    expect(res.note).toMatch(/bound to employee E090/);
  });

  it('a 5xx or 429 is retryable; a refusal (422) is not and names the attribute', async () => {
    bed.emulator.faults.failNext({ method: 'POST', path: '/api/v3/users$', count: 1, status: 503 });
    expect(failure(await provision()).retryable).toBe(true);
    bed.emulator.faults.failNext({ method: 'POST', path: '/api/v3/users$', count: 1, status: 429, retryAfterSeconds: 60 });
    expect(failure(await provision()).retryable).toBe(true);
    const bad = failure(await provision({}, { employee: { ...NORA, email: 'nora@localhost' } }));
    expect(bad).toMatchObject({ retryable: false, providerAnswer: expect.stringMatching(/^422 PropertyConstraintViolation \(email\)/) });
    expect(bed.emulator.userByLogin('nora.project')).toBeUndefined();
  });
});

describe('openproject.lockUser and openproject.unlockUser', () => {
  it('records a snapshot and locks the user, read back; the restore unlocks it', async () => {
    const ada = user('ada.lovelace');
    const res = ok(await lock());
    expect(ada.status).toBe('locked');
    expect(res).toMatchObject({ account: { system: 'openproject', state: 'suspended' }, result: { removed: { user: { userId: ada.id, login: 'ada.lovelace', email: 'ada.lovelace@example.com', status: 'active' } } } });
    const back = ok(await unlock(res.result));
    expect(ada.status).toBe('active');
    expect(back.note).toMatch(/unlocked OpenProject user ada.lovelace/);
  });

  it('already done: a locked user is a success with a note; one locked before the leaver stays locked on restore', async () => {
    user('ada.lovelace').status = 'locked';
    const res = ok(await lock());
    expect(res.note).toMatch(/already locked/);
    const back = ok(await unlock(res.result));
    expect(back.note).toMatch(/left locked/);
    expect(user('ada.lovelace').status).toBe('locked');
  });

  it('not found: no user bound to the employee is a success; the restore of nothing does nothing', async () => {
    const res = ok(await lock({ employee: NORA }));
    expect(res.result).toEqual({ removed: null });
    expect(ok(await unlock(res.result)).note).toMatch(/nothing to restore/);
  });

  it('a 5xx on the lock is retryable and keeps the snapshot; a 403 is not', async () => {
    bed.emulator.faults.failNext({ method: 'POST', path: '/lock$', count: 1, status: 500 });
    const first = failure(await lock());
    expect(first.retryable).toBe(true);
    expect(first.progress).toEqual({ snapshot: expect.objectContaining({ login: 'ada.lovelace', status: 'active' }) });
    ok(await lock({ progress: first.progress, attempt: 2 }));
    user('ada.lovelace').status = 'active';
    bed.emulator.faults.failNext({ method: 'POST', path: '/lock$', count: 1, status: 403, message: 'You are not allowed to lock the account of this user.' });
    const denied = failure(await lock());
    expect(denied).toMatchObject({ retryable: false, providerAnswer: expect.stringMatching(/^403 MissingPermission/) });
  });

  it('never locks a user bound to another employee, holds an unbound one and an administrator', async () => {
    user('ada.lovelace').customFields.customField1 = 'E999';
    expect(failure(await lock())).toMatchObject({ hold: 'bound_elsewhere' });
    expect(user('ada.lovelace').status).toBe('active');
    expect(failure(await lock({ employee: CHARLES }))).toMatchObject({ hold: 'unbound' });
    expect(user('charles').status).toBe('active');
    bed.emulator.addUser({ login: 'boss', email: 'boss@example.com', admin: true, customFields: { customField1: 'E500' } });
    expect(failure(await lock({ employee: { ...NORA, id: 'E500', email: 'boss@example.com' } }))).toMatchObject({ hold: 'protected' });
  });

  it('the restore refuses a user no longer bound to the employee, and one deleted since', async () => {
    const res = ok(await lock());
    user('ada.lovelace').customFields.customField1 = null;
    expect(failure(await unlock(res.result))).toMatchObject({ retryable: false, hold: 'bound_elsewhere' });
    expect(user('ada.lovelace').status).toBe('locked');
    bed.emulator.state.users = bed.emulator.state.users.filter((u) => u.login !== 'ada.lovelace');
    expect(failure(await unlock(res.result)).message).toMatch(/gone/);
  });
});
