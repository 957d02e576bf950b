/** The OpenProject member task poll's position in the lifecycle table: one item, written only over the value read. */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { MemberTaskPollStore } from '../../openproject/member-task-poll';
import { keys } from '../table-schema';
import { isConditionFailure, type DynamoTable } from './dynamo-table';

export class DynamoMemberTaskPollStore implements MemberTaskPollStore {
  constructor(private readonly table: DynamoTable) {}

  async position() {
    const out = await this.table.doc.send(new GetCommand({ TableName: this.table.name, Key: keys.memberTaskPoll, ConsistentRead: true }));
    return typeof out.Item?.since === 'string' ? out.Item.since : undefined;
  }

  async savePosition(next: string, previous: string | undefined, savedAt: string) {
    try {
      await this.table.doc.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: keys.memberTaskPoll,
          UpdateExpression: 'SET since = :next, savedAt = :at, kind = :k',
          // Compare and set: only over the position this turn started from (none: none stored yet).
          ConditionExpression: previous === undefined ? 'attribute_not_exists(since)' : 'since = :prev',
          ExpressionAttributeValues: { ':next': next, ':at': savedAt, ':k': 'member-task-poll', ...(previous === undefined ? {} : { ':prev': previous }) },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }
}
