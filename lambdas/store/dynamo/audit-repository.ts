/** The append-only audit trail, under each employee. */
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry } from '../../engine/model';
import { randomToken } from '../../engine/ids';
import { keys } from '../table-schema';
import type { AuditStore } from '../lifecycle-store';
import { queryAll, strip, type DynamoTable } from './dynamo-table';

/** DynamoDB's BatchWriteItem limit. */
const BATCH = 25;
const MAX_TRIES = 8;

export interface AuditRepositoryOptions {
  /** Waits before writing again what DynamoDB left unprocessed; a real pause unless a test drives it. */
  pause?: (ms: number) => Promise<void>;
}

const realPause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class DynamoAuditRepository implements AuditStore {
  private readonly pause: (ms: number) => Promise<void>;

  constructor(
    private readonly table: DynamoTable,
    options: AuditRepositoryOptions = {},
  ) {
    this.pause = options.pause ?? realPause;
  }

  async appendAudit(entries: AuditEntry[]) {
    for (let i = 0; i < entries.length; i += BATCH) {
      const chunk = entries.slice(i, i + BATCH);
      // Entries written together keep their order when they share a timestamp; the random part keeps writers apart.
      let pending = chunk.map((e, j) => ({
        PutRequest: { Item: { ...keys.audit(e.employeeId, e.at, `${String(i + j).padStart(4, '0')}${randomToken(4)}`), kind: 'audit', ...e } },
      }));
      for (let tries = 0; pending.length > 0; tries++) {
        if (tries > MAX_TRIES) throw new Error(`audit: ${pending.length} entries not written after retries`);
        const out = await this.table.doc.send(new BatchWriteCommand({ RequestItems: { [this.table.name]: pending } }));
        pending = (out.UnprocessedItems?.[this.table.name] ?? []) as typeof pending;
        if (pending.length) await this.pause(50 * 2 ** tries);
      }
    }
  }

  async listAudit(employeeId: string) {
    const items = await queryAll(this.table, {
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :a)',
      ExpressionAttributeValues: { ':pk': keys.employee(employeeId).PK, ':a': keys.auditPrefix },
    });
    return items.map((i) => strip<AuditEntry>(i)!);
  }
}
