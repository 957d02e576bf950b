/**
 * The bot's view of a Matrix homeserver, through matrix-js-sdk's authenticated HTTP API (its MatrixClient without a
 * started sync: the bot keeps the sync position itself). Every failure is a MatrixCallError carrying the spec's errcode,
 * the HTTP status and, for M_LIMIT_EXCEEDED, the wait the server asked for; never the access token.
 */
import { createClient, Method, MatrixError, type MatrixClient } from 'matrix-js-sdk';
import type { Logger } from 'matrix-js-sdk/lib/logger';
import { isRetryableStatus } from '../provider-error';

/** The parts of a /sync answer the bot reads. */
export interface SyncEvent {
  event_id: string;
  type: string;
  sender: string;
  origin_server_ts: number;
  content: Record<string, unknown>;
  state_key?: string;
}
export interface SyncResponse {
  next_batch: string;
  rooms?: {
    join?: Record<string, { timeline?: { events?: SyncEvent[]; limited?: boolean; prev_batch?: string }; state?: { events?: SyncEvent[] } }>;
    invite?: Record<string, unknown>;
  };
}

/** One page of a room's history (GET /rooms/{roomId}/messages): `chunk` newest first for dir=b; no `end` when nothing further is there. */
export interface MessagesPage {
  chunk: SyncEvent[];
  start: string;
  end?: string;
}

/** Where a page of history starts and which way it reads. */
export interface MessagesQuery {
  /** A sync's prev_batch, or a page's `end`. */
  from: string;
  dir: 'b' | 'f';
  limit: number;
  /** Where to stop: the earlier sync's next_batch bounds a limited sync's gap. */
  to?: string;
}

/** What the bot does on the homeserver; one adapter (matrix-js-sdk), a test double in unit tests. */
export interface MatrixApi {
  whoami(): Promise<string>;
  /** Joins a room by id or alias (a no-op when joined already); answers the room id. */
  join(roomIdOrAlias: string): Promise<string>;
  /** The room's m.room.power_levels content. */
  powerLevels(roomId: string): Promise<Record<string, unknown>>;
  /** Sends an event with a transaction id: the same id again is the same event. Answers its event id. */
  send(roomId: string, eventType: string, txnId: string, content: Record<string, unknown>): Promise<string>;
  /** One /sync: from `since` (none: the initial sync), waiting up to `timeoutMs` for news. */
  sync(since: string | undefined, timeoutMs: number, signal?: AbortSignal): Promise<SyncResponse>;
  /** One page of a room's history: what a limited sync left out is read from its prev_batch back. */
  messages(roomId: string, query: MessagesQuery): Promise<MessagesPage>;
}

/** The most timeline events of one room a sync answer carries; more since the last sync and the answer is `limited`. */
export const SYNC_TIMELINE_LIMIT = 500;
const syncFilter = (limit: number) => JSON.stringify({ room: { timeline: { limit } } });

export class MatrixCallError extends Error {
  constructor(
    readonly call: string,
    readonly status: number | undefined,
    readonly code: string,
    readonly retryable: boolean,
    /** M_LIMIT_EXCEEDED: how long the server asked to wait, in ms. */
    readonly retryAfterMs?: number,
  ) {
    super(`matrix ${call}: ${status ?? 'no answer'} ${code}`);
    this.name = 'MatrixCallError';
  }
}

/** Reads what an SDK error says: errcode, status and the server's wait, without its message (which may name a user). */
export function matrixCallError(call: string, err: unknown): MatrixCallError {
  if (err instanceof MatrixCallError) return err;
  if (err instanceof MatrixError) {
    const code = err.errcode ?? 'M_UNKNOWN';
    const bodyWait = typeof err.data?.retry_after_ms === 'number' ? err.data.retry_after_ms : undefined;
    const status = err.httpStatus;
    const retryable = code === 'M_LIMIT_EXCEEDED' || (status !== undefined && isRetryableStatus(status));
    return new MatrixCallError(call, status, code, retryable, code === 'M_LIMIT_EXCEEDED' ? bodyWait ?? 1000 : undefined);
  }
  const name = err instanceof Error ? err.name : typeof err;
  // A connection failure, a call past its time limit, or an answer that was no JSON error: worth another try.
  return new MatrixCallError(call, undefined, /^[\w.-]{1,64}$/.test(name) ? name : 'ConnectionError', true);
}

const enc = encodeURIComponent;
type RequestOptions = Parameters<MatrixClient['http']['authedRequest']>[4];

export interface MatrixClientOptions {
  baseUrl: string;
  userId: string;
  accessToken: string;
  /** The longest any call but /sync may take, in ms. */
  requestTimeoutMs?: number;
  /** The most timeline events of one room a sync asks for (default SYNC_TIMELINE_LIMIT). */
  timelineLimit?: number;
}

/** The SDK logs each request's URL at debug level: the bot logs its own lines, ids and codes only. */
const quietLogger: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, getChild: () => quietLogger };

export class SdkMatrixApi implements MatrixApi {
  readonly client: MatrixClient;
  private readonly requestTimeoutMs: number;
  private readonly syncFilter: string;

  constructor(options: MatrixClientOptions) {
    this.client = createClient({ baseUrl: options.baseUrl, accessToken: options.accessToken, userId: options.userId, logger: quietLogger });
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.syncFilter = syncFilter(options.timelineLimit ?? SYNC_TIMELINE_LIMIT);
  }

  /**
   * One authenticated request with its own time limit, cleared once answered (the SDK's own localTimeoutMs leaves a timer
   * running for its whole length, which holds a process open after its work is done).
   */
  private async request<T>(call: string, method: Method, path: string, query: Record<string, string> | undefined, body: Record<string, unknown> | undefined, timeoutMs = this.requestTimeoutMs, signal?: AbortSignal): Promise<T> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    const abort = () => controller.abort();
    signal?.addEventListener('abort', abort);
    try {
      return await this.client.http.authedRequest<T>(method, path, query, body, { abortSignal: controller.signal } as RequestOptions);
    } catch (err) {
      throw matrixCallError(call, err);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', abort);
    }
  }

  async whoami(): Promise<string> {
    return (await this.request<{ user_id: string }>('whoami', Method.Get, '/account/whoami', undefined, undefined)).user_id;
  }

  async join(roomIdOrAlias: string): Promise<string> {
    return (await this.request<{ room_id: string }>('join', Method.Post, `/join/${enc(roomIdOrAlias)}`, undefined, {})).room_id;
  }

  powerLevels(roomId: string): Promise<Record<string, unknown>> {
    return this.request('power_levels', Method.Get, `/rooms/${enc(roomId)}/state/m.room.power_levels/`, undefined, undefined);
  }

  async send(roomId: string, eventType: string, txnId: string, content: Record<string, unknown>): Promise<string> {
    return (await this.request<{ event_id: string }>('send', Method.Put, `/rooms/${enc(roomId)}/send/${enc(eventType)}/${enc(txnId)}`, undefined, content)).event_id;
  }

  sync(since: string | undefined, timeoutMs: number, signal?: AbortSignal): Promise<SyncResponse> {
    // A filter given inline (the spec's JSON form): up to SYNC_TIMELINE_LIMIT events of each room per answer, not the
    // homeserver's default of a few; a room that heard more answers `limited`, and the rest is read through messages().
    const query: Record<string, string> = { timeout: String(timeoutMs), filter: this.syncFilter, ...(since ? { since } : {}) };
    // The local wait outlasts the server's by a margin: the server answers an empty sync at its timeout.
    return this.request('sync', Method.Get, '/sync', query, undefined, timeoutMs + 15_000, signal);
  }

  messages(roomId: string, query: MessagesQuery): Promise<MessagesPage> {
    const q: Record<string, string> = { from: query.from, dir: query.dir, limit: String(query.limit), ...(query.to ? { to: query.to } : {}) };
    return this.request('messages', Method.Get, `/rooms/${enc(roomId)}/messages`, q, undefined);
  }
}
