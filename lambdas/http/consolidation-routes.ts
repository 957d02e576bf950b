/** The consolidation routes: the latest report, a consolidation now, and a finding's fix (docs/consolidation.md). */
import type { APIGatewayProxyResult } from 'aws-lambda';
import * as z from '../shared/zod';
import type { ConsolidationApi } from '../consolidation/consolidation-api';
import type { ConsolidationReport, ConsolidationReportView } from '../consolidation/report';
import { error, json } from './responses';

const FINDING_ID = /^[0-9a-f]{20}$/;
const EMPLOYEE_ID = z.string().check(z.minLength(1), z.maxLength(128), z.regex(/^[A-Za-z0-9._@-]+$/, 'must be an employee id (letters, digits, . _ @ -)'));

export const fixBody = z.discriminatedUnion('fix', [
  z.strictObject({ fix: z.literal('bind'), employeeId: EMPLOYEE_ID }),
  z.strictObject({ fix: z.literal('grant') }),
  z.strictObject({ fix: z.literal('remove') }),
]);

const unavailable = () => error(503, 'consolidation is not configured in this stage');

/** The report as the API answers it: the findings, and per system how long its read took and what it cost. */
export const reportView = (report: ConsolidationReport): ConsolidationReportView => ({ ...report, durationMs: Date.parse(report.finishedAt) - Date.parse(report.startedAt) });

export async function getConsolidation(api: ConsolidationApi | undefined): Promise<APIGatewayProxyResult> {
  if (!api) return unavailable();
  const report = await api.latest();
  return report ? json(200, reportView(report)) : error(404, 'no consolidation has run yet: POST /v1/consolidation/run');
}

export async function postConsolidationRun(api: ConsolidationApi | undefined, actor: string): Promise<APIGatewayProxyResult> {
  if (!api) return unavailable();
  const out = await api.run(actor);
  return 'accepted' in out ? json(202, { accepted: true, message: 'consolidation started: GET /v1/consolidation shows its report once it is done' }) : json(200, reportView(out.report));
}

export async function postFindingFix(api: ConsolidationApi | undefined, body: string, findingId: string, actor: string, subject?: string): Promise<APIGatewayProxyResult> {
  if (!FINDING_ID.test(findingId)) return error(400, `invalid request: id: ${JSON.stringify(findingId.slice(0, 40))} is not a finding id`, { issues: [{ path: 'id', message: 'is not a finding id' }] });
  let parsedJson: unknown;
  try {
    parsedJson = JSON.parse(body || '{}');
  } catch {
    return error(400, 'invalid request: (body): must be valid JSON', { issues: [{ path: '(body)', message: 'must be valid JSON' }] });
  }
  const parsed = fixBody.safeParse(parsedJson);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }));
    return error(400, `invalid request: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { issues });
  }
  if (!api) return unavailable();
  const out = await api.fix(findingId, parsed.data, actor, subject);
  if (!out.ok) return error(out.status, out.message, out.path ? { path: out.path } : {});
  return json(out.created ? 201 : 200, out);
}
