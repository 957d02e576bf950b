/**
 * Data kept from an earlier `npm start` sits in a table made before the effective index existed: the next start
 * rebuilds the table with every index of createTableInput, and the runs written before are found by date range.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DeleteTableCommand, DescribeTableCommand, ListTablesCommand, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { Run } from '../../../lambdas/engine/model';
import { listRunPage } from '../../../lambdas/engine/run-listing';
import { createDocumentClient, DynamoStore } from '../../../lambdas/store/dynamo-store';
import { createTableInput, TABLE } from '../../../lambdas/store/table-schema';
import { holdingTableName, LOCAL_AWS, startEmbeddedStore, type EmbeddedStore } from '../../../local/embedded-store';
import { memoryEngine } from '../../support/memory-engine';

const TABLE_NAME = 'lifecycle-kept';

/** The table as an earlier version made it: the due and status indexes, no effective index. */
function tableBeforeTheEffectiveIndex(tableName: string) {
  const input = createTableInput(tableName);
  const indexes = input.GlobalSecondaryIndexes.filter((index) => index.IndexName !== TABLE.effectiveIndex.name);
  const used = new Set([TABLE.partitionKey, TABLE.sortKey, ...indexes.flatMap((index) => index.KeySchema.map((k) => k.AttributeName))]);
  return { ...input, GlobalSecondaryIndexes: indexes, AttributeDefinitions: input.AttributeDefinitions.filter((a) => used.has(a.AttributeName)) };
}

/** A completed run effective on 2026-06-0n, updated in the order written. */
function completed(n: number): Run {
  const id = String(n).padStart(3, '0');
  return {
    runId: `run-${id}`,
    employeeId: `E${id}`,
    eventId: `hr-${id}`,
    type: 'terminate',
    status: 'completed',
    effectiveDate: `2026-06-0${n}`,
    urgent: false,
    steps: [],
    version: 1,
    createdAt: `2026-11-0${n}T08:00:00.000Z`,
    updatedAt: `2026-11-0${n}T09:00:00.000Z`,
    employee: { id: `E${id}`, firstName: 'Ada', timezone: 'Europe/Berlin' },
  };
}

/** Creates a table and answers once it is ACTIVE (polled, within a deadline). */
async function createActive(server: EmbeddedStore, input: ReturnType<typeof createTableInput>) {
  await server.client.send(new CreateTableCommand(input));
  const deadline = Date.now() + 5000;
  while ((await server.client.send(new DescribeTableCommand({ TableName: input.TableName }))).Table?.TableStatus !== 'ACTIVE') {
    if (Date.now() > deadline) throw new Error(`${input.TableName} did not become ACTIVE`);
    await new Promise((r) => setImmediate(r));
  }
}

const storeOn = (server: EmbeddedStore) => new DynamoStore(createDocumentClient({ ...LOCAL_AWS, endpoint: server.endpoint }), TABLE_NAME);

const indexNames = async (server: EmbeddedStore, tableName: string) =>
  ((await server.client.send(new DescribeTableCommand({ TableName: tableName }))).Table?.GlobalSecondaryIndexes ?? []).map((g) => g.IndexName).sort();

describe('the embedded store on a table kept from before the effective index', () => {
  let dir: string;
  let server: EmbeddedStore | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lifecycle-store-'));
  });
  afterEach(async () => {
    await server?.stop();
    server = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  /** Writes runs 1..5 into a table made without the effective index, on disk in `dir`, and stops. */
  async function keptData(make: (before: EmbeddedStore) => Promise<void> = async () => {}) {
    const before = await startEmbeddedStore({ path: dir, tableName: 'scratch' });
    await createActive(before, tableBeforeTheEffectiveIndex(TABLE_NAME));
    const old = storeOn(before);
    for (let n = 1; n <= 5; n++) await old.createRun(completed(n));
    await make(before);
    await before.stop();
  }

  it('adds the missing index at start, and a date range then lists the runs written before, latest effective date first', async () => {
    await keptData();
    server = await startEmbeddedStore({ path: dir, tableName: TABLE_NAME });
    expect(await indexNames(server, TABLE_NAME)).toEqual(createTableInput(TABLE_NAME).GlobalSecondaryIndexes.map((g) => g.IndexName).sort());
    const store = storeOn(server);
    const page = await listRunPage({ ...memoryEngine().deps, store }, { status: 'completed', from: '2026-06-02', to: '2026-06-04', limit: 10 });
    if (!page.ok) throw new Error(page.message);
    expect(page.runs.map((r) => r.runId)).toEqual(['run-004', 'run-003', 'run-002']);
    // Nothing else was lost: every run, its pointer and the status index are as written.
    expect((await store.listAllRunsByStatus('completed')).map((r) => r.runId).sort()).toEqual(['run-001', 'run-002', 'run-003', 'run-004', 'run-005']);
    expect((await store.findRun('run-005'))?.effectiveDate).toBe('2026-06-05');
    const tables = (await server.client.send(new ListTablesCommand({}))).TableNames;
    expect(tables).not.toContain(holdingTableName(TABLE_NAME));
  });

  it('finishes a rebuild cut short while the table was deleted, from the items kept in the holding table, and never copies its marker back', async () => {
    await keptData(async (before) => {
      // The rebuild's first half: the items copied to the holding table, the table deleted.
      await createActive(before, createTableInput(holdingTableName(TABLE_NAME)));
      const holding = new DynamoStore(createDocumentClient({ ...LOCAL_AWS, endpoint: before.endpoint }), holdingTableName(TABLE_NAME));
      for (let n = 1; n <= 5; n++) await holding.createRun(completed(n));
      await before.client.send(new PutItemCommand({ TableName: holdingTableName(TABLE_NAME), Item: { PK: { S: '#rebuild' }, SK: { S: 'holds-every-item' } } }));
      // Stopped while the table is being deleted or once it is gone (the store is stopped at once).
      await before.client.send(new DeleteTableCommand({ TableName: TABLE_NAME }));
    });
    server = await startEmbeddedStore({ path: dir, tableName: TABLE_NAME });
    const page = await storeOn(server).pageRunsByStatus('completed', { from: '2026-06-01' }, 10);
    expect(page.runs.map((r) => r.runId)).toEqual(['run-005', 'run-004', 'run-003', 'run-002', 'run-001']);
    expect(await indexNames(server, TABLE_NAME)).toContain(TABLE.effectiveIndex.name);
    expect((await server.client.send(new ScanCommand({ TableName: TABLE_NAME }))).Items?.some((item) => item.PK?.S === '#rebuild')).toBe(false);
    expect((await server.client.send(new ListTablesCommand({}))).TableNames).not.toContain(holdingTableName(TABLE_NAME));
  });

  it('leaves a table that has every index as it is', async () => {
    server = await startEmbeddedStore({ path: dir, tableName: TABLE_NAME });
    await storeOn(server).createRun(completed(1));
    await server.stop();
    server = await startEmbeddedStore({ path: dir, tableName: TABLE_NAME });
    expect((await storeOn(server).findRun('run-001'))?.runId).toBe('run-001');
  });
});
