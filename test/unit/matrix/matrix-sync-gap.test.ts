/**
 * More commands between two syncs than one sync answer carries: the bot, through its matrix-js-sdk client, against the
 * homeserver emulator at the real paths (a sync limited by the filter's timeline limit, the gap paged back through
 * /rooms/{roomId}/messages). Every command is handled once, in the order it was typed.
 */
import { LOCAL_DEFAULTS } from '../../../config/local-defaults';
import { silentLog } from '../../../lambdas/engine/ports';
import { MemoryMatrixBotStore } from '../../../lambdas/matrix/bot-store';
import { MatrixBot } from '../../../lambdas/matrix/matrix-bot';
import { syncOnce } from '../../../lambdas/matrix/sync-loop';
import { SdkMatrixApi } from '../../../lambdas/providers/matrix/matrix-client';
import { MatrixEmulator } from '../../../local/emulators/matrix/matrix-emulator';
import { SAMPLE_MATRIX, seedMatrixSample } from '../../../local/emulators/matrix/matrix-sample';
import { startEmulatorServer, type EmulatorServer } from '../../../local/emulators/server';
import { memoryEngine } from '../../support/memory-engine';

const ROOM = SAMPLE_MATRIX.roomId;

describe('a gap between two syncs longer than one answer', () => {
  let emulator: MatrixEmulator;
  let server: EmulatorServer;
  /** The homeserver's clock and the loop's, the same unless a test moves it. */
  let clock: number | undefined;
  const now = () => clock ?? Date.now();

  beforeEach(async () => {
    clock = undefined;
    emulator = seedMatrixSample(new MatrixEmulator(undefined, now));
    server = await startEmulatorServer(emulator.routes(), 0);
  });
  afterEach(async () => {
    emulator.release();
    await server.stop();
  });

  function setUp(backfill?: { pageSize?: number; maxPages?: number }) {
    const engine = memoryEngine();
    // Three events of a room per sync answer: anything more than that between two syncs is a gap.
    const api = new SdkMatrixApi({ baseUrl: server.url, userId: SAMPLE_MATRIX.bot, accessToken: LOCAL_DEFAULTS.matrixAccessToken, timelineLimit: 3 });
    const store = new MemoryMatrixBotStore();
    const logs: { message: string; extra?: Record<string, unknown> }[] = [];
    const push = (message: string, extra?: Record<string, unknown>) => void logs.push({ message, extra });
    const log = { ...silentLog, warn: push, error: push };
    const bot = new MatrixBot({ engine: engine.deps, api, store, settings: { userId: SAMPLE_MATRIX.bot, rooms: [SAMPLE_MATRIX.alias], powerLevel: 50 }, log, ...(backfill ? { backfill } : {}) });
    const turn = () => syncOnce({ bot, api, store, holder: 'loop-1', syncTimeoutMs: 20, now: () => new Date(now()), stopping: () => false, log });
    return { engine, api, store, bot, turn, logs };
  }

  /** The bot's replies in the room, each naming the command it answers, in the order they were sent. */
  const answered = () => emulator.timeline(ROOM).filter((e) => e.sender === SAMPLE_MATRIX.bot && e.type === 'm.room.message').map((e) => (e.content['m.relates_to'] as { 'm.in_reply_to': { event_id: string } })['m.in_reply_to'].event_id);

  it('handles every command once, oldest first, the gap before the answer\'s own events; the next turn repeats nothing', async () => {
    const { engine, store, bot, turn } = setUp({ pageSize: 2 });
    await bot.start();
    await turn(); // the first sync only takes the position
    const commands: string[] = [];
    for (let i = 1; i <= 9; i += 1) {
      // Chat between the commands: the gap holds more than commands.
      emulator.postMessage(ROOM, SAMPLE_MATRIX.member, `hello ${i}`);
      const body = i % 3 === 0 ? `!on Ada${i} Lovelace ada${i}@home.example` : '!help';
      commands.push(emulator.postMessage(ROOM, SAMPLE_MATRIX.moderator, body).event_id);
    }
    expect(await turn()).toBe('synced');
    expect(answered()).toEqual(commands);
    expect([...store.commands.keys()]).toEqual(commands);
    expect(await engine.deps.store.listAllRunsByStatus('awaiting_approval')).toHaveLength(3);

    // Nothing new: the next turn answers nothing again.
    expect(await turn()).toBe('synced');
    expect(answered()).toEqual(commands);
    // A few more, within one answer: handled after the others, once.
    const later = [emulator.postMessage(ROOM, SAMPLE_MATRIX.moderator, '!help').event_id];
    await turn();
    expect(answered()).toEqual([...commands, ...later]);
  });

  it('a turn that failed half way is read again: the gap\'s handled commands are skipped, the rest handled once, in order', async () => {
    const { api, store, bot, turn } = setUp({ pageSize: 2 });
    await bot.start();
    await turn();
    const commands = Array.from({ length: 7 }, () => emulator.postMessage(ROOM, SAMPLE_MATRIX.moderator, '!help').event_id);
    const position = store.position;
    // The fourth reply fails with a 500: the position stays, the same sync comes again.
    let sends = 0;
    const send = api.send.bind(api);
    api.send = async (...args) => {
      sends += 1;
      if (sends === 4) emulator.faults.failNext({ path: '/send/', count: 1, status: 500 });
      return send(...args);
    };
    await expect(turn()).rejects.toMatchObject({ status: 500 });
    expect(store.position).toBe(position);
    expect(answered()).toEqual(commands.slice(0, 3));
    expect(await turn()).toBe('synced');
    expect(answered()).toEqual(commands);
  });

  it('a homeserver that reads past `to`: commands from before the previous sync (before the bot first started) are not taken for new', async () => {
    clock = Date.parse('2026-11-30T07:00:00Z');
    const old = [emulator.postMessage(ROOM, SAMPLE_MATRIX.moderator, '!help').event_id, emulator.postMessage(ROOM, SAMPLE_MATRIX.moderator, '!on Old Command old@home.example').event_id];
    const { engine, bot, turn, logs } = setUp({ pageSize: 2 });
    clock += 3_600_000;
    await bot.start();
    await turn(); // the first sync only takes the position
    emulator.ignoreMessagesTo = true;
    clock += 60_000;
    const commands = Array.from({ length: 6 }, () => emulator.postMessage(ROOM, SAMPLE_MATRIX.moderator, '!help').event_id);
    expect(await turn()).toBe('synced');
    expect(answered()).toEqual(commands);
    expect(answered()).not.toContain(old[0]);
    expect(await engine.deps.store.listAllRunsByStatus('awaiting_approval')).toHaveLength(0);
    // The bot's join and the older history were read past `to`; paging stopped at the first command older than the position.
    expect(logs).toContainEqual({ message: 'matrix sync gap read back past the previous sync: paging stopped at a page of older events', extra: { roomId: ROOM, eventId: old[1], pages: 3 } });
  });

  it('a gap longer than the pages allowed is logged by room, and the newest part of it is handled', async () => {
    const { bot, turn, logs } = setUp({ pageSize: 2, maxPages: 1 });
    await bot.start();
    await turn();
    const commands = Array.from({ length: 8 }, () => emulator.postMessage(ROOM, SAMPLE_MATRIX.moderator, '!help').event_id);
    await turn();
    // The answer's three and one page of two before them; the three before those are left, and said so.
    expect(answered()).toEqual(commands.slice(3));
    expect(logs).toContainEqual({ message: 'matrix sync gap not read whole: older messages in the room are left unread', extra: { roomId: ROOM, pages: 1, events: 2 } });
  });
});
