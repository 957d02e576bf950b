/**
 * An in-memory Zendesk Support account: users, groups, group memberships, custom roles, tickets and the job statuses
 * of bulk updates, answering the REST API v2 paths (zendesk-routes.ts) in Zendesk's own JSON shapes and error bodies.
 */
import { FaultInjector, type ErrorShape } from '../faults';
import type { EmulatorResponse } from '../server';

export type Role = 'end-user' | 'agent' | 'admin';
const ROLES: readonly Role[] = ['end-user', 'agent', 'admin'];

export interface UserRecord {
  id: number;
  name: string;
  email: string | null;
  role: Role;
  custom_role_id: number | null;
  external_id: string | null;
  suspended: boolean;
  active: boolean;
  verified: boolean;
  default_group_id: number | null;
  created_at: string;
  updated_at: string;
}

export interface GroupRecord {
  id: number;
  name: string;
  description: string;
  default: boolean;
  deleted: boolean;
  created_at: string;
  updated_at: string;
}

export interface MembershipRecord {
  id: number;
  user_id: number;
  group_id: number;
  default: boolean;
  created_at: string;
  updated_at: string;
}

export interface CustomRoleRecord {
  id: number;
  name: string;
  description: string;
  role_type: number;
  created_at: string;
  updated_at: string;
}

export type TicketStatus = 'new' | 'open' | 'pending' | 'hold' | 'solved' | 'closed';
const STATUS_ORDER: readonly TicketStatus[] = ['new', 'open', 'pending', 'hold', 'solved', 'closed'];

export interface TicketRecord {
  id: number;
  subject: string;
  status: TicketStatus;
  assignee_id: number | null;
  group_id: number | null;
  requester_id: number | null;
  created_at: string;
  updated_at: string;
}

export interface JobRecord {
  id: string;
  /** When it runs: the emulator runs a queued job at the first request after this time. */
  runAt: number;
  ticketIds: number[];
  changes: { group_id?: number | null; assignee_id?: number | null; status?: TicketStatus };
  status: 'queued' | 'completed';
  results: { id: number; action: string; success: boolean; status?: string; errors?: string }[] | null;
}

export interface ZendeskState {
  nextId: number;
  users: UserRecord[];
  groups: GroupRecord[];
  memberships: MembershipRecord[];
  customRoles: CustomRoleRecord[];
  tickets: TicketRecord[];
  jobs: JobRecord[];
}

/** A request Zendesk refuses: its status and body. */
export class ZendeskEmulatorError extends Error {
  constructor(readonly response: EmulatorResponse) {
    super(JSON.stringify(response.body));
  }
}

export const notFound = (): ZendeskEmulatorError => new ZendeskEmulatorError({ status: 404, body: { error: 'RecordNotFound', description: 'Not found' } });

/** 422 with Zendesk's details: `{ field: [{ description, error }] }`. */
export const invalid = (field: string, description: string, error = 'InvalidValue'): ZendeskEmulatorError =>
  new ZendeskEmulatorError({ status: 422, body: { error: 'RecordInvalid', description: 'Record validation errors', details: { [field]: [{ description, error }] } } });

/** Zendesk's error bodies for injected faults: 429 and 503 as text, the rest as its JSON. */
export const zendeskErrorShape: ErrorShape = (status, message, reason): EmulatorResponse => {
  // Zendesk answers a 429 in text/plain, the same sentence whatever tripped it; Retry-After says how long to wait.
  if (status === 429) return { status, body: 'Number of allowed API requests per minute exceeded', headers: { 'Content-Type': 'text/plain; charset=utf-8' } };
  if (status === 401) return { status, body: { error: "Couldn't authenticate you" } };
  if (status === 403) return { status, body: { error: reason ?? 'Forbidden', description: 'You do not have access to this page. Please contact the account owner of this help desk for further help.' } };
  if (status === 404) return { status, body: { error: reason ?? 'RecordNotFound', description: 'Not found' } };
  if (status === 422) return { status, body: { error: reason ?? 'RecordInvalid', description: 'Record validation errors', details: { base: [{ description: message, error: 'InvalidValue' }] } } };
  if (status === 503) return { status, body: message, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Retry-After': '1' } };
  return { status, body: { error: reason ?? 'InternalError', description: message } };
};

export interface ZendeskEmulatorOptions {
  /** The API user and token Basic auth must name. */
  email?: string;
  token?: string;
  subdomain?: string;
  now?: () => number;
  /** Milliseconds a bulk update's job stays queued; 0: it runs at the next request. */
  jobDelayMs?: number;
  /** Milliseconds the Search API answers a changed ticket as it was before the change (Zendesk indexes later); 0: at once. */
  searchLagMs?: number;
}

export const LOCAL_ZENDESK_EMAIL = 'admin@example.com';
export const LOCAL_ZENDESK_TOKEN = 'local-zendesk-api-token';

export class ZendeskEmulator {
  readonly faults: FaultInjector;
  readonly email: string;
  readonly token: string;
  readonly subdomain: string;
  jobDelayMs: number;
  searchLagMs: number;
  private readonly now: () => number;
  /** A changed ticket as search still answers it, until the time given (not saved: the index catches up). */
  private readonly searchIndex = new Map<number, { ticket: TicketRecord; until: number }>();
  private state: ZendeskState = { nextId: 1000, users: [], groups: [], memberships: [], customRoles: [], tickets: [], jobs: [] };

  constructor(options: ZendeskEmulatorOptions = {}) {
    this.email = options.email ?? LOCAL_ZENDESK_EMAIL;
    this.token = options.token ?? LOCAL_ZENDESK_TOKEN;
    this.subdomain = options.subdomain ?? 'example';
    this.now = options.now ?? Date.now;
    this.jobDelayMs = options.jobDelayMs ?? 0;
    this.searchLagMs = options.searchLagMs ?? 0;
    this.faults = new FaultInjector('zendesk', zendeskErrorShape, this.now);
  }

  static fromJSON(state: unknown, options: ZendeskEmulatorOptions = {}): ZendeskEmulator {
    const emulator = new ZendeskEmulator(options);
    emulator.state = structuredClone(state as ZendeskState);
    return emulator;
  }

  toJSON(): ZendeskState {
    return structuredClone(this.state);
  }

  private stamp(): string {
    return new Date(this.now()).toISOString();
  }

  private id(): number {
    return (this.state.nextId += 1);
  }

  // ---- seeding and tests ----

  addGroup(name: string, description = ''): GroupRecord {
    const at = this.stamp();
    const group = { id: this.id(), name, description, default: this.state.groups.length === 0, deleted: false, created_at: at, updated_at: at };
    this.state.groups.push(group);
    return structuredClone(group);
  }

  addCustomRole(name: string, description = ''): CustomRoleRecord {
    const at = this.stamp();
    const role = { id: this.id(), name, description, role_type: 0, created_at: at, updated_at: at };
    this.state.customRoles.push(role);
    return structuredClone(role);
  }

  addTicket(input: { subject: string; status?: TicketStatus; assigneeId?: number | null; groupId?: number | null; requesterId?: number | null }): TicketRecord {
    const at = this.stamp();
    const ticket = { id: this.id(), subject: input.subject, status: input.status ?? 'open', assignee_id: input.assigneeId ?? null, group_id: input.groupId ?? null, requester_id: input.requesterId ?? null, created_at: at, updated_at: at };
    this.state.tickets.push(ticket);
    return structuredClone(ticket);
  }

  /** Deletes a group (soft, as Zendesk does) and its memberships. */
  deleteGroup(id: number): void {
    const group = this.state.groups.find((g) => g.id === id);
    if (group) group.deleted = true;
    this.state.memberships = this.state.memberships.filter((m) => m.group_id !== id);
  }

  user(id: number): UserRecord | undefined {
    return structuredClone(this.state.users.find((u) => u.id === id));
  }

  userByEmail(email: string): UserRecord | undefined {
    return structuredClone(this.state.users.find((u) => u.email === email.toLowerCase()));
  }

  groupByName(name: string): GroupRecord | undefined {
    return structuredClone(this.state.groups.find((g) => g.name === name && !g.deleted));
  }

  groupNamesOf(userId: number): string[] {
    return this.state.memberships.filter((m) => m.user_id === userId).map((m) => this.state.groups.find((g) => g.id === m.group_id)?.name ?? String(m.group_id)).sort();
  }

  ticket(id: number): TicketRecord | undefined {
    return structuredClone(this.state.tickets.find((t) => t.id === id));
  }

  ticketsAssignedTo(userId: number): TicketRecord[] {
    return structuredClone(this.state.tickets.filter((t) => t.assignee_id === userId));
  }

  // ---- the API ----

  /** Basic `{email}/token:{token}`, as Zendesk documents API token auth. */
  authenticate(header: string | undefined): EmulatorResponse | undefined {
    const expected = `Basic ${Buffer.from(`${this.email}/token:${this.token}`, 'utf8').toString('base64')}`;
    return header === expected ? undefined : { status: 401, body: { error: "Couldn't authenticate you" } };
  }

  /** Runs the bulk-update jobs whose time has come, as Zendesk's background workers do. */
  runDueJobs(): void {
    const at = this.now();
    for (const job of this.state.jobs.filter((j) => j.status === 'queued' && j.runAt <= at)) {
      job.results = job.ticketIds.map((id) => {
        const ticket = this.state.tickets.find((t) => t.id === id);
        if (!ticket) return { id, action: 'update', success: false, errors: 'RecordNotFound' };
        if (ticket.status === 'closed') return { id, action: 'update', success: false, errors: 'Closed tickets cannot be updated' };
        if (job.changes.group_id !== undefined && job.changes.group_id !== null && !this.state.groups.some((g) => g.id === job.changes.group_id && !g.deleted)) {
          return { id, action: 'update', success: false, errors: 'Group: is invalid' };
        }
        this.indexLater(ticket);
        Object.assign(ticket, job.changes, { updated_at: this.stamp() });
        return { id, action: 'update', success: true, status: 'Updated' };
      });
      job.status = 'completed';
    }
  }

  private findUser(id: number): UserRecord {
    const user = this.state.users.find((u) => u.id === id);
    if (!user) throw notFound();
    return user;
  }

  showUser(id: number): UserRecord {
    return structuredClone(this.findUser(id));
  }

  showMany(externalIds: string[] | undefined, ids: number[] | undefined): UserRecord[] {
    return structuredClone(this.state.users.filter((u) => (externalIds ? u.external_id !== null && externalIds.includes(u.external_id) : ids ? ids.includes(u.id) : false)));
  }

  /** users/search: `query` (an address, `email:<address>`, or words of the name) or `external_id`. */
  searchUsers(query: string | undefined, externalId: string | undefined): UserRecord[] {
    if (externalId !== undefined) return structuredClone(this.state.users.filter((u) => u.external_id === externalId));
    const q = (query ?? '').trim().toLowerCase();
    if (!q) return [];
    const email = q.startsWith('email:') ? q.slice(6) : q.includes('@') ? q : undefined;
    return structuredClone(this.state.users.filter((u) => (email !== undefined ? u.email === email : u.name.toLowerCase().includes(q))));
  }

  private checkRole(role: unknown, customRoleId: unknown): void {
    if (role !== undefined && !ROLES.includes(role as Role)) throw invalid('role', `Role: ${String(role)} is not a valid role`);
    if (customRoleId !== undefined && customRoleId !== null && !this.state.customRoles.some((r) => r.id === customRoleId)) {
      throw invalid('custom_role_id', 'Custom role: is invalid');
    }
  }

  createUser(input: Record<string, unknown>): UserRecord {
    const name = typeof input.name === 'string' ? input.name.trim() : '';
    if (!name) throw invalid('name', "Name: can't be blank", 'BlankValue');
    const email = typeof input.email === 'string' ? input.email.trim().toLowerCase() : null;
    if (email && this.state.users.some((u) => u.email === email)) throw invalid('email', `Email: ${email} is already being used by another user`, 'DuplicateValue');
    const externalId = typeof input.external_id === 'string' && input.external_id ? input.external_id : null;
    if (externalId && this.state.users.some((u) => u.external_id === externalId)) throw invalid('external_id', `External ID: ${externalId} has already been taken`, 'DuplicateValue');
    this.checkRole(input.role, input.custom_role_id);
    const role = (input.role as Role | undefined) ?? 'end-user';
    const at = this.stamp();
    const user: UserRecord = {
      id: this.id(),
      name,
      email,
      role,
      custom_role_id: role === 'agent' && typeof input.custom_role_id === 'number' ? input.custom_role_id : null,
      external_id: externalId,
      suspended: input.suspended === true,
      active: true,
      verified: input.verified === true,
      default_group_id: null,
      created_at: at,
      updated_at: at,
    };
    this.state.users.push(user);
    return structuredClone(user);
  }

  updateUser(id: number, input: Record<string, unknown>): UserRecord {
    const user = this.findUser(id);
    this.checkRole(input.role, input.custom_role_id);
    if (typeof input.email === 'string') {
      const email = input.email.toLowerCase();
      if (this.state.users.some((u) => u.email === email && u.id !== id)) throw invalid('email', `Email: ${email} is already being used by another user`, 'DuplicateValue');
      user.email = email;
    }
    if (input.external_id !== undefined) {
      const externalId = typeof input.external_id === 'string' && input.external_id ? input.external_id : null;
      if (externalId && this.state.users.some((u) => u.external_id === externalId && u.id !== id)) throw invalid('external_id', `External ID: ${externalId} has already been taken`, 'DuplicateValue');
      user.external_id = externalId;
    }
    if (typeof input.name === 'string' && input.name.trim()) user.name = input.name.trim();
    if (typeof input.suspended === 'boolean') user.suspended = input.suspended;
    if (input.role !== undefined) {
      user.role = input.role as Role;
      // An end-user is in no group and has no custom role: Zendesk drops both on a downgrade.
      if (user.role === 'end-user') {
        this.state.memberships = this.state.memberships.filter((m) => m.user_id !== id);
        user.custom_role_id = null;
        user.default_group_id = null;
      }
    }
    if (input.custom_role_id !== undefined) {
      if (input.custom_role_id !== null && user.role !== 'agent') throw invalid('custom_role_id', 'Custom role: only agents can have a custom role');
      user.custom_role_id = input.custom_role_id as number | null;
    }
    user.updated_at = this.stamp();
    return structuredClone(user);
  }

  groups(): GroupRecord[] {
    return structuredClone(this.state.groups.filter((g) => !g.deleted));
  }

  /** GET /api/v2/groups/{id}: one group; a deleted one is not found. */
  showGroup(id: number): GroupRecord {
    const group = this.state.groups.find((g) => g.id === id && !g.deleted);
    if (!group) throw notFound();
    return structuredClone(group);
  }

  customRoles(): CustomRoleRecord[] {
    return structuredClone(this.state.customRoles);
  }

  /** GET /users: every user, or those of the roles asked (`role` or `role[]`). */
  listUsers(roles: readonly string[] | undefined): UserRecord[] {
    return structuredClone(this.state.users.filter((u) => !roles?.length || roles.includes(u.role)));
  }

  /** GET /group_memberships: every membership of the account. */
  allMemberships(): MembershipRecord[] {
    return structuredClone(this.state.memberships);
  }

  membershipsOf(userId: number): MembershipRecord[] {
    this.findUser(userId);
    return structuredClone(this.state.memberships.filter((m) => m.user_id === userId));
  }

  createMembership(input: Record<string, unknown>): MembershipRecord {
    const userId = input.user_id;
    const groupId = input.group_id;
    const user = typeof userId === 'number' ? this.state.users.find((u) => u.id === userId) : undefined;
    if (!user) throw invalid('user', "User: can't be blank", 'BlankValue');
    const group = typeof groupId === 'number' ? this.state.groups.find((g) => g.id === groupId && !g.deleted) : undefined;
    if (!group) throw invalid('group', "Group: can't be blank", 'BlankValue');
    if (user.role === 'end-user') throw invalid('user_id', 'User: is not an agent', 'InvalidValue');
    if (this.state.memberships.some((m) => m.user_id === user.id && m.group_id === group.id)) throw invalid('user_id', 'User: has already been taken', 'DuplicateValue');
    const at = this.stamp();
    const first = !this.state.memberships.some((m) => m.user_id === user.id);
    const membership = { id: this.id(), user_id: user.id, group_id: group.id, default: first, created_at: at, updated_at: at };
    this.state.memberships.push(membership);
    if (first) user.default_group_id = group.id;
    return structuredClone(membership);
  }

  deleteMembership(id: number): void {
    const membership = this.state.memberships.find((m) => m.id === id);
    if (!membership) throw notFound();
    this.state.memberships = this.state.memberships.filter((m) => m.id !== id);
    const user = this.state.users.find((u) => u.id === membership.user_id);
    if (user && user.default_group_id === membership.group_id) user.default_group_id = this.state.memberships.find((m) => m.user_id === user.id)?.group_id ?? null;
  }

  /** Search keeps answering the ticket as it is now for searchLagMs after a change (the earliest version while it lags). */
  private indexLater(ticket: TicketRecord): void {
    const at = this.now();
    const stale = this.searchIndex.get(ticket.id);
    if (this.searchLagMs > 0 && !(stale && stale.until > at)) this.searchIndex.set(ticket.id, { ticket: structuredClone(ticket), until: at + this.searchLagMs });
  }

  /** tickets/show_many: the tickets themselves, as they are now; ids Zendesk does not have are left out. */
  showManyTickets(ids: number[]): TicketRecord[] {
    return structuredClone(this.state.tickets.filter((t) => ids.includes(t.id)));
  }

  /** /api/v2/search with `type:ticket`, `assignee:<id|none>`, `group:<id>`, `status:<s>`, `status<s` (and `>`, `<=`, `>=`). */
  searchTickets(query: string): TicketRecord[] {
    const terms = query.trim().split(/\s+/).filter(Boolean);
    const at = this.now();
    let tickets = this.state.tickets.map((t) => {
      const stale = this.searchIndex.get(t.id);
      return stale && stale.until > at ? stale.ticket : t;
    });
    let typed = false;
    for (const term of terms) {
      const m = /^([a-z_]+)(:|<=|>=|<|>)(.+)$/.exec(term);
      if (!m) continue;
      const [, key, op, value] = m;
      if (key === 'type') {
        typed = value === 'ticket';
        continue;
      }
      if (key === 'assignee') tickets = tickets.filter((t) => (value === 'none' ? t.assignee_id === null : String(t.assignee_id) === value));
      else if (key === 'group') tickets = tickets.filter((t) => String(t.group_id) === value);
      else if (key === 'status') {
        const at = STATUS_ORDER.indexOf(value as TicketStatus);
        if (at < 0) return [];
        const cmp = (s: TicketStatus) => STATUS_ORDER.indexOf(s) - at;
        tickets = tickets.filter((t) => (op === ':' ? cmp(t.status) === 0 : op === '<' ? cmp(t.status) < 0 : op === '<=' ? cmp(t.status) <= 0 : op === '>' ? cmp(t.status) > 0 : cmp(t.status) >= 0));
      }
    }
    return typed ? structuredClone(tickets) : [];
  }

  updateMany(ids: number[], changes: Record<string, unknown>): JobRecord {
    if (ids.length === 0) throw new ZendeskEmulatorError({ status: 400, body: { error: 'InvalidParameter', description: 'ids is required' } });
    if (ids.length > 100) throw new ZendeskEmulatorError({ status: 400, body: { error: 'TooManyValues', description: 'You may update up to 100 tickets at once' } });
    const allowed: JobRecord['changes'] = {};
    if ('group_id' in changes) allowed.group_id = changes.group_id as number | null;
    if ('assignee_id' in changes) allowed.assignee_id = changes.assignee_id as number | null;
    if ('status' in changes) allowed.status = changes.status as TicketStatus;
    const job: JobRecord = { id: `V3-${this.id().toString(16)}${Math.random().toString(16).slice(2, 10)}`, runAt: this.now() + this.jobDelayMs, ticketIds: ids, changes: allowed, status: 'queued', results: null };
    this.state.jobs.push(job);
    return structuredClone(job);
  }

  job(id: string): JobRecord {
    const job = this.state.jobs.find((j) => j.id === id);
    if (!job) throw notFound();
    return structuredClone(job);
  }
}
