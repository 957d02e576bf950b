/** The naive sweep the design avoids, for comparison only: Scan the whole table and keep the run items that are due. */
import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLE } from '../lambdas/store/table-schema';

export interface ScanSweepReport {
  /** Items the Scan read (sum of ScannedCount): every item in the table, whatever the filter keeps. */
  itemsRead: number;
  /** Run items the filter kept. */
  runsDue: number;
  runIds: string[];
  pages: number;
}

/** Finds the due runs as a sweep without the due index would: one Scan, paginated, filtered on dueAt, whole items back. */
export async function scanSweep(doc: DynamoDBDocumentClient, tableName: string, now: Date): Promise<ScanSweepReport> {
  const report: ScanSweepReport = { itemsRead: 0, runsDue: 0, runIds: [], pages: 0 };
  let start: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new ScanCommand({
        TableName: tableName,
        // A filter trims what comes back, not what is read: ScannedCount still counts every item.
        FilterExpression: '#kind = :run AND #due <= :now',
        ExpressionAttributeNames: { '#kind': 'kind', '#due': TABLE.dueIndex.sortKey },
        ExpressionAttributeValues: { ':run': 'run', ':now': now.toISOString() },
        ExclusiveStartKey: start,
      }),
    );
    report.pages += 1;
    report.itemsRead += page.ScannedCount ?? 0;
    for (const item of page.Items ?? []) report.runIds.push(String(item.runId));
    start = page.LastEvaluatedKey;
  } while (start);
  report.runsDue = report.runIds.length;
  return report;
}

/** Items in the table, counted with a Scan (Select COUNT); setup only, not part of any measured sweep. */
export async function countItems(doc: DynamoDBDocumentClient, tableName: string): Promise<number> {
  let items = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(new ScanCommand({ TableName: tableName, Select: 'COUNT', ExclusiveStartKey: start }));
    items += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}
