/** The Matrix bot's records in the lifecycle table: the sync position under a lease, handled commands, and run threads. */
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { HandledCommand, MatrixBotStore, PendingReport, ThreadRef } from '../../matrix/bot-store';
import { keys, TABLE, ttlSeconds } from '../table-schema';
import { isConditionFailure, strip, type DynamoTable } from './dynamo-table';

/** How long a handled command's record is kept: far past any replay a kept sync position allows. */
export const COMMAND_RECORD_DAYS = 30;

export class DynamoMatrixBotStore implements MatrixBotStore {
  constructor(private readonly table: DynamoTable) {}

  async syncPosition() {
    const out = await this.table.doc.send(new GetCommand({ TableName: this.table.name, Key: keys.matrixSync, ConsistentRead: true }));
    return typeof out.Item?.nextBatch === 'string' ? out.Item.nextBatch : undefined;
  }

  async savedSyncPosition() {
    const out = await this.table.doc.send(new GetCommand({ TableName: this.table.name, Key: keys.matrixSync, ConsistentRead: true }));
    const item = out.Item;
    if (typeof item?.nextBatch !== 'string') return undefined;
    return { nextBatch: item.nextBatch, ...(typeof item.savedAt === 'string' ? { savedAt: item.savedAt } : {}), ...(typeof item.syncedAt === 'string' ? { syncedAt: item.syncedAt } : {}) };
  }

  async saveSyncPosition(nextBatch: string, holder: string, now: string, syncedAt?: string) {
    return this.conditional(
      new UpdateCommand({
        TableName: this.table.name,
        Key: keys.matrixSync,
        UpdateExpression: syncedAt ? 'SET nextBatch = :b, savedAt = :now, syncedAt = :s' : 'SET nextBatch = :b, savedAt = :now REMOVE syncedAt',
        ConditionExpression: 'leaseHolder = :h AND leaseUntil > :now',
        ExpressionAttributeValues: { ':b': nextBatch, ':h': holder, ':now': now, ...(syncedAt ? { ':s': syncedAt } : {}) },
      }),
    );
  }

  async acquireLease(holder: string, now: string, until: string) {
    return this.conditional(
      new UpdateCommand({
        TableName: this.table.name,
        Key: keys.matrixSync,
        UpdateExpression: 'SET leaseHolder = :h, leaseUntil = :u, kind = :k',
        ConditionExpression: 'attribute_not_exists(leaseHolder) OR leaseHolder = :h OR leaseUntil <= :now',
        ExpressionAttributeValues: { ':h': holder, ':u': until, ':now': now, ':k': 'matrix-sync' },
      }),
    );
  }

  async releaseLease(holder: string) {
    await this.conditional(
      new UpdateCommand({
        TableName: this.table.name,
        Key: keys.matrixSync,
        UpdateExpression: 'REMOVE leaseHolder, leaseUntil',
        ConditionExpression: 'leaseHolder = :h',
        ExpressionAttributeValues: { ':h': holder },
      }),
    );
  }

  async handledCommand(eventId: string) {
    const out = await this.table.doc.send(new GetCommand({ TableName: this.table.name, Key: keys.matrixCommand(eventId), ConsistentRead: true }));
    return strip<HandledCommand>(out.Item);
  }

  async recordCommand(command: HandledCommand) {
    const expires = new Date(Date.parse(command.handledAt) + COMMAND_RECORD_DAYS * 86_400_000).toISOString();
    return this.conditional(
      new PutCommand({
        TableName: this.table.name,
        Item: { ...keys.matrixCommand(command.eventId), kind: 'matrix-command', ...command, [TABLE.ttlAttribute]: ttlSeconds(expires) },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
  }

  async putThread(ref: ThreadRef) {
    await this.table.doc.send(new PutCommand({ TableName: this.table.name, Item: { ...keys.matrixThread(ref.runId), kind: 'matrix-thread', ...ref } }));
  }

  async thread(runId: string) {
    const out = await this.table.doc.send(new GetCommand({ TableName: this.table.name, Key: keys.matrixThread(runId) }));
    return strip<ThreadRef>(out.Item);
  }

  async queueReport(report: PendingReport) {
    await this.conditional(
      new PutCommand({ TableName: this.table.name, Item: { ...keys.matrixOutbox(report.txnId), kind: 'matrix-report', ...report }, ConditionExpression: 'attribute_not_exists(PK)' }),
    );
  }

  async pendingReports(limit: number) {
    const out = await this.table.doc.send(
      new QueryCommand({ TableName: this.table.name, KeyConditionExpression: 'PK = :p', ExpressionAttributeValues: { ':p': keys.matrixOutboxPartition }, ConsistentRead: true, Limit: 100 }),
    );
    return (out.Items ?? [])
      .map((item) => strip<PendingReport>(item)!)
      .sort((a, b) => a.queuedAt.localeCompare(b.queuedAt))
      .slice(0, limit);
  }

  async reportSent(txnId: string) {
    await this.table.doc.send(new DeleteCommand({ TableName: this.table.name, Key: keys.matrixOutbox(txnId) }));
  }

  private async conditional(command: PutCommand | UpdateCommand): Promise<boolean> {
    try {
      await this.table.doc.send(command as never);
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }
}
