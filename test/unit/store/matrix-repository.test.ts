/** The Matrix bot's records on the embedded DynamoDB-compatible store, held to the same contract as the in-memory one. */
import { MemoryMatrixBotStore, type MatrixBotStore } from '../../../lambdas/matrix/bot-store';
import { createDocumentClient } from '../../../lambdas/store/dynamo-store';
import { DynamoMatrixBotStore } from '../../../lambdas/store/dynamo/matrix-repository';
import { LOCAL_AWS, startEmbeddedStore, type EmbeddedStore } from '../../../local/embedded-store';

const TABLE = 'matrix-test';
let server: EmbeddedStore;
let dynamo: DynamoMatrixBotStore;

beforeAll(async () => {
  server = await startEmbeddedStore({ tableName: TABLE });
  dynamo = new DynamoMatrixBotStore({ doc: createDocumentClient({ ...LOCAL_AWS, endpoint: server.endpoint }), name: TABLE });
});
afterAll(() => server.stop());

const T0 = '2026-11-30T08:00:00.000Z';
const T1 = '2026-11-30T08:01:00.000Z';
const T2 = '2026-11-30T08:02:00.000Z';

describe.each([
  ['dynamo', () => dynamo],
  ['memory', () => new MemoryMatrixBotStore()],
])('the Matrix bot store (%s)', (_name, make: () => MatrixBotStore) => {
  it('one holder has the lease until it ends or is released; only the holder saves the position', async () => {
    const store = make();
    await store.releaseLease('a');
    await store.releaseLease('b');
    expect(await store.acquireLease('a', T0, T1)).toBe(true);
    expect(await store.acquireLease('b', T0, T1)).toBe(false);
    expect(await store.acquireLease('a', T0, T2)).toBe(true);
    expect(await store.saveSyncPosition('s5', 'b', T0)).toBe(false);
    expect(await store.saveSyncPosition('s5', 'a', T0)).toBe(true);
    expect(await store.syncPosition()).toBe('s5');
    // Past its time, another takes it, and the first can no longer save.
    expect(await store.acquireLease('b', '2026-11-30T08:03:00.000Z', '2026-11-30T08:05:00.000Z')).toBe(true);
    expect(await store.saveSyncPosition('s6', 'a', '2026-11-30T08:03:00.000Z')).toBe(false);
    await store.releaseLease('a');
    expect(await store.acquireLease('a', '2026-11-30T08:03:00.000Z', T2)).toBe(false);
    await store.releaseLease('b');
    expect(await store.acquireLease('a', '2026-11-30T08:03:00.000Z', '2026-11-30T08:04:00.000Z')).toBe(true);
    await store.releaseLease('a');
  });

  it('keeps with the position when it was saved and when the sync that gave it was asked for', async () => {
    const store = make();
    expect(await store.acquireLease('c', T0, T2)).toBe(true);
    expect(await store.saveSyncPosition('s7', 'c', T1, T0)).toBe(true);
    expect(await store.savedSyncPosition()).toEqual({ nextBatch: 's7', savedAt: T1, syncedAt: T0 });
    expect(await store.saveSyncPosition('s8', 'c', T1)).toBe(true);
    expect(await store.savedSyncPosition()).toEqual({ nextBatch: 's8', savedAt: T1 });
    expect(await store.syncPosition()).toBe('s8');
    await store.releaseLease('c');
  });

  it('records a command once, and keeps threads and the outbox', async () => {
    const store = make();
    const command = { eventId: `$cmd-${_name}`, roomId: '!r:x', command: 'on', outcome: 'proposed', runId: 'run-1', handledAt: T0 };
    expect(await store.recordCommand(command)).toBe(true);
    expect(await store.recordCommand({ ...command, outcome: 'duplicate' })).toBe(false);
    expect(await store.handledCommand(command.eventId)).toEqual(command);
    await store.putThread({ runId: `run-${_name}`, roomId: '!r:x', rootEventId: '$root', commandEventId: '$cmd' });
    expect(await store.thread(`run-${_name}`)).toEqual({ runId: `run-${_name}`, roomId: '!r:x', rootEventId: '$root', commandEventId: '$cmd' });
    expect(await store.thread('nobody')).toBeUndefined();
    const report = (txnId: string, queuedAt: string) => ({ txnId, runId: 'run-1', roomId: '!r:x', rootEventId: '$root', commandEventId: '$cmd', change: 'completed', text: 'ready', queuedAt });
    await store.queueReport(report(`t2-${_name}`, T2));
    await store.queueReport(report(`t1-${_name}`, T1));
    await store.queueReport(report(`t1-${_name}`, T2));
    expect((await store.pendingReports(10)).map((r) => r.txnId)).toEqual([`t1-${_name}`, `t2-${_name}`]);
    await store.reportSent(`t1-${_name}`);
    await store.reportSent(`t2-${_name}`);
    expect(await store.pendingReports(10)).toEqual([]);
  });
});
