/** HR events as first accepted, by event id: what makes the intake idempotent. */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../table-schema';
import type { EventRecord, EventStore } from '../lifecycle-store';
import { isConditionFailure, strip, type DynamoTable } from './dynamo-table';

export class DynamoEventRepository implements EventStore {
  constructor(private readonly table: DynamoTable) {}

  async putEventIfAbsent(event: EventRecord) {
    try {
      await this.table.doc.send(
        new PutCommand({
          TableName: this.table.name,
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
    const out = await this.table.doc.send(new GetCommand({ TableName: this.table.name, Key: keys.event(eventId), ConsistentRead: true }));
    return strip<EventRecord>(out.Item);
  }
}
