/**
 * An in-memory OpenProject instance answering API v3 at its real paths (HAL+JSON under /api/v3): users with their
 * lock (POST/DELETE /users/{id}/lock) and user custom fields (`customField<N>`), projects, types, statuses, work
 * packages with optimistic locking (`lockVersion`: 409 UpdateConflict), their activities (comments), memberships,
 * behind Basic auth (`apikey:<token>`), fault injection and a per-minute quota answering 429 with Retry-After.
 * Errors are OpenProject's error resource. Control routes under /_emulator/openproject/ (state, a person's edit of a
 * work package, which delivers the signed `work_package:updated` webhook when a receiver is set).
 */
import { createHmac } from 'node:crypto';
import { FaultInjector, type ErrorShape } from '../faults';
import type { EmulatorRequest, EmulatorResponse, EmulatorRoute } from '../server';

/** The API token of the local instance's admin (`npm start`); the stage's local defaults name the same. */
export const LOCAL_OPENPROJECT_TOKEN = 'local-openproject-api-token';
/** The secret the local instance signs its webhooks with (X-OP-Signature). */
export const LOCAL_OPENPROJECT_WEBHOOK_SECRET = 'local-openproject-webhook-secret';

const API = '/api/v3';
const URN = 'urn:openproject-org:api:v3:errors:';

export interface OpenProjectUserRecord {
  id: number;
  login: string;
  firstName: string;
  lastName: string;
  email: string;
  admin: boolean;
  /** active, registered, locked, invited. */
  status: string;
  customFields: Record<string, string | null>;
  createdAt: string;
  updatedAt: string;
}

export interface WorkPackageRecord {
  id: number;
  projectId: number;
  typeId: number;
  statusId: number;
  subject: string;
  description: string;
  lockVersion: number;
  authorId: number;
  createdAt: string;
  updatedAt: string;
}

export interface ActivityRecord {
  id: number;
  workPackageId: number;
  userId: number;
  comment: string;
  /** What the change did, as the journal's details say it (`Status changed from New to scheduled`). */
  details: string[];
  version: number;
  createdAt: string;
}

export interface OpenProjectState {
  users: OpenProjectUserRecord[];
  /** API tokens by the user they act as. */
  apiTokens: Record<string, number>;
  /** User custom fields: `customField<N>` → name. */
  userCustomFields: Record<string, string>;
  projects: { id: number; identifier: string; name: string }[];
  types: { id: number; name: string }[];
  statuses: { id: number; name: string; isClosed: boolean; isDefault: boolean; position: number }[];
  workPackages: WorkPackageRecord[];
  activities: ActivityRecord[];
  memberships: { id: number; projectId: number; principalId: number; roleIds: number[] }[];
  roles: { id: number; name: string }[];
  /** Invitation mails sent (user ids), for tests. */
  invitations: number[];
  nextId: number;
}

class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly identifier: string,
    message: string,
    readonly attribute?: string,
  ) {
    super(message);
  }
}

const IDENTIFIER_OF_STATUS: Record<number, string> = { 400: 'InvalidRequestBody', 401: 'Unauthenticated', 403: 'MissingPermission', 404: 'NotFound', 409: 'UpdateConflict', 422: 'PropertyConstraintViolation', 500: 'InternalServerError', 503: 'InternalServerError' };

export function errorBody(identifier: string, message: string, attribute?: string) {
  return { _type: 'Error', errorIdentifier: `${URN}${identifier}`, message, ...(attribute ? { _embedded: { details: { attribute } } } : {}) };
}

/** An injected fault or the quota's 429: rack-attack's plain "Retry later" for a 429, else the error resource. */
const faultShape: ErrorShape = (status, message) =>
  status === 429 ? { status, body: 'Retry later\n', headers: { 'Content-Type': 'text/plain' } } : { status, body: errorBody(IDENTIFIER_OF_STATUS[status] ?? (status >= 500 ? 'InternalServerError' : 'InvalidRequestBody'), message), headers: { 'Content-Type': 'application/hal+json' } };

/** The X-OP-Signature OpenProject sends with a webhook: `sha1=` and the HMAC-SHA1 (hex) of the body with the secret. */
export function openProjectSignature(secret: string, body: string): string {
  return `sha1=${createHmac('sha1', secret).update(body, 'utf8').digest('hex')}`;
}

/** Where the emulator delivers its webhooks: a URL or a function (tests), with the signature secret. */
export interface OpenProjectWebhookTarget {
  secret: string;
  deliver(body: string, headers: Record<string, string>): Promise<void>;
}

type Filters = Record<string, { operator: string; values: string[] }>[];

export class OpenProjectEmulator {
  readonly state: OpenProjectState;
  readonly faults: FaultInjector;
  webhook?: OpenProjectWebhookTarget;

  constructor(
    state?: OpenProjectState,
    private readonly now: () => number = Date.now,
  ) {
    this.state = state ?? {
      users: [],
      apiTokens: {},
      userCustomFields: { customField1: 'Employee ID' },
      projects: [],
      types: [],
      statuses: [],
      workPackages: [],
      activities: [],
      memberships: [],
      roles: [{ id: 3, name: 'Member' }],
      invitations: [],
      nextId: 1,
    };
    this.faults = new FaultInjector('openproject', faultShape, now);
    if (!this.state.users.some((u) => u.admin)) {
      const admin = this.addUser({ login: 'admin', firstName: 'OpenProject', lastName: 'Admin', email: 'admin@example.com', admin: true });
      this.state.apiTokens[LOCAL_OPENPROJECT_TOKEN] = admin.id;
    }
  }

  static fromJSON(state: OpenProjectState, now?: () => number): OpenProjectEmulator {
    return new OpenProjectEmulator(state, now);
  }

  toJSON(): OpenProjectState {
    return this.state;
  }

  private iso(): string {
    return new Date(this.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  private id(): number {
    return this.state.nextId++;
  }

  addUser(user: Partial<OpenProjectUserRecord> & { login: string; email: string }): OpenProjectUserRecord {
    const at = this.iso();
    const record: OpenProjectUserRecord = { id: this.id(), firstName: '', lastName: '', admin: false, status: 'active', customFields: {}, createdAt: at, updatedAt: at, ...user };
    this.state.users.push(record);
    return record;
  }

  addProject(identifier: string, name: string, id = this.id()): void {
    if (!this.state.projects.some((p) => p.identifier === identifier)) this.state.projects.push({ id, identifier, name });
  }

  addType(name: string, id = this.id()): void {
    if (!this.state.types.some((t) => t.name === name)) this.state.types.push({ id, name });
  }

  addStatus(name: string, options: { isClosed?: boolean; isDefault?: boolean; id?: number } = {}): void {
    if (this.state.statuses.some((s) => s.name === name)) return;
    this.state.statuses.push({ id: options.id ?? this.id(), name, isClosed: options.isClosed ?? false, isDefault: options.isDefault ?? false, position: this.state.statuses.length + 1 });
  }

  user(id: number): OpenProjectUserRecord | undefined {
    return this.state.users.find((u) => u.id === id);
  }

  userByLogin(login: string): OpenProjectUserRecord | undefined {
    return this.state.users.find((u) => u.login.toLowerCase() === login.toLowerCase());
  }

  workPackage(id: number): WorkPackageRecord | undefined {
    return this.state.workPackages.find((w) => w.id === id);
  }

  statusByName(name: string) {
    return this.state.statuses.find((s) => s.name === name);
  }

  comments(workPackageId: number): ActivityRecord[] {
    return this.state.activities.filter((a) => a.workPackageId === workPackageId && a.comment);
  }

  // ---- representations ----

  userJson(u: OpenProjectUserRecord) {
    const self = `${API}/users/${u.id}`;
    return {
      _type: 'User',
      id: u.id,
      name: `${u.firstName} ${u.lastName}`.trim(),
      createdAt: u.createdAt,
      updatedAt: u.updatedAt,
      login: u.login,
      admin: u.admin,
      firstName: u.firstName,
      lastName: u.lastName,
      email: u.email,
      avatar: '',
      status: u.status,
      identityUrl: null,
      language: 'en',
      ...Object.fromEntries(Object.keys(this.state.userCustomFields).map((cf) => [cf, u.customFields[cf] ?? null])),
      _links: {
        self: { href: self, title: `${u.firstName} ${u.lastName}`.trim() },
        memberships: { href: `${API}/memberships?filters=${encodeURIComponent(JSON.stringify([{ principal: { operator: '=', values: [String(u.id)] } }]))}`, title: 'Memberships' },
        showUser: { href: `/users/${u.id}`, type: 'text/html' },
        updateImmediately: { href: self, title: `Update ${u.login}`, method: 'patch' },
        ...(u.status === 'locked' ? { unlock: { href: `${self}/lock`, title: `Release lock on ${u.login}`, method: 'delete' } } : { lock: { href: `${self}/lock`, title: `Set lock on ${u.login}`, method: 'post' } }),
        delete: { href: self, title: `Delete ${u.login}`, method: 'delete' },
      },
    };
  }

  private link(kind: 'projects' | 'types' | 'statuses', id: number) {
    const list = this.state[kind] as { id: number; name: string }[];
    return { href: `${API}/${kind}/${id}`, title: list.find((x) => x.id === id)?.name ?? '' };
  }

  workPackageJson(w: WorkPackageRecord, embed = false) {
    const self = `${API}/work_packages/${w.id}`;
    const author = this.user(w.authorId);
    return {
      _type: 'WorkPackage',
      id: w.id,
      lockVersion: w.lockVersion,
      subject: w.subject,
      description: { format: 'markdown', raw: w.description, html: `<p>${w.description.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</p>` },
      scheduleManually: false,
      startDate: null,
      dueDate: null,
      derivedStartDate: null,
      derivedDueDate: null,
      percentageDone: null,
      createdAt: w.createdAt,
      updatedAt: w.updatedAt,
      ...(embed
        ? {
            _embedded: {
              project: this.projectJson(this.state.projects.find((p) => p.id === w.projectId)!),
              type: { _type: 'Type', ...this.state.types.find((t) => t.id === w.typeId) },
              status: this.statusJson(this.state.statuses.find((s) => s.id === w.statusId)!),
              ...(author ? { author: this.userJson(author) } : {}),
            },
          }
        : {}),
      _links: {
        self: { href: self, title: w.subject },
        update: { href: `${self}/form`, method: 'post' },
        updateImmediately: { href: self, method: 'patch' },
        activities: { href: `${self}/activities` },
        addComment: { href: `${self}/activities`, method: 'post', title: 'Add comment' },
        project: this.link('projects', w.projectId),
        type: this.link('types', w.typeId),
        status: this.link('statuses', w.statusId),
        author: { href: `${API}/users/${w.authorId}`, title: author ? `${author.firstName} ${author.lastName}`.trim() : '' },
        assignee: { href: null },
      },
    };
  }

  projectJson(p: { id: number; identifier: string; name: string }) {
    return { _type: 'Project', id: p.id, identifier: p.identifier, name: p.name, active: true, public: false, _links: { self: { href: `${API}/projects/${p.id}`, title: p.name }, workPackages: { href: `${API}/projects/${p.id}/work_packages` } } };
  }

  statusJson(s: OpenProjectState['statuses'][number]) {
    return { _type: 'Status', id: s.id, name: s.name, isClosed: s.isClosed, isDefault: s.isDefault, isReadonly: false, position: s.position, color: null, defaultDoneRatio: null, _links: { self: { href: `${API}/statuses/${s.id}`, title: s.name } } };
  }

  activityJson(a: ActivityRecord) {
    return {
      _type: a.comment ? 'Activity::Comment' : 'Activity',
      id: a.id,
      comment: { format: 'markdown', raw: a.comment, html: a.comment ? `<p>${a.comment}</p>` : '' },
      details: a.details.map((d) => ({ format: 'custom', raw: d, html: d })),
      version: a.version,
      createdAt: a.createdAt,
      updatedAt: a.createdAt,
      _links: { self: { href: `${API}/activities/${a.id}` }, workPackage: { href: `${API}/work_packages/${a.workPackageId}` }, user: { href: `${API}/users/${a.userId}` } },
    };
  }

  private collection(elements: unknown[], req: EmulatorRequest, path: string) {
    const pageSize = Number(req.query.get('pageSize') ?? 20) || 20;
    const page = Math.max(1, Number(req.query.get('offset') ?? 1) || 1);
    const slice = elements.slice((page - 1) * pageSize, page * pageSize);
    return { _type: 'Collection', total: elements.length, count: slice.length, pageSize, offset: page, _embedded: { elements: slice }, _links: { self: { href: `${API}${path}` } } };
  }

  // ---- the API ----

  private filters(req: EmulatorRequest): Filters {
    const raw = req.query.get('filters');
    if (!raw) return [];
    try {
      const parsed = JSON.parse(raw) as unknown;
      if (!Array.isArray(parsed)) throw new Error('not an array');
      return parsed as Filters;
    } catch {
      throw new ApiFailure(400, 'InvalidQuery', 'Filters Invalid filters: not valid JSON.');
    }
  }

  /**
   * The users in the `sortBy` order (`[["id","asc"]]`; the columns OpenProject's user query sorts by: id, login,
   * firstname, lastname, mail), by id without one; an unknown column is 400 InvalidQuery as OpenProject answers it.
   */
  private sortUsers(users: OpenProjectUserRecord[], req: EmulatorRequest): OpenProjectUserRecord[] {
    const raw = req.query.get('sortBy');
    let criteria: [string, string][] = [['id', 'asc']];
    if (raw) {
      try {
        const parsed = JSON.parse(raw) as unknown;
        if (!Array.isArray(parsed) || !parsed.every((c) => Array.isArray(c) && typeof c[0] === 'string' && (c[1] === 'asc' || c[1] === 'desc'))) throw new Error('not a list of [column, direction]');
        criteria = parsed as [string, string][];
      } catch {
        throw new ApiFailure(400, 'InvalidQuery', 'Sort by Invalid sort criteria: not valid JSON.');
      }
    }
    const value: Record<string, (u: OpenProjectUserRecord) => string | number> = { id: (u) => u.id, login: (u) => u.login.toLowerCase(), firstname: (u) => u.firstName.toLowerCase(), lastname: (u) => u.lastName.toLowerCase(), mail: (u) => u.email.toLowerCase() };
    for (const [column] of criteria) if (!value[column.toLowerCase()]) throw new ApiFailure(400, 'InvalidQuery', 'Unknown sort column.');
    return [...users].sort((a, b) => {
      for (const [column, direction] of criteria) {
        const f = value[column.toLowerCase()];
        const x = f(a);
        const y = f(b);
        if (x !== y) return (x < y ? -1 : 1) * (direction === 'desc' ? -1 : 1);
      }
      return a.id - b.id;
    });
  }

  private body(req: EmulatorRequest): Record<string, unknown> {
    if (!String(req.headers['content-type'] ?? '').includes('application/json')) throw new ApiFailure(415, 'UnsupportedMediaType', 'Expected CONTENT-TYPE to be (expected value) but got (actual value).');
    try {
      const parsed = JSON.parse(req.body || 'null') as unknown;
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      return parsed as Record<string, unknown>;
    } catch {
      throw new ApiFailure(400, 'InvalidRequestBody', 'The request body was not a single JSON object.');
    }
  }

  private mustUser(id: number): OpenProjectUserRecord {
    const u = this.user(id);
    if (!u) throw new ApiFailure(404, 'NotFound', 'The requested resource could not be found.');
    return u;
  }

  private mustWorkPackage(id: number): WorkPackageRecord {
    const w = this.workPackage(id);
    if (!w) throw new ApiFailure(404, 'NotFound', 'The requested resource could not be found.');
    return w;
  }

  private project(ref: string) {
    return this.state.projects.find((p) => String(p.id) === ref || p.identifier === ref);
  }

  private linkId(body: Record<string, unknown>, name: string): number | undefined {
    const href = ((body._links as Record<string, { href?: string | null }> | undefined)?.[name])?.href;
    if (href === undefined) return undefined;
    const m = href ? /\/(\d+)$/.exec(href) : null;
    if (!m) throw new ApiFailure(422, 'ResourceTypeMismatch', `Expected a link to a ${name} but got ${String(href)}.`, name);
    return Number(m[1]);
  }

  private setUserFields(u: OpenProjectUserRecord, b: Record<string, unknown>): void {
    for (const key of ['login', 'firstName', 'lastName', 'email'] as const) {
      if (b[key] === undefined) continue;
      if (typeof b[key] !== 'string' || !(b[key] as string).trim()) throw new ApiFailure(422, 'PropertyConstraintViolation', `${key === 'login' ? 'Username' : key === 'email' ? 'Email' : key === 'firstName' ? 'First name' : 'Last name'} can't be blank.`, key);
    }
    if (typeof b.login === 'string' && this.state.users.some((x) => x !== u && x.login.toLowerCase() === (b.login as string).toLowerCase())) throw new ApiFailure(422, 'PropertyConstraintViolation', 'Username has already been taken.', 'login');
    if (typeof b.email === 'string') {
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(b.email)) throw new ApiFailure(422, 'PropertyConstraintViolation', 'Email is not a valid email address.', 'email');
      if (this.state.users.some((x) => x !== u && x.email.toLowerCase() === (b.email as string).toLowerCase())) throw new ApiFailure(422, 'PropertyConstraintViolation', 'Email has already been taken.', 'email');
    }
    for (const key of Object.keys(b)) {
      if (/^customField\d+$/.test(key) && !(key in this.state.userCustomFields)) throw new ApiFailure(422, 'PropertyIsReadOnly', `${key} is not writable.`, key);
    }
    if (typeof b.login === 'string') u.login = b.login;
    if (typeof b.firstName === 'string') u.firstName = b.firstName;
    if (typeof b.lastName === 'string') u.lastName = b.lastName;
    if (typeof b.email === 'string') u.email = b.email;
    for (const key of Object.keys(this.state.userCustomFields)) if (key in b) u.customFields[key] = b[key] === null ? null : String(b[key]);
    u.updatedAt = this.iso();
  }

  private journal(w: WorkPackageRecord, userId: number, comment: string, details: string[]): ActivityRecord {
    const a: ActivityRecord = { id: this.id(), workPackageId: w.id, userId, comment, details, version: this.state.activities.filter((x) => x.workPackageId === w.id).length + 1, createdAt: this.iso() };
    this.state.activities.push(a);
    return a;
  }

  /** A work package changed by `userId` (the API or a person): lockVersion checked, status and description applied. */
  editWorkPackage(w: WorkPackageRecord, b: Record<string, unknown>, userId: number): void {
    if (b.lockVersion === undefined || b.lockVersion === null) throw new ApiFailure(409, 'UpdateConflict', "Your changes could not be saved, because the work package was changed since you've seen it the last time.");
    if (Number(b.lockVersion) !== w.lockVersion) throw new ApiFailure(409, 'UpdateConflict', "Your changes could not be saved, because the work package was changed since you've seen it the last time.");
    const details: string[] = [];
    const statusId = this.linkId(b, 'status');
    if (statusId !== undefined && statusId !== w.statusId) {
      const to = this.state.statuses.find((s) => s.id === statusId);
      if (!to) throw new ApiFailure(422, 'PropertyConstraintViolation', 'Status is not set to one of the allowed values.', 'status');
      details.push(`Status changed from ${this.state.statuses.find((s) => s.id === w.statusId)?.name} to ${to.name}`);
      w.statusId = statusId;
    }
    if (b.subject !== undefined) {
      if (typeof b.subject !== 'string' || !b.subject.trim()) throw new ApiFailure(422, 'PropertyConstraintViolation', "Subject can't be blank.", 'subject');
      w.subject = b.subject;
      details.push('Subject changed');
    }
    if (b.description !== undefined) {
      const raw = (b.description as { raw?: unknown } | null)?.raw;
      w.description = typeof raw === 'string' ? raw : '';
      details.push('Description changed');
    }
    w.lockVersion += 1;
    w.updatedAt = this.iso();
    this.journal(w, userId, '', details);
  }

  private routesList(): { method: string; path: RegExp; handle: (req: EmulatorRequest, m: string[], actor: number) => EmulatorResponse | unknown }[] {
    const N = '(\\d+)';
    return [
      {
        method: 'GET',
        path: /^users$/,
        handle: (req) => {
          let users = [...this.state.users];
          for (const f of this.filters(req)) {
            const [name, { operator, values }] = Object.entries(f)[0];
            const v = (values ?? []).map((x) => x.toLowerCase());
            if (name === 'login') users = users.filter((u) => (operator === '=' ? v.includes(u.login.toLowerCase()) : !v.includes(u.login.toLowerCase())));
            else if (name === 'status') users = users.filter((u) => (operator === '=' ? v.includes(u.status) : !v.includes(u.status)));
            else if (name === 'name') users = users.filter((u) => v.some((x) => [u.firstName, u.lastName, u.email, `${u.firstName} ${u.lastName}`].some((field) => (operator === '=' ? field.toLowerCase() === x : field.toLowerCase().includes(x)))));
            else throw new ApiFailure(400, 'InvalidQuery', `Filters ${name} filter does not exist.`);
          }
          return this.collection(this.sortUsers(users, req).map((u) => this.userJson(u)), req, '/users');
        },
      },
      {
        method: 'POST',
        path: /^users$/,
        handle: (req) => {
          const b = this.body(req);
          const status = b.status ?? 'active';
          if (status !== 'active' && status !== 'invited') throw new ApiFailure(422, 'PropertyConstraintViolation', 'Status is not set to one of the allowed values.', 'status');
          if (status === 'active' && !b.password) throw new ApiFailure(422, 'PropertyConstraintViolation', "Password can't be blank.", 'password');
          for (const key of ['login', 'firstName', 'lastName', 'email'] as const) if (b[key] === undefined && (status === 'active' || key === 'email')) throw new ApiFailure(422, 'PropertyConstraintViolation', `${key} can't be blank.`, key);
          const record: OpenProjectUserRecord = { id: 0, login: '', firstName: '', lastName: '', email: '', admin: b.admin === true, status: String(status), customFields: {}, createdAt: this.iso(), updatedAt: this.iso() };
          this.setUserFields(record, { login: b.login ?? b.email, ...b });
          record.id = this.id();
          this.state.users.push(record);
          if (status === 'invited') this.state.invitations.push(record.id);
          return { status: 201, body: this.userJson(record) };
        },
      },
      { method: 'GET', path: new RegExp(`^users/${N}$`), handle: (_req, m) => this.userJson(this.mustUser(Number(m[0]))) },
      {
        method: 'PATCH',
        path: new RegExp(`^users/${N}$`),
        handle: (req, m) => {
          const u = this.mustUser(Number(m[0]));
          this.setUserFields(u, this.body(req));
          return this.userJson(u);
        },
      },
      {
        method: 'POST',
        path: new RegExp(`^users/${N}/lock$`),
        handle: (_req, m) => {
          const u = this.mustUser(Number(m[0]));
          if (u.status === 'locked') throw new ApiFailure(400, 'InvalidUserStatusTransition', 'The current user account status does not allow this operation.');
          u.status = 'locked';
          u.updatedAt = this.iso();
          return this.userJson(u);
        },
      },
      {
        method: 'DELETE',
        path: new RegExp(`^users/${N}/lock$`),
        handle: (_req, m) => {
          const u = this.mustUser(Number(m[0]));
          if (u.status !== 'locked') throw new ApiFailure(400, 'InvalidUserStatusTransition', 'The current user account status does not allow this operation.');
          u.status = 'active';
          u.updatedAt = this.iso();
          return this.userJson(u);
        },
      },
      { method: 'GET', path: /^projects$/, handle: (req) => this.collection(this.state.projects.map((p) => this.projectJson(p)), req, '/projects') },
      {
        method: 'GET',
        path: /^projects\/([^/]+)$/,
        handle: (_req, m) => {
          const p = this.project(m[0]);
          if (!p) throw new ApiFailure(404, 'NotFound', 'The requested resource could not be found.');
          return this.projectJson(p);
        },
      },
      { method: 'GET', path: /^types$/, handle: (req) => this.collection(this.state.types.map((t) => ({ _type: 'Type', ...t, _links: { self: { href: `${API}/types/${t.id}`, title: t.name } } })), req, '/types') },
      { method: 'GET', path: /^statuses$/, handle: (req) => this.collection(this.state.statuses.map((s) => this.statusJson(s)), req, '/statuses') },
      {
        method: 'GET',
        path: new RegExp(`^statuses/${N}$`),
        handle: (_req, m) => {
          const s = this.state.statuses.find((x) => x.id === Number(m[0]));
          if (!s) throw new ApiFailure(404, 'NotFound', 'The requested resource could not be found.');
          return this.statusJson(s);
        },
      },
      { method: 'GET', path: /^work_packages$/, handle: (req) => this.listWorkPackages(req, undefined) },
      { method: 'GET', path: /^projects\/([^/]+)\/work_packages$/, handle: (req, m) => this.listWorkPackages(req, m[0]) },
      { method: 'POST', path: /^work_packages$/, handle: (req, _m, actor) => this.createWorkPackage(req, undefined, actor) },
      { method: 'POST', path: /^projects\/([^/]+)\/work_packages$/, handle: (req, m, actor) => this.createWorkPackage(req, m[0], actor) },
      { method: 'GET', path: new RegExp(`^work_packages/${N}$`), handle: (_req, m) => this.workPackageJson(this.mustWorkPackage(Number(m[0]))) },
      {
        method: 'PATCH',
        path: new RegExp(`^work_packages/${N}$`),
        handle: (req, m, actor) => {
          const w = this.mustWorkPackage(Number(m[0]));
          this.editWorkPackage(w, this.body(req), actor);
          return this.workPackageJson(w);
        },
      },
      {
        method: 'GET',
        path: new RegExp(`^work_packages/${N}/activities$`),
        handle: (req, m) => {
          const w = this.mustWorkPackage(Number(m[0]));
          return this.collection(this.state.activities.filter((a) => a.workPackageId === w.id).map((a) => this.activityJson(a)), { ...req, query: new URLSearchParams({ pageSize: '1000' }) }, `/work_packages/${w.id}/activities`);
        },
      },
      {
        method: 'POST',
        path: new RegExp(`^work_packages/${N}/activities$`),
        handle: (req, m, actor) => {
          const w = this.mustWorkPackage(Number(m[0]));
          const raw = (this.body(req).comment as { raw?: unknown } | undefined)?.raw;
          if (typeof raw !== 'string' || !raw.trim()) throw new ApiFailure(422, 'PropertyConstraintViolation', "Comment can't be blank.", 'comment');
          const a = this.journal(w, actor, raw, []);
          w.updatedAt = this.iso();
          return { status: 201, body: this.activityJson(a) };
        },
      },
      {
        method: 'GET',
        path: /^memberships$/,
        handle: (req) => {
          let list = [...this.state.memberships];
          for (const f of this.filters(req)) {
            const [name, { values }] = Object.entries(f)[0];
            if (name === 'principal') list = list.filter((x) => values.includes(String(x.principalId)));
            else if (name === 'project') list = list.filter((x) => values.includes(String(x.projectId)));
          }
          return this.collection(list.map((x) => this.membershipJson(x)), req, '/memberships');
        },
      },
      {
        method: 'POST',
        path: /^memberships$/,
        handle: (req) => {
          const b = this.body(req);
          const projectId = this.linkId(b, 'project');
          const principalId = this.linkId(b, 'principal');
          const roles = ((b._links as { roles?: { href: string }[] } | undefined)?.roles ?? []).map((r) => Number(/\/(\d+)$/.exec(r.href)?.[1]));
          if (!projectId || !this.state.projects.some((p) => p.id === projectId)) throw new ApiFailure(422, 'PropertyConstraintViolation', "Project can't be blank.", 'project');
          if (!principalId || !this.user(principalId)) throw new ApiFailure(422, 'PropertyConstraintViolation', "Principal can't be blank.", 'principal');
          if (!roles.length || roles.some((r) => !this.state.roles.some((x) => x.id === r))) throw new ApiFailure(422, 'PropertyConstraintViolation', 'Roles need to be assigned.', 'roles');
          if (this.state.memberships.some((x) => x.projectId === projectId && x.principalId === principalId)) throw new ApiFailure(422, 'PropertyConstraintViolation', 'User has already been taken.', 'principal');
          const record = { id: this.id(), projectId, principalId, roleIds: roles };
          this.state.memberships.push(record);
          return { status: 201, body: this.membershipJson(record) };
        },
      },
      {
        method: 'DELETE',
        path: new RegExp(`^memberships/${N}$`),
        handle: (_req, m) => {
          const i = this.state.memberships.findIndex((x) => x.id === Number(m[0]));
          if (i < 0) throw new ApiFailure(404, 'NotFound', 'The requested resource could not be found.');
          this.state.memberships.splice(i, 1);
          return { status: 204 };
        },
      },
    ];
  }

  membershipJson(x: OpenProjectState['memberships'][number]) {
    return {
      _type: 'Membership',
      id: x.id,
      createdAt: this.iso(),
      updatedAt: this.iso(),
      _links: {
        self: { href: `${API}/memberships/${x.id}` },
        project: this.link('projects', x.projectId),
        principal: { href: `${API}/users/${x.principalId}`, title: this.user(x.principalId)?.login ?? '' },
        roles: x.roleIds.map((r) => ({ href: `${API}/roles/${r}`, title: this.state.roles.find((y) => y.id === r)?.name ?? '' })),
      },
    };
  }

  private listWorkPackages(req: EmulatorRequest, projectRef: string | undefined) {
    let list = [...this.state.workPackages];
    if (projectRef !== undefined) {
      const p = this.project(projectRef);
      if (!p) throw new ApiFailure(404, 'NotFound', 'The requested resource could not be found.');
      list = list.filter((w) => w.projectId === p.id);
    }
    const filters = this.filters(req);
    // Without a status filter, the API lists open work packages only.
    if (!filters.some((f) => 'status' in f)) list = list.filter((w) => !this.state.statuses.find((s) => s.id === w.statusId)?.isClosed);
    for (const f of filters) {
      const [name, { operator, values }] = Object.entries(f)[0];
      if (name === 'status') {
        if (operator === '=') list = list.filter((w) => values.includes(String(w.statusId)));
        else if (operator === 'o') list = list.filter((w) => !this.state.statuses.find((s) => s.id === w.statusId)?.isClosed);
        else if (operator === 'c') list = list.filter((w) => this.state.statuses.find((s) => s.id === w.statusId)?.isClosed);
      } else if (name === 'type') list = list.filter((w) => values.includes(String(w.typeId)));
      else if (name === 'updatedAt' && operator === '<>d') {
        const [from, to] = values;
        if (from && Number.isNaN(Date.parse(from))) throw new ApiFailure(400, 'InvalidQuery', 'Filters Updated on is invalid.');
        list = list.filter((w) => (!from || w.updatedAt >= from.replace(/\.\d{3}Z$/, 'Z')) && (!to || w.updatedAt <= to));
      } else throw new ApiFailure(400, 'InvalidQuery', `Filters ${name} filter does not exist.`);
    }
    list.sort((a, b) => (a.updatedAt < b.updatedAt ? -1 : a.updatedAt > b.updatedAt ? 1 : a.id - b.id));
    return this.collection(list.map((w) => this.workPackageJson(w)), req, projectRef ? `/projects/${projectRef}/work_packages` : '/work_packages');
  }

  private createWorkPackage(req: EmulatorRequest, projectRef: string | undefined, actor: number) {
    const b = this.body(req);
    const p = projectRef !== undefined ? this.project(projectRef) : this.state.projects.find((x) => x.id === this.linkId(b, 'project'));
    if (!p) {
      if (projectRef !== undefined) throw new ApiFailure(404, 'NotFound', 'The requested resource could not be found.');
      throw new ApiFailure(422, 'PropertyConstraintViolation', "Project can't be blank.", 'project');
    }
    if (typeof b.subject !== 'string' || !b.subject.trim()) throw new ApiFailure(422, 'PropertyConstraintViolation', "Subject can't be blank.", 'subject');
    const typeId = this.linkId(b, 'type') ?? this.state.types[0]?.id;
    if (!this.state.types.some((t) => t.id === typeId)) throw new ApiFailure(422, 'PropertyConstraintViolation', 'Type is not set to one of the allowed values.', 'type');
    const statusId = this.linkId(b, 'status') ?? this.state.statuses.find((s) => s.isDefault)?.id ?? this.state.statuses[0]?.id;
    if (!this.state.statuses.some((s) => s.id === statusId)) throw new ApiFailure(422, 'PropertyConstraintViolation', 'Status is not set to one of the allowed values.', 'status');
    const at = this.iso();
    const w: WorkPackageRecord = { id: this.id(), projectId: p.id, typeId: typeId!, statusId: statusId!, subject: b.subject, description: ((b.description as { raw?: string } | undefined)?.raw ?? '') as string, lockVersion: 0, authorId: actor, createdAt: at, updatedAt: at };
    this.state.workPackages.push(w);
    this.journal(w, actor, '', ['Created']);
    return { status: 201, body: this.workPackageJson(w) };
  }

  private actor(req: EmulatorRequest): number | undefined {
    const header = String(req.headers.authorization ?? '');
    if (!header.startsWith('Basic ')) return undefined;
    const [user, ...rest] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
    if (user !== 'apikey') return undefined;
    return this.state.apiTokens[rest.join(':')];
  }

  private api(req: EmulatorRequest): EmulatorResponse {
    const path = req.path.slice(`${API}/`.length).replace(/\/+$/, '');
    try {
      const actor = this.actor(req);
      if (actor === undefined) throw new ApiFailure(401, 'Unauthenticated', 'You did not provide the correct credentials.');
      for (const r of this.routesList()) {
        if (r.method !== req.method) continue;
        const hit = r.path.exec(path);
        if (!hit) continue;
        const out = r.handle(req, hit.slice(1).map(decodeURIComponent), actor);
        const res = out && typeof out === 'object' && 'status' in out && typeof (out as EmulatorResponse).status === 'number' && !('_type' in out) ? (out as EmulatorResponse) : { status: 200, body: out };
        return { ...res, headers: { 'Content-Type': 'application/hal+json; charset=utf-8', ...res.headers } };
      }
      throw new ApiFailure(404, 'NotFound', 'The requested resource could not be found.');
    } catch (err) {
      if (err instanceof ApiFailure) return { status: err.status, body: errorBody(err.identifier, err.message, err.attribute), headers: { 'Content-Type': 'application/hal+json; charset=utf-8' } };
      return { status: 500, body: errorBody('InternalServerError', 'An internal error has occured.'), headers: { 'Content-Type': 'application/hal+json; charset=utf-8' } };
    }
  }

  /** The body OpenProject posts to a webhook for a work package event (`{"action", "work_package"}`). */
  webhookBody(w: WorkPackageRecord, action = 'work_package:updated'): string {
    return JSON.stringify({ action, work_package: this.workPackageJson(w, true) });
  }

  /** Delivers the event to the webhook receiver, if one is set, signed as OpenProject signs it. */
  async deliver(w: WorkPackageRecord, action = 'work_package:updated'): Promise<void> {
    if (!this.webhook) return;
    const body = this.webhookBody(w, action);
    await this.webhook.deliver(body, { 'Content-Type': 'application/json', 'X-OP-Signature': openProjectSignature(this.webhook.secret, body) });
  }

  /**
   * A person's edit in OpenProject's UI: the status by name, the description, and a comment; the webhook delivered.
   * `asLogin`: who edits (the admin by default).
   */
  async personEdits(id: number, change: { status?: string; description?: string; comment?: string; asLogin?: string }): Promise<WorkPackageRecord> {
    const w = this.mustWorkPackage(id);
    const actor = (change.asLogin ? this.userByLogin(change.asLogin) : this.state.users.find((u) => u.admin))?.id ?? 1;
    const status = change.status === undefined ? undefined : this.statusByName(change.status);
    if (change.status !== undefined && !status) throw new ApiFailure(422, 'PropertyConstraintViolation', 'Status is not set to one of the allowed values.', 'status');
    if (status || change.description !== undefined) {
      this.editWorkPackage(w, { lockVersion: w.lockVersion, ...(status ? { _links: { status: { href: `${API}/statuses/${status.id}` } } } : {}), ...(change.description !== undefined ? { description: { raw: change.description } } : {}) }, actor);
    }
    if (change.comment) this.journal(w, actor, change.comment, []);
    await this.deliver(w);
    return w;
  }

  routes(): EmulatorRoute[] {
    const methods = ['GET', 'POST', 'PATCH', 'DELETE'].map((method) => ({ method, pattern: /^\/api\/v3\/.+$/, handle: (req: EmulatorRequest) => this.api(req) }));
    return [...this.faults.controlRoutes(), ...this.controlRoutes(), ...this.faults.wrap(methods)];
  }

  private controlRoutes(): EmulatorRoute[] {
    return [
      { method: 'GET', pattern: /^\/_emulator\/openproject\/state$/, handle: () => ({ status: 200, body: { users: this.state.users, projects: this.state.projects, types: this.state.types, statuses: this.state.statuses, workPackages: this.state.workPackages, activities: this.state.activities, memberships: this.state.memberships, invitations: this.state.invitations } }) },
      {
        method: 'POST',
        pattern: /^\/_emulator\/openproject\/work_packages\/(\d+)\/edit$/,
        handle: async (req) => {
          const change = JSON.parse(req.body || '{}') as { status?: string; description?: string; comment?: string; asLogin?: string };
          try {
            const w = await this.personEdits(Number(req.params[0]), change);
            return { status: 200, body: this.workPackageJson(w) };
          } catch (err) {
            if (err instanceof ApiFailure) return { status: err.status, body: errorBody(err.identifier, err.message, err.attribute) };
            throw err;
          }
        },
      },
    ];
  }
}
