/**
 * Consolidation reports in one partition: a header item per report and its findings in pages of FINDINGS_PER_PAGE
 * beside it; the latest `keep` reports are kept, older ones deleted when a new one is stored. Also lists every employee
 * id, from the search terms' partition (each employee's id is one of its terms).
 */
import { BatchWriteCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../table-schema';
import type { Finding } from '../../consolidation/report';
import { FINDINGS_PER_PAGE, type ConsolidationReport, type ConsolidationStore, type ReportHeader } from '../../consolidation/report';
import { queryAll, strip, type DynamoTable } from './dynamo-table';

export class DynamoConsolidationRepository implements ConsolidationStore {
  constructor(private readonly table: DynamoTable) {}

  async putReport(report: ConsolidationReport, keep: number): Promise<void> {
    const { findings, ...rest } = report;
    const pages: Finding[][] = [];
    for (let i = 0; i < findings.length; i += FINDINGS_PER_PAGE) pages.push(findings.slice(i, i + FINDINGS_PER_PAGE));
    // Findings first, the header last: a report is listed only once all of it is written.
    for (const [n, page] of pages.entries()) {
      await this.table.doc.send(new PutCommand({ TableName: this.table.name, Item: { ...keys.consolidationFindings(report.startedAt, report.reportId, n), kind: 'consolidation-findings', findings: page } }));
    }
    const header: ReportHeader = { ...rest, findingPages: pages.length };
    await this.table.doc.send(new PutCommand({ TableName: this.table.name, Item: { ...keys.consolidationRun(report.startedAt, report.reportId), kind: 'consolidation-report', ...header } }));
    await this.prune(keep);
  }

  private async headers(newestFirst: boolean, limit?: number): Promise<ReportHeader[]> {
    const out = await this.table.doc.send(
      new QueryCommand({
        TableName: this.table.name,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.consolidationPartition, ':prefix': keys.consolidationRunPrefix },
        ScanIndexForward: !newestFirst,
        ...(limit ? { Limit: limit } : {}),
      }),
    );
    return (out.Items ?? []).map((i) => strip<ReportHeader>(i)!);
  }

  private async prune(keep: number): Promise<void> {
    const all = await this.headers(true);
    for (const old of all.slice(Math.max(1, keep))) {
      const pages = await queryAll(this.table, {
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.consolidationPartition, ':prefix': keys.consolidationFindingsPrefix(old.startedAt, old.reportId) },
        ProjectionExpression: 'PK, SK',
      });
      const deletes = [...pages.map((p) => ({ PK: p.PK, SK: p.SK })), keys.consolidationRun(old.startedAt, old.reportId)];
      for (let i = 0; i < deletes.length; i += 25) {
        await this.table.doc.send(new BatchWriteCommand({ RequestItems: { [this.table.name]: deletes.slice(i, i + 25).map((Key) => ({ DeleteRequest: { Key } })) } }));
      }
    }
  }

  async latestReport(): Promise<ConsolidationReport | undefined> {
    const [header] = await this.headers(true, 1);
    if (!header) return undefined;
    const pages = await queryAll(this.table, {
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.consolidationPartition, ':prefix': keys.consolidationFindingsPrefix(header.startedAt, header.reportId) },
    });
    const { findingPages: _n, ...rest } = header;
    return { ...rest, findings: pages.flatMap((p) => (p.findings as Finding[] | undefined) ?? []) };
  }

  async listEmployeeIds(): Promise<string[]> {
    const items = await queryAll(this.table, {
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.employeeSearchPartition },
      ProjectionExpression: 'employeeId',
    });
    return [...new Set(items.map((i) => i.employeeId).filter((id): id is string => typeof id === 'string'))].sort();
  }
}
