/**
 * POST /v1/intake/openproject: an OpenProject webhook delivery (work_package:updated), signed with the webhook's
 * secret (X-OP-Signature), read as a member task change (docs/openproject.md#member-tasks). A bad or missing
 * signature is a 401 and changes nothing; a delivery that is not a member task is answered 202 with why it was
 * ignored, so OpenProject does not retry it. A change another delivery is still handling, or one that could not be
 * read, is a 503: OpenProject delivers it again. The answer names ids, never a person's address.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { EngineDeps } from '../engine/ports';
import { memberTaskChanged, type MemberTaskDeps } from '../openproject/member-tasks';
import { memberTaskOf, verifyOpenProjectSignature, type OpenProjectWebhookPayload } from '../providers/openproject/openproject-webhook';
import { error, json } from './responses';

/** The stage's member task intake: the workflow's deps and the webhook's signature secret. */
export interface OpenProjectIntake {
  memberTasks: MemberTaskDeps;
  webhookSecret(): Promise<string>;
}

/** The largest webhook body read: a work package with its embedded resources. */
export const OPENPROJECT_MAX_BODY_BYTES = 512 * 1024;

export async function postOpenProjectWebhook(engine: EngineDeps, intake: OpenProjectIntake | undefined, event: APIGatewayProxyEvent, body: string): Promise<APIGatewayProxyResult> {
  if (!intake) return error(404, 'no OpenProject member tasks are configured on this stage (stage config openproject.memberTasks)');
  if (Buffer.byteLength(body) > OPENPROJECT_MAX_BODY_BYTES) return error(400, `invalid request: (body): must be at most ${OPENPROJECT_MAX_BODY_BYTES} bytes`, { issues: [{ path: '(body)', message: `must be at most ${OPENPROJECT_MAX_BODY_BYTES} bytes` }] });
  const check = verifyOpenProjectSignature(await intake.webhookSecret(), event.headers, body);
  if (!check.ok) return error(401, check.error);
  let payload: OpenProjectWebhookPayload;
  try {
    payload = JSON.parse(body) as OpenProjectWebhookPayload;
  } catch {
    return error(400, 'invalid request: (body): must be valid JSON', { issues: [{ path: '(body)', message: 'must be valid JSON' }] });
  }
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) return error(400, 'invalid request: (body): must be a JSON object', { issues: [{ path: '(body)', message: 'must be a JSON object' }] });
  const { project, typeId } = intake.memberTasks.settings;
  const task = memberTaskOf(payload, project, typeId);
  if (!task.ok) {
    engine.log.info('openproject webhook ignored', { action: String(payload.action ?? ''), workPackageId: payload.work_package?.id });
    return json(202, { ignored: true, reason: task.reason });
  }
  try {
    const outcome = await memberTaskChanged(intake.memberTasks, task.workPackage);
    engine.log.info('openproject webhook read', { workPackageId: task.workPackage.id, outcome: outcome.outcome, ...('runId' in outcome ? { runId: outcome.runId } : {}) });
    // Another delivery's handling of the same change has not finished: answered as not read, so OpenProject delivers it
    // again (then handled, or answered handled); 'ignored' (202) is kept for a change that needs nothing or is done.
    if (outcome.outcome === 'busy') return error(503, 'the member task change is being handled by another delivery; OpenProject delivers it again');
    return json(outcome.outcome === 'ignored' ? 202 : 200, { workPackageId: task.workPackage.id, ...outcome });
  } catch (err) {
    // OpenProject (or the store) did not answer: OpenProject delivers again later.
    // The caller is told no more than that: the provider's or the store's words stay in this function's log.
    engine.log.warn('openproject webhook not read', { workPackageId: task.workPackage.id, error: err instanceof Error ? err.name : 'unknown' });
    return error(503, 'the member task could not be read now; OpenProject delivers it again');
  }
}
