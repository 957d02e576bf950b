/**
 * A proposal's follow-up failing does not silence the room. Refused for good (a 422): the command is answered, an operator
 * alerted, the position moves on. Failing for now (a 503): the command waits for the next turn, the commands after it
 * are answered. Only the homeserver's own failure ends a turn at once.
 */
import type { EngineLog } from '../../../lambdas/engine/ports';
import { MemoryMatrixBotStore } from '../../../lambdas/matrix/bot-store';
import { MatrixBot } from '../../../lambdas/matrix/matrix-bot';
import { syncOnce } from '../../../lambdas/matrix/sync-loop';
import { MatrixCallError, type MatrixApi, type MessagesPage, type SyncEvent, type SyncResponse } from '../../../lambdas/providers/matrix/matrix-client';
import { OpenProjectApiError } from '../../../lambdas/providers/openproject/openproject-client';
import { memoryEngine } from '../../support/memory-engine';

const ROOM = '!room:example.org';
const BOT = '@bot:example.org';
const ALICE = '@alice:example.org';
class Api implements MatrixApi {
  sent: string[] = [];
  syncs: SyncResponse[] = [];
  async whoami() { return BOT; }
  async join() { return ROOM; }
  async powerLevels() { return { users: { [ALICE]: 50 }, users_default: 0 }; }
  async send(_r: string, _t: string, txnId: string) { this.sent.push(txnId); return '$r'; }
  async sync() { const n = this.syncs.shift(); if (!n) throw new MatrixCallError('sync', undefined, 'AbortError', true); return n; }
  async messages(_r: string, q: { from: string }): Promise<MessagesPage> { return { chunk: [], start: q.from }; }
}
const msg = (id: string, body: string): SyncEvent => ({ event_id: id, type: 'm.room.message', sender: ALICE, origin_server_ts: Date.parse('2026-11-30T07:00:00Z'), content: { msgtype: 'm.text', body } });
const syncOf = (next: string, ...events: SyncEvent[]): SyncResponse => ({ next_batch: next, rooms: { join: { [ROOM]: { timeline: { events } } } } });

/** A member task follow-up against an OpenProject answering 503 while `down`; `opened` counts the tasks it opened. */
function openProjectDown() {
  const state = {
    down: true,
    opened: 0,
    memberTask: async () => {
      if (state.down) throw new OpenProjectApiError('create work package', 503, 'ServiceUnavailable', 'Service Unavailable');
      state.opened += 1;
    },
  };
  return state;
}

const quiet: EngineLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** A started bot at position s1, each accepted proposal followed by `onAccepted`, and the options a turn of its loop takes. */
async function botAtS1(onAccepted: (() => Promise<void>)[], log: EngineLog = quiet) {
  const engine = memoryEngine();
  const api = new Api();
  const store = new MemoryMatrixBotStore();
  const bot = new MatrixBot({ engine: { ...engine.deps, proposals: { onAccepted } } as never, api, store, settings: { userId: BOT, rooms: [ROOM], powerLevel: 50 }, log });
  await bot.start();
  store.position = 's1';
  const o = { bot, api, store, holder: 'a', syncTimeoutMs: 1000, now: () => new Date('2026-11-30T08:00:00Z'), stopping: () => false, log };
  return { engine, api, store, o };
}

it('a follow-up refused for good (not retryable): the bot saves its position and answers the commands after it; an operator is alerted', async () => {
  const refused = async () => { throw new OpenProjectApiError('create work package', 422, 'PropertyConstraintViolation', 'Type is not set to one of the allowed values.'); };
  const { engine, api, store, o } = await botAtS1([refused]);
  for (let turn = 0; turn < 5; turn++) {
    api.syncs.push(syncOf('s2', msg('$on', '!on Ada Lovelace ada@home.example'), msg('$help', '!help')));
    await syncOnce(o).catch(() => undefined);
  }
  // The proposal is answered (its run recorded, waiting), !help after it answered, and the position moves on.
  expect(store.position).toBe('s2');
  expect(await store.handledCommand('$on')).toBeDefined();
  expect(await store.handledCommand('$help')).toBeDefined();
  expect(engine.published).toEqual([expect.objectContaining({ stepId: 'proposal-follow-up', providerAnswer: expect.stringContaining('422 PropertyConstraintViolation') })]);
});

it('a follow-up that may pass later (OpenProject answering 503): the commands after it are answered in the same turn; the position waits until it passes', async () => {
  const warned: string[] = [];
  const openProject = openProjectDown();
  const { api, store, o } = await botAtS1([openProject.memberTask], { ...quiet, warn: (m) => void warned.push(m) });
  const turn = (...events: SyncEvent[]) => {
    api.syncs.push(syncOf('s2', ...events));
    return syncOnce(o);
  };

  await expect(turn(msg('$on', '!on Ada Lovelace ada@home.example'), msg('$help', '!help'))).rejects.toThrow(/503/);
  // !help after the held proposal is answered; the proposal is not, and the position stays before it.
  expect(await store.handledCommand('$help')).toBeDefined();
  expect(await store.handledCommand('$on')).toBeUndefined();
  expect(store.position).toBe('s1');
  expect(warned).toContain('matrix command held for the next turn');

  // A command said while OpenProject is still down is answered on the next turn too.
  await expect(turn(msg('$on', '!on Ada Lovelace ada@home.example'), msg('$help', '!help'), msg('$help2', '!help'))).rejects.toThrow(/503/);
  expect(await store.handledCommand('$help2')).toBeDefined();
  expect(api.sent).toHaveLength(2);

  openProject.down = false;
  await turn(msg('$on', '!on Ada Lovelace ada@home.example'), msg('$help', '!help'), msg('$help2', '!help'));
  expect(await store.handledCommand('$on')).toBeDefined();
  expect(openProject.opened).toBe(1);
  expect(store.position).toBe('s2');
  expect(api.sent).toHaveLength(3);
});

it('the homeserver failing on a command ends the turn at once: the commands after it are left for the next turn', async () => {
  const { api, store, o } = await botAtS1([]);
  let sends = 0;
  api.send = async () => {
    sends += 1;
    throw new MatrixCallError('send', 502, 'M_UNKNOWN', true);
  };
  api.syncs.push(syncOf('s2', msg('$help', '!help'), msg('$help2', '!help')));
  await expect(syncOnce(o)).rejects.toThrow();
  expect(sends).toBe(1);
  expect(store.position).toBe('s1');
});

it('a held command is not lost when the room outgrows one sync answer: the gap read back passes over the commands handled after it', async () => {
  const openProject = openProjectDown();
  const { api, store, o } = await botAtS1([openProject.memberTask]);
  const pages: { chunk: SyncEvent[]; start: string; end?: string }[] = [];
  api.messages = async (_r, q) => pages.shift() ?? { chunk: [], start: q.from };
  // The position as a turn saves it: with when its sync was asked for (before the commands below were said).
  store.syncedAt = '2026-11-30T06:00:00.000Z';
  api.syncs.push(syncOf('s2', msg('$on', '!on Ada Lovelace ada@home.example'), msg('$help', '!help')));
  await expect(syncOnce(o)).rejects.toThrow(/503/);
  expect(await store.handledCommand('$help')).toBeDefined();

  // OpenProject is back; the room said more than one answer holds since s1: the answer is limited, both commands in its gap.
  openProject.down = false;
  pages.push({ chunk: [msg('$help', '!help'), msg('$on', '!on Ada Lovelace ada@home.example')], start: 'p1' });
  api.syncs.push({ next_batch: 's3', rooms: { join: { [ROOM]: { timeline: { events: [msg('$late', '!help')], limited: true, prev_batch: 'p1' } } } } });
  expect(await syncOnce(o)).toBe('synced');
  expect(await store.handledCommand('$on')).toBeDefined();
  expect(openProject.opened).toBe(1);
  expect(store.position).toBe('s3');
});
