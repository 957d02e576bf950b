/**
 * An in-memory Matrix homeserver for the bot: the client-server API paths matrix-js-sdk calls (`/_matrix/client/versions`,
 * `/v3/account/whoami`, `/v3/join/{roomIdOrAlias}`, `/v3/rooms/{roomId}/state/{eventType}/{stateKey}`,
 * `/v3/rooms/{roomId}/send/{eventType}/{txnId}` with transaction-id dedupe, `/v3/sync` with `since`, a `timeout`
 * long-poll and an inline filter's `room.timeline.limit` (the newest events of a room, `limited` with a `prev_batch` when
 * more were waiting), `/v3/rooms/{roomId}/messages` paging a room's history with from/to/dir/limit), the spec's error bodies (`{"errcode":"M_FORBIDDEN","error":…}`, 429 `M_LIMIT_EXCEEDED` with
 * `retry_after_ms` and Retry-After), fault injection and a per-minute quota. Control routes under /_emulator/matrix/
 * post a message as any user (no token: the emulator stands in for that user's own client), deliver an event again,
 * set a power level, and read a room's timeline.
 */
import { randomBytes } from 'node:crypto';
import { FaultInjector, type ErrorShape } from '../faults';
import type { EmulatorRequest, EmulatorResponse, EmulatorRoute } from '../server';

/** The server name of the local homeserver: user and room ids end in it. */
export const LOCAL_MATRIX_SERVER = 'localhost';
/** The spec versions the emulator says it speaks (GET /_matrix/client/versions). */
export const MATRIX_SPEC_VERSIONS = ['r0.6.1', 'v1.1', 'v1.2', 'v1.3', 'v1.4', 'v1.5', 'v1.6', 'v1.7', 'v1.8', 'v1.9', 'v1.10', 'v1.11'];
/** The longest a /sync waits (its `timeout` is capped here, as homeservers cap it). */
export const MAX_SYNC_WAIT_MS = 60_000;
/** A room's timeline events in a sync answer when the filter names no limit (Synapse's default). */
export const DEFAULT_TIMELINE_LIMIT = 10;
/** /messages: the events of a page when `limit` is not given (the spec's default), and the most it answers (Synapse's cap). */
export const DEFAULT_MESSAGES_LIMIT = 10;
export const MAX_MESSAGES_LIMIT = 1000;

export interface MatrixEvent {
  event_id: string;
  type: string;
  sender: string;
  origin_server_ts: number;
  content: Record<string, unknown>;
  state_key?: string;
  unsigned?: Record<string, unknown>;
}

interface StreamEntry {
  pos: number;
  roomId: string;
  event: MatrixEvent;
  /** The token that sent it and its transaction id: echoed to that sender only (unsigned.transaction_id). */
  txn?: { token: string; txnId: string };
}

export interface MatrixRoomRecord {
  roomId: string;
  aliases: string[];
  name: string;
  joinRule: 'public' | 'invite';
  members: string[];
  invited: string[];
  /** The m.room.power_levels content. */
  powerLevels: { users: Record<string, number>; users_default: number; events: Record<string, number>; events_default: number; state_default: number; ban: number; kick: number; redact: number; invite: number };
}

export interface MatrixState {
  /** Access token → user id. */
  tokens: Record<string, string>;
  rooms: MatrixRoomRecord[];
  stream: StreamEntry[];
  /** `${token}\n${roomId}\n${txnId}` → event id: a send repeated with its transaction id is one event. */
  txns: Record<string, string>;
  nextPos: number;
}

/** An error as the spec shapes it; 429 carries retry_after_ms and Retry-After. */
export const matrixError = (status: number, errcode: string, error: string, retryAfterMs?: number): EmulatorResponse => ({
  status,
  body: { errcode, error, ...(retryAfterMs !== undefined ? { retry_after_ms: retryAfterMs } : {}) },
  ...(retryAfterMs !== undefined ? { headers: { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterMs / 1000))) } } : {}),
});

const ERRCODE_OF_STATUS: Record<number, string> = { 400: 'M_BAD_JSON', 401: 'M_UNKNOWN_TOKEN', 403: 'M_FORBIDDEN', 404: 'M_NOT_FOUND', 429: 'M_LIMIT_EXCEEDED' };

const matrixFaultShape: ErrorShape = (status, message, reason) => matrixError(status, reason && /^M_/.test(reason) ? reason : ERRCODE_OF_STATUS[status] ?? 'M_UNKNOWN', message, status === 429 ? 1000 : undefined);

const CLIENT = '/_matrix/client';
const V3 = `${CLIENT}/v3`;
const SEG = '([^/]+)';
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

export class MatrixEmulator {
  readonly state: MatrixState;
  readonly faults: FaultInjector;
  /** A test switch: /messages reads past `to` as a homeserver that does not honour it would. */
  ignoreMessagesTo = false;
  private waiters = new Set<() => void>();

  constructor(
    state?: MatrixState,
    private readonly now: () => number = Date.now,
  ) {
    this.state = state ?? { tokens: {}, rooms: [], stream: [], txns: {}, nextPos: 1 };
    this.faults = new FaultInjector('matrix', matrixFaultShape, now);
  }

  static fromJSON(state: MatrixState, now?: () => number): MatrixEmulator {
    return new MatrixEmulator(state, now);
  }

  toJSON(): MatrixState {
    return this.state;
  }

  addToken(token: string, userId: string): void {
    this.state.tokens[token] = userId;
  }

  addRoom(room: Partial<MatrixRoomRecord> & { roomId: string }): MatrixRoomRecord {
    const record: MatrixRoomRecord = {
      aliases: [],
      name: room.roomId,
      joinRule: 'invite',
      members: [],
      invited: [],
      powerLevels: { users: {}, users_default: 0, events: {}, events_default: 0, state_default: 50, ban: 50, kick: 50, redact: 50, invite: 0 },
      ...room,
    };
    this.state.rooms.push(record);
    return record;
  }

  room(idOrAlias: string): MatrixRoomRecord | undefined {
    return this.state.rooms.find((r) => r.roomId === idOrAlias || r.aliases.includes(idOrAlias));
  }

  setPowerLevel(roomId: string, userId: string, level: number): void {
    const room = this.mustRoom(roomId);
    room.powerLevels = { ...room.powerLevels, users: { ...room.powerLevels.users, [userId]: level } };
    this.append(roomId, { type: 'm.room.power_levels', state_key: '', sender: this.admin(room), content: { ...room.powerLevels } });
  }

  /** Posts a message as `sender` (a member), as that user's own client would: the emulator-only way in for tests and by hand. */
  postMessage(roomId: string, sender: string, body: string, threadRoot?: string): MatrixEvent {
    const room = this.mustRoom(roomId);
    if (!room.members.includes(sender)) throw new Error(`${sender} is not a member of ${room.roomId}`);
    const content: Record<string, unknown> = { msgtype: 'm.text', body };
    if (threadRoot) content['m.relates_to'] = { rel_type: 'm.thread', event_id: threadRoot, is_falling_back: true, 'm.in_reply_to': { event_id: threadRoot } };
    return this.append(room.roomId, { type: 'm.room.message', sender, content }).event;
  }

  /** The same event delivered again at a new stream position (as a replay after a lost sync position would). */
  redeliver(roomId: string, eventId: string): MatrixEvent {
    const entry = this.state.stream.find((e) => e.roomId === roomId && e.event.event_id === eventId);
    if (!entry) throw new Error(`no event ${eventId} in ${roomId}`);
    this.state.stream.push({ pos: this.state.nextPos++, roomId, event: entry.event });
    this.wake();
    return entry.event;
  }

  /** The room's events in order (each once), for tests: the bot's replies and where they went. */
  timeline(roomId: string): MatrixEvent[] {
    const seen = new Set<string>();
    return this.state.stream.filter((e) => e.roomId === roomId && !seen.has(e.event.event_id) && seen.add(e.event.event_id)).map((e) => e.event);
  }

  /** The replies in a thread (m.relates_to rel_type m.thread naming the root). */
  thread(roomId: string, rootEventId: string): MatrixEvent[] {
    return this.timeline(roomId).filter((e) => {
      const rel = e.content['m.relates_to'] as { rel_type?: string; event_id?: string } | undefined;
      return rel?.rel_type === 'm.thread' && rel.event_id === rootEventId;
    });
  }

  /** Ends every waiting /sync (at stop). */
  release(): void {
    this.wake();
  }

  private admin(room: MatrixRoomRecord): string {
    return Object.entries(room.powerLevels.users).sort((a, b) => b[1] - a[1])[0]?.[0] ?? room.members[0] ?? `@admin:${LOCAL_MATRIX_SERVER}`;
  }

  private mustRoom(idOrAlias: string): MatrixRoomRecord {
    const room = this.room(idOrAlias);
    if (!room) throw new Error(`no room ${idOrAlias}`);
    return room;
  }

  private append(roomId: string, partial: Omit<MatrixEvent, 'event_id' | 'origin_server_ts'>, txn?: StreamEntry['txn']): StreamEntry {
    const event: MatrixEvent = { event_id: `$${randomBytes(32).toString('base64url').slice(0, 43)}`, origin_server_ts: this.now(), ...partial };
    const entry: StreamEntry = { pos: this.state.nextPos++, roomId, event, ...(txn ? { txn } : {}) };
    this.state.stream.push(entry);
    this.wake();
    return entry;
  }

  private wake(): void {
    const waiting = [...this.waiters];
    this.waiters.clear();
    for (const w of waiting) w();
  }

  // ---- the client-server API ----

  /** The user an access token belongs to (Authorization: Bearer, or the deprecated access_token query parameter). */
  private authenticate(req: EmulatorRequest): { token: string; userId: string } | EmulatorResponse {
    const header = String(req.headers.authorization ?? '');
    const token = /^Bearer (.+)$/.exec(header)?.[1] ?? req.query.get('access_token') ?? undefined;
    if (!token) return matrixError(401, 'M_MISSING_TOKEN', 'Missing access token.');
    const userId = this.state.tokens[token];
    if (!userId) return matrixError(401, 'M_UNKNOWN_TOKEN', 'Invalid access token passed.');
    return { token, userId };
  }

  private authed(handle: (req: EmulatorRequest, who: { token: string; userId: string }) => EmulatorResponse | Promise<EmulatorResponse>) {
    return (req: EmulatorRequest) => {
      const who = this.authenticate(req);
      return 'status' in who ? who : handle(req, who);
    };
  }

  private apiRoutes(): EmulatorRoute[] {
    return [
      { method: 'GET', pattern: new RegExp(`^${esc(CLIENT)}/versions$`), handle: () => ({ status: 200, body: { versions: MATRIX_SPEC_VERSIONS, unstable_features: {} } }) },
      {
        method: 'GET',
        pattern: new RegExp(`^${esc(V3)}/account/whoami$`),
        handle: this.authed((_req, who) => ({ status: 200, body: { user_id: who.userId, device_id: `DEV${who.token.length}`, is_guest: false } })),
      },
      {
        method: 'POST',
        pattern: new RegExp(`^${esc(V3)}/join/${SEG}$`),
        handle: this.authed((req, who) => this.join(req.params[0], who.userId)),
      },
      {
        method: 'POST',
        pattern: new RegExp(`^${esc(V3)}/rooms/${SEG}/join$`),
        handle: this.authed((req, who) => this.join(req.params[0], who.userId)),
      },
      {
        method: 'GET',
        pattern: new RegExp(`^${esc(V3)}/rooms/${SEG}/state/${SEG}(?:/([^/]*))?$`),
        handle: this.authed((req, who) => this.stateEvent(req.params[0], req.params[1], req.params[2] ?? '', who.userId)),
      },
      {
        method: 'PUT',
        pattern: new RegExp(`^${esc(V3)}/rooms/${SEG}/send/${SEG}/${SEG}$`),
        handle: this.authed((req, who) => this.send(req, who)),
      },
      { method: 'GET', pattern: new RegExp(`^${esc(V3)}/sync$`), handle: this.authed((req, who) => this.sync(req, who)) },
      {
        method: 'GET',
        pattern: new RegExp(`^${esc(V3)}/rooms/${SEG}/messages$`),
        handle: this.authed((req, who) => this.messages(req, who)),
      },
    ];
  }

  private join(idOrAlias: string, userId: string): EmulatorResponse {
    const room = this.room(idOrAlias);
    if (!room) return matrixError(404, 'M_NOT_FOUND', idOrAlias.startsWith('#') ? `Room alias ${idOrAlias} not found` : 'No known servers');
    if (room.members.includes(userId)) return { status: 200, body: { room_id: room.roomId } };
    if (room.joinRule !== 'public' && !room.invited.includes(userId)) return matrixError(403, 'M_FORBIDDEN', 'You are not invited to this room.');
    room.members.push(userId);
    room.invited = room.invited.filter((u) => u !== userId);
    this.append(room.roomId, { type: 'm.room.member', state_key: userId, sender: userId, content: { membership: 'join' } });
    return { status: 200, body: { room_id: room.roomId } };
  }

  private stateEvent(roomId: string, eventType: string, stateKey: string, userId: string): EmulatorResponse {
    const room = this.state.rooms.find((r) => r.roomId === roomId);
    if (!room || !room.members.includes(userId)) return matrixError(403, 'M_FORBIDDEN', `User ${userId} not in room ${roomId}, and room previews are disabled`);
    if (eventType === 'm.room.power_levels' && stateKey === '') return { status: 200, body: room.powerLevels };
    if (eventType === 'm.room.name' && stateKey === '') return { status: 200, body: { name: room.name } };
    if (eventType === 'm.room.member' && (room.members.includes(stateKey) || room.invited.includes(stateKey))) {
      return { status: 200, body: { membership: room.members.includes(stateKey) ? 'join' : 'invite' } };
    }
    return matrixError(404, 'M_NOT_FOUND', 'Event not found.');
  }

  private send(req: EmulatorRequest, who: { token: string; userId: string }): EmulatorResponse {
    const [roomId, eventType, txnId] = req.params;
    const room = this.state.rooms.find((r) => r.roomId === roomId);
    if (!room || !room.members.includes(who.userId)) return matrixError(403, 'M_FORBIDDEN', `User ${who.userId} not in room ${roomId}`);
    const needed = room.powerLevels.events[eventType] ?? room.powerLevels.events_default;
    const level = room.powerLevels.users[who.userId] ?? room.powerLevels.users_default;
    if (level < needed) return matrixError(403, 'M_FORBIDDEN', `You don't have permission to post that to the room. user_level (${level}) < send_level (${needed})`);
    let content: unknown;
    try {
      content = JSON.parse(req.body || '');
    } catch {
      return matrixError(400, 'M_NOT_JSON', 'Content not JSON.');
    }
    if (!content || typeof content !== 'object' || Array.isArray(content)) return matrixError(400, 'M_BAD_JSON', 'Content must be a JSON object.');
    const key = `${who.token}\n${roomId}\n${txnId}`;
    const before = this.state.txns[key];
    if (before) return { status: 200, body: { event_id: before } };
    const entry = this.append(roomId, { type: eventType, sender: who.userId, content: content as Record<string, unknown> }, { token: who.token, txnId });
    this.state.txns[key] = entry.event.event_id;
    return { status: 200, body: { event_id: entry.event.event_id } };
  }

  private async sync(req: EmulatorRequest, who: { token: string; userId: string }): Promise<EmulatorResponse> {
    const since = req.query.get('since');
    let from = 0;
    if (since !== null) {
      const m = /^s(\d+)$/.exec(since);
      if (!m) return matrixError(400, 'M_INVALID_PARAM', `Invalid stream token: ${since}`);
      from = Number(m[1]);
    }
    const limit = this.timelineLimit(req.query.get('filter'));
    if (typeof limit !== 'number') return limit;
    const timeout = Math.min(Math.max(Number(req.query.get('timeout') ?? 0) || 0, 0), MAX_SYNC_WAIT_MS);
    const pending = () => this.state.stream.filter((e) => e.pos > from && this.state.rooms.some((r) => r.roomId === e.roomId && r.members.includes(who.userId)));
    if (since !== null && timeout > 0 && pending().length === 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.waiters.delete(done);
          resolve();
        }, timeout);
        const done = () => {
          clearTimeout(timer);
          resolve();
        };
        this.waiters.add(done);
      });
    }
    const entries = pending();
    const nextBatch = `s${this.state.nextPos - 1}`;
    const join: Record<string, unknown> = {};
    const invite: Record<string, unknown> = {};
    for (const room of this.state.rooms) {
      if (room.invited.includes(who.userId) && since === null) {
        invite[room.roomId] = { invite_state: { events: [{ type: 'm.room.name', state_key: '', sender: this.admin(room), content: { name: room.name } }, { type: 'm.room.member', state_key: who.userId, sender: this.admin(room), content: { membership: 'invite' } }] } };
      }
      if (!room.members.includes(who.userId)) continue;
      const own = entries.filter((e) => e.roomId === room.roomId);
      // The newest `limit` events of the room since `since` (or of all, on an initial sync), marked limited when more
      // were waiting: prev_batch then leads /messages back to the rest.
      // (A limit of 0 shows none: slice(-0) would be all of them.)
      const shown = limit > 0 ? own.slice(-limit) : [];
      if (since !== null && !own.length) continue;
      join[room.roomId] = {
        timeline: {
          events: shown.map((e) => this.clientEvent(e, who.token)),
          limited: own.length > shown.length,
          // Just before the first event shown; with none shown, after the newest left out (all of them are before it).
          prev_batch: shown[0] ? `s${shown[0].pos - 1}` : `s${own[own.length - 1]?.pos ?? from}`,
        },
        state: { events: since === null ? [{ type: 'm.room.power_levels', state_key: '', sender: this.admin(room), event_id: `$state-pl-${room.roomId}`, origin_server_ts: 0, content: room.powerLevels }] : [] },
        ephemeral: { events: [] },
        account_data: { events: [] },
        unread_notifications: { highlight_count: 0, notification_count: 0 },
        summary: { 'm.joined_member_count': room.members.length, 'm.invited_member_count': room.invited.length },
      };
    }
    return { status: 200, body: { next_batch: nextBatch, rooms: { join, invite, leave: {}, knock: {} }, account_data: { events: [] }, presence: { events: [] }, to_device: { events: [] }, device_lists: { changed: [], left: [] }, device_one_time_keys_count: {} } };
  }

  /** An event as a client sees it: its age, and the transaction id for the token that sent it. */
  private clientEvent(entry: StreamEntry, token: string, withRoomId = false): MatrixEvent & { room_id?: string } {
    return { ...entry.event, ...(withRoomId ? { room_id: entry.roomId } : {}), unsigned: { age: this.now() - entry.event.origin_server_ts, ...(entry.txn?.token === token ? { transaction_id: entry.txn.txnId } : {}) } };
  }

  /** The filter's room.timeline.limit: inline JSON (a filter id, which the emulator never hands out, gets the default). */
  private timelineLimit(filter: string | null): number | EmulatorResponse {
    if (!filter?.trim().startsWith('{')) return DEFAULT_TIMELINE_LIMIT;
    let parsed: { room?: { timeline?: { limit?: unknown } } };
    try {
      parsed = JSON.parse(filter) as typeof parsed;
    } catch {
      return matrixError(400, 'M_NOT_JSON', 'Invalid filter JSON');
    }
    const limit = parsed?.room?.timeline?.limit;
    if (limit === undefined) return DEFAULT_TIMELINE_LIMIT;
    if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0) return matrixError(400, 'M_BAD_JSON', "Invalid filter: 'room.timeline.limit' must be a non-negative integer");
    return limit;
  }

  /**
   * GET /rooms/{roomId}/messages: a page of the room's history from `from` (a sync's prev_batch or next_batch, or a page's
   * `end`; none: the room's newest for dir=b, its oldest for dir=f), in `dir` (b: newest first), at most `limit` events,
   * not past `to`. `end` leads to the next page and is left out when nothing further is there. A room the user is not
   * in is 403 M_FORBIDDEN, as for a room's state.
   */
  private messages(req: EmulatorRequest, who: { token: string; userId: string }): EmulatorResponse {
    const roomId = req.params[0];
    const room = this.state.rooms.find((r) => r.roomId === roomId);
    if (!room || !room.members.includes(who.userId)) return matrixError(403, 'M_FORBIDDEN', `User ${who.userId} not in room ${roomId}, and room previews are disabled`);
    const dir = req.query.get('dir');
    if (dir !== 'b' && dir !== 'f') return matrixError(400, 'M_INVALID_PARAM', "Query parameter 'dir' must be one of ['b', 'f']");
    const token = (name: string): number | undefined | EmulatorResponse => {
      const value = req.query.get(name);
      if (value === null) return undefined;
      const m = /^s(\d+)$/.exec(value);
      return m ? Number(m[1]) : matrixError(400, 'M_INVALID_PARAM', `Invalid token: ${value}`);
    };
    const from = token('from');
    const to = token('to');
    if (typeof from === 'object') return from;
    if (typeof to === 'object') return to;
    const bound = this.ignoreMessagesTo ? undefined : to;
    const rawLimit = req.query.get('limit');
    const limit = rawLimit === null ? DEFAULT_MESSAGES_LIMIT : Number(rawLimit);
    if (!Number.isInteger(limit) || limit < 0) return matrixError(400, 'M_INVALID_PARAM', "Query parameter 'limit' must be a non-negative integer");
    const own = this.state.stream.filter((e) => e.roomId === room.roomId);
    // A token sN stands after the Nth event of the stream: backwards it reads N and before, forwards after N.
    const start = from ?? (dir === 'b' ? this.state.nextPos - 1 : 0);
    const range =
      dir === 'b'
        ? own.filter((e) => e.pos <= start && (bound === undefined || e.pos > bound)).reverse()
        : own.filter((e) => e.pos > start && (bound === undefined || e.pos <= bound));
    const page = range.slice(0, Math.min(limit, MAX_MESSAGES_LIMIT));
    const last = page[page.length - 1];
    const more = page.length > 0 && range.length > page.length;
    return {
      status: 200,
      body: {
        chunk: page.map((e) => this.clientEvent(e, who.token, true)),
        start: `s${start}`,
        ...(more && last ? { end: `s${dir === 'b' ? last.pos - 1 : last.pos}` } : {}),
      },
    };
  }

  /** Every route: the API behind faults and the quota, the control routes, and M_UNRECOGNIZED for any other /_matrix path. */
  routes(): EmulatorRoute[] {
    const api = this.faults.wrap(this.apiRoutes()).map((route) => ({
      ...route,
      handle: async (req: EmulatorRequest) => {
        const out = await route.handle(req);
        // An injected 429 names its wait in the body as the spec has it, matching its Retry-After.
        if (out.status === 429 && out.headers?.['Retry-After'] && out.body && typeof out.body === 'object') {
          return { ...out, body: { ...(out.body as object), retry_after_ms: Number(out.headers['Retry-After']) * 1000 } };
        }
        return out;
      },
    }));
    const unrecognized: EmulatorRoute[] = ['GET', 'POST', 'PUT', 'DELETE'].map((method) => ({ method, pattern: /^\/_matrix\//, handle: () => matrixError(404, 'M_UNRECOGNIZED', 'Unrecognized request') }));
    return [...api, ...this.controlRoutes(), ...this.faults.controlRoutes(), ...unrecognized];
  }

  private controlRoutes(): EmulatorRoute[] {
    const base = '/_emulator/matrix';
    const read = (req: EmulatorRequest) => JSON.parse(req.body || '{}') as Record<string, unknown>;
    const bad = (message: string): EmulatorResponse => ({ status: 400, body: { error: message } });
    return [
      { method: 'GET', pattern: new RegExp(`^${base}/state$`), handle: () => ({ status: 200, body: { rooms: this.state.rooms, events: this.state.stream.length } }) },
      {
        method: 'POST',
        pattern: new RegExp(`^${base}/rooms/${SEG}/messages$`),
        handle: (req) => {
          const b = read(req);
          if (typeof b.sender !== 'string' || typeof b.body !== 'string') return bad('sender (a user id) and body (the text) are required');
          const room = this.room(req.params[0]);
          if (!room) return { status: 404, body: { error: `no room ${req.params[0]}` } };
          if (!room.members.includes(b.sender)) return { status: 403, body: { error: `${b.sender} is not a member of ${room.roomId}` } };
          const event = this.postMessage(room.roomId, b.sender, b.body, typeof b.threadRoot === 'string' ? b.threadRoot : undefined);
          return { status: 200, body: { room_id: room.roomId, event_id: event.event_id } };
        },
      },
      {
        method: 'POST',
        pattern: new RegExp(`^${base}/rooms/${SEG}/redeliver$`),
        handle: (req) => {
          const b = read(req);
          const room = this.room(req.params[0]);
          if (!room || typeof b.event_id !== 'string') return bad('a known room and event_id are required');
          try {
            return { status: 200, body: { event_id: this.redeliver(room.roomId, b.event_id).event_id } };
          } catch (err) {
            return { status: 404, body: { error: (err as Error).message } };
          }
        },
      },
      {
        method: 'POST',
        pattern: new RegExp(`^${base}/rooms/${SEG}/power_levels$`),
        handle: (req) => {
          const b = read(req);
          const room = this.room(req.params[0]);
          if (!room || typeof b.user !== 'string' || typeof b.level !== 'number') return bad('a known room, user and level (a number) are required');
          this.setPowerLevel(room.roomId, b.user, b.level);
          return { status: 200, body: { users: room.powerLevels.users } };
        },
      },
      {
        method: 'POST',
        pattern: new RegExp(`^${base}/rooms/${SEG}/members$`),
        handle: (req) => {
          const b = read(req);
          const room = this.room(req.params[0]);
          if (!room || typeof b.user !== 'string') return bad('a known room and user are required');
          if (!room.members.includes(b.user)) {
            room.members.push(b.user);
            this.append(room.roomId, { type: 'm.room.member', state_key: b.user, sender: b.user, content: { membership: 'join' } });
          }
          return { status: 200, body: { members: room.members } };
        },
      },
      {
        method: 'GET',
        pattern: new RegExp(`^${base}/rooms/${SEG}/timeline$`),
        handle: (req) => {
          const room = this.room(req.params[0]);
          return room ? { status: 200, body: { events: this.timeline(room.roomId) } } : { status: 404, body: { error: `no room ${req.params[0]}` } };
        },
      },
    ];
  }
}
