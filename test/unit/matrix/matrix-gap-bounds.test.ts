/**
 * Reading a limited sync's gap back, at its edges: an empty page that still has `end`, a /messages refusal that will
 * not change (the room's gap left, the answer's own events handled) against one worth a retry (the turn fails), and
 * the time of the previous sync as a bound where the homeserver reads past `to`.
 */
import type { EngineLog } from '../../../lambdas/engine/ports';
import { silentLog } from '../../../lambdas/engine/ports';
import { MemoryMatrixBotStore } from '../../../lambdas/matrix/bot-store';
import { GAP_CLOCK_TOLERANCE_MS, MatrixBot } from '../../../lambdas/matrix/matrix-bot';
import { syncOnce } from '../../../lambdas/matrix/sync-loop';
import { MatrixCallError, type MatrixApi, type MessagesPage, type MessagesQuery, type SyncEvent, type SyncResponse } from '../../../lambdas/providers/matrix/matrix-client';
import { memoryEngine } from '../../support/memory-engine';

const ROOM = '!room:example.org';
const BOT = '@bot:example.org';
const ALICE = '@alice:example.org';
const message = (eventId: string, body: string, ts = 0): SyncEvent => ({ event_id: eventId, type: 'm.room.message', sender: ALICE, origin_server_ts: ts, content: { msgtype: 'm.text', body } });
const limited = (next: string, prevBatch: string, ...events: SyncEvent[]): SyncResponse => ({ next_batch: next, rooms: { join: { [ROOM]: { timeline: { events, limited: true, prev_batch: prevBatch } } } } });

class Api implements MatrixApi {
  sent: string[] = [];
  pages: (MessagesPage | MatrixCallError)[] = [];
  asked: MessagesQuery[] = [];
  syncs: SyncResponse[] = [];
  async whoami() {
    return BOT;
  }
  async join() {
    return ROOM;
  }
  async powerLevels() {
    return { users: { [ALICE]: 50 }, users_default: 0 };
  }
  async send(_r: string, _t: string, txnId: string) {
    this.sent.push(txnId);
    return `$r${this.sent.length}`;
  }
  async sync(): Promise<SyncResponse> {
    const next = this.syncs.shift();
    if (!next) throw new MatrixCallError('sync', undefined, 'AbortError', true);
    return next;
  }
  async messages(_roomId: string, query: MessagesQuery) {
    this.asked.push(query);
    const next = this.pages.shift() ?? { chunk: [], start: query.from };
    if (next instanceof MatrixCallError) throw next;
    return next;
  }
}

function setUp() {
  const api = new Api();
  const store = new MemoryMatrixBotStore();
  const logs: { level: string; message: string; extra?: Record<string, unknown> }[] = [];
  const log: EngineLog = {
    info: (m, e) => void logs.push({ level: 'info', message: m, extra: e }),
    warn: (m, e) => void logs.push({ level: 'warn', message: m, extra: e }),
    error: (m, e) => void logs.push({ level: 'error', message: m, extra: e }),
  };
  const bot = new MatrixBot({ engine: memoryEngine().deps, api, store, settings: { userId: BOT, rooms: [ROOM], powerLevel: 50 }, log });
  return { api, store, logs, log, bot };
}

describe('reading a limited sync back', () => {
  it('an empty chunk that still has `end` (events filtered by the server) does not end the gap: paging goes on until no end', async () => {
    const { api, store, bot } = setUp();
    await bot.start();
    api.pages.push({ chunk: [], start: 't9', end: 't7' }, { chunk: [message('$lost', '!help')], start: 't7' });
    await bot.handleSync(limited('s3', 't9', message('$own', '!help')), { since: 's1' });
    expect(api.asked.map((q) => q.from)).toEqual(['t9', 't7']);
    expect([...store.commands.keys()]).toEqual(['$lost', '$own']);
  });

  it('a /messages refusal that will not change (403) leaves the gap, logged by room and code; the answer\'s own command is handled', async () => {
    const { api, store, bot, logs } = setUp();
    api.messages = async () => {
      throw new MatrixCallError('messages', 403, 'M_FORBIDDEN', false);
    };
    await bot.start();
    await expect(bot.handleSync(limited('s3', 't9', message('$own', '!help')), { since: 's1' })).resolves.toBe('handled');
    expect([...store.commands.keys()]).toEqual(['$own']);
    expect(api.sent).toHaveLength(1);
    expect(logs).toContainEqual({ level: 'error', message: 'matrix sync gap not read: the homeserver refused /messages, earlier messages in the room are left unread', extra: { roomId: ROOM, status: 403, code: 'M_FORBIDDEN', pages: 0, events: 0 } });
  });

  it('a `to` the server refuses (400 M_INVALID_PARAM) on a later page: the pages read are handled, the rest is left and logged', async () => {
    const { api, store, bot, logs } = setUp();
    await bot.start();
    api.pages.push({ chunk: [message('$g2', '!help'), message('$g1', 'chat')], start: 't9', end: 't7' }, new MatrixCallError('messages', 400, 'M_INVALID_PARAM', false));
    await expect(bot.handleSync(limited('s3', 't9', message('$own', '!help')), { since: 's1' })).resolves.toBe('handled');
    expect([...store.commands.keys()]).toEqual(['$g2', '$own']);
    expect(logs).toContainEqual(expect.objectContaining({ level: 'error', extra: { roomId: ROOM, status: 400, code: 'M_INVALID_PARAM', pages: 1, events: 2 } }));
  });

  it.each([
    ['a 5xx', new MatrixCallError('messages', 502, 'M_UNKNOWN', true)],
    ['M_LIMIT_EXCEEDED', new MatrixCallError('messages', 429, 'M_LIMIT_EXCEEDED', true, 2000)],
    ['no answer', new MatrixCallError('messages', undefined, 'TypeError', true)],
  ])('a /messages failure worth a retry (%s) fails the turn, nothing of the room handled: the same sync comes again', async (_name, failure) => {
    const { api, store, bot } = setUp();
    await bot.start();
    api.pages.push(failure);
    await expect(bot.handleSync(limited('s3', 't9', message('$own', '!help')), { since: 's1' })).rejects.toBe(failure);
    expect(store.commands.size).toBe(0);
    expect(api.sent).toHaveLength(0);
  });

  it('stops at an event older than the previous sync less the clock tolerance, where the homeserver reads past `to`', async () => {
    const { api, store, bot, logs } = setUp();
    await bot.start();
    const sinceAt = Date.parse('2026-11-30T08:00:00Z');
    // $history and older were said before the previous sync (before the bot's first start: never recorded).
    api.pages.push(
      // Two minutes before the saved time: a homeserver clock a little behind ours; read.
      { chunk: [message('$new', '!help', sinceAt + 60_000), message('$skewed', '!help', sinceAt - 2 * 60_000)], start: 't9', end: 't7' },
      { chunk: [message('$history', '!help', sinceAt - GAP_CLOCK_TOLERANCE_MS - 1), message('$older', '!help', sinceAt - 86_400_000)], start: 't7', end: 't5' },
      { chunk: [message('$oldest', '!help', sinceAt - 2 * 86_400_000)], start: 't5' },
    );
    await bot.handleSync(limited('s3', 't9', message('$own', '!help', sinceAt + 120_000)), { since: 's1', sinceAt: new Date(sinceAt).toISOString() });
    expect([...store.commands.keys()]).toEqual(['$skewed', '$new', '$own']);
    expect(api.asked).toHaveLength(2);
    expect(logs).toContainEqual({ level: 'warn', message: 'matrix sync gap read back past the previous sync: paging stopped at a page of older events', extra: { roomId: ROOM, eventId: '$history', pages: 2 } });
  });

  it('an event from a server with a slow clock in the middle of the gap is skipped, and the commands older in the room than it are still handled', async () => {
    const { api, store, bot, log } = setUp();
    await bot.start();
    const clock = Date.parse('2026-11-30T08:00:00Z');
    const turn = () => syncOnce({ bot, api, store, holder: 'a', syncTimeoutMs: 1000, now: () => new Date(clock), stopping: () => false, log });
    api.syncs.push({ next_batch: 's1' });
    await turn();
    api.syncs.push(limited('s2', 't9', message('$own', '!help', clock + 60_000)));
    // Newest first: a federated event stamped an hour early sits between two new commands.
    api.pages.push({ chunk: [message('$newer', '!help', clock + 50_000), message('$slow', '!help', clock - 60 * 60_000), message('$older', '!help', clock + 10_000)], start: 't9' });
    await turn();
    expect([...store.commands.keys()]).toEqual(['$older', '$newer', '$own']);
  });

  it('the loop keeps when each position\'s sync was asked for, and bounds the next limited gap by it', async () => {
    const { api, store, bot, log } = setUp();
    await bot.start();
    let clock = Date.parse('2026-11-30T08:00:00Z');
    const turn = () => syncOnce({ bot, api, store, holder: 'a', syncTimeoutMs: 1000, now: () => new Date(clock), stopping: () => false, log });
    const askedAt = clock;
    api.syncs.push({ next_batch: 's1' });
    await turn();
    expect(store.syncedAt).toBe(new Date(askedAt).toISOString());
    // The turn's handling took a while: saved later than asked. The gap is bounded by when the sync was asked for.
    clock += 30 * 60_000;
    api.syncs.push(limited('s2', 't9', message('$own', '!help', clock)));
    api.pages.push({ chunk: [message('$during', '!help', askedAt + 60_000), message('$before', '!help', askedAt - GAP_CLOCK_TOLERANCE_MS - 60_000)], start: 't9', end: 't7' });
    await turn();
    expect([...store.commands.keys()]).toEqual(['$during', '$own']);
    // The older event is skipped, not taken for the end (its stamp may be a slow server's): the next page is read too.
    expect(api.asked).toEqual([{ from: 't9', dir: 'b', limit: 100, to: 's1' }, { from: 't7', dir: 'b', limit: 100, to: 's1' }]);
    expect(store.position).toBe('s2');
    expect(store.syncedAt).toBe(new Date(clock).toISOString());
  });

  it('a position saved without the sync\'s time (as before it was kept) is bounded by `to` and the records alone', async () => {
    const { api, store, bot } = setUp();
    await bot.start();
    store.position = 's1';
    api.syncs.push(limited('s2', 't9', message('$own', '!help')));
    api.pages.push({ chunk: [message('$old', '!help', 0)], start: 't9' });
    await syncOnce({ bot, api, store, holder: 'a', syncTimeoutMs: 1000, now: () => new Date(), stopping: () => false, log: silentLog });
    expect([...store.commands.keys()]).toEqual(['$old', '$own']);
  });
});
