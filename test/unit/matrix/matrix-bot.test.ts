/** The bot's handling of sync answers, its thread reports, and the loop's position: each with plain values and a recording API. */
import type { Run } from '../../../lambdas/engine/model';
import type { EngineLog } from '../../../lambdas/engine/ports';
import { MemoryMatrixBotStore } from '../../../lambdas/matrix/bot-store';
import { MatrixBot, threadRootOf } from '../../../lambdas/matrix/matrix-bot';
import { matrixReports, reportText, sendPendingReports } from '../../../lambdas/matrix/matrix-report';
import { runSyncLoop, syncOnce } from '../../../lambdas/matrix/sync-loop';
import { MatrixCallError, type MatrixApi, type MessagesPage, type MessagesQuery, type SyncEvent, type SyncResponse } from '../../../lambdas/providers/matrix/matrix-client';
import { memoryEngine } from '../../support/memory-engine';

const ROOM = '!room:example.org';
const BOT = '@bot:example.org';
const ALICE = '@alice:example.org';
const BOB = '@bob:example.org';

class RecordingApi implements MatrixApi {
  sent: { roomId: string; txnId: string; content: Record<string, unknown> }[] = [];
  syncs: SyncResponse[] = [];
  sinces: (string | undefined)[] = [];
  failSend?: MatrixCallError;
  /** The pages /messages answers, in turn, and what each call asked. */
  pages: MessagesPage[] = [];
  asked: { roomId: string; query: MessagesQuery }[] = [];
  async whoami() {
    return BOT;
  }
  async join(room: string) {
    return room.startsWith('#') ? ROOM : room;
  }
  async powerLevels() {
    return { users: { [ALICE]: 50 }, users_default: 0 };
  }
  async send(roomId: string, _type: string, txnId: string, content: Record<string, unknown>) {
    if (this.failSend) throw this.failSend;
    if (!this.sent.some((s) => s.txnId === txnId)) this.sent.push({ roomId, txnId, content });
    return `$reply-${this.sent.length}`;
  }
  async sync(since: string | undefined) {
    this.sinces.push(since);
    const next = this.syncs.shift();
    if (!next) throw new MatrixCallError('sync', undefined, 'AbortError', true);
    return next;
  }
  async messages(roomId: string, query: MessagesQuery) {
    this.asked.push({ roomId, query });
    return this.pages.shift() ?? { chunk: [], start: query.from };
  }
}

const message = (eventId: string, sender: string, body: string, extra: Record<string, unknown> = {}): SyncEvent => ({ event_id: eventId, type: 'm.room.message', sender, origin_server_ts: Date.parse('2026-11-30T07:00:00Z'), content: { msgtype: 'm.text', body, ...extra } });
const syncOf = (next: string, ...events: SyncEvent[]): SyncResponse => ({ next_batch: next, rooms: { join: { [ROOM]: { timeline: { events } } } } });

function setUp(extra: { backfill?: { pageSize?: number; maxPages?: number } } = {}) {
  const engine = memoryEngine();
  const api = new RecordingApi();
  const store = new MemoryMatrixBotStore();
  const logs: { message: string; extra?: Record<string, unknown> }[] = [];
  const log: EngineLog = { info: (m, e) => void logs.push({ message: m, extra: e }), warn: (m, e) => void logs.push({ message: m, extra: e }), error: (m, e) => void logs.push({ message: m, extra: e }) };
  const bot = new MatrixBot({ engine: engine.deps, api, store, settings: { userId: BOT, rooms: ['#ask:example.org'], powerLevel: 50 }, log, ...extra });
  return { engine, api, store, logs, log, bot };
}

describe('MatrixBot', () => {
  it('answers a moderator\'s !on in its thread and records the thread for the run', async () => {
    const { api, store, bot, engine } = setUp();
    await bot.start();
    await bot.handleSync(syncOf('s2', message('$on', ALICE, '!on Ada Lovelace ada@home.example')));
    expect(api.sent).toHaveLength(1);
    expect(api.sent[0].content).toMatchObject({ msgtype: 'm.notice', 'm.relates_to': { rel_type: 'm.thread', event_id: '$on', 'm.in_reply_to': { event_id: '$on' } } });
    const command = await store.handledCommand('$on');
    expect(command).toMatchObject({ outcome: 'proposed', roomId: ROOM });
    expect(await store.thread(command!.runId!)).toEqual({ runId: command!.runId, roomId: ROOM, rootEventId: '$on', commandEventId: '$on' });
    expect((await engine.store.findRun(command!.runId!))?.status).toBe('awaiting_approval');
  });

  it('a command typed in a thread is answered in that thread', async () => {
    const { api, bot } = setUp();
    await bot.start();
    await bot.handleSync(syncOf('s2', message('$help', ALICE, '!help', { 'm.relates_to': { rel_type: 'm.thread', event_id: '$root' } })));
    expect(api.sent[0].content['m.relates_to']).toMatchObject({ rel_type: 'm.thread', event_id: '$root', 'm.in_reply_to': { event_id: '$help' } });
    expect(threadRootOf({ event_id: '$x', content: {} })).toBe('$x');
  });

  it('ignores a sender below the power level, with a warning naming ids and the level only', async () => {
    const { api, logs, log, bot, engine } = setUp();
    const warn = jest.spyOn(log, 'warn');
    await bot.start();
    await bot.handleSync(syncOf('s2', message('$low', BOB, '!on Mallory Intruder mallory@home.example')));
    expect(api.sent).toHaveLength(0);
    expect(await engine.store.listAllRunsByStatus('awaiting_approval')).toHaveLength(0);
    expect(logs).toEqual([{ message: 'matrix command ignored: sender below the power level', extra: { roomId: ROOM, eventId: '$low', powerLevel: 0, required: 50 } }]);
    expect(JSON.stringify(logs)).not.toMatch(/Mallory|mallory|!on/);
    // A warning: seen at the log level a stage runs with, as an attempt from outside the allowed members should be.
    expect(warn).toHaveBeenCalledWith('matrix command ignored: sender below the power level', expect.anything());
  });

  it('ignores other rooms, its own messages, and messages that are no command', async () => {
    const { api, bot } = setUp();
    await bot.start();
    await bot.handleSync({ next_batch: 's3', rooms: { join: { '!other:example.org': { timeline: { events: [message('$a', ALICE, '!help')] } }, [ROOM]: { timeline: { events: [message('$b', BOT, '!help'), message('$c', ALICE, 'hello')] } } } } });
    expect(api.sent).toHaveLength(0);
  });

  it('handles an event once: the same event in a later sync is skipped', async () => {
    const { api, bot, engine } = setUp();
    await bot.start();
    const on = message('$on', ALICE, '!on Ada Lovelace ada@home.example');
    await bot.handleSync(syncOf('s2', on));
    await bot.handleSync(syncOf('s3', on));
    expect(api.sent).toHaveLength(1);
    expect(await engine.store.listAllRunsByStatus('awaiting_approval')).toHaveLength(1);
  });

  it('a failed reply leaves the command unrecorded, so the repeat answers it without a second proposal', async () => {
    const { api, bot, store, engine } = setUp();
    await bot.start();
    api.failSend = new MatrixCallError('send', 429, 'M_LIMIT_EXCEEDED', true, 500);
    const on = message('$on', ALICE, '!on Ada Lovelace ada@home.example');
    await expect(bot.handleSync(syncOf('s2', on))).rejects.toMatchObject({ code: 'M_LIMIT_EXCEEDED' });
    expect(await store.handledCommand('$on')).toBeUndefined();
    api.failSend = undefined;
    await bot.handleSync(syncOf('s2', on));
    expect(api.sent).toHaveLength(1);
    expect(await engine.store.listAllRunsByStatus('awaiting_approval')).toHaveLength(1);
  });

  it('a reply the homeserver refuses for good is recorded and logged, and the commands after it are still answered', async () => {
    const { api, bot, store, logs } = setUp();
    await bot.start();
    const send = api.send.bind(api);
    let refused = false;
    api.send = async (roomId, type, txnId, content) => {
      if (!refused) {
        refused = true;
        throw new MatrixCallError('send', 403, 'M_FORBIDDEN', false);
      }
      return send(roomId, type, txnId, content);
    };
    await bot.handleSync(syncOf('s2', message('$help1', ALICE, '!help'), message('$help2', ALICE, '!help')));
    expect(await store.handledCommand('$help1')).toMatchObject({ outcome: 'failed:M_FORBIDDEN' });
    expect(await store.handledCommand('$help2')).toMatchObject({ outcome: 'help' });
    expect(api.sent).toHaveLength(1);
    expect(logs).toContainEqual({ message: 'matrix command not answered: the homeserver refused', extra: expect.objectContaining({ eventId: '$help1', code: 'M_FORBIDDEN', status: 403 }) });
  });

  it('a limited answer: what it left out is read back from prev_batch to the last position and handled first, oldest first', async () => {
    const { api, bot, logs, store } = setUp();
    await bot.start();
    // /messages with dir=b answers newest first; the second page has no `end`: the gap is read whole.
    api.pages.push({ chunk: [message('$m4', ALICE, '!help'), message('$m3', ALICE, 'chat'), message('$m2', ALICE, '!help')], start: 't9', end: 't6' }, { chunk: [message('$m1', ALICE, '!help')], start: 't6' });
    const limited: SyncResponse = { next_batch: 's3', rooms: { join: { [ROOM]: { timeline: { events: [message('$m5', ALICE, '!help')], limited: true, prev_batch: 't9' } } } } };
    expect(await bot.handleSync(limited, { since: 's1' })).toBe('handled');
    expect(api.asked).toEqual([
      { roomId: ROOM, query: { from: 't9', dir: 'b', limit: 100, to: 's1' } },
      { roomId: ROOM, query: { from: 't6', dir: 'b', limit: 100, to: 's1' } },
    ]);
    expect(api.sent.map((s) => (s.content['m.relates_to'] as { event_id: string }).event_id)).toEqual(['$m1', '$m2', '$m4', '$m5']);
    expect([...store.commands.keys()]).toEqual(['$m1', '$m2', '$m4', '$m5']);
    expect(logs).toContainEqual({ message: 'matrix sync answer limited: the gap read back', extra: { roomId: ROOM, pages: 2, events: 4 } });
  });

  it('reading a gap back with no time to bound it stops at a command already handled, and after the most pages, logging what is left', async () => {
    const { api, bot, logs, store } = setUp({ backfill: { pageSize: 2, maxPages: 2 } });
    await bot.start();
    await store.recordCommand({ eventId: '$old', roomId: ROOM, command: 'help', outcome: 'help', handledAt: '' });
    api.pages.push({ chunk: [message('$g2', ALICE, '!help'), message('$old', ALICE, '!help')], start: 't5', end: 't3' });
    await bot.handleSync({ next_batch: 's3', rooms: { join: { [ROOM]: { timeline: { events: [], limited: true, prev_batch: 't5' } } } } });
    expect(api.asked).toHaveLength(1);
    expect([...store.commands.keys()]).toEqual(['$old', '$g2']);

    api.asked = [];
    api.pages.push({ chunk: [message('$p4', ALICE, '!help'), message('$p3', ALICE, '!help')], start: 'u9', end: 'u7' }, { chunk: [message('$p2', ALICE, '!help'), message('$p1', ALICE, '!help')], start: 'u7', end: 'u5' });
    await bot.handleSync({ next_batch: 's4', rooms: { join: { [ROOM]: { timeline: { events: [], limited: true, prev_batch: 'u9' } } } } }, { since: 's3' });
    expect(api.asked).toHaveLength(2);
    expect([...store.commands.keys()].slice(2)).toEqual(['$p1', '$p2', '$p3', '$p4']);
    expect(logs).toContainEqual({ message: 'matrix sync gap not read whole: older messages in the room are left unread', extra: { roomId: ROOM, pages: 2, events: 4 } });
  });

  it('a limited answer without prev_batch is logged by room, and what it carries is handled', async () => {
    const { api, bot, logs } = setUp();
    await bot.start();
    await bot.handleSync({ next_batch: 's3', rooms: { join: { [ROOM]: { timeline: { events: [message('$h', ALICE, '!help')], limited: true } } } } });
    expect(logs).toContainEqual({ message: 'matrix sync answer limited without prev_batch: earlier messages in the room are not read', extra: { roomId: ROOM } });
    expect(api.sent).toHaveLength(1);
  });

  it('!on with a bad email replies naming it and writes nothing', async () => {
    const { api, bot, engine } = setUp();
    await bot.start();
    await bot.handleSync(syncOf('s2', message('$bad', ALICE, '!on Ada Lovelace ada.home.example')));
    expect(String(api.sent[0].content.body)).toMatch(/^Not done: email: /);
    expect(await engine.store.listAllRunsByStatus('awaiting_approval')).toHaveLength(0);
  });
});

describe('the Matrix thread reports', () => {
  const run = (status: Run['status'], extra: Partial<Run> = {}) =>
    ({ runId: 'r1', employeeId: 'imp-1', eventId: 'matrix-1', type: 'hire', status, effectiveDate: '2026-12-01', urgent: false, version: 1, createdAt: '', updatedAt: '', employee: { id: 'imp-1', firstName: 'Ada', lastName: 'Lovelace', email: 'alovelace@example.com', personalEmail: 'ada@home.example', timezone: 'UTC' }, steps: [{ stepId: 'create-account', action: 'google.createUser', status: 'succeeded', dueAt: '' }], proposal: { source: 'matrix', proposedBy: ALICE, reference: '$on' }, ...extra }) as unknown as Run;

  it.each([
    [{ settled: 'completed' as const, needsAttention: [] }, /^The accounts of Ada Lovelace are ready: alovelace@example.com \(run r1\)\. The welcome mail goes to ada@home.example\. Done: create-account\./],
    [{ settled: 'rejected' as const, needsAttention: [] }, /rejected by an approver/],
    [{ settled: 'cancelled' as const, needsAttention: [] }, /was cancelled/],
    [{ needsAttention: ['create-account'] }, /waits for IT: create-account needs an operator/],
  ])('%o', (notice, text) => {
    expect(reportText(run('completed'), notice)?.text).toMatch(text);
  });

  it('nothing to say for a change that neither ends the run nor needs an operator', () => {
    expect(reportText(run('in_progress'), { needsAttention: [], cleared: ['x'] })).toBeUndefined();
  });

  const now = () => new Date('2026-11-30T09:00:00Z');

  it('queues one reply per change in the recorded thread, which the loop sends; runs not proposed in Matrix and runs without a thread are left alone', async () => {
    const api = new RecordingApi();
    const store = new MemoryMatrixBotStore();
    await store.putThread({ runId: 'r1', roomId: ROOM, rootEventId: '$root', commandEventId: '$on' });
    const warned: string[] = [];
    const log = { info: () => {}, warn: (m: string) => void warned.push(m), error: () => {} };
    const reports = matrixReports({ store, log, now });
    await reports.runChanged(run('completed'), { settled: 'completed', needsAttention: [] });
    await reports.runChanged(run('completed'), { settled: 'completed', needsAttention: [] });
    await reports.runChanged(run('completed', { proposal: undefined }), { settled: 'completed', needsAttention: [] });
    await reports.runChanged(run('completed', { runId: 'r2' }), { settled: 'completed', needsAttention: [] });
    expect(store.outbox.size).toBe(1);
    expect(warned).toEqual(['matrix report skipped: no thread recorded for the run']);
    expect(await sendPendingReports(api, store, log)).toBe(1);
    expect(api.sent).toHaveLength(1);
    expect(api.sent[0]).toMatchObject({ roomId: ROOM, content: { 'm.relates_to': { rel_type: 'm.thread', event_id: '$root', 'm.in_reply_to': { event_id: '$on' } } } });
    expect(store.outbox.size).toBe(0);
  });

  it('a failed send keeps the reply queued for the next turn, logged by ids and code', async () => {
    const api = new RecordingApi();
    api.failSend = new MatrixCallError('send', 403, 'M_FORBIDDEN', false);
    const store = new MemoryMatrixBotStore();
    await store.putThread({ runId: 'r1', roomId: ROOM, rootEventId: '$on', commandEventId: '$on' });
    const warned: Record<string, unknown>[] = [];
    const log = { info: () => {}, warn: (_m: string, e?: Record<string, unknown>) => void warned.push(e ?? {}), error: () => {} };
    await matrixReports({ store, log, now }).runChanged(run('completed'), { settled: 'completed', needsAttention: [] });
    expect(await sendPendingReports(api, store, log)).toBe(0);
    expect(store.outbox.size).toBe(1);
    expect(warned[0]).toMatchObject({ runId: 'r1', errorCode: 'M_FORBIDDEN', status: 403 });
    api.failSend = undefined;
    expect(await sendPendingReports(api, store, log)).toBe(1);
  });
});

describe('the sync loop', () => {
  const base = (api: RecordingApi, store: MemoryMatrixBotStore, bot: MatrixBot, log: EngineLog) => ({ bot, api, store, holder: 'a', syncTimeoutMs: 1000, now: () => new Date('2026-11-30T08:00:00Z'), stopping: () => false, log });

  it('the first sync only takes the position; later ones handle commands and save next_batch', async () => {
    const { api, store, bot, log } = setUp();
    await bot.start();
    api.syncs.push(syncOf('s1', message('$old', ALICE, '!help')), syncOf('s2', message('$new', ALICE, '!help')));
    await syncOnce(base(api, store, bot, log));
    expect(store.position).toBe('s1');
    expect(api.sent).toHaveLength(0);
    await syncOnce(base(api, store, bot, log));
    expect(api.sinces).toEqual([undefined, 's1']);
    expect(store.position).toBe('s2');
    expect(api.sent).toHaveLength(1);
  });

  it('a failed turn keeps the position: the same answer comes again and is handled once', async () => {
    const { api, store, bot, log } = setUp();
    await bot.start();
    store.position = 's1';
    api.failSend = new MatrixCallError('send', 500, 'M_UNKNOWN', true);
    api.syncs.push(syncOf('s2', message('$on', ALICE, '!help')), syncOf('s2', message('$on', ALICE, '!help')));
    await expect(syncOnce(base(api, store, bot, log))).rejects.toBeInstanceOf(MatrixCallError);
    expect(store.position).toBe('s1');
    api.failSend = undefined;
    await syncOnce(base(api, store, bot, log));
    expect(store.position).toBe('s2');
    expect(api.sent).toHaveLength(1);
  });

  it('renews the lease before each command: its expiry moves with the turn', async () => {
    const { api, store, bot, log } = setUp();
    await bot.start();
    store.position = 's1';
    let clock = Date.parse('2026-11-30T08:00:00Z');
    const untils: string[] = [];
    const send = api.send.bind(api);
    api.send = async (...args) => {
      untils.push(store.lease!.until);
      clock += 40_000;
      return send(...args);
    };
    api.syncs.push(syncOf('s2', message('$h1', ALICE, '!help'), message('$h2', ALICE, '!help'), message('$h3', ALICE, '!help')));
    expect(await syncOnce({ ...base(api, store, bot, log), now: () => new Date(clock) })).toBe('synced');
    // Each command's lease runs a sync wait and a minute from when that command began (the clock moves 40 s a command).
    expect(untils).toEqual(['2026-11-30T08:01:01.000Z', '2026-11-30T08:01:41.000Z', '2026-11-30T08:02:21.000Z']);
    expect(store.position).toBe('s2');
  });

  it('a lease lost mid-turn: the remaining commands are left to the new holder and the position is not saved', async () => {
    const { api, store, bot, log, logs } = setUp();
    await bot.start();
    store.position = 's1';
    const send = api.send.bind(api);
    api.send = async (...args) => {
      // The first command outlasts the lease; another loop takes it meanwhile.
      store.lease = { holder: 'other', until: '2026-11-30T09:00:00.000Z' };
      return send(...args);
    };
    api.syncs.push(syncOf('s2', message('$h1', ALICE, '!help'), message('$on', ALICE, '!on Ada Lovelace ada@home.example'), message('$h3', ALICE, '!help')));
    expect(await syncOnce(base(api, store, bot, log))).toBe('lease-lost');
    expect(api.sent).toHaveLength(1);
    expect([...store.commands.keys()]).toEqual(['$h1']);
    expect(store.position).toBe('s1');
    expect(store.lease?.holder).toBe('other');
    expect(logs).toContainEqual({ message: 'matrix sync turn stopped: the lease passed to another loop', extra: { holder: 'a' } });
  });

  it('a second loop waits while the first holds the lease', async () => {
    const { api, store, bot, log } = setUp();
    await store.acquireLease('other', '2026-11-30T08:00:00.000Z', '2026-11-30T08:05:00.000Z');
    expect(await syncOnce(base(api, store, bot, log))).toBe('lease-held');
    expect(api.sinces).toEqual([]);
  });

  it('runs turns until stopped, waits as M_LIMIT_EXCEEDED asks, and releases the lease', async () => {
    const { api, store, bot, log } = setUp();
    store.position = 's1';
    api.syncs.push(syncOf('s2'));
    const waits: number[] = [];
    let turns = 0;
    const original = api.sync.bind(api);
    api.sync = async (since) => {
      turns += 1;
      if (turns === 1) throw new MatrixCallError('sync', 429, 'M_LIMIT_EXCEEDED', true, 1234);
      return original(since);
    };
    await runSyncLoop({ ...base(api, store, bot, log), stopping: () => turns >= 3, sleep: async (ms) => void waits.push(ms) });
    expect(waits[0]).toBe(1234);
    expect(store.position).toBe('s2');
    expect(store.lease).toBeUndefined();
  });
});

describe('a scheduled invocation of the loop', () => {
  it('ends at once, joining nothing, while another invocation holds the lease', async () => {
    const { api, store, bot, log } = setUp();
    const joined: string[] = [];
    api.join = async (room) => (joined.push(room), ROOM);
    await store.acquireLease('other', '2026-11-30T08:00:00.000Z', '2026-11-30T08:05:00.000Z');
    await runSyncLoop({ bot, api, store, holder: 'me', syncTimeoutMs: 1000, now: () => new Date('2026-11-30T08:01:00Z'), stopping: () => false, log, whenLeaseHeld: 'stop' });
    expect(joined).toEqual([]);
    expect(api.sinces).toEqual([]);
    expect(store.lease?.holder).toBe('other');
  });
  it('ends when it loses the lease mid-turn, leaving the lease and the position to the new holder', async () => {
    const { api, store, bot, log } = setUp();
    store.position = 's1';
    const send = api.send.bind(api);
    api.send = async (...args) => {
      store.lease = { holder: 'other', until: '2026-11-30T09:00:00.000Z' };
      return send(...args);
    };
    api.syncs.push(syncOf('s2', message('$h1', ALICE, '!help'), message('$h2', ALICE, '!help')));
    await runSyncLoop({ bot, api, store, holder: 'me', syncTimeoutMs: 1000, now: () => new Date('2026-11-30T08:01:00Z'), stopping: () => false, log, whenLeaseHeld: 'stop' });
    expect(api.sinces).toEqual(['s1']);
    expect([...store.commands.keys()]).toEqual(['$h1']);
    expect(store.position).toBe('s1');
    expect(store.lease?.holder).toBe('other');
  });
});
