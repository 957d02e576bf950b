/** Request plumbing shared by the Google API modules: path templates, JSON bodies, Google-style paging. */
import type { EmulatorRequest, EmulatorResponse, EmulatorRoute } from '../server';
import { fail, GoogleApiError } from './errors';

export type Json = Record<string, unknown>;

/** '/admin/directory/v1/users/:userKey' → an anchored RegExp; ':name' is one segment, '*name' the rest (for {+orgUnitPath}). */
export function pathPattern(template: string): RegExp {
  const source = template
    .split('/')
    .map((part) => (part.startsWith(':') ? '([^/]+)' : part.startsWith('*') ? '(.+)' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}$`);
}

/** A route whose handler may throw GoogleApiError; the throw becomes Google's error body. */
export function api(method: string, template: string, handle: (req: EmulatorRequest) => EmulatorResponse): EmulatorRoute {
  return {
    method,
    pattern: pathPattern(template),
    handle: (req) => {
      try {
        return handle(req);
      } catch (err) {
        if (err instanceof GoogleApiError) return err.toResponse();
        throw err;
      }
    },
  };
}

export const ok = (body: unknown): EmulatorResponse => ({ status: 200, body });
/** Google's delete and action methods answer 204 with no body. */
export const noContent = (): EmulatorResponse => ({ status: 204 });

export function readJson(req: EmulatorRequest): Json {
  if (!req.body.trim()) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(req.body);
  } catch {
    throw new GoogleApiError(400, 'Invalid JSON payload received. Unexpected token.', 'parseError');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw fail.invalid('Invalid JSON payload received. Expected an object.');
  return parsed as Json;
}

export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
export const isJson = (v: unknown): v is Json => Boolean(v) && typeof v === 'object' && !Array.isArray(v);

/** Drops undefined values and empty arrays: Google omits empty repeated fields, and callers must cope with that. */
export function compact<T extends Json>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0))) as T;
}

/** Parses maxResults the way Google validates it: an integer within [1, max]. */
export function maxResults(query: URLSearchParams, defaultMax: number, max: number): number {
  const raw = query.get('maxResults');
  if (raw === null || raw === '') return defaultMax;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) throw fail.invalid(`Invalid value '${raw}'. Values must be within the range: [1, ${max}]`);
  return n;
}

/** One page of items and the token for the next, as an opaque offset so callers cannot rely on its form. */
export function paginate<T>(items: T[], query: URLSearchParams, defaultMax: number, max: number): { page: T[]; nextPageToken?: string } {
  const size = maxResults(query, defaultMax, max);
  const token = query.get('pageToken');
  let offset = 0;
  if (token) {
    const decoded = Number(Buffer.from(token, 'base64url').toString('utf8').replace(/^o:/, ''));
    if (!Number.isInteger(decoded) || decoded < 0) throw fail.invalid('Invalid Input: pageToken');
    offset = decoded;
  }
  const page = items.slice(offset, offset + size);
  const next = offset + size;
  return { page, nextPageToken: next < items.length ? Buffer.from(`o:${next}`).toString('base64url') : undefined };
}
