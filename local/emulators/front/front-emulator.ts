/**
 * Front as the connector sees it, on the emulator port: the Core API (https://api2.frontapp.com) under `/front` —
 * teammates (by id or `alt:email:<address>`), teams and inboxes and their teammates, lists as `_results`/`_links`,
 * errors as `{"_error": {"status", "title", "message"}}`, 429 with `retry-after` and the `x-ratelimit-*` headers — and
 * Front's SCIM 2.0 API (https://scim.frontapp.com/v2) at `/scim/front/v2`, served by the generic SCIM emulator's
 * service provider. Both take the one company API token. A SCIM user is a teammate: its userName the email, `active:
 * false` a blocked teammate; a SCIM create naming a template (`roles`) that does not exist is refused (an assumption:
 * see scimRoutes). Fault injection
 * and a per-minute quota on each (`/_emulator/front/…` for the Core API, `/_emulator/scim-front/…` for SCIM).
 */
import { randomUUID } from 'node:crypto';
import { FaultInjector } from '../faults';
import type { EmulatorRequest, EmulatorResponse, EmulatorRoute } from '../server';
import { scimErrorResponse, ScimServiceProvider, type ScimAppState } from '../scim/scim-emulator';

/** The company API token the emulator accepts, as the stage's secret holds it on AWS. */
export const LOCAL_FRONT_TOKEN = 'local-front-api-token';
/** Where the Core API is mounted on the emulator port (the base URL the client is given instead of api2.frontapp.com). */
export const FRONT_CORE_PREFIX = '/front';
/** The SCIM app name the service provider is mounted under: /scim/front/v2. */
export const FRONT_SCIM_APP = 'front';

export const frontCoreBaseUrl = (emulatorUrl: string) => `${emulatorUrl}${FRONT_CORE_PREFIX}`;
export const frontScimBaseUrl = (emulatorUrl: string) => `${emulatorUrl}/scim/${FRONT_SCIM_APP}/v2`;

interface TeammateExtra {
  username: string;
  is_admin: boolean;
  is_available: boolean;
  custom_fields: Record<string, unknown>;
}

export interface FrontTeamState {
  id: string;
  name: string;
  inboxIds: string[];
  memberIds: string[];
}

export interface FrontInboxState {
  id: string;
  name: string;
  is_private: boolean;
  is_public: boolean;
  teammateIds: string[];
}

export interface FrontEmulatorState {
  token: string;
  /** The SCIM users (every teammate) and groups. */
  scim: ScimAppState;
  /** What the Core API keeps of a teammate beyond SCIM, by SCIM user id. */
  extras: Record<string, TeammateExtra>;
  teams: FrontTeamState[];
  inboxes: FrontInboxState[];
  /** The teammate templates (Settings, Teammates, Templates): a SCIM create may name one in `roles`. */
  templates: string[];
}

const TITLES: Record<number, string> = { 400: 'Bad request', 401: 'Unauthenticated', 403: 'Forbidden', 404: 'Not found', 409: 'Conflict', 429: 'Too many requests', 500: 'Internal server error', 503: 'Service unavailable' };

/** Front's error body. */
export function frontErrorResponse(status: number, message: string): EmulatorResponse {
  return { status, body: { _error: { status, title: TITLES[status] ?? 'Error', message } } };
}

class FrontError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const shortId = (prefix: string) => `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 8)}`;
/** A teammate's Core API id, from its SCIM user id. */
export const teammateIdOf = (scimId: string) => `tea_${scimId.replace(/-/g, '').slice(0, 10)}`;
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

export class FrontEmulator {
  readonly faults: FaultInjector;
  readonly scim: ScimServiceProvider;
  private readonly now: () => number;
  /** Membership changes (team and inbox teammates, POST and DELETE) still to answer 204 without applying. */
  private dropWrites = 0;

  constructor(
    readonly state: FrontEmulatorState = { token: LOCAL_FRONT_TOKEN, scim: { token: LOCAL_FRONT_TOKEN, patch: true, users: [], groups: [] }, extras: {}, teams: [], inboxes: [], templates: [] },
    now: () => number = Date.now,
  ) {
    this.faults = new FaultInjector('front', (status, message) => {
      const out = frontErrorResponse(status, message);
      // Past the quota: nothing left until its window resets. An injected 429 (no quota) resets within a second.
      const reset: Record<string, string> = this.faults.quotaState() ? {} : { 'x-ratelimit-reset': String(Math.ceil(this.now() / 1000) + 1) };
      return status === 429 ? { ...out, headers: { ...this.rateLimitHeaders(), 'x-ratelimit-remaining': '0', ...reset } } : out;
    }, now);
    this.now = now;
    this.scim = new ScimServiceProvider(FRONT_SCIM_APP, state.scim, now);
  }

  /** The company's per-minute limit, on the Core API and on SCIM. */
  setQuota(perMinute: number | undefined): void {
    this.faults.setQuota(perMinute);
    this.scim.faults.setQuota(perMinute);
  }

  /**
   * The next `count` team or inbox membership changes are answered 204 and not applied: a change Front accepted but
   * that does not read back (what the actions' read-back is for). A test switch, not something Front is known to do.
   */
  acceptWithoutApplying(count: number): void {
    this.dropWrites = count;
  }

  private dropped(): boolean {
    if (this.dropWrites <= 0) return false;
    this.dropWrites -= 1;
    return true;
  }

  /**
   * Front's three `x-ratelimit-*` headers, sent on every Core API answer: the company's limit, what is left of it in
   * the window, and the UNIX time (seconds) it resets. Without a quota the company is unlimited: 1000 left each time.
   */
  rateLimitHeaders(): Record<string, string> {
    const quota = this.faults.quotaState();
    const reset = Math.ceil(this.now() / 1000) + (quota?.resetSeconds ?? 60);
    return { 'x-ratelimit-limit': String(quota?.limit ?? 1000), 'x-ratelimit-remaining': String(quota?.remaining ?? 1000), 'x-ratelimit-reset': String(reset) };
  }

  /**
   * Whether a SCIM create's `roles` (the template) is kept and answered back; false: the teammate is made and `roles`
   * is neither stored nor echoed, as Front may well do (its reference does not document the attribute).
   */
  templatesEchoed = true;

  private withoutRoles(out: EmulatorResponse): EmulatorResponse {
    const id = (out.body as { id?: unknown } | undefined)?.id;
    const user = this.state.scim.users.find((u) => u.id === id);
    if (user) delete user.roles;
    if (out.body && typeof out.body === 'object') delete (out.body as Record<string, unknown>).roles;
    return out;
  }

  // ---- the data, for samples and tests ----

  addTemplate(name: string): void {
    if (!this.state.templates.includes(name)) this.state.templates.push(name);
  }

  addTeammate(t: { email: string; firstName: string; lastName?: string; externalId?: string; isAdmin?: boolean; active?: boolean }): Record<string, unknown> {
    const user = this.scim.addUser({
      userName: t.email.toLowerCase(),
      ...(t.externalId ? { externalId: t.externalId } : {}),
      name: { givenName: t.firstName, ...(t.lastName ? { familyName: t.lastName } : {}) },
      displayName: [t.firstName, t.lastName].filter(Boolean).join(' '),
      emails: [{ value: t.email.toLowerCase(), type: 'work', primary: true }],
      active: t.active ?? true,
    });
    this.extra(user.id).is_admin = t.isAdmin ?? false;
    return this.teammate(teammateIdOf(user.id))!;
  }

  addTeam(name: string): FrontTeamState {
    const team = { id: shortId('tim'), name, inboxIds: [], memberIds: [] };
    this.state.teams.push(team);
    return team;
  }

  addInbox(name: string, options: { team?: FrontTeamState; isPrivate?: boolean } = {}): FrontInboxState {
    const inbox = { id: shortId('inb'), name, is_private: options.isPrivate ?? false, is_public: !options.isPrivate, teammateIds: [] };
    this.state.inboxes.push(inbox);
    options.team?.inboxIds.push(inbox.id);
    return inbox;
  }

  team(name: string): FrontTeamState | undefined {
    return this.state.teams.find((t) => t.name === name);
  }

  inbox(name: string): FrontInboxState | undefined {
    return this.state.inboxes.find((i) => i.name === name);
  }

  /** The teammate (Core API shape) by id or `alt:email:` alias. */
  teammate(idOrAlias: string, base = 'https://api2.frontapp.com'): Record<string, unknown> | undefined {
    const user = this.userOf(idOrAlias);
    return user ? this.render(user, base) : undefined;
  }

  /** The SCIM user of a teammate's address. */
  scimUser(email: string): Record<string, unknown> | undefined {
    return this.scim.userByName(email);
  }

  /** Names of the teams and shared inboxes the teammate at the address is in. */
  teamsOf(email: string): string[] {
    const id = this.idOfEmail(email);
    return this.state.teams.filter((t) => id && t.memberIds.includes(id)).map((t) => t.name);
  }

  inboxesOf(email: string): string[] {
    const id = this.idOfEmail(email);
    return this.state.inboxes.filter((i) => id && i.teammateIds.includes(id)).map((i) => i.name);
  }

  private idOfEmail(email: string): string | undefined {
    const user = this.scim.userByName(email);
    return user ? teammateIdOf(String(user.id)) : undefined;
  }

  private extra(scimId: string): TeammateExtra {
    let extra = this.state.extras[scimId];
    if (!extra) {
      const user = this.state.scim.users.find((u) => u.id === scimId);
      const local = String(user?.userName ?? '').split('@')[0].toLowerCase().replace(/[^a-z0-9_]/g, '_');
      extra = { username: local, is_admin: false, is_available: true, custom_fields: {} };
      this.state.extras[scimId] = extra;
    }
    return extra;
  }

  private userOf(idOrAlias: string): Record<string, unknown> | undefined {
    const alias = /^alt:email:(.+)$/i.exec(idOrAlias);
    const users = this.state.scim.users as Record<string, unknown>[];
    if (alias) return users.find((u) => String(u.userName).toLowerCase() === alias[1].toLowerCase());
    return users.find((u) => teammateIdOf(String(u.id)) === idOrAlias);
  }

  private mustUser(idOrAlias: string): Record<string, unknown> {
    const user = this.userOf(idOrAlias);
    if (!user) throw new FrontError(404, `Unknown teammate ${idOrAlias}`);
    return user;
  }

  private render(user: Record<string, unknown>, base: string): Record<string, unknown> {
    const id = teammateIdOf(String(user.id));
    const extra = this.extra(String(user.id));
    const name = (user.name ?? {}) as { givenName?: string; familyName?: string };
    return {
      _links: { self: `${base}/teammates/${id}`, related: { inboxes: `${base}/teammates/${id}/inboxes`, conversations: `${base}/teammates/${id}/conversations` } },
      id,
      email: String(user.userName).toLowerCase(),
      username: extra.username,
      first_name: name.givenName ?? '',
      last_name: name.familyName ?? '',
      is_admin: extra.is_admin,
      is_available: extra.is_available,
      is_blocked: user.active === false,
      type: 'user',
      custom_fields: clone(extra.custom_fields),
    };
  }

  private renderInbox(inbox: FrontInboxState, base: string): Record<string, unknown> {
    const owner = this.state.teams.find((t) => t.inboxIds.includes(inbox.id));
    return {
      _links: { self: `${base}/inboxes/${inbox.id}`, related: { teammates: `${base}/inboxes/${inbox.id}/teammates`, conversations: `${base}/inboxes/${inbox.id}/conversations`, channels: `${base}/inboxes/${inbox.id}/channels`, ...(owner ? { owner: `${base}/teams/${owner.id}` } : {}) } },
      id: inbox.id,
      name: inbox.name,
      is_private: inbox.is_private,
      is_public: inbox.is_public,
      custom_fields: {},
    };
  }

  private existing = (ids: string[]) => ids.filter((id) => this.userOf(id));

  private teammateIds(req: EmulatorRequest): string[] {
    let body: unknown;
    try {
      body = JSON.parse(req.body || 'null');
    } catch {
      throw new FrontError(400, 'Body is not valid JSON');
    }
    const ids = (body as { teammate_ids?: unknown } | null)?.teammate_ids;
    if (!Array.isArray(ids) || ids.length === 0 || ids.some((i) => typeof i !== 'string')) throw new FrontError(400, 'teammate_ids must be a non-empty array of teammate ids');
    return (ids as string[]).map((i) => teammateIdOf(String(this.mustUser(i).id)));
  }

  private findTeam(id: string): FrontTeamState {
    const team = this.state.teams.find((t) => t.id === id);
    if (!team) throw new FrontError(404, `Unknown team ${id}`);
    return team;
  }

  private findInbox(id: string): FrontInboxState {
    const inbox = this.state.inboxes.find((i) => i.id === id);
    if (!inbox) throw new FrontError(404, `Unknown inbox ${id}`);
    return inbox;
  }

  private coreRoutes(): EmulatorRoute[] {
    const p = FRONT_CORE_PREFIX;
    const list = (base: string, path: string, results: unknown[]) => ({ status: 200, body: { _links: { self: `${base}${path}` }, _results: results } });
    const route = (method: string, path: string, fn: (req: EmulatorRequest, base: string) => EmulatorResponse): EmulatorRoute => ({
      method,
      pattern: new RegExp(`^${p}${path}$`),
      handle: (req) => {
        const answer = (): EmulatorResponse => {
          const injected = this.faults.check(req);
          if (injected) return injected;
          if (req.headers.authorization !== `Bearer ${this.state.token}`) return frontErrorResponse(401, 'Invalid or missing API token');
          const base = `http://${req.headers.host ?? 'localhost'}${p}`;
          try {
            // A membership change to accept without applying (acceptWithoutApplying): answered, then undone.
            const drop = (method === 'POST' || method === 'DELETE') && /^\/(teams|inboxes)\/.*\/teammates$/.test(path) && this.dropped();
            const before = drop ? clone({ teams: this.state.teams, inboxes: this.state.inboxes }) : undefined;
            const out = fn(req, base);
            if (before) Object.assign(this.state, before);
            return out;
          } catch (err) {
            if (err instanceof FrontError) return frontErrorResponse(err.status, err.message);
            return frontErrorResponse(500, `emulator error: ${err instanceof Error ? err.message : String(err)}`);
          }
        };
        // Every answer, an error too, carries the rate limit's headers (a 429's remaining is 0).
        const out = answer();
        return { ...out, headers: { ...this.rateLimitHeaders(), ...out.headers } };
      },
    });
    const members = (ids: string[], add: string[], on: boolean) => (on ? [...ids, ...add.filter((a) => !ids.includes(a))] : ids.filter((i) => !add.includes(i)));
    // POST adds the body's teammates to a team's or an inbox's list, DELETE takes them out: 204 either way.
    const membership = (path: string, update: (id: string, change: (ids: string[]) => string[]) => void) =>
      (['POST', 'DELETE'] as const).map((method) =>
        route(method, path, (req) => {
          update(req.params[0], (ids) => members(ids, this.teammateIds(req), method === 'POST'));
          return { status: 204 };
        }),
      );
    return [
      route('GET', '/teammates', (_req, base) => list(base, '/teammates', (this.state.scim.users as Record<string, unknown>[]).map((u) => this.render(u, base)))),
      route('GET', '/teammates/([^/]+)', (req, base) => ({ status: 200, body: this.render(this.mustUser(req.params[0]), base) })),
      route('PATCH', '/teammates/([^/]+)', (req) => {
        const user = this.mustUser(req.params[0]);
        let body: Record<string, unknown>;
        try {
          body = JSON.parse(req.body || '{}') as Record<string, unknown>;
        } catch {
          throw new FrontError(400, 'Body is not valid JSON');
        }
        const allowed = ['username', 'first_name', 'last_name', 'is_available', 'custom_fields'];
        const unknown = Object.keys(body).filter((k) => !allowed.includes(k));
        if (unknown.length) throw new FrontError(400, `Unknown field(s): ${unknown.join(', ')}`);
        const extra = this.extra(String(user.id));
        if (body.username !== undefined) {
          if (typeof body.username !== 'string' || !/^[a-z0-9_]+$/.test(body.username)) throw new FrontError(400, 'username can only contain lowercase letters, numbers and underscores');
          if (Object.entries(this.state.extras).some(([id, e]) => id !== user.id && e.username === body.username)) throw new FrontError(409, `username ${body.username} is already taken`);
          extra.username = body.username;
        }
        if (body.is_available !== undefined) extra.is_available = Boolean(body.is_available);
        if (body.custom_fields !== undefined) extra.custom_fields = body.custom_fields as Record<string, unknown>;
        const name = { ...((user.name ?? {}) as Record<string, unknown>) };
        if (typeof body.first_name === 'string') name.givenName = body.first_name;
        if (typeof body.last_name === 'string') name.familyName = body.last_name;
        user.name = name;
        return { status: 204 };
      }),
      route('GET', '/teammates/([^/]+)/inboxes', (req, base) => {
        const id = teammateIdOf(String(this.mustUser(req.params[0]).id));
        return list(base, `/teammates/${id}/inboxes`, this.state.inboxes.filter((i) => i.teammateIds.includes(id)).map((i) => this.renderInbox(i, base)));
      }),
      route('GET', '/teams', (_req, base) => list(base, '/teams', this.state.teams.map((t) => ({ _links: { self: `${base}/teams/${t.id}` }, id: t.id, name: t.name })))),
      route('GET', '/teams/([^/]+)', (req, base) => {
        const t = this.findTeam(req.params[0]);
        const inboxes = this.state.inboxes.filter((i) => t.inboxIds.includes(i.id)).map((i) => this.renderInbox(i, base));
        const users = this.existing(t.memberIds).map((id) => this.render(this.userOf(id)!, base));
        return { status: 200, body: { _links: { self: `${base}/teams/${t.id}` }, id: t.id, name: t.name, inboxes, members: users } };
      }),
      ...membership('/teams/([^/]+)/teammates', (id, change) => {
        const t = this.findTeam(id);
        t.memberIds = change(t.memberIds);
      }),
      route('GET', '/inboxes', (_req, base) => list(base, '/inboxes', this.state.inboxes.map((i) => this.renderInbox(i, base)))),
      route('GET', '/inboxes/([^/]+)/teammates', (req, base) => {
        const i = this.findInbox(req.params[0]);
        return list(base, `/inboxes/${i.id}/teammates`, this.existing(i.teammateIds).map((id) => this.render(this.userOf(id)!, base)));
      }),
      ...membership('/inboxes/([^/]+)/teammates', (id, change) => {
        const i = this.findInbox(id);
        i.teammateIds = change(i.teammateIds);
      }),
    ];
  }

  /**
   * The SCIM routes, a create naming an unknown template (`roles`) refused with a 400. An ASSUMPTION of this emulator,
   * not Front's documented behaviour: Front's public reference does not say what its SCIM API does with `roles`, nor
   * how it answers an unknown template (it may as well ignore it). The connector does not depend on this answer: it
   * treats the template as best effort (docs/front.md).
   */
  private scimRoutes(): EmulatorRoute[] {
    const routes = this.scim.routes();
    const create = routes.find((r) => r.method === 'POST' && r.pattern.test(`${this.scim.base}/Users`))!;
    const checked: EmulatorRoute = {
      ...create,
      handle: (req) => {
        let roles: unknown;
        try {
          roles = (JSON.parse(req.body || '{}') as { roles?: unknown }).roles;
        } catch {
          return create.handle(req);
        }
        const names = Array.isArray(roles) ? roles.map((r) => String((r as { value?: unknown })?.value ?? '')) : [];
        const unknown = names.filter((n) => !this.state.templates.includes(n));
        if (unknown.length && req.headers.authorization === `Bearer ${this.state.token}`) return scimErrorResponse(400, `No teammate template named ${unknown.map((n) => JSON.stringify(n)).join(', ')}`, 'invalidValue');
        const out = create.handle(req);
        if (this.templatesEchoed || !names.length) return out;
        return out instanceof Promise ? out.then((o) => this.withoutRoles(o)) : this.withoutRoles(out);
      },
    };
    return [checked, ...routes.filter((r) => r !== create)];
  }

  routes(): EmulatorRoute[] {
    return [
      ...this.coreRoutes(),
      ...this.scimRoutes(),
      ...this.faults.controlRoutes(),
      { method: 'GET', pattern: /^\/_emulator\/front\/state$/, handle: () => ({ status: 200, body: { teammates: (this.state.scim.users as Record<string, unknown>[]).map((u) => ({ ...this.render(u, ''), externalId: u.externalId ?? null })), teams: this.state.teams, inboxes: this.state.inboxes, templates: this.state.templates } }) },
    ];
  }

  toJSON(): FrontEmulatorState {
    return clone(this.state);
  }

  static fromJSON(saved: unknown, now?: () => number): FrontEmulator {
    return new FrontEmulator(saved as FrontEmulatorState, now);
  }
}
