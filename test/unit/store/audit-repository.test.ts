/** The audit trail's batch writes: what DynamoDB leaves unprocessed is written again after a backoff, never dropped. */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry } from '../../../lambdas/engine/model';
import { DynamoAuditRepository } from '../../../lambdas/store/dynamo/audit-repository';

const entry = (n: number): AuditEntry => ({ at: '2030-01-01T00:00:00.000Z', employeeId: 'E1', runId: 'run-1', actor: 'engine', change: `change ${n}` });

/** A document client that leaves the first `unprocessed` put requests of each of its first `times` answers unprocessed. */
function throttlingDoc(times: number, unprocessed = 1) {
  const batches: unknown[][] = [];
  let left = times;
  const doc = {
    send: async (command: BatchWriteCommand) => {
      const requests = command.input.RequestItems!.audit;
      batches.push(requests);
      return left-- > 0 ? { UnprocessedItems: { audit: requests.slice(0, unprocessed) } } : {};
    },
  } as unknown as DynamoDBDocumentClient;
  return { doc, batches };
}

describe('appending to the audit trail', () => {
  it('writes in batches of 25 and writes again what was left unprocessed, after a doubling pause', async () => {
    const { doc, batches } = throttlingDoc(2);
    const pauses: number[] = [];
    const repo = new DynamoAuditRepository({ doc, name: 'audit' }, { pause: async (ms) => void pauses.push(ms) });
    await repo.appendAudit(Array.from({ length: 30 }, (_, i) => entry(i)));
    expect(batches.map((b) => b.length)).toEqual([25, 1, 1, 5]);
    expect(pauses).toEqual([50, 100]);
  });

  it('gives up, saying how many entries are unwritten, when DynamoDB keeps leaving them unprocessed', async () => {
    const { doc } = throttlingDoc(100, 2);
    const pauses: number[] = [];
    const repo = new DynamoAuditRepository({ doc, name: 'audit' }, { pause: async (ms) => void pauses.push(ms) });
    await expect(repo.appendAudit([entry(1), entry(2)])).rejects.toThrow('audit: 2 entries not written after retries');
    expect(pauses).toHaveLength(9);
  });
});
