/**
 * Runs, with their steps embedded, written conditionally on their version; a pointer finds a run by id alone, and
 * the sparse "due" index, the "status" index (by update) and the "effective" index (by effective date) find runs
 * without reading the table.
 */
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Run, RunStatus } from '../../engine/model';
import { dueShardOfKey, keys, TABLE } from '../table-schema';
import { InvalidCursorError, VersionConflictError, type DuePage, type RunFilter, type RunPage, type RunStore } from '../lifecycle-store';
import { isConditionFailure, queryAll, strip, type DynamoTable, type Item } from './dynamo-table';

/** A run as stored: its status and due shard in the index attributes' own formats. */
function runItem(run: Run): Item {
  const { dueShard, ...rest } = run;
  return {
    ...keys.run(run.employeeId, run.runId),
    kind: 'run',
    runStatus: run.status,
    ...rest,
    ...(dueShard === undefined ? {} : { [TABLE.dueIndex.partitionKey]: keys.dueShard(dueShard) }),
  };
}

function runOf(item: Item): Run {
  const { dueShard, ...rest } = strip<Run & { dueShard?: unknown }>(item)!;
  return typeof dueShard === 'string' ? { ...rest, dueShard: dueShardOfKey(dueShard) } : rest;
}

export class DynamoRunRepository implements RunStore {
  constructor(private readonly table: DynamoTable) {}

  async createRun(run: Run) {
    // The pointer goes first: a run that exists can always be found by its id.
    await this.table.doc.send(
      new PutCommand({
        TableName: this.table.name,
        Item: { ...keys.runRef(run.runId), kind: 'runref', runId: run.runId, employeeId: run.employeeId },
      }),
    );
    try {
      await this.table.doc.send(new PutCommand({ TableName: this.table.name, Item: runItem(run), ConditionExpression: 'attribute_not_exists(PK)' }));
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  async getRun(employeeId: string, runId: string) {
    const out = await this.table.doc.send(new GetCommand({ TableName: this.table.name, Key: keys.run(employeeId, runId), ConsistentRead: true }));
    return out.Item ? runOf(out.Item) : undefined;
  }

  async findRun(runId: string) {
    const ref = await this.table.doc.send(new GetCommand({ TableName: this.table.name, Key: keys.runRef(runId) }));
    const employeeId = ref.Item?.employeeId;
    return typeof employeeId === 'string' ? this.getRun(employeeId, runId) : undefined;
  }

  async saveRun(run: Run) {
    try {
      await this.table.doc.send(
        new PutCommand({
          TableName: this.table.name,
          Item: runItem(run),
          ConditionExpression: '#v = :expected',
          ExpressionAttributeNames: { '#v': 'version' },
          ExpressionAttributeValues: { ':expected': run.version - 1 },
        }),
      );
    } catch (err) {
      if (isConditionFailure(err)) throw new VersionConflictError(`run ${run.runId}: version ${run.version - 1} is no longer current`);
      throw err;
    }
  }

  async listRuns(employeeId: string) {
    const items = await queryAll(this.table, {
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :run)',
      ExpressionAttributeValues: { ':pk': keys.employee(employeeId).PK, ':run': keys.runPrefix },
    });
    return items.map(runOf).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async listRunsByStatus(status: RunStatus, limit: number) {
    const out = await this.table.doc.send(
      new QueryCommand({
        TableName: this.table.name,
        IndexName: TABLE.statusIndex.name,
        KeyConditionExpression: '#s = :s',
        ExpressionAttributeNames: { '#s': TABLE.statusIndex.partitionKey },
        ExpressionAttributeValues: { ':s': status },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map(runOf);
  }

  async listAllRunsByStatus(status: RunStatus) {
    const items = await queryAll(this.table, {
      IndexName: TABLE.statusIndex.name,
      KeyConditionExpression: '#s = :s',
      ExpressionAttributeNames: { '#s': TABLE.statusIndex.partitionKey },
      ExpressionAttributeValues: { ':s': status },
    });
    return items.map(runOf);
  }

  async pageRunsByStatus(status: RunStatus, filter: RunFilter, limit: number, cursor?: Item, read = limit): Promise<RunPage> {
    // A date range reads the effective index between its ends; without one, the status index by update.
    const byDate = filter.from !== undefined || filter.to !== undefined;
    const index = byDate ? TABLE.effectiveIndex : TABLE.statusIndex;
    if (cursor) checkIndexCursor(index, status, cursor);
    const names: Record<string, string> = { '#s': index.partitionKey };
    const values: Record<string, unknown> = { ':s': status };
    let keyCondition = '#s = :s';
    if (byDate) {
      names['#eff'] = TABLE.effectiveIndex.sortKey;
      if (filter.from !== undefined) values[':from'] = filter.from;
      if (filter.to !== undefined) values[':to'] = filter.to;
      keyCondition +=
        filter.from !== undefined && filter.to !== undefined ? ' AND #eff BETWEEN :from AND :to' : filter.from !== undefined ? ' AND #eff >= :from' : ' AND #eff <= :to';
    }
    if (filter.type) {
      names['#type'] = 'type';
      values[':type'] = filter.type;
    }
    const out = await this.table.doc.send(
      new QueryCommand({
        TableName: this.table.name,
        IndexName: index.name,
        KeyConditionExpression: keyCondition,
        ...(filter.type ? { FilterExpression: '#type = :type' } : {}),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ScanIndexForward: false,
        Limit: Math.max(limit, read),
        ExclusiveStartKey: cursor,
      }),
    );
    const items = out.Items ?? [];
    // More passed than the page keeps: the next page starts after the last one kept (its table and index keys).
    const kept = items.slice(0, limit);
    const next = items.length > limit ? indexKey(index, kept[kept.length - 1]) : out.LastEvaluatedKey;
    return { runs: kept.map(runOf), itemsRead: out.ScannedCount ?? 0, ...(next ? { cursor: next } : {}) };
  }

  async queryDue(shard: number, now: string, cursor?: Item): Promise<DuePage> {
    const out = await this.table.doc.send(
      new QueryCommand({
        TableName: this.table.name,
        IndexName: TABLE.dueIndex.name,
        KeyConditionExpression: '#shard = :shard AND #due <= :now',
        ExpressionAttributeNames: { '#shard': TABLE.dueIndex.partitionKey, '#due': TABLE.dueIndex.sortKey },
        ExpressionAttributeValues: { ':shard': keys.dueShard(shard), ':now': now },
        ExclusiveStartKey: cursor,
      }),
    );
    return {
      runs: (out.Items ?? []).map(runOf),
      itemsRead: out.ScannedCount ?? out.Count ?? 0,
      cursor: out.LastEvaluatedKey,
    };
  }
}

type RunIndex = typeof TABLE.statusIndex | typeof TABLE.effectiveIndex;

const indexKeyNames = (index: RunIndex) => [TABLE.partitionKey, TABLE.sortKey, index.partitionKey, index.sortKey];

/** Where a query of `index` stops at `item`: its table and index keys, as DynamoDB's own LastEvaluatedKey. */
function indexKey(index: RunIndex, item: Item): Item {
  return Object.fromEntries(indexKeyNames(index).map((k) => [k, item[k]]));
}

/**
 * A cursor of `index` is the last item's table and index keys, all strings, on the status asked for. The two run
 * indexes differ in their sort key (updatedAt, effectiveDate), so a cursor of the one is refused by the other.
 */
function checkIndexCursor(index: RunIndex, status: RunStatus, cursor: Item): void {
  const expected = indexKeyNames(index).sort();
  const keysOf = Object.keys(cursor).sort();
  const shaped = keysOf.length === expected.length && keysOf.every((k, i) => k === expected[i] && typeof cursor[k] === 'string');
  if (!shaped || cursor[index.partitionKey] !== status) throw new InvalidCursorError();
}
