/**
 * POST /v1/intake/jira: a Jira Cloud webhook delivery, signed with the webhook's secret (not HR's key), read as a
 * hire (config/jira.ts) and handed to the same intake HR's events use. A bad or missing signature is a 401 and
 * writes nothing; a delivery that is not ours is answered 202 with why it was ignored, so Jira does not retry it.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { JiraSettings } from '../../config/jira';
import { parseLifecycleEvent } from '../engine/event-schema';
import { intakeOrRevise } from '../engine/revision';
import type { Run } from '../engine/model';
import type { EngineDeps } from '../engine/ports';
import { verifyJiraSignature } from '../providers/jira/jira-signature';
import type { JiraWriteBack } from '../jira/jira-write-back';
import { decideJiraWebhook, jiraDeliveryTime, jiraEventBody, jiraFieldOf, type JiraWebhookPayload } from '../providers/jira/jira-webhook';
import { error, json } from './responses';

/** The stage's Jira intake: its settings and the webhook secret (Secrets Manager on AWS, a local default under npm start). */
export interface JiraIntake {
  settings: JiraSettings;
  webhookSecret(): Promise<string>;
  /** The run's comment on the ticket (when the stage names a write-back account); none: the run is not reported there. */
  writeBack?: JiraWriteBack;
}

/** The largest webhook body read (the local server cuts off at 1 MB, API Gateway at 10 MB). */
export const JIRA_MAX_BODY_BYTES = 512 * 1024;

/** How the audit trail names the Jira intake where a revision changes a run. */
export const JIRA_ACTOR = 'jira-webhook';

const unprocessable = (issues: { path: string; eventField?: string; message: string }[]) =>
  error(422, `the ticket cannot be read as a hire: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { issues });

export async function postJiraWebhook(
  engine: EngineDeps,
  jira: JiraIntake | undefined,
  event: APIGatewayProxyEvent,
  body: string,
  summary: (run: Run) => unknown,
): Promise<APIGatewayProxyResult> {
  if (!jira) return error(404, 'no Jira intake is configured on this stage (stage config jira)');
  // An issue's webhook carries all its fields: more than an HR event, so a limit of its own.
  if (Buffer.byteLength(body) > JIRA_MAX_BODY_BYTES) return error(400, `invalid request: (body): must be at most ${JIRA_MAX_BODY_BYTES} bytes`, { issues: [{ path: '(body)', message: `must be at most ${JIRA_MAX_BODY_BYTES} bytes` }] });
  const check = verifyJiraSignature(await jira.webhookSecret(), event.headers, body);
  if (!check.ok) return error(401, check.error);
  let payload: JiraWebhookPayload;
  try {
    payload = JSON.parse(body) as JiraWebhookPayload;
  } catch {
    return error(400, 'invalid request: (body): must be valid JSON', { issues: [{ path: '(body)', message: 'must be valid JSON' }] });
  }
  if (!payload || typeof payload !== 'object') return error(400, 'invalid request: (body): must be a JSON object');
  const decision = decideJiraWebhook(jira.settings, payload);
  if (decision.kind === 'ignored') {
    engine.log.info('jira webhook ignored', { webhookEvent: String(payload.webhookEvent ?? ''), issueKey: payload.issue?.key });
    return json(202, { ignored: true, reason: decision.reason });
  }
  const mapped = jiraEventBody(jira.settings, payload.issue!);
  if (!mapped.ok) return unprocessable(mapped.issues);
  const parsed = parseLifecycleEvent(mapped.body, engine.clock.now());
  if (!parsed.ok) return unprocessable(parsed.issues.map((i) => ({ path: jiraFieldOf(jira.settings, i.path), eventField: i.path, message: i.message })));
  if (parsed.event.type === 'cancel') return unprocessable([{ path: '(mapping)', message: 'a ticket maps to a hire' }]);
  // A ticket edited while its run is going is a revision of its request: the run is planned again, not refused.
  // The ticket's time orders deliveries: one older than the request the run has now is answered and not applied.
  const sourceUpdatedAt = jiraDeliveryTime(payload);
  if (!sourceUpdatedAt) engine.log.warn('jira webhook without the ticket updated time: not ordered', { issueKey: decision.issueKey });
  const result = await intakeOrRevise(engine, parsed.event, parsed.canonical, JIRA_ACTOR, sourceUpdatedAt ? { sourceUpdatedAt } : {});
  const ticket = { issueKey: decision.issueKey, eventId: parsed.event.eventId };
  engine.log.info('jira webhook read', { ...ticket, decision: decision.kind, outcome: result.outcome });
  // The plan (or the revised plan) with its role tree, on the ticket; a failed write leaves the answer as it is.
  if (result.outcome === 'created' || result.outcome === 'revised') await jira.writeBack?.report(result.run);
  switch (result.outcome) {
    case 'revised':
      return json(200, { ...ticket, ...(summary(result.run) as object), revision: { number: result.revision, added: result.added, replanned: result.replanned, cancelled: result.cancelled, kept: result.kept } });
    case 'created':
      return json(202, { ...ticket, ...(summary(result.run) as object) });
    case 'duplicate':
      return json(200, { ...ticket, ...(summary(result.run) as object) });
    case 'stale':
      engine.log.info('jira webhook older than the request applied', { ...ticket, runId: result.run.runId });
      return json(200, { ...ticket, ...(summary(result.run) as object), ignored: true, reason: `the delivery shows the ticket as it was at ${sourceUpdatedAt}, before the request the run has (${result.appliedAt})` });
    case 'conflict':
      return error(409, result.message, ticket);
    case 'rejected':
      return unprocessable([{ path: jiraFieldOf(jira.settings, result.path), eventField: result.path, message: result.message }]);
    case 'unavailable':
      return error(503, result.message);
  }
}
