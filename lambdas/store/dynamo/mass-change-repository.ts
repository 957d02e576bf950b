/** The mass-change guard's per-window counters and its one open quarantine batch. */
import { createHash } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../table-schema';
import type { MassChangeBatch, MassChangeStore } from '../lifecycle-store';
import { isConditionFailure, strip, type DynamoTable } from './dynamo-table';

/** An event's attribute on its window's counter item: a short hash keeps the item small (about 30 bytes an event). */
const massChangeSlot = (eventId: string) => `E_${createHash('sha256').update(eventId).digest('hex').slice(0, 20)}`;

function placeOf(value: unknown, windowStart: string, eventId: string): number {
  if (typeof value !== 'number') throw new Error(`mass-change window ${windowStart}: event ${eventId} has no place recorded (${JSON.stringify(value)})`);
  return value;
}

export class DynamoMassChangeRepository implements MassChangeStore {
  constructor(private readonly table: DynamoTable) {}

  async countMassChange(windowStart: string, eventId: string) {
    const key = keys.massChangeWindow(windowStart);
    const slot = massChangeSlot(eventId);
    try {
      const out = await this.table.doc.send(
        new UpdateCommand({
          TableName: this.table.name,
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
    const out = await this.table.doc.send(new GetCommand({ TableName: this.table.name, Key: key, ConsistentRead: true }));
    return placeOf(out.Item?.[slot], windowStart, eventId);
  }

  async massChangeCount(windowStart: string) {
    const out = await this.table.doc.send(
      new GetCommand({ TableName: this.table.name, Key: keys.massChangeWindow(windowStart), ConsistentRead: true }),
    );
    return typeof out.Item?.count === 'number' ? out.Item.count : 0;
  }

  async openMassChangeBatch(batch: MassChangeBatch): Promise<{ opened: boolean; batch: MassChangeBatch }> {
    try {
      await this.table.doc.send(
        new PutCommand({
          TableName: this.table.name,
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
    const out = await this.table.doc.send(new GetCommand({ TableName: this.table.name, Key: keys.massChangeBatch, ConsistentRead: true }));
    return strip<MassChangeBatch>(out.Item);
  }

  async closeMassChangeBatch(batchId: string) {
    try {
      await this.table.doc.send(
        new DeleteCommand({
          TableName: this.table.name,
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
}
