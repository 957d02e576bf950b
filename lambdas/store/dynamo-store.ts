/** The single-table repository on the DynamoDB API: the same code against AWS and the embedded store. */
import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException, DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  BatchWriteCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { Alert, AuditEntry, Employee, Run, RunStatus } from '../engine/model';
import { randomToken } from '../engine/ids';
import { keys, TABLE, ttlSeconds } from './table-schema';
import { VersionConflictError, type CredentialRecord, type EventRecord, type LifecycleStore, type MassChangeBatch, type RefusedRequest, type RevealClaim } from './lifecycle-store';

type Item = Record<string, unknown>;

const strip = <T>(item: Item | undefined, extra: string[] = []): T | undefined => {
  if (!item) return undefined;
  const copy: Item = { ...item };
  for (const k of ['PK', 'SK', 'kind', 'runStatus', TABLE.ttlAttribute, ...extra]) delete copy[k];
  return copy as T;
};

const isConditionFailure = (err: unknown) =>
  err instanceof ConditionalCheckFailedException || (err as { name?: string })?.name === 'ConditionalCheckFailedException';

/** An event's attribute on its window's counter item: a short hash keeps the item small (about 30 bytes an event). */
const massChangeSlot = (eventId: string) => `E_${createHash('sha256').update(eventId).digest('hex').slice(0, 20)}`;

function placeOf(value: unknown, windowStart: string, eventId: string): number {
  if (typeof value !== 'number') throw new Error(`mass-change window ${windowStart}: event ${eventId} has no place recorded (${JSON.stringify(value)})`);
  return value;
}

export function createDocumentClient(config: DynamoDBClientConfig = {}): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient(config), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}

export class DynamoStore implements LifecycleStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async putEventIfAbsent(event: EventRecord) {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.event(event.eventId), kind: 'event', ...event },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      return { created: true };
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      return { created: false, existing: await this.getEvent(event.eventId) };
    }
  }

  async getEvent(eventId: string) {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.event(eventId), ConsistentRead: true }));
    return strip<EventRecord>(out.Item);
  }

  async putEmployee(employee: Employee, updatedAt: string) {
    await this.doc.send(
      new PutCommand({ TableName: this.tableName, Item: { ...keys.employee(employee.id), kind: 'employee', ...employee, updatedAt } }),
    );
  }

  async getEmployee(employeeId: string) {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.employee(employeeId) }));
    return strip<Employee>(out.Item, ['updatedAt']);
  }

  private runItem(run: Run): Item {
    return { ...keys.run(run.employeeId, run.runId), kind: 'run', runStatus: run.status, ...run };
  }

  async createRun(run: Run) {
    // The pointer goes first: a run that exists can always be found by its id.
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.runRef(run.runId), kind: 'runref', runId: run.runId, employeeId: run.employeeId },
      }),
    );
    try {
      await this.doc.send(
        new PutCommand({ TableName: this.tableName, Item: this.runItem(run), ConditionExpression: 'attribute_not_exists(PK)' }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  async getRun(employeeId: string, runId: string) {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: keys.run(employeeId, runId), ConsistentRead: true }),
    );
    return strip<Run>(out.Item);
  }

  async findRun(runId: string) {
    const ref = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.runRef(runId) }));
    const employeeId = ref.Item?.employeeId;
    return typeof employeeId === 'string' ? this.getRun(employeeId, runId) : undefined;
  }

  async saveRun(run: Run) {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: this.runItem(run),
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

  private async queryAll(input: QueryCommandInput): Promise<Item[]> {
    const items: Item[] = [];
    let start: Item | undefined;
    do {
      const out = await this.doc.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  }

  async listRuns(employeeId: string) {
    const items = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :run)',
      ExpressionAttributeValues: { ':pk': keys.employee(employeeId).PK, ':run': keys.runPrefix },
    });
    return items.map((i) => strip<Run>(i)!).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async listRunsByStatus(status: RunStatus, limit: number) {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: TABLE.statusIndex.name,
        KeyConditionExpression: '#s = :s',
        ExpressionAttributeNames: { '#s': TABLE.statusIndex.partitionKey },
        ExpressionAttributeValues: { ':s': status },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map((i) => strip<Run>(i)!);
  }

  async listAllRunsByStatus(status: RunStatus) {
    const items = await this.queryAll({
      TableName: this.tableName,
      IndexName: TABLE.statusIndex.name,
      KeyConditionExpression: '#s = :s',
      ExpressionAttributeNames: { '#s': TABLE.statusIndex.partitionKey },
      ExpressionAttributeValues: { ':s': status },
    });
    return items.map((i) => strip<Run>(i)!);
  }

  async countMassChange(windowStart: string, eventId: string) {
    const key = keys.massChangeWindow(windowStart);
    const slot = massChangeSlot(eventId);
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          // Every operand reads the item as it was before this write: the counter and the event's place get the same value.
          UpdateExpression: 'SET #c = if_not_exists(#c, :zero) + :one, #e = if_not_exists(#c, :zero) + :one, kind = :kind, windowStart = :w',
          ConditionExpression: 'attribute_not_exists(#e)',
          ExpressionAttributeNames: { '#c': 'count', '#e': slot },
          ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':kind': 'masschange', ':w': windowStart },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return placeOf(out.Attributes?.[slot], windowStart, eventId);
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
    // Counted before (a repeat after a crash, or a duplicate racing the first delivery): the place it got then.
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    return placeOf(out.Item?.[slot], windowStart, eventId);
  }

  async massChangeCount(windowStart: string) {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.massChangeWindow(windowStart), ConsistentRead: true }));
    return typeof out.Item?.count === 'number' ? out.Item.count : 0;
  }

  async openMassChangeBatch(batch: MassChangeBatch): Promise<{ opened: boolean; batch: MassChangeBatch }> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.massChangeBatch, kind: 'masschangebatch', ...batch },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      return { opened: true, batch };
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
    const open = await this.getMassChangeBatch();
    // Closed between the failed put and the read: open it now.
    return open ? { opened: false, batch: open } : this.openMassChangeBatch(batch);
  }

  async getMassChangeBatch() {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.massChangeBatch, ConsistentRead: true }));
    return strip<MassChangeBatch>(out.Item);
  }

  async closeMassChangeBatch(batchId: string) {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keys.massChangeBatch,
          ConditionExpression: 'batchId = :b',
          ExpressionAttributeValues: { ':b': batchId },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  async queryDue(shard: string, now: string, cursor?: Item) {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: TABLE.dueIndex.name,
        KeyConditionExpression: '#shard = :shard AND #due <= :now',
        ExpressionAttributeNames: { '#shard': TABLE.dueIndex.partitionKey, '#due': TABLE.dueIndex.sortKey },
        ExpressionAttributeValues: { ':shard': shard, ':now': now },
        ExclusiveStartKey: cursor,
      }),
    );
    return {
      runs: (out.Items ?? []).map((i) => strip<Run>(i)!),
      itemsRead: out.ScannedCount ?? out.Count ?? 0,
      cursor: out.LastEvaluatedKey,
    };
  }

  async appendAudit(entries: AuditEntry[]) {
    for (let i = 0; i < entries.length; i += 25) {
      const chunk = entries.slice(i, i + 25);
      // Entries written together keep their order when they share a timestamp; the random part keeps writers apart.
      let pending = chunk.map((e, j) => ({
        PutRequest: { Item: { ...keys.audit(e.employeeId, e.at, `${String(i + j).padStart(4, '0')}${randomToken(4)}`), kind: 'audit', ...e } },
      }));
      for (let tries = 0; pending.length > 0; tries++) {
        if (tries > 8) throw new Error(`audit: ${pending.length} entries not written after retries`);
        const out = await this.doc.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: pending } }));
        pending = (out.UnprocessedItems?.[this.tableName] ?? []) as typeof pending;
        if (pending.length) await new Promise((r) => setTimeout(r, 50 * 2 ** tries));
      }
    }
  }

  async listAudit(employeeId: string) {
    const items = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :a)',
      ExpressionAttributeValues: { ':pk': keys.employee(employeeId).PK, ':a': keys.auditPrefix },
    });
    return items.map((i) => strip<AuditEntry>(i)!);
  }

  async putAlert(alert: Alert) {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.alert(alert.alertId), kind: 'alert', ...alert },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  async listAlerts(status?: Alert['status']) {
    const items = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.alertPartition },
    });
    return items
      .map((i) => strip<Alert>(i)!)
      .filter((a) => !status || a.status === status)
      .sort((a, b) => b.raisedAt.localeCompare(a.raisedAt));
  }

  async resolveAlert(alertId: string, resolvedAt: string) {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.alert(alertId),
          UpdateExpression: 'SET #s = :r, resolvedAt = :at',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':r': 'resolved', ':at': resolvedAt },
        }),
      );
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
  }

  async putCredential(record: CredentialRecord) {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          // Never revealed, the sealed password leaves the table at its expiry (DynamoDB TTL), not years later.
          Item: { ...keys.credential(record.employeeId, record.runId), kind: 'credential', ...record, [TABLE.ttlAttribute]: ttlSeconds(record.expiresAt) },
          // A password someone has already seen is never replaced behind their back.
          ConditionExpression: 'attribute_not_exists(revealedAt)',
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  async getCredential(employeeId: string, runId: string) {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: keys.credential(employeeId, runId), ConsistentRead: true }),
    );
    return strip<CredentialRecord>(out.Item);
  }

  async issueRevealToken(employeeId: string, runId: string, tokenHash: string, issuedAt: string, expiresAt: string) {
    // The pointer goes first: a token in a mail can always be followed to its record.
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.revealLink(tokenHash), kind: 'reveallink', employeeId, runId, createdAt: issuedAt, [TABLE.ttlAttribute]: ttlSeconds(expiresAt) },
      }),
    );
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.credential(employeeId, runId),
          UpdateExpression: 'SET revealTokenHash = :h, tokenIssuedAt = :at, expiresAt = :exp, #ttl = :ttl',
          ConditionExpression: 'attribute_exists(PK) AND attribute_exists(ciphertext) AND attribute_not_exists(revealedAt)',
          ExpressionAttributeNames: { '#ttl': TABLE.ttlAttribute },
          ExpressionAttributeValues: { ':h': tokenHash, ':at': issuedAt, ':exp': expiresAt, ':ttl': ttlSeconds(expiresAt) },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  private async revealTarget(tokenHash: string): Promise<{ employeeId: string; runId: string } | undefined> {
    const ref = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.revealLink(tokenHash), ConsistentRead: true }));
    const { employeeId, runId } = ref.Item ?? {};
    return typeof employeeId === 'string' && typeof runId === 'string' ? { employeeId, runId } : undefined;
  }

  async findByRevealToken(tokenHash: string) {
    const target = await this.revealTarget(tokenHash);
    const record = target && (await this.getCredential(target.employeeId, target.runId));
    return record?.revealTokenHash === tokenHash ? record : undefined;
  }

  async claimReveal(tokenHash: string, now: string): Promise<RevealClaim> {
    const target = await this.revealTarget(tokenHash);
    if (!target) return { outcome: 'unknown' };
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.credential(target.employeeId, target.runId),
          // Marked revealed and emptied in the same write: the ciphertext leaves the table with the one claim that wins.
          UpdateExpression: 'SET revealedAt = :now REMOVE ciphertext',
          ConditionExpression: 'revealTokenHash = :h AND attribute_exists(ciphertext) AND attribute_not_exists(revealedAt) AND expiresAt > :now',
          ExpressionAttributeValues: { ':h': tokenHash, ':now': now },
          ReturnValues: 'ALL_OLD',
        }),
      );
      const old = strip<CredentialRecord>(out.Attributes);
      if (!old?.ciphertext) throw new Error(`credential of run ${target.runId}: the claim returned no ciphertext`);
      const { ciphertext, ...rest } = old;
      return { outcome: 'revealed', record: { ...rest, revealedAt: now }, ciphertext };
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
    const record = await this.getCredential(target.employeeId, target.runId);
    if (!record) return { outcome: 'unknown' };
    if (record.revealTokenHash !== tokenHash) return { outcome: 'superseded', record };
    if (record.revealedAt) return { outcome: 'already_revealed', record };
    if (record.expiresAt <= now) return { outcome: 'expired', record };
    return { outcome: 'unknown', record };
  }

  async releaseReveal(record: CredentialRecord, ciphertext: string, revealedAt: string) {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.credential(record.employeeId, record.runId),
        UpdateExpression: 'SET ciphertext = :c REMOVE revealedAt',
        ConditionExpression: 'revealedAt = :at AND attribute_not_exists(ciphertext)',
        ExpressionAttributeValues: { ':c': ciphertext, ':at': revealedAt },
      }),
    );
  }

  async rememberRefusal(refusal: RefusedRequest) {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.refusedRequest(refusal.signatureHash),
          kind: 'refused',
          ...refusal,
          [TABLE.ttlAttribute]: Math.ceil(Date.parse(refusal.expiresAt) / 1000),
        },
      }),
    );
  }

  async findRefusal(signatureHash: string, now: string) {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: keys.refusedRequest(signatureHash), ConsistentRead: true }),
    );
    const refusal = strip<RefusedRequest>(out.Item, [TABLE.ttlAttribute]);
    // DynamoDB deletes expired items only eventually, and the embedded store never does.
    return refusal && refusal.expiresAt > now ? refusal : undefined;
  }

  async deleteExpiredCredential(record: CredentialRecord, now: string) {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keys.credential(record.employeeId, record.runId),
          // Still the same link, still expired: a welcome email sent meanwhile issued a new link that must keep working.
          ConditionExpression: 'expiresAt <= :now AND expiresAt = :exp AND attribute_not_exists(revealedAt)',
          ExpressionAttributeValues: { ':now': now, ':exp': record.expiresAt },
        }),
      );
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
    if (record.revealTokenHash) {
      await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: keys.revealLink(record.revealTokenHash) }));
    }
    return true;
  }
}
