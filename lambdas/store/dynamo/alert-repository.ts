/** Operator alerts, in one partition: few, and always listed together. */
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Alert } from '../../engine/model';
import { keys } from '../table-schema';
import type { AlertStore } from '../lifecycle-store';
import { isConditionFailure, queryAll, strip, type DynamoTable } from './dynamo-table';

export class DynamoAlertRepository implements AlertStore {
  constructor(private readonly table: DynamoTable) {}

  async putAlert(alert: Alert) {
    try {
      await this.table.doc.send(
        new PutCommand({
          TableName: this.table.name,
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
    const items = await queryAll(this.table, {
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.alertPartition },
    });
    return items
      .map((i) => strip<Alert>(i)!)
      .filter((a) => !status || a.status === status)
      .sort((a, b) => b.raisedAt.localeCompare(a.raisedAt));
  }

  async resolveAlert(alertId: string, resolvedAt: string, resolution?: string) {
    try {
      await this.table.doc.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: keys.alert(alertId),
          UpdateExpression: `SET #s = :r, resolvedAt = :at${resolution ? ', resolution = :why' : ''}`,
          // Only an open alert: one resolved already keeps the time and reason it was resolved with.
          ConditionExpression: 'attribute_exists(PK) AND #s = :open',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':r': 'resolved', ':at': resolvedAt, ':open': 'open', ...(resolution ? { ':why': resolution } : {}) },
        }),
      );
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
  }
}
