/**
 * The Zendesk emulator's HTTP surface: the Support REST API v2 paths the connector calls (with or without `.json`, as
 * Zendesk takes both), API token Basic auth, cursor pagination (`page[size]`, `page[after]`, `meta`, `links`) where
 * Zendesk has it and offset pagination (`per_page`, `page`, `next_page`) elsewhere, behind fault injection and the
 * per-minute rate limit (429 with Retry-After); faults, quota and state under /_emulator/zendesk/.
 */
import type { EmulatorRequest, EmulatorResponse, EmulatorRoute } from '../server';
import { ZendeskEmulatorError, type JobRecord, type ZendeskEmulator } from './zendesk-emulator';

const J = '(?:\\.json)?$';
const ID = '(\\d+)';

function body(req: EmulatorRequest, key: string): Record<string, unknown> {
  let json: unknown;
  try {
    json = req.body ? JSON.parse(req.body) : {};
  } catch {
    throw new ZendeskEmulatorError({ status: 400, body: { error: 'Unprocessable Entity', description: 'The request body is not valid JSON' } });
  }
  const inner = (json as Record<string, unknown>)?.[key];
  if (!inner || typeof inner !== 'object') throw new ZendeskEmulatorError({ status: 400, body: { error: 'InvalidParameter', description: `${key} parameter is missing` } });
  return inner as Record<string, unknown>;
}

const base = (req: EmulatorRequest) => `http://${req.headers.host ?? 'localhost'}`;

/** Cursor pagination when `page[size]` is asked for, else offset pagination, as Zendesk's list endpoints answer. */
function paged<T extends { id: number }>(req: EmulatorRequest, key: string, items: T[]): EmulatorResponse {
  const sorted = [...items].sort((a, b) => a.id - b.id);
  const size = req.query.get('page[size]');
  if (size !== null) {
    const n = Number(size);
    if (!Number.isInteger(n) || n < 1 || n > 100) return { status: 400, body: { error: 'InvalidPaginationParameter', description: 'page[size] must be between 1 and 100' } };
    const after = req.query.get('page[after]');
    const from = after ? sorted.findIndex((i) => i.id > Number(Buffer.from(after, 'base64url').toString('utf8'))) : 0;
    const rest = from < 0 ? [] : sorted.slice(from);
    const page = rest.slice(0, n);
    const hasMore = rest.length > n;
    const cursor = (id: number) => Buffer.from(String(id), 'utf8').toString('base64url');
    const afterCursor = page.length ? cursor(page[page.length - 1].id) : null;
    const url = new URL(`${base(req)}${req.path}`);
    url.searchParams.set('page[size]', String(n));
    if (afterCursor) url.searchParams.set('page[after]', afterCursor);
    return {
      status: 200,
      body: { [key]: page, meta: { has_more: hasMore, after_cursor: afterCursor, before_cursor: page.length ? cursor(page[0].id) : null }, links: { next: hasMore ? url.toString() : null, prev: null } },
    };
  }
  return offset(req, key, sorted);
}

function offset<T>(req: EmulatorRequest, key: string, items: T[]): EmulatorResponse {
  const perPage = Math.min(100, Math.max(1, Number(req.query.get('per_page') ?? 100) || 100));
  const page = Math.max(1, Number(req.query.get('page') ?? 1) || 1);
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const link = (p: number) => {
    const url = new URL(`${base(req)}${req.path}`);
    req.query.forEach((v, k) => url.searchParams.set(k, v));
    url.searchParams.set('page', String(p));
    url.searchParams.set('per_page', String(perPage));
    return url.toString();
  };
  return { status: 200, body: { [key]: slice, next_page: page * perPage < items.length ? link(page + 1) : null, previous_page: page > 1 ? link(page - 1) : null, count: items.length } };
}

function jobBody(req: EmulatorRequest, job: JobRecord) {
  return {
    job_status: {
      id: job.id,
      url: `${base(req)}/api/v2/job_statuses/${job.id}.json`,
      total: job.ticketIds.length,
      progress: job.status === 'completed' ? job.ticketIds.length : 0,
      status: job.status,
      message: job.status === 'completed' ? `Completed at ${new Date().toISOString()}` : null,
      results: job.results,
    },
  };
}

type Handler = (req: EmulatorRequest, params: string[]) => EmulatorResponse;

function apiRoutes(z: ZendeskEmulator): EmulatorRoute[] {
  const route = (method: string, path: string, handler: Handler): EmulatorRoute => ({
    method,
    pattern: new RegExp(`^/api/v2/${path}${J}`),
    handle: (req) => {
      const denied = z.authenticate(req.headers.authorization);
      if (denied) return denied;
      z.runDueJobs();
      try {
        return handler(req, req.params);
      } catch (err) {
        if (err instanceof ZendeskEmulatorError) return err.response;
        return { status: 500, body: { error: 'InternalError', description: `emulator error: ${err instanceof Error ? err.message : String(err)}` } };
      }
    },
  });
  const list = (v: string | null) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : undefined);
  return [
    route('GET', 'users/show_many', (req) => ({ status: 200, body: { users: z.showMany(list(req.query.get('external_ids')), list(req.query.get('ids'))?.map(Number)) } })),
    route('GET', 'users/search', (req) => offset(req, 'users', z.searchUsers(req.query.get('query') ?? undefined, req.query.get('external_id') ?? undefined))),
    route('GET', 'users', (req) => paged(req, 'users', z.listUsers([...req.query.getAll('role[]'), ...req.query.getAll('role')]))),
    route('GET', 'group_memberships', (req) => paged(req, 'group_memberships', z.allMemberships())),
    route('GET', `users/${ID}/group_memberships`, (_req, [id]) => paged(_req, 'group_memberships', z.membershipsOf(Number(id)))),
    route('GET', `users/${ID}`, (_req, [id]) => ({ status: 200, body: { user: z.showUser(Number(id)) } })),
    route('PUT', `users/${ID}`, (req, [id]) => ({ status: 200, body: { user: z.updateUser(Number(id), body(req, 'user')) } })),
    route('POST', 'users', (req) => ({ status: 201, body: { user: z.createUser(body(req, 'user')) } })),
    route('GET', 'groups', (req) => paged(req, 'groups', z.groups())),
    route('GET', `groups/${ID}`, (_req, [id]) => ({ status: 200, body: { group: z.showGroup(Number(id)) } })),
    route('GET', 'custom_roles', () => ({ status: 200, body: { custom_roles: z.customRoles() } })),
    route('POST', 'group_memberships', (req) => ({ status: 201, body: { group_membership: z.createMembership(body(req, 'group_membership')) } })),
    route('DELETE', `group_memberships/${ID}`, (_req, [id]) => {
      z.deleteMembership(Number(id));
      return { status: 204 };
    }),
    route('GET', 'search', (req) => {
      const hits = z.searchTickets(req.query.get('query') ?? '').map((t) => ({ ...t, result_type: 'ticket', url: `${base(req)}/api/v2/tickets/${t.id}.json` }));
      return offset(req, 'results', hits);
    }),
    route('GET', 'tickets/show_many', (req) => {
      const ids = (list(req.query.get('ids')) ?? []).map(Number);
      if (ids.length === 0 || ids.some((id) => !Number.isInteger(id))) return { status: 400, body: { error: 'InvalidParameter', description: 'ids must be a comma separated list of ticket ids' } };
      if (ids.length > 100) return { status: 400, body: { error: 'TooManyValues', description: 'You may request up to 100 tickets at once' } };
      return { status: 200, body: { tickets: z.showManyTickets(ids).map((t) => ({ ...t, url: `${base(req)}/api/v2/tickets/${t.id}.json` })) } };
    }),
    route('PUT', 'tickets/update_many', (req) => {
      const ids = (list(req.query.get('ids')) ?? []).map(Number).filter(Number.isInteger);
      return { status: 200, body: jobBody(req, z.updateMany(ids, body(req, 'ticket'))) };
    }),
    route('GET', 'job_statuses/([^/.]+)', (req, [id]) => ({ status: 200, body: jobBody(req, z.job(id)) })),
  ];
}

/**
 * Under a quota, every answer says where the account's limit stands, as Zendesk does: `X-Rate-Limit` and
 * `X-Rate-Limit-Remaining`, and the newer `ratelimit-limit`, `ratelimit-remaining` and `ratelimit-reset` (seconds).
 */
function withRateLimitHeaders(z: ZendeskEmulator, res: EmulatorResponse | Promise<EmulatorResponse>): EmulatorResponse | Promise<EmulatorResponse> {
  const add = (r: EmulatorResponse): EmulatorResponse => {
    const quota = z.faults.quotaState();
    if (!quota) return r;
    const [limit, remaining] = [String(quota.limit), String(quota.remaining)];
    return { ...r, headers: { ...r.headers, 'X-Rate-Limit': limit, 'X-Rate-Limit-Remaining': remaining, 'ratelimit-limit': limit, 'ratelimit-remaining': remaining, 'ratelimit-reset': String(quota.resetSeconds) } };
  };
  return res instanceof Promise ? res.then(add) : add(res);
}

/** Everything the Zendesk emulator serves. */
export function zendeskEmulatorRoutes(z: ZendeskEmulator): EmulatorRoute[] {
  return [
    ...z.faults.wrap(apiRoutes(z)).map((route) => ({ ...route, handle: (req: EmulatorRequest) => withRateLimitHeaders(z, route.handle(req)) })),
    ...z.faults.controlRoutes(),
    { method: 'GET', pattern: /^\/_emulator\/zendesk\/state$/, handle: () => ({ status: 200, body: z.toJSON() }) },
  ];
}
