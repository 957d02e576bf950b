/**
 * The operator's listing of runs: by status, with a date range on the effective index (latest effective date first,
 * reading only the runs inside the range), without one on the status index (newest update first); or by employee
 * (their own partition). Filtered on type and effective date, a page at a time behind an opaque cursor that names the
 * index it came from.
 */
import type { Run, RunStatus, RunType } from './model';
import type { EngineDeps } from './ports';
import { publicRun } from './operator';
import { InvalidCursorError, type RunFilter } from '../store/lifecycle-store';

export const RUN_PAGE = { defaultLimit: 50, maxLimit: 100 } as const;
/** Queries one page may make on the index before it answers what it found and a cursor: a filter keeping few runs cannot make a call read the whole index. */
export const MAX_QUERIES_PER_PAGE = 10;

export interface RunQuery {
  /** Absent: needs_attention, unless an employee is named (then every status). */
  status?: RunStatus;
  type?: RunType;
  /** On the run's effectiveDate, YYYY-MM-DD, both ends included. */
  from?: string;
  to?: string;
  employee?: string;
  limit: number;
  /** The `next` of the previous page. */
  next?: string;
}

export type RunListing = { ok: true; runs: Run[]; next?: string } | { ok: false; path: 'next'; message: string };

/** `c`: where a status-index query stopped; `e`: where an effective-index query stopped; `o`: an employee's offset. */
type Cursor = { c: Record<string, unknown> } | { e: Record<string, unknown> } | { o: number };

const encode = (cursor: Cursor): string => Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');

function decode(next: string): Cursor | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(next, 'base64url').toString('utf8'));
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    const v = value as Record<string, unknown>;
    if (Object.keys(v).length !== 1) return undefined;
    if (Number.isInteger(v.o) && (v.o as number) > 0) return { o: v.o as number };
    for (const index of ['c', 'e'] as const) {
      const key = v[index];
      if (typeof key === 'object' && key !== null && !Array.isArray(key)) return index === 'c' ? { c: key as Record<string, unknown> } : { e: key as Record<string, unknown> };
    }
    return undefined;
  } catch {
    return undefined;
  }
}

const BAD_CURSOR = { ok: false, path: 'next', message: 'is not a cursor this listing handed out: start again without it' } as const;

const passes = (query: RunQuery) => (run: Run) =>
  (!query.status || run.status === query.status) &&
  (!query.type || run.type === query.type) &&
  (!query.from || run.effectiveDate >= query.from) &&
  (!query.to || run.effectiveDate <= query.to);

export async function listRunPage(deps: EngineDeps, query: RunQuery): Promise<RunListing> {
  const cursor = query.next === undefined ? undefined : decode(query.next);
  if (query.next !== undefined && !cursor) return BAD_CURSOR;
  if (query.employee !== undefined) {
    if (cursor && !('o' in cursor)) return BAD_CURSOR;
    const offset = cursor && 'o' in cursor ? cursor.o : 0;
    const runs = (await deps.store.listRuns(query.employee)).filter(passes(query)).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || a.runId.localeCompare(b.runId));
    const page = runs.slice(offset, offset + query.limit);
    const more = offset + page.length < runs.length;
    return { ok: true, runs: page.map(publicRun), ...(more ? { next: encode({ o: offset + page.length }) } : {}) };
  }
  // The store reads the effective index when the filter has a date, else the status index: a cursor of the other
  // would be read as a position it never named.
  const filter: RunFilter = { ...(query.type ? { type: query.type } : {}), ...(query.from ? { from: query.from } : {}), ...(query.to ? { to: query.to } : {}) };
  const byDate = filter.from !== undefined || filter.to !== undefined;
  if (cursor && !((byDate ? 'e' : 'c') in cursor)) return BAD_CURSOR;
  const status = query.status ?? 'needs_attention';
  const runs: Run[] = [];
  let start = cursor && 'c' in cursor ? cursor.c : cursor && 'e' in cursor ? cursor.e : undefined;
  try {
    // Each query reads a page's worth and keeps no more than the page still lacks (the cursor then starts after the
    // last run kept, skipping none): a filter keeping one run in three fills a page in three queries, not ten.
    for (let queries = 0; queries < MAX_QUERIES_PER_PAGE && runs.length < query.limit; queries++) {
      const page = await deps.store.pageRunsByStatus(status, filter, query.limit - runs.length, start, query.limit);
      runs.push(...page.runs);
      start = page.cursor;
      if (!start) break;
    }
  } catch (err) {
    if (err instanceof InvalidCursorError) return BAD_CURSOR;
    throw err;
  }
  return { ok: true, runs: runs.map(publicRun), ...(start ? { next: encode(byDate ? { e: start } : { c: start }) } : {}) };
}
