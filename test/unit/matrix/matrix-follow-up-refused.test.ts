/** A member task opening OpenProject refuses for good (a 422) does not hold the bot: the command is answered, an operator alerted, and the commands after it answered. */
import type { EngineLog } from '../../../lambdas/engine/ports';
import { MemoryMatrixBotStore } from '../../../lambdas/matrix/bot-store';
import { MatrixBot } from '../../../lambdas/matrix/matrix-bot';
import { syncOnce } from '../../../lambdas/matrix/sync-loop';
import { MatrixCallError, type MatrixApi, type SyncEvent, type SyncResponse } from '../../../lambdas/providers/matrix/matrix-client';
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
  async messages(_r: string, q: { from: string }) { return { chunk: [], start: q.from }; }
}
const msg = (id: string, body: string): SyncEvent => ({ event_id: id, type: 'm.room.message', sender: ALICE, origin_server_ts: Date.parse('2026-11-30T07:00:00Z'), content: { msgtype: 'm.text', body } });
const syncOf = (next: string, ...events: SyncEvent[]): SyncResponse => ({ next_batch: next, rooms: { join: { [ROOM]: { timeline: { events } } } } });

it('a follow-up refused for good (not retryable): the bot saves its position and answers the commands after it; an operator is alerted', async () => {
  const engine = memoryEngine();
  const log: EngineLog = { info: () => undefined, warn: () => undefined, error: () => undefined };
  const refused = async () => { throw new OpenProjectApiError('create work package', 422, 'PropertyConstraintViolation', 'Type is not set to one of the allowed values.'); };
  const api = new Api();
  const store = new MemoryMatrixBotStore();
  const bot = new MatrixBot({ engine: { ...engine.deps, proposals: { onAccepted: [refused] } } as never, api, store, settings: { userId: BOT, rooms: [ROOM], powerLevel: 50 }, log });
  await bot.start();
  store.position = 's1';
  const o = { bot, api, store, holder: 'a', syncTimeoutMs: 1000, now: () => new Date('2026-11-30T08:00:00Z'), stopping: () => false, log };
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
