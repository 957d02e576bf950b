/**
 * SCIM 2.0 service providers (RFC 7643 resources, RFC 7644 protocol), one per app, each at `/scim/<app>/v2`: Users and
 * Groups with filters and paging, POST, GET, PUT, PATCH (answered 501 where an app says it does not support it, as its
 * ServiceProviderConfig says), DELETE, and the discovery endpoints. Errors carry RFC 7644 §3.12's body; each app has
 * fault injection and a per-minute quota answering 429 with Retry-After (`/_emulator/scim-<app>/…`).
 */
import { randomUUID } from 'node:crypto';
import { FaultInjector } from '../faults';
import type { EmulatorRequest, EmulatorResponse, EmulatorRoute } from '../server';
import { matches, parseFilter, ScimFilterError, type FilterNode } from './scim-filter';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const CONTENT_TYPE = { 'Content-Type': 'application/scim+json' };
/** The most resources one page holds (filter.maxResults in the ServiceProviderConfig). */
export const SCIM_MAX_RESULTS = 200;

type Resource = Record<string, unknown> & { id: string; meta: { resourceType: string; created: string; lastModified: string; location?: string } };

class ScimApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly scimType?: string,
  ) {
    super(message);
  }
}

/** An error answer as RFC 7644 §3.12 shapes it: `status` is a string there. */
export function scimErrorResponse(status: number, detail: string, scimType?: string): EmulatorResponse {
  return { status, headers: CONTENT_TYPE, body: { schemas: [ERROR], status: String(status), ...(scimType ? { scimType } : {}), detail } };
}

export interface ScimAppState {
  /** The bearer token the app accepts. */
  token: string;
  /** Whether PATCH is supported (the ServiceProviderConfig says so); false answers 501 to a PATCH. */
  patch: boolean;
  /** Whether filters may join with `or`; false answers 400 invalidFilter to one, as some servers do. Default true. */
  orFilter?: boolean;
  /**
   * A group's `members` in list results (GET /Groups): all of them (default), none (`'omitted'`, as servers that keep
   * list answers small do), or the first N. GET /Groups/{id} always answers them all.
   */
  membersInLists?: 'all' | 'omitted' | number;
  users: Resource[];
  groups: Resource[];
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** A ListResponse (RFC 7644 §3.4.2) of one page: every resource given, unless the total and start say otherwise. */
const listResponse = (resources: unknown[], totalResults = resources.length, startIndex = 1) => ({ schemas: [LIST], totalResults, startIndex, itemsPerPage: resources.length, Resources: resources });

const withoutKey = (r: Record<string, unknown>, key: string) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== key));

/** `attributes=a,b` (RFC 7644 §3.4.2.5): only those top-level attributes, with `id` and `schemas`, which are always returned. */
function selectAttributes(r: Record<string, unknown>, req: EmulatorRequest): Record<string, unknown> {
  const asked = req.query.get('attributes');
  if (!asked) return r;
  const keep = new Set(['id', 'schemas', ...asked.split(',').map((a) => a.trim().split('.')[0].toLowerCase())]);
  return Object.fromEntries(Object.entries(r).filter(([k]) => keep.has(k.toLowerCase())));
}

/** Whether a filter joins anything with `or`. */
function usesOr(node: FilterNode): boolean {
  if (node.kind === 'or') return true;
  if (node.kind === 'and') return usesOr(node.left) || usesOr(node.right);
  if (node.kind === 'not') return usesOr(node.inner);
  return false;
}

/** One app's SCIM service provider. */
export class ScimServiceProvider {
  readonly faults: FaultInjector;
  readonly base: string;

  constructor(
    readonly name: string,
    readonly state: ScimAppState,
    private readonly now: () => number = Date.now,
  ) {
    this.base = `/scim/${name}/v2`;
    // An injected fault's reason is its scimType (`noTarget`, `invalidFilter`, ...); a 429's is tooMany.
    this.faults = new FaultInjector(`scim-${name}`, (status, message, reason) => scimErrorResponse(status, message, status === 429 ? 'tooMany' : reason), now);
  }

  private stamp(): string {
    return new Date(this.now()).toISOString();
  }

  // ---- the data, for samples and tests ----

  addUser(user: { userName: string; externalId?: string; active?: boolean; displayName?: string; [k: string]: unknown }): Resource {
    return this.create('User', { ...user, active: user.active ?? true });
  }

  addGroup(displayName: string, memberIds: string[] = []): Resource {
    return this.create('Group', { displayName, members: memberIds.map((value) => ({ value })) });
  }

  user(id: string): Record<string, unknown> | undefined {
    const u = this.state.users.find((x) => x.id === id);
    return u ? this.render(u) : undefined;
  }

  userByName(userName: string): Record<string, unknown> | undefined {
    const u = this.state.users.find((x) => String(x.userName).toLowerCase() === userName.toLowerCase());
    return u ? this.render(u) : undefined;
  }

  group(displayName: string): Resource | undefined {
    return this.state.groups.find((g) => g.displayName === displayName);
  }

  /** Display names of the groups a user is a member of. */
  groupsOf(userId: string): string[] {
    return this.state.groups.filter((g) => this.membersOf(g).some((m) => m.value === userId)).map((g) => String(g.displayName));
  }

  private membersOf(group: Resource): { value: string; display?: string }[] {
    return Array.isArray(group.members) ? (group.members as { value: string }[]) : [];
  }

  // ---- the protocol ----

  private create(type: 'User' | 'Group', body: Record<string, unknown>): Resource {
    const { id: _id, meta: _meta, schemas: _schemas, groups: _groups, ...rest } = body;
    this.checkUnique(type, rest);
    if (type === 'Group') rest.members = this.checkMembers(rest.members);
    const at = this.stamp();
    const resource: Resource = { ...rest, id: randomUUID(), meta: { resourceType: type, created: at, lastModified: at } };
    (type === 'User' ? this.state.users : this.state.groups).push(resource);
    return resource;
  }

  private checkUnique(type: 'User' | 'Group', body: Record<string, unknown>, except?: string): void {
    if (type === 'User') {
      if (typeof body.userName !== 'string' || !body.userName) throw new ScimApiError(400, 'Attribute userName is required', 'invalidValue');
      const name = body.userName.toLowerCase();
      if (this.state.users.some((u) => u.id !== except && String(u.userName).toLowerCase() === name)) throw new ScimApiError(409, `userName ${body.userName} is already taken`, 'uniqueness');
    } else {
      if (typeof body.displayName !== 'string' || !body.displayName) throw new ScimApiError(400, 'Attribute displayName is required', 'invalidValue');
      if (this.state.groups.some((g) => g.id !== except && g.displayName === body.displayName)) throw new ScimApiError(409, `displayName ${body.displayName} is already taken`, 'uniqueness');
    }
  }

  private checkMembers(members: unknown): { value: string }[] {
    if (members === undefined || members === null) return [];
    if (!Array.isArray(members)) throw new ScimApiError(400, 'members must be a list', 'invalidValue');
    const out: { value: string }[] = [];
    for (const m of members as { value?: unknown }[]) {
      if (typeof m?.value !== 'string' || !this.state.users.some((u) => u.id === m.value)) throw new ScimApiError(400, `member ${JSON.stringify(m?.value)} is not a user`, 'invalidValue');
      if (!out.some((o) => o.value === m.value)) out.push({ value: m.value });
    }
    return out;
  }

  /** A resource as the server answers it: schemas, meta.location, a user's read-only groups, members' display. */
  private render(r: Resource): Record<string, unknown> {
    const type = r.meta.resourceType;
    const out: Record<string, unknown> = { schemas: [type === 'User' ? USER : GROUP], ...clone(r), meta: { ...r.meta, location: `${this.base}/${type}s/${r.id}` } };
    if (type === 'User') {
      out.groups = this.state.groups.filter((g) => this.membersOf(g).some((m) => m.value === r.id)).map((g) => ({ value: g.id, display: g.displayName, $ref: `${this.base}/Groups/${g.id}`, type: 'direct' }));
    } else {
      out.members = this.membersOf(r).map((m) => {
        const u = this.state.users.find((x) => x.id === m.value);
        return { value: m.value, display: u?.displayName ?? u?.userName, $ref: `${this.base}/Users/${m.value}`, type: 'User' };
      });
    }
    return out;
  }

  private listOf(type: 'User' | 'Group'): Resource[] {
    return type === 'User' ? this.state.users : this.state.groups;
  }

  private find(type: 'User' | 'Group', id: string): Resource {
    const r = this.listOf(type).find((x) => x.id === id);
    if (!r) throw new ScimApiError(404, `Resource ${id} not found`);
    return r;
  }

  private list(type: 'User' | 'Group', req: EmulatorRequest): EmulatorResponse {
    const filterText = req.query.get('filter');
    let filter;
    try {
      filter = filterText ? parseFilter(filterText) : undefined;
    } catch (err) {
      throw new ScimApiError(400, `The specified filter syntax is invalid: ${err instanceof ScimFilterError ? err.message : String(err)}`, 'invalidFilter');
    }
    if (filter && this.state.orFilter === false && usesOr(filter)) throw new ScimApiError(400, 'The specified filter syntax is invalid: or is not supported by this service provider', 'invalidFilter');
    const all = this.listOf(type).map((r) => this.render(r)).filter((r) => !filter || matches(filter, r));
    // startIndex is 1-based; below 1 is read as 1 (RFC 7644 §3.4.2.4); count is capped by maxResults, negative as 0.
    const startIndex = Math.max(1, Number(req.query.get('startIndex') ?? 1) || 1);
    const asked = req.query.get('count');
    const count = Math.min(SCIM_MAX_RESULTS, Math.max(0, asked === null ? SCIM_MAX_RESULTS : Number(asked) || 0));
    const cut = this.state.membersInLists ?? 'all';
    const page = all
      .slice(startIndex - 1, startIndex - 1 + count)
      .map((r) => (type === 'User' || cut === 'all' ? r : cut === 'omitted' ? withoutKey(r, 'members') : { ...r, members: (r.members as unknown[]).slice(0, cut) }))
      .map((r) => selectAttributes(r, req));
    return { status: 200, headers: CONTENT_TYPE, body: listResponse(page, all.length, startIndex) };
  }

  private body(req: EmulatorRequest): Record<string, unknown> {
    try {
      const parsed: unknown = JSON.parse(req.body || 'null');
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
    } catch {
      // answered below
    }
    throw new ScimApiError(400, 'The request body is not a JSON object', 'invalidSyntax');
  }

  private replace(type: 'User' | 'Group', id: string, body: Record<string, unknown>): Resource {
    const current = this.find(type, id);
    const { id: _id, meta: _meta, schemas: _schemas, groups: _groups, ...rest } = body;
    this.checkUnique(type, rest, id);
    if (type === 'Group') rest.members = this.checkMembers(rest.members);
    for (const key of Object.keys(current)) if (key !== 'id' && key !== 'meta') delete current[key];
    Object.assign(current, rest);
    current.meta.lastModified = this.stamp();
    return current;
  }

  /** PatchOp (RFC 7644 §3.5.2): add, replace and remove, with no path, an attribute path, or `members[value eq "…"]`. */
  private patch(type: 'User' | 'Group', id: string, body: Record<string, unknown>): Resource {
    if (!this.state.patch) throw new ScimApiError(501, 'PATCH is not supported by this service provider');
    const current = this.find(type, id);
    if (!Array.isArray(body.schemas) || !body.schemas.includes(PATCH_OP)) throw new ScimApiError(400, `The request is not a ${PATCH_OP}`, 'invalidSyntax');
    if (!Array.isArray(body.Operations) || body.Operations.length === 0) throw new ScimApiError(400, 'Operations is required', 'invalidValue');
    const next = clone(current);
    for (const raw of body.Operations as { op?: unknown; path?: unknown; value?: unknown }[]) {
      const op = String(raw.op ?? '').toLowerCase();
      if (!['add', 'replace', 'remove'].includes(op)) throw new ScimApiError(400, `${JSON.stringify(raw.op)} is not a PATCH operation`, 'invalidSyntax');
      const path = typeof raw.path === 'string' ? raw.path : undefined;
      const valueFilter = path ? /^members\[\s*value\s+eq\s+("(?:[^"\\]|\\.)*")\s*\]$/i.exec(path) : null;
      if (valueFilter) {
        if (type !== 'Group' || op !== 'remove') throw new ScimApiError(400, `${op} with path ${path} is not supported`, 'invalidPath');
        const target = JSON.parse(valueFilter[1]) as string;
        next.members = this.membersOf(next).filter((m) => m.value !== target);
        continue;
      }
      if (!path) {
        if (op === 'remove') throw new ScimApiError(400, 'remove needs a path', 'noTarget');
        if (!raw.value || typeof raw.value !== 'object' || Array.isArray(raw.value)) throw new ScimApiError(400, 'value must be an object when no path is given', 'invalidValue');
        for (const [k, v] of Object.entries(raw.value as Record<string, unknown>)) this.setAttribute(next, type, k, op, v);
        continue;
      }
      if (!/^[A-Za-z][\w.]*$/.test(path)) throw new ScimApiError(400, `path ${path} is not supported`, 'invalidPath');
      if (op === 'remove') {
        const key = Object.keys(next).find((k) => k.toLowerCase() === path.toLowerCase());
        if (key && key !== 'id' && key !== 'meta') delete next[key];
      } else this.setAttribute(next, type, path, op, raw.value);
    }
    const { id: _id, meta: _meta, ...rest } = next;
    this.checkUnique(type, rest, id);
    if (type === 'Group') next.members = this.checkMembers(next.members);
    for (const key of Object.keys(current)) if (key !== 'id' && key !== 'meta') delete current[key];
    Object.assign(current, next, { id: current.id, meta: { ...current.meta, lastModified: this.stamp() } });
    return current;
  }

  private setAttribute(target: Resource, type: 'User' | 'Group', name: string, op: string, value: unknown): void {
    if (/^(id|meta|groups)$/i.test(name)) throw new ScimApiError(400, `${name} is read-only`, 'mutability');
    const key = Object.keys(target).find((k) => k.toLowerCase() === name.toLowerCase()) ?? name;
    if (type === 'Group' && key === 'members' && op === 'add') {
      const adding = Array.isArray(value) ? (value as { value: string }[]) : [value as { value: string }];
      target.members = [...this.membersOf(target), ...adding.filter((a) => !this.membersOf(target).some((m) => m.value === a?.value))];
      return;
    }
    if (key === 'active' && typeof value !== 'boolean') throw new ScimApiError(400, 'active must be a boolean', 'invalidValue');
    target[key] = value;
  }

  private authorized(req: EmulatorRequest): boolean {
    return req.headers.authorization === `Bearer ${this.state.token}`;
  }

  serviceProviderConfig(): Record<string, unknown> {
    return {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
      patch: { supported: this.state.patch },
      bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
      filter: { supported: true, maxResults: SCIM_MAX_RESULTS },
      changePassword: { supported: false },
      sort: { supported: false },
      etag: { supported: false },
      authenticationSchemes: [{ type: 'oauthbearertoken', name: 'OAuth Bearer Token', description: 'Authentication with a bearer token' }],
      meta: { resourceType: 'ServiceProviderConfig', location: `${this.base}/ServiceProviderConfig` },
    };
  }

  routes(): EmulatorRoute[] {
    const b = this.base.replace(/\//g, '\\/');
    const handle = (fn: (req: EmulatorRequest) => EmulatorResponse) => (req: EmulatorRequest): EmulatorResponse => {
      const injected = this.faults.check(req);
      if (injected) return { ...injected, headers: { ...CONTENT_TYPE, ...injected.headers } };
      if (!this.authorized(req)) return scimErrorResponse(401, 'Authorization failure: the bearer token is missing or not valid');
      try {
        return fn(req);
      } catch (err) {
        if (err instanceof ScimApiError) return scimErrorResponse(err.status, err.message, err.scimType);
        return scimErrorResponse(500, `emulator error: ${err instanceof Error ? err.message : String(err)}`);
      }
    };
    const ok = (status: number, body: unknown, extra: Record<string, string> = {}): EmulatorResponse => ({ status, headers: { ...CONTENT_TYPE, ...extra }, body });
    const typed = (type: 'User' | 'Group') => {
      const p = `${b}\\/${type}s`;
      return [
        { method: 'GET', pattern: new RegExp(`^${p}$`), handle: handle((req) => this.list(type, req)) },
        { method: 'GET', pattern: new RegExp(`^${p}\\/([^/]+)$`), handle: handle((req) => ok(200, selectAttributes(this.render(this.find(type, req.params[0])), req))) },
        {
          method: 'POST',
          pattern: new RegExp(`^${p}$`),
          handle: handle((req) => {
            const r = this.render(this.create(type, this.body(req)));
            return ok(201, r, { Location: String((r.meta as { location: string }).location) });
          }),
        },
        { method: 'PUT', pattern: new RegExp(`^${p}\\/([^/]+)$`), handle: handle((req) => ok(200, this.render(this.replace(type, req.params[0], this.body(req))))) },
        { method: 'PATCH', pattern: new RegExp(`^${p}\\/([^/]+)$`), handle: handle((req) => ok(200, this.render(this.patch(type, req.params[0], this.body(req))))) },
        {
          method: 'DELETE',
          pattern: new RegExp(`^${p}\\/([^/]+)$`),
          handle: handle((req) => {
            const r = this.find(type, req.params[0]);
            const list = this.listOf(type);
            list.splice(list.indexOf(r), 1);
            if (type === 'User') for (const g of this.state.groups) g.members = this.membersOf(g).filter((m) => m.value !== r.id);
            return { status: 204 };
          }),
        },
      ];
    };
    return [
      ...typed('User'),
      ...typed('Group'),
      { method: 'GET', pattern: new RegExp(`^${b}\\/ServiceProviderConfig$`), handle: handle(() => ok(200, this.serviceProviderConfig())) },
      {
        method: 'GET',
        pattern: new RegExp(`^${b}\\/ResourceTypes$`),
        handle: handle(() =>
          ok(
            200,
            listResponse([
              { schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'], id: 'User', name: 'User', endpoint: '/Users', schema: USER },
              { schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'], id: 'Group', name: 'Group', endpoint: '/Groups', schema: GROUP },
            ]),
          ),
        ),
      },
      {
        method: 'GET',
        pattern: new RegExp(`^${b}\\/Schemas$`),
        handle: handle(() =>
          ok(
            200,
            listResponse([
              { id: USER, name: 'User', description: 'User Account', attributes: ['userName', 'externalId', 'name', 'displayName', 'emails', 'active', 'groups'].map((name) => ({ name })) },
              { id: GROUP, name: 'Group', description: 'Group', attributes: ['displayName', 'members'].map((name) => ({ name })) },
            ]),
          ),
        ),
      },
      ...this.faults.controlRoutes(),
    ];
  }
}

/** Every app's service provider, by name. */
export class ScimEmulator {
  readonly apps = new Map<string, ScimServiceProvider>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Adds an app (a fresh one, or one with the state given). */
  addApp(name: string, state: Partial<ScimAppState> & { token: string }): ScimServiceProvider {
    const app = new ScimServiceProvider(name, { patch: true, users: [], groups: [], ...state }, this.now);
    this.apps.set(name, app);
    return app;
  }

  app(name: string): ScimServiceProvider {
    const app = this.apps.get(name);
    if (!app) throw new Error(`no SCIM app ${name} in the emulator`);
    return app;
  }

  routes(): EmulatorRoute[] {
    return [
      ...[...this.apps.values()].flatMap((a) => a.routes()),
      {
        method: 'GET',
        pattern: /^\/_emulator\/scim\/state$/,
        handle: () => ({ status: 200, body: Object.fromEntries([...this.apps].map(([name, a]) => [name, { patch: a.state.patch, users: a.state.users.map((u) => a.user(u.id)), groups: a.state.groups.map((g) => ({ id: g.id, displayName: g.displayName, members: g.members ?? [] })) }])) }),
      },
    ];
  }

  toJSON(): Record<string, ScimAppState> {
    return Object.fromEntries([...this.apps].map(([name, a]) => [name, clone(a.state)]));
  }

  static fromJSON(saved: unknown, now?: () => number): ScimEmulator {
    const emulator = new ScimEmulator(now);
    for (const [name, state] of Object.entries(saved as Record<string, ScimAppState>)) emulator.addApp(name, state);
    return emulator;
  }
}
