/** zendesk.provisionUser against the Zendesk emulator through the fetch client. */
import { provisionZendeskUser } from '../../../../lambdas/actions/zendesk/provision-user';
import { runAction } from '../../../../lambdas/actions/run-action';
import { expectFailure as failure, expectOk as ok } from '../../../support/google-emulator';
import { useZendeskTestBed, zendeskRequest, type ZendeskTestBed } from '../../../support/zendesk-emulator';

const currentBed = useZendeskTestBed();
let bed: ZendeskTestBed;
beforeEach(() => {
  bed = currentBed();
});

const JOHN = { id: 'E200', firstName: 'John', lastName: 'Doe', email: 'john.doe@example.com', timezone: 'Europe/Berlin' };
const provision = (params: Record<string, unknown>, employee = JOHN, extra: Parameters<typeof zendeskRequest>[2] = {}) =>
  runAction(provisionZendeskUser, bed.ctx, zendeskRequest('zendesk.provisionUser', params, { employee, ...extra }));

describe('zendesk.provisionUser', () => {
  it('creates the agent with the custom role, bound to the employee id, in the groups, verified and without a mail', async () => {
    const res = ok(await provision({ role: 'agent', customRole: 'Light agent', groups: ['Support', 'Tier 2'] }));
    const user = bed.emulator.userByEmail('john.doe@example.com')!;
    expect(user).toMatchObject({ name: 'John Doe', role: 'agent', external_id: 'E200', suspended: false, verified: true });
    expect(user.custom_role_id).toBe(bed.emulator.customRoles().find((r) => r.name === 'Light agent')!.id);
    expect(bed.emulator.groupNamesOf(user.id)).toEqual(['Support', 'Tier 2']);
    expect(res.account).toEqual({ system: 'zendesk', address: 'john.doe@example.com', accountId: String(user.id), state: 'active', boundBy: 'created' });
    expect(res.result).toMatchObject({ created: { userId: user.id, role: 'agent', customRole: 'Light agent', groups: ['Support', 'Tier 2'] } });
  });

  it('a second run finds the user by external_id and changes nothing', async () => {
    ok(await provision({ role: 'agent', groups: ['Support'] }));
    const again = ok(await provision({ role: 'agent', groups: ['Support'] }));
    expect(again.note).toMatch(/already as the role says/);
    expect(bed.emulator.toJSON().users.filter((u) => u.email === 'john.doe@example.com')).toHaveLength(1);
  });

  it('reactivates a suspended user bound to the employee (a rehire) and adds the missing group', async () => {
    const ada = bed.emulator.userByEmail('ada.lovelace@example.com')!;
    bed.emulator.updateUser(ada.id, { suspended: true });
    const res = ok(await provision({ role: 'agent', groups: ['Support', 'Tier 2'] }, { ...JOHN, id: 'E100', email: 'ada.lovelace@example.com' }));
    expect(bed.emulator.user(ada.id)).toMatchObject({ suspended: false });
    expect(bed.emulator.groupNamesOf(ada.id)).toEqual(['Support', 'Tier 2']);
    expect(res.note).toMatch(/reactivated; added to Tier 2/);
    expect(res.result).toMatchObject({ previous: { suspended: true } });
  });

  it('refuses a user at the address bound to another employee, changing nothing', async () => {
    const res = failure(await provision({ role: 'admin' }, { ...JOHN, email: 'ada.lovelace@example.com' }));
    expect(res).toMatchObject({ retryable: false, hold: 'bound_elsewhere' });
    expect(res.message).toMatch(/belongs to employee E100, not to employee E200/);
    expect(bed.emulator.userByEmail('ada.lovelace@example.com')).toMatchObject({ role: 'agent', external_id: 'E100' });
  });

  it('holds an unbound user at the address until adopted; the stage rule adopts it and binds its external_id', async () => {
    bed.emulator.createUser({ name: 'John Doe', email: 'john.doe@example.com', role: 'end-user' });
    expect(failure(await provision({ role: 'agent' }))).toMatchObject({ hold: 'unbound', retryable: false });
    const ctx = { ...bed.ctx, accountPolicy: () => ({ protected: { orgUnits: [], addresses: [] }, adoptUnbound: { domains: ['example.com'], orgUnits: [] } }) };
    const res = ok(await runAction(provisionZendeskUser, ctx, zendeskRequest('zendesk.provisionUser', { role: 'agent', groups: ['Support'] }, { employee: JOHN })));
    expect(res.account).toMatchObject({ boundBy: 'adopted' });
    expect(bed.emulator.userByEmail('john.doe@example.com')).toMatchObject({ role: 'agent', external_id: 'E200' });
  });

  it.each([
    [{ role: 'agent', groups: ['Nowhere'] }, /Zendesk group "Nowhere" does not exist/],
    [{ role: 'agent', customRole: 'Wizard' }, /Zendesk custom role "Wizard" does not exist/],
    [{ role: 'end-user', groups: ['Support'] }, /only agents have/],
  ])('bad role settings are for an operator, and nothing is created: %j', async (params, message) => {
    const error = failure(await provision(params));
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(message);
    expect(bed.emulator.userByEmail('john.doe@example.com')).toBeUndefined();
  });

  it.each([
    [500, true],
    [503, true],
    [429, true],
    [403, false],
    [422, false],
  ])('a %s on creating the user is retryable: %s, with Zendesk’s words', async (status, retryable) => {
    bed.emulator.faults.failNext({ method: 'POST', path: '^/api/v2/users', count: 1, status, retryAfterSeconds: status === 429 ? 30 : undefined });
    const error = failure(await provision({ role: 'agent' }));
    expect(error.retryable).toBe(retryable);
    if (status === 429) expect(error.message).toMatch(/429 Number of allowed API requests per minute exceeded \(Retry-After 30 s\)/);
    if (status === 403) expect(error.providerAnswer).toMatch(/403 Forbidden: You do not have access/);
  });

  it('a wrong API token is not retryable and says what to check', async () => {
    const ctx = { ...bed.ctx, providers: { zendesk: () => ({ client: new (bed.client.constructor as typeof import('../../../../lambdas/providers/zendesk/zendesk-client').ZendeskClient)({ baseUrl: bed.url, email: 'admin@example.com', token: async () => 'wrong', maxRetries: 0 }) }) } };
    const error = failure(await runAction(provisionZendeskUser, ctx, zendeskRequest('zendesk.provisionUser', { role: 'agent' }, { employee: JOHN })));
    expect(error).toMatchObject({ retryable: false });
    expect(error.message).toMatch(/401 Couldn't authenticate you.*API email and token/);
  });
});
