/** The embedded DynamoDB-compatible store (dynalite), with its data on disk, and the table created once (or rebuilt when it lacks an index). */
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ResourceNotFoundException,
  ScanCommand,
  type AttributeValue,
  type TableDescription,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTableInput, TABLE } from '../lambdas/store/table-schema';

// dynalite ships no types; this is the part of its API we use.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require('dynalite') as (options: { path?: string; createTableMs?: number; deleteTableMs?: number; updateTableMs?: number }) => Server;

export interface EmbeddedStore {
  endpoint: string;
  client: DynamoDBClient;
  stop(): Promise<void>;
}

/** Local credentials: the embedded store checks that some are sent, not what they are. */
export const LOCAL_AWS = { region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };

export async function startEmbeddedStore(options: { path?: string; port?: number; tableName: string }): Promise<EmbeddedStore> {
  const server = dynalite({ path: options.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({ ...LOCAL_AWS, endpoint });
  await ensureTable(client, options.tableName);
  return {
    endpoint,
    client,
    stop: () =>
      new Promise<void>((resolve) => {
        client.destroy();
        server.close(() => resolve());
        server.closeAllConnections?.();
      }),
  };
}

/** Where a rebuild keeps the table's items while the table is made anew: found at start, a rebuild was cut short. */
export const holdingTableName = (tableName: string) => `${tableName}.rebuild`;

export interface EnsuredTable {
  /** The table was not there and was created. */
  created: boolean;
  /** Indexes the table lacked and now has, each holding the items written before it (empty when none). */
  indexesAdded: string[];
}

type TableInput = ReturnType<typeof createTableInput>;
type IndexInput = TableInput['GlobalSecondaryIndexes'][number];

/**
 * Creates the table with the same keys and indexes as the CDK stack, unless it is there already; a table kept from an
 * earlier start that lacks one of the indexes (or has one under the same name on other keys) is rebuilt with them,
 * its items kept.
 *
 * DynamoDB adds an index to a table in place (UpdateTable, GlobalSecondaryIndexUpdates Create, then a backfill);
 * dynalite 4 refuses that request on an on-demand table (it wants a ProvisionedThroughput) and, given one, answers
 * and ignores it: its indexes are filled only as items are written. So the items
 * are copied to a holding table (marked complete once they all are), the table is made anew from createTableInput
 * and the items written back, which fills every index; the holding table goes last. A start cut short in the middle
 * finishes the rebuild at the next start, from the holding table if it was complete, else from the table.
 */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<EnsuredTable> {
  const wanted = createTableInput(tableName);
  const holding = holdingTableName(tableName);
  let current = await describe(client, tableName);
  if (await describe(client, holding)) {
    if (await holdsEveryItem(client, holding)) {
      // Cut short after every item was copied out: the table (gone, being deleted or still without the index) is
      // made anew from the holding table.
      if (current && (current.TableStatus === 'DELETING' || missingIndexes(current, wanted).length > 0)) await deleteTable(client, tableName);
      if (!current || current.TableStatus === 'DELETING' || missingIndexes(current, wanted).length > 0) await createTable(client, wanted);
      await copyItems(client, holding, tableName);
      await deleteTable(client, holding);
      return { created: false, indexesAdded: [] };
    }
    // Cut short while copying out: the table still holds every item; start again.
    await deleteTable(client, holding);
    current = await describe(client, tableName);
  }
  if (!current) {
    await createTable(client, wanted);
    return { created: true, indexesAdded: [] };
  }
  const missing = missingIndexes(current, wanted);
  if (missing.length === 0) return { created: false, indexesAdded: [] };
  await createTable(client, createTableInput(holding));
  await copyItems(client, tableName, holding);
  await client.send(new PutItemCommand({ TableName: holding, Item: HOLDS_EVERY_ITEM }));
  await deleteTable(client, tableName);
  await createTable(client, wanted);
  await copyItems(client, holding, tableName);
  await deleteTable(client, holding);
  return { created: false, indexesAdded: missing.map((index) => index.IndexName) };
}

/** Written to the holding table once every item is copied to it (and never copied back). */
const HOLDS_EVERY_ITEM: Record<string, AttributeValue> = { [TABLE.partitionKey]: { S: '#rebuild' }, [TABLE.sortKey]: { S: 'holds-every-item' } };

async function holdsEveryItem(client: DynamoDBClient, holding: string): Promise<boolean> {
  return (await client.send(new GetItemCommand({ TableName: holding, Key: HOLDS_EVERY_ITEM, ConsistentRead: true }))).Item !== undefined;
}

const isMarker = (item: Record<string, AttributeValue>) =>
  item[TABLE.partitionKey]?.S === HOLDS_EVERY_ITEM[TABLE.partitionKey].S && item[TABLE.sortKey]?.S === HOLDS_EVERY_ITEM[TABLE.sortKey].S;

/** The wanted indexes the table has not, or has on other keys or another projection. */
function missingIndexes(table: TableDescription, wanted: TableInput): IndexInput[] {
  const shape = (index: { KeySchema?: { AttributeName?: string; KeyType?: string }[]; Projection?: { ProjectionType?: string } }) =>
    JSON.stringify([(index.KeySchema ?? []).map((k) => [k.AttributeName, k.KeyType]), index.Projection?.ProjectionType]);
  const has = new Map((table.GlobalSecondaryIndexes ?? []).map((index) => [index.IndexName, shape(index)]));
  return wanted.GlobalSecondaryIndexes.filter((index) => has.get(index.IndexName) !== shape(index));
}

async function describe(client: DynamoDBClient, tableName: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (err) {
    if (err instanceof ResourceNotFoundException || (err as { name?: string }).name === 'ResourceNotFoundException') return undefined;
    throw err;
  }
}

/** Polls the table's description until `done` holds, within a deadline. */
async function waitFor(client: DynamoDBClient, tableName: string, what: string, done: (table: TableDescription | undefined) => boolean): Promise<TableDescription | undefined> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const table = await describe(client, tableName);
    if (done(table)) return table;
    if (Date.now() > deadline) throw new Error(`table ${tableName} did not become ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Creates a table and, as on AWS, answers once it and its indexes are ACTIVE. */
async function createTable(client: DynamoDBClient, input: TableInput): Promise<TableDescription> {
  await client.send(new CreateTableCommand(input));
  const active = (t: TableDescription | undefined) => t?.TableStatus === 'ACTIVE' && (t.GlobalSecondaryIndexes ?? []).every((g) => g.IndexStatus === 'ACTIVE');
  return (await waitFor(client, input.TableName, 'ACTIVE', active))!;
}

async function deleteTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(new DeleteTableCommand({ TableName: tableName }));
  await waitFor(client, tableName, 'deleted', (t) => t === undefined);
}

/** Every item of one table written to another, as stored (attribute values untouched). */
async function copyItems(client: DynamoDBClient, from: string, to: string): Promise<void> {
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: from, ExclusiveStartKey: start }));
    const items = (page.Items ?? []).filter((item) => !isMarker(item));
    for (let i = 0; i < items.length; i += 25) {
      let requests: Record<string, WriteRequest[]> | undefined = { [to]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) };
      for (let attempt = 0; requests && Object.keys(requests).length > 0; attempt++) {
        if (attempt === 10) throw new Error(`copying ${from} to ${to}: items left unprocessed`);
        requests = (await client.send(new BatchWriteItemCommand({ RequestItems: requests }))).UnprocessedItems;
      }
    }
    start = page.LastEvaluatedKey;
  } while (start);
}
