/** scim.provisionUser against the SCIM emulator through the real client: create or find and bind, make active, add the role's groups, read back. */
import { provisionScimUser } from '../../../../lambdas/actions/scim/provision-user';
import { runAction } from '../../../../lambdas/actions/run-action';
import type { ActionResponse } from '../../../../lambdas/engine/ports';
import { scimRequest, useScimTestBed } from '../../../support/scim-emulator';

const bed = useScimTestBed();
const provision = (params: Record<string, unknown>, overrides = {}) => runAction(provisionScimUser, bed().ctx, scimRequest('scim.provisionUser', params, overrides));
const ok = (res: ActionResponse) => {
  if (!res.ok) throw new Error(`expected success, got ${JSON.stringify(res.error)}`);
  return res;
};
const failed = (res: ActionResponse) => {
  if (res.ok) throw new Error(`expected a failure, got ${JSON.stringify(res)}`);
  return res.error;
};
const wiki = () => bed().emulator.app('wiki');

describe('scim.provisionUser', () => {
  it('creates the user with externalId = employee id, active, in the role groups, and reads it back', async () => {
    const res = ok(await provision({ app: 'wiki', groups: ['Engineering', 'Everyone'] }));
    const user = wiki().userByName('ada.lovelace@example.com')!;
    expect(user).toMatchObject({ userName: 'ada.lovelace@example.com', externalId: 'E100', active: true, displayName: 'Ada Lovelace', name: { givenName: 'Ada', familyName: 'Lovelace' } });
    expect(wiki().groupsOf(String(user.id)).sort()).toEqual(['Engineering', 'Everyone']);
    expect(res.result).toMatchObject({ app: 'wiki', userId: user.id, created: true, addedGroups: [{ displayName: 'Engineering' }, { displayName: 'Everyone' }] });
    expect(res.note).toContain('created SCIM user ada.lovelace@example.com');
    // Verify-after-act: the user and each group it changed are read back.
    expect(bed().requests).toContain(`GET /scim/wiki/v2/Users/${user.id}`);
  });

  it('run again, changes nothing and says the user and groups are there already', async () => {
    ok(await provision({ app: 'wiki', groups: ['Engineering'] }));
    const again = ok(await provision({ app: 'wiki', groups: ['Engineering'] }));
    expect(again.result).toMatchObject({ created: false, addedGroups: [], alreadyInGroups: [{ displayName: 'Engineering' }] });
    expect(again.note).toContain('already in wiki');
    expect(bed().emulator.app('wiki').state.users.filter((u) => u.userName === 'ada.lovelace@example.com')).toHaveLength(1);
  });

  it('finds the user by externalId after a change of address, and makes an inactive one active again (a rehire)', async () => {
    wiki().addUser({ userName: 'ada.byron@example.com', externalId: 'E100', active: false });
    const res = ok(await provision({ app: 'wiki', groups: [] }));
    expect(res.result).toMatchObject({ created: false, reactivated: true });
    expect(wiki().userByName('ada.byron@example.com')).toMatchObject({ active: true });
    expect(wiki().userByName('ada.lovelace@example.com')).toBeUndefined();
  });

  it.each(['wiki', 'crm'])('on a server that refuses `or` filters (400 invalidFilter), finds the user by userName and by externalId with two eq queries (%s)', async (appName) => {
    const app = bed().emulator.app(appName);
    app.state.orFilter = false;
    const user = app.addUser({ userName: 'ada@old.example.com', externalId: 'E100', active: false });
    const res = ok(await provision({ app: appName }));
    expect(res.result).toMatchObject({ userId: user.id, created: false, reactivated: true });
    expect(app.userByName('ada.lovelace@example.com')).toBeUndefined();
    expect(bed().requests.filter((r) => r === `GET /scim/${appName}/v2/Users`).length).toBeGreaterThanOrEqual(3);
  });

  it('a 409 uniqueness answer to the create (made meanwhile) finds the user and binds to it', async () => {
    // Someone else creates Ada, bound to her id, between our search and our POST.
    const original = bed().ctx.providers.scim!;
    let raced = false;
    bed().ctx.providers.scim = () => {
      const provider = original();
      const client = provider.client('wiki');
      const create = client.createUser.bind(client);
      client.createUser = async (user) => {
        if (!raced) {
          raced = true;
          wiki().addUser({ userName: 'ada.lovelace@example.com', externalId: 'E100' });
        }
        return create(user);
      };
      return { ...provider, withPriority: () => provider, client: () => client };
    };
    const res = ok(await provision({ app: 'wiki', groups: ['Engineering'] }));
    expect(raced).toBe(true);
    expect(res.result).toMatchObject({ created: false });
    expect(wiki().state.users.filter((u) => u.userName === 'ada.lovelace@example.com')).toHaveLength(1);
  });

  it('refuses a user with that userName bound to another employee, changing nothing', async () => {
    const other = wiki().addUser({ userName: 'ada.lovelace@example.com', externalId: 'E999', active: false });
    const error = failed(await provision({ app: 'wiki', groups: ['Engineering'] }));
    expect(error).toMatchObject({ retryable: false, hold: 'bound_elsewhere', heldAccount: { system: 'scim', account: 'ada.lovelace@example.com' } });
    expect(error.message).toContain('belongs to employee E999');
    expect(wiki().user(other.id)).toMatchObject({ active: false, externalId: 'E999' });
    expect(wiki().groupsOf(other.id)).toEqual([]);
  });

  it('holds an unbound user for an operator, and binds it once adopted', async () => {
    const unbound = wiki().addUser({ userName: 'ada.lovelace@example.com' });
    expect(failed(await provision({ app: 'wiki', groups: [] }))).toMatchObject({ hold: 'unbound' });
    const adopted = ok(await provision({ app: 'wiki', groups: [] }, { confirmedAccounts: [{ system: 'scim', account: 'ada.lovelace@example.com', confirms: 'adopt' }] }));
    expect(adopted.result).toMatchObject({ userId: unbound.id, created: false });
    expect(wiki().user(unbound.id)).toMatchObject({ externalId: 'E100' });
  });

  it('a group the app does not have fails clearly before anything is made', async () => {
    const error = failed(await provision({ app: 'wiki', groups: ['Engineering', 'Astronomy'] }));
    expect(error).toMatchObject({ retryable: false });
    expect(error.message).toContain('has no group "Astronomy"');
    expect(wiki().userByName('ada.lovelace@example.com')).toBeUndefined();
  });

  it('an app the stage does not configure is a clear error naming it', async () => {
    const error = failed(await provision({ app: 'payroll', groups: [] }));
    expect(error).toMatchObject({ retryable: false });
    expect(error.message).toContain('SCIM app payroll is not configured');
  });

  it('a 503 or a 429 is retryable, with the Retry-After in the answer; a 400 is not', async () => {
    wiki().faults.failNext({ method: 'GET', path: '/Users$', count: 1, status: 503 });
    expect(failed(await provision({ app: 'wiki', groups: [] }))).toMatchObject({ retryable: true });
    wiki().faults.failNext({ method: 'POST', path: '/Users$', count: 1, status: 429, retryAfterSeconds: 7 });
    const throttled = failed(await provision({ app: 'wiki', groups: [] }));
    expect(throttled).toMatchObject({ retryable: true });
    expect(throttled.providerAnswer).toContain('429 tooMany');
    expect(throttled.providerAnswer).toContain('Retry-After 7s');
    wiki().faults.failNext({ method: 'POST', path: '/Users$', count: 1, status: 400 });
    expect(failed(await provision({ app: 'wiki', groups: [] }))).toMatchObject({ retryable: false });
    // Nothing half-made stays behind that a retry cannot finish.
    expect(ok(await provision({ app: 'wiki', groups: ['Engineering'] })).result).toMatchObject({ created: true });
  });

  it('past the app quota, the 429 is a retryable error, not a failure of the step for good', async () => {
    wiki().faults.setQuota(2);
    const error = failed(await provision({ app: 'wiki', groups: ['Engineering'] }));
    expect(error).toMatchObject({ retryable: true });
    expect(error.providerAnswer).toMatch(/^429 tooMany .*Retry-After \d+s$/);
  });

  it('on an app without PATCH, sets the groups with PUT', async () => {
    ok(await provision({ app: 'crm', groups: ['Sales'] }));
    const crm = bed().emulator.app('crm');
    const ada = crm.userByName('ada.lovelace@example.com')!;
    expect(crm.groupsOf(String(ada.id))).toEqual(['Sales']);
    expect(bed().requests.filter((r) => r.startsWith('PATCH'))).toEqual([]);
    expect(bed().requests).toContain(`PUT /scim/crm/v2/Groups/${crm.group('Sales')!.id}`);
  });
});
