/**
 * The bot's view of a Matrix homeserver, through matrix-js-sdk's authenticated HTTP API (its MatrixClient without a
 * started sync: the bot keeps the sync position itself). Every failure is a MatrixCallError carrying the spec's errcode,
 * the HTTP status and, for M_LIMIT_EXCEEDED, the wait the server asked for; never the access token.
 */
import { createClient, Method, MatrixError, type MatrixClient } from 'matrix-js-sdk';
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
    join?: Record<string, { timeline?: { events?: SyncEvent[]; limited?: boolean }; state?: { events?: SyncEvent[] } }>;
    invite?: Record<string, unknown>;
  };
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
}

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
  // A connection failure or an answer that was no JSON error: worth another try.
  return new MatrixCallError(call, undefined, /^[\w.-]{1,64}$/.test(name) ? name : 'ConnectionError', name !== 'AbortError');
}

const enc = encodeURIComponent;
type RequestOptions = Parameters<MatrixClient['http']['authedRequest']>[4];

export interface MatrixClientOptions {
  baseUrl: string;
  userId: string;
  accessToken: string;
  /** The longest any call but /sync may take, in ms. */
  requestTimeoutMs?: number;
}

export class SdkMatrixApi implements MatrixApi {
  readonly client: MatrixClient;

  constructor(options: MatrixClientOptions) {
    this.client = createClient({ baseUrl: options.baseUrl, accessToken: options.accessToken, userId: options.userId, localTimeoutMs: options.requestTimeoutMs ?? 30_000 });
  }

  private async call<T>(name: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      throw matrixCallError(name, err);
    }
  }

  whoami(): Promise<string> {
    return this.call('whoami', async () => (await this.client.whoami()).user_id);
  }

  join(roomIdOrAlias: string): Promise<string> {
    return this.call('join', async () => (await this.client.http.authedRequest<{ room_id: string }>(Method.Post, `/join/${enc(roomIdOrAlias)}`, undefined, {})).room_id);
  }

  powerLevels(roomId: string): Promise<Record<string, unknown>> {
    return this.call('power_levels', () => this.client.getStateEvent(roomId, 'm.room.power_levels', '') as Promise<Record<string, unknown>>);
  }

  send(roomId: string, eventType: string, txnId: string, content: Record<string, unknown>): Promise<string> {
    return this.call('send', async () => (await this.client.http.authedRequest<{ event_id: string }>(Method.Put, `/rooms/${enc(roomId)}/send/${enc(eventType)}/${enc(txnId)}`, undefined, content)).event_id);
  }

  sync(since: string | undefined, timeoutMs: number, signal?: AbortSignal): Promise<SyncResponse> {
    const query: Record<string, string> = { timeout: String(timeoutMs), ...(since ? { since } : {}) };
    // The local wait outlasts the server's by a margin: the server answers an empty sync at its timeout.
    return this.call('sync', () => this.client.http.authedRequest<SyncResponse>(Method.Get, '/sync', query, undefined, { localTimeoutMs: timeoutMs + 15_000, ...(signal ? { abortSignal: signal } : {}) } as RequestOptions));
  }
}
