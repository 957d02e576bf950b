/** Signed HR requests the intake refused, by the hash of their signature, kept while the signature is valid. */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { keys, TABLE, ttlSeconds } from '../table-schema';
import type { RefusalStore, RefusedRequest } from '../lifecycle-store';
import { strip, type DynamoTable } from './dynamo-table';

export class DynamoRefusalRepository implements RefusalStore {
  constructor(private readonly table: DynamoTable) {}

  async rememberRefusal(refusal: RefusedRequest) {
    await this.table.doc.send(
      new PutCommand({
        TableName: this.table.name,
        Item: { ...keys.refusedRequest(refusal.signatureHash), kind: 'refused', ...refusal, [TABLE.ttlAttribute]: ttlSeconds(refusal.expiresAt) },
      }),
    );
  }

  async findRefusal(signatureHash: string, now: string) {
    const out = await this.table.doc.send(
      new GetCommand({ TableName: this.table.name, Key: keys.refusedRequest(signatureHash), ConsistentRead: true }),
    );
    const refusal = strip<RefusedRequest>(out.Item);
    // DynamoDB deletes expired items only eventually, and the embedded store never does.
    return refusal && refusal.expiresAt > now ? refusal : undefined;
  }
}
