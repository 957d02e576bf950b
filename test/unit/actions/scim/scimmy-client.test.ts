/**
 * The SCIM client and actions against a SCIM server this project did not write: SCIMMY (npm `scimmy`) serving its own
 * User and Group resources, behind a small node:http handler with in-memory ingress, egress and degress handlers. So
 * the client meets someone else's reading of RFC 7643/7644: its filters, paging, PatchOp, error bodies and PUT.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import SCIMMY from 'scimmy';
import { ScimClient, ScimError, forgetScimFeatures } from '../../../../lambdas/providers/scim/scim-client';
import { createScimProvider } from '../../../../lambdas/providers/scim/scim-provider';
import { provisionScimUser } from '../../../../lambdas/actions/scim/provision-user';
import { deactivateScimUser } from '../../../../lambdas/actions/scim/deactivate-user';
import { reactivateScimUser } from '../../../../lambdas/actions/scim/reactivate-user';
import { removeScimUserFromGroups } from '../../../../lambdas/actions/scim/remove-from-groups';
import { runAction } from '../../../../lambdas/actions/run-action';
import type { ActionContext } from '../../../../lambdas/actions/define-action';
import type { ActionResponse } from '../../../../lambdas/engine/ports';
import { scimRequest } from '../../../support/scim-emulator';

type Stored = Record<string, unknown> & { id: string };
const TOKEN = 'scimmy-test-token';
const users = new Map<string, Stored>();
const groups = new Map<string, Stored>();
const methods: string[] = [];

/** In-memory handlers for one resource type: SCIMMY calls them and shapes everything else itself. */
function handlers(store: Map<string, Stored>, unique: string) {
  return {
    ingress: (resource: { id?: string }, instance: Record<string, unknown>) => {
      const clash = [...store.values()].find((r) => r.id !== resource.id && String(r[unique]).toLowerCase() === String(instance[unique]).toLowerCase());
      if (clash) throw new SCIMMY.Types.Error(409, 'uniqueness', `${unique} ${String(instance[unique])} is already taken`);
      if (resource.id && !store.has(resource.id)) throw new SCIMMY.Types.Error(404, null!, `Resource ${resource.id} not found`);
      const id = resource.id ?? randomUUID();
      const at = new Date().toISOString();
      const record: Stored = { ...JSON.parse(JSON.stringify(instance)), id, meta: { created: at, lastModified: at } };
      store.set(id, record);
      return record;
    },
    egress: (resource: { id?: string; filter?: { match(v: unknown[]): unknown[] } }) => {
      if (resource.id) {
        const found = store.get(resource.id);
        if (!found) throw new SCIMMY.Types.Error(404, null!, `Resource ${resource.id} not found`);
        return found;
      }
      const all = [...store.values()];
      return resource.filter ? resource.filter.match(all) : all;
    },
    degress: (resource: { id?: string }) => {
      if (!resource.id || !store.delete(resource.id)) throw new SCIMMY.Types.Error(404, null!, `Resource ${resource.id} not found`);
    },
  };
}

async function body(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

/** The HTTP layer SCIMMY leaves to its user: routes to its resources, its messages as bodies. */
function scimmyServer(): Server {
  return createServer(async (req, res) => {
    const send = (status: number, out?: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/scim+json' });
      res.end(out === undefined ? '' : JSON.stringify(out));
    };
    methods.push(`${req.method} ${(req.url ?? '').split('?')[0]}`);
    try {
      if (req.headers.authorization !== `Bearer ${TOKEN}`) throw new SCIMMY.Types.Error(401, null!, 'Authorization failure');
      const url = new URL(req.url ?? '/', 'http://localhost');
      const [, type, id] = /^\/scim\/v2\/(Users|Groups|ServiceProviderConfig)(?:\/([^/]+))?$/.exec(url.pathname) ?? [];
      if (!type) throw new SCIMMY.Types.Error(404, null!, `no endpoint ${url.pathname}`);
      if (type === 'ServiceProviderConfig') return send(200, await new SCIMMY.Resources.ServiceProviderConfig().read());
      const Resource = type === 'Users' ? SCIMMY.Resources.User : SCIMMY.Resources.Group;
      const query = Object.fromEntries(url.searchParams);
      const config = { ...(query.filter ? { filter: query.filter } : {}), ...(query.startIndex ? { startIndex: Number(query.startIndex) } : {}), ...(query.count ? { count: Number(query.count) } : {}) };
      const payload = await body(req);
      switch (req.method) {
        case 'GET':
          return send(200, await (id ? new Resource(id) : new Resource(config as never)).read());
        case 'POST':
          if (id) throw new SCIMMY.Types.Error(404, null!, 'POST to a resource');
          return send(201, await new Resource().write(payload as never));
        case 'PUT':
          return send(200, await new Resource(id).write(payload as never));
        case 'PATCH': {
          if (!SCIMMY.Config.get().patch.supported) throw new SCIMMY.Types.Error(501, null!, 'PATCH is not supported');
          const out = await new Resource(id).patch(payload as never);
          return out ? send(200, out) : send(204);
        }
        case 'DELETE':
          await new Resource(id).dispose();
          return send(204);
        default:
          throw new SCIMMY.Types.Error(405, null!, `${req.method} is not supported`);
      }
    } catch (err) {
      const error = new SCIMMY.Messages.Error(err as never) as unknown as { status: string };
      send(Number(error.status) || 500, error);
    }
  });
}

let server: Server;
let baseUrl: string;

beforeAll(async () => {
  SCIMMY.Resources.declare(SCIMMY.Resources.User, handlers(users, 'userName'));
  SCIMMY.Resources.declare(SCIMMY.Resources.Group, handlers(groups, 'displayName'));
  server = scimmyServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/scim/v2`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  users.clear();
  groups.clear();
  methods.length = 0;
  forgetScimFeatures();
  SCIMMY.Config.set({ patch: true, filter: { supported: true, maxResults: 2 } });
});

const connection = () => ({ name: 'scimmy', baseUrl, token: async () => TOKEN, requestsPerSecond: 100 });
const client = () => new ScimClient(connection(), { rateLimit: { maxRetries: 0 } });
const ctx = (): ActionContext => {
  const scim = createScimProvider([connection()], { rateLimit: { maxRetries: 0 } });
  return { fetch, clock: { now: () => new Date() }, providers: { scim: () => scim } };
};
const ok = (res: ActionResponse) => {
  if (!res.ok) throw new Error(`expected success, got ${JSON.stringify(res.error)}`);
  return res;
};
const seedGroup = async (displayName: string) => (await client().request<{ id: string }>('POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName, members: [] })).id;
const memberIds = (groupId: string) => ((groups.get(groupId)?.members as { value: string }[] | undefined) ?? []).map((m) => m.value);

describe('the SCIM client against SCIMMY', () => {
  it('reads what the server supports from its ServiceProviderConfig', async () => {
    expect(await client().features()).toEqual({ patch: true, filter: true, maxResults: 2 });
  });

  it('creates a user and finds it by userName and by externalId, paging past SCIMMY maxResults', async () => {
    const c = client();
    for (let i = 0; i < 4; i++) await c.createUser({ userName: `someone${i}@example.com`, externalId: `E9${i}`, active: true });
    const ada = await c.createUser({ userName: 'ada.lovelace@example.com', externalId: 'E100', active: true, name: { givenName: 'Ada' } });
    expect(ada).toMatchObject({ userName: 'ada.lovelace@example.com', externalId: 'E100', active: true });
    // SCIMMY compares userName as written (the client sends it lower-cased, as it creates it).
    expect((await c.findUsers({ userName: 'ada.lovelace@example.com', externalId: 'nobody' })).map((u) => u.id)).toEqual([ada.id]);
    expect((await c.findUsers({ userName: 'nobody@example.com', externalId: 'E100' })).map((u) => u.id)).toEqual([ada.id]);
    // Five users, two a page: the client walks startIndex 1, 3, 5.
    expect(await c.list('Users')).toHaveLength(5);
    expect(methods.filter((m) => m === 'GET /scim/v2/Users').length).toBeGreaterThanOrEqual(3);
  });

  it('maps SCIMMY error bodies: 409 uniqueness, 404 as not found, a 400 invalidFilter not retryable', async () => {
    const c = client();
    await c.createUser({ userName: 'ada.lovelace@example.com', externalId: 'E100' });
    const conflict = await c.createUser({ userName: 'ada.lovelace@example.com', externalId: 'E101' }).catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(ScimError);
    expect(conflict).toMatchObject({ status: 409, scimType: 'uniqueness', retryable: false });
    expect(await c.getUser('no-such-id')).toBeUndefined();
    const bad = await c.list('Users', 'userName zz "x"').catch((e: unknown) => e);
    expect(bad).toMatchObject({ status: 400, scimType: 'invalidFilter', retryable: false });
  });

  it('joiner, leaver and cancel through the actions, with PATCH', async () => {
    const editors = await seedGroup('Wiki Editors');
    const everyone = await seedGroup('Everyone');
    const provisioned = ok(await runAction(provisionScimUser, ctx(), scimRequest('scim.provisionUser', { app: 'scimmy', groups: ['Wiki Editors', 'Everyone'] })));
    const userId = String(provisioned.result?.userId);
    expect(users.get(userId)).toMatchObject({ userName: 'ada.lovelace@example.com', externalId: 'E100', active: true });
    expect(memberIds(editors)).toEqual([userId]);
    expect(memberIds(everyone)).toEqual([userId]);

    const removed = ok(await runAction(deactivateScimUser, ctx(), scimRequest('scim.deactivateUser', { app: 'scimmy' }, { eventType: 'terminate' }))).result;
    expect(users.get(userId)).toMatchObject({ active: false });
    expect(memberIds(editors)).toEqual([]);
    expect(memberIds(everyone)).toEqual([]);
    expect(removed).toMatchObject({ removed: { active: true, groups: expect.arrayContaining([{ id: editors, displayName: 'Wiki Editors' }]) } });
    expect(methods).toContain(`PATCH /scim/v2/Users/${userId}`);

    ok(await runAction(reactivateScimUser, ctx(), scimRequest('scim.reactivateUser', { result: removed }, { eventType: 'cancel' })));
    expect(users.get(userId)).toMatchObject({ active: true });
    expect(memberIds(editors)).toEqual([userId]);
    expect(memberIds(everyone)).toEqual([userId]);
  });

  it('the same with PATCH turned off: PUT of the whole user and group', async () => {
    SCIMMY.Config.set({ patch: false });
    const sales = await seedGroup('Sales');
    const support = await seedGroup('Support');
    const provisioned = ok(await runAction(provisionScimUser, ctx(), scimRequest('scim.provisionUser', { app: 'scimmy', groups: ['Sales', 'Support'] })));
    const userId = String(provisioned.result?.userId);
    expect(memberIds(sales)).toEqual([userId]);
    ok(await runAction(removeScimUserFromGroups, ctx(), scimRequest('scim.removeFromGroups', { app: 'scimmy', groups: ['Sales'] }, { eventType: 'role_change' })));
    expect(memberIds(sales)).toEqual([]);
    expect(memberIds(support)).toEqual([userId]);
    ok(await runAction(deactivateScimUser, ctx(), scimRequest('scim.deactivateUser', { app: 'scimmy' }, { eventType: 'terminate' })));
    expect(users.get(userId)).toMatchObject({ active: false, userName: 'ada.lovelace@example.com', externalId: 'E100' });
    expect(memberIds(support)).toEqual([]);
    expect(methods.filter((m) => m.startsWith('PATCH'))).toEqual([]);
    expect(methods).toContain(`PUT /scim/v2/Users/${userId}`);
  });

  it('refuses a SCIMMY user of that userName bound to another employee', async () => {
    const other = await client().createUser({ userName: 'ada.lovelace@example.com', externalId: 'E999', active: true });
    const res = await runAction(deactivateScimUser, ctx(), scimRequest('scim.deactivateUser', { app: 'scimmy' }, { eventType: 'terminate' }));
    expect(res).toMatchObject({ ok: false, error: { hold: 'bound_elsewhere' } });
    expect(users.get(other.id)).toMatchObject({ active: true });
  });
});
