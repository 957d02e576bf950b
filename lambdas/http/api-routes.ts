/** The HTTP API: routes a request to an engine use case and shapes the answer. No business rules here. */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import * as z from '../shared/zod';
import { findControlChar } from '../shared/control-chars';
import { CONSOLE_EVENT_ID_PREFIX, IMPORT_EVENT_ID_PREFIX, OPERATOR_EVENT_ID_PREFIXES, parseLifecycleEvent } from '../engine/event-schema';
import { importEventId } from '../engine/hire-import';
import { intake, type EventOrigin } from '../engine/intake';
import { ACCOUNT_SYSTEMS, RUN_STATUSES, RUN_TYPES, type LifecycleEvent, type Run } from '../engine/model';
import { listRunPage, RUN_PAGE } from '../engine/run-listing';
import { upcomingSteps, UPCOMING_DAYS } from '../engine/upcoming';
import { previewEvent } from '../engine/preview';
import { EMPLOYEE_SEARCH, searchEmployees } from '../engine/employee-search';
import { OPERATOR_PERMISSIONS } from './operator-access';
import {
  employeeView,
  findRunView,
  listAlerts,
  operatorApprove,
  operatorCancel,
  operatorConfirmAccount,
  operatorReject,
  operatorRejectQuarantine,
  operatorReleaseQuarantine,
  operatorReplan,
  operatorRetry,
  operatorSkip,
  quarantineView,
} from '../engine/operator';
import type { EngineDeps, RoleSource } from '../engine/ports';
import { TransitionError } from '../engine/step-machine';
import { sweep } from '../engine/sweep';
import { catalogView, roleView } from '../roles/role-view';
import { revealPassword, welcomePage, PAGE_HEADERS, type RevealPage } from '../credentials/reveal';
import type { PasswordSealer } from '../credentials/password-sealer';
import { error, json } from './responses';
import { attestEmployee } from '../attestation/attest';
import { attestationText } from '../attestation/attestation';
import { attestationPdf } from '../attestation/attestation-pdf';
import type { AttestationSigner } from '../attestation/signer';
import { rememberIfRefused, refusedBefore } from './refusal-memory';
import { header, HR_PURPOSE, verifySignature, type KeyRing } from './signature';
import { mayUse, permissionsOf, refusal, type Caller } from './operator-auth';
import { isOperatorRoute, pathPattern, ROUTES, type OperatorRouteKey, type RouteKey } from './route-table';
import { postJiraWebhook, type JiraIntake } from './jira-route';
import type { InactivityReport } from '../inactivity/check';
import type { InactivityRunAnswer } from '../consolidation/directory-read';
import { postOpenProjectWebhook, type OpenProjectIntake } from './openproject-route';
import { getConsolidation, postConsolidationRun, postFindingFix } from './consolidation-routes';
import type { ConsolidationApi } from '../consolidation/consolidation-api';

export const MAX_BODY_BYTES = 64 * 1024;

export interface ApiDeps {
  engine: EngineDeps;
  /** The key HR signs events with, both versions. */
  hrKeys(): Promise<KeyRing>;
  /** Who makes an operator call and their groups, or undefined when the request carries no valid credential. */
  operator(event: APIGatewayProxyEvent): Caller | undefined;
  /** The role catalog; without it the role routes answer 503. */
  roles?: RoleSource;
  /** Opens sealed initial passwords for the welcome link; without it the welcome routes answer 503. */
  passwords?: () => PasswordSealer;
  /** Signs offboarding attestations (KMS on AWS, a local key under npm start); without it the attestation routes answer 503. */
  attestation?: () => AttestationSigner;
  /** Jira Cloud as an intake (POST /v1/intake/jira); without it the route answers 404. */
  jira?: JiraIntake;
  /** The inactivity check as a dry run (GET /v1/inactivity: docs/inactivity.md); without it the route answers 503. */
  inactivity?: () => Promise<InactivityReport>;
  /** The inactivity check for real, now (POST /v1/inactivity/run), named as run by the operator; without it the route answers 503. */
  inactivityRun?: (requestedBy: string) => Promise<InactivityRunAnswer>;
  /** OpenProject member tasks (POST /v1/intake/openproject); without them the route answers 404. */
  openproject?: OpenProjectIntake;
  /** Consolidation's report, run and fixes; without it the consolidation routes answer 503. */
  consolidation?: ConsolidationApi;
}

/** The role catalog, or why it cannot be read (Notion's own message, e.g. its token is invalid). */
async function loadRoles(deps: ApiDeps) {
  if (!deps.roles) return { response: error(503, 'no role catalog is configured') };
  try {
    return { catalog: await deps.roles.catalog.load(), roles: deps.roles };
  } catch (err) {
    return { response: error(502, `the role catalog could not be read from Notion: ${err instanceof Error ? err.message : String(err)}`) };
  }
}

/** What the HR system gets back: the run and its planned steps. */
export function runSummary(run: Run) {
  return {
    runId: run.runId,
    type: run.type,
    status: run.status,
    steps: run.steps.map((s) => ({ stepId: s.stepId, action: s.action, status: s.status, dueAt: s.dueAt })),
    ...(run.cancelsRunId ? { cancelsRunId: run.cancelsRunId } : {}),
    ...(run.notes?.length ? { notes: run.notes } : {}),
    ...(run.restoresRunId ? { restoresRunId: run.restoresRunId } : {}),
    ...(run.approval ? { approval: run.approval } : {}),
    ...(run.massChange?.held ? { massChange: run.massChange } : {}),
    ...(run.sentBy ? { sentBy: run.sentBy } : {}),
  };
}

function rawBody(event: APIGatewayProxyEvent): string {
  if (!event.body) return '';
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
}

const badRequest = (issues: { path: string; message: string }[]) =>
  error(400, `invalid request: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { issues });

const NO_INACTIVITY_CHECK = 'no inactivity check is configured: no directory reader is wired in (docs/inactivity.md)';

const tooLarge = (body: string) => (Buffer.byteLength(body) > MAX_BODY_BYTES ? badRequest([{ path: '(body)', message: `must be at most ${MAX_BODY_BYTES} bytes` }]) : undefined);

async function postEvent(deps: ApiDeps, event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const body = rawBody(event);
  const large = tooLarge(body);
  if (large) return large;
  // Replay protection is about real time, whatever clock the engine plans with.
  const now = new Date();
  const check = verifySignature(await deps.hrKeys(), HR_PURPOSE, event.headers, body, Math.floor(now.getTime() / 1000));
  if (!check.ok) return error(401, check.error);
  // Tells operators during a rotation when HR has stopped using the old key.
  if (check.keyVersion === 'previous') deps.engine.log.warn('HR event signed with the previous version of the HR key', {});
  const before = await refusedBefore(deps.engine.store, check, now);
  if (before) return before;
  const answer = await acceptEvent(deps, event, body);
  await rememberIfRefused(deps.engine.store, check, answer, now);
  return answer;
}

/** An HR event's body, checked against the event schema: the event, or the 400 naming what is wrong. */
function readLifecycleEvent(deps: ApiDeps, event: APIGatewayProxyEvent, body: string): { ok: true; event: LifecycleEvent; canonical: string } | { ok: false; response: APIGatewayProxyResult } {
  const contentType = header(event.headers, 'content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(contentType)) {
    return { ok: false, response: badRequest([{ path: 'content-type', message: 'must be application/json' }]) };
  }
  let parsedJson: unknown;
  try {
    parsedJson = JSON.parse(body);
  } catch {
    return { ok: false, response: badRequest([{ path: '(body)', message: 'must be valid JSON' }]) };
  }
  const parsed = parseLifecycleEvent(parsedJson, deps.engine.clock.now());
  if (!parsed.ok) return { ok: false, response: badRequest(parsed.issues) };
  return { ok: true, event: parsed.event, canonical: parsed.canonical };
}

/** An event's content, from HR (signed) or from a person (the operator route): checked, then handed to the one intake. */
async function acceptEvent(deps: ApiDeps, event: APIGatewayProxyEvent, body: string, origin: EventOrigin = {}): Promise<APIGatewayProxyResult> {
  const parsed = readLifecycleEvent(deps, event, body);
  if (!parsed.ok) return parsed.response;
  const refused = origin.sentBy ? operatorEventProblem(parsed.event) : undefined;
  if (refused) return badRequest([refused]);
  const result = await intake(deps.engine, parsed.event, parsed.canonical, origin);
  switch (result.outcome) {
    case 'created':
      return json(202, runSummary(result.run));
    case 'duplicate':
      return json(200, runSummary(result.run));
    case 'conflict':
      return error(409, result.message);
    case 'rejected':
      return badRequest([{ path: result.path, message: result.message }]);
    case 'unavailable':
      return error(503, result.message);
  }
}

/**
 * What the operator route refuses that HR may send: an event id outside the console's own namespaces (so a person
 * cannot take an id HR will use, and make HR's real event a 409), and a cancel (an operator cancels a run by its id,
 * POST /v1/runs/{runId}/cancel, under the cancel permission).
 */
function operatorEventProblem(event: LifecycleEvent): { path: string; message: string } | undefined {
  if (!OPERATOR_EVENT_ID_PREFIXES.some((p) => event.eventId.startsWith(p))) {
    return { path: 'eventId', message: `must start with ${OPERATOR_EVENT_ID_PREFIXES.join(' or ')} when sent through the operator route: other ids are HR's` };
  }
  // An import id is the one the CSV import gives that event (lifecycle import signs the same as HR): no other event may take it.
  if (event.eventId.startsWith(IMPORT_EVENT_ID_PREFIX) && (event.type === 'cancel' || event.eventId !== importEventId(event.employee.id, event.effectiveDate, event.type))) {
    return { path: 'eventId', message: `an ${IMPORT_EVENT_ID_PREFIX} id is the CSV import's id of an event (its type, employee id and date); use a ${CONSOLE_EVENT_ID_PREFIX} id` };
  }
  if (event.type === 'cancel') return { path: 'type', message: 'cancel is not sent through the operator route: cancel the run with POST /v1/runs/{runId}/cancel' };
  return undefined;
}

type Handler = (deps: ApiDeps, event: APIGatewayProxyEvent, params: string[], actor: string, caller: Caller) => Promise<APIGatewayProxyResult>;

/** An event sent from the console: the person signed in, named as the audit trail names them, and their token's subject. */
const senderOf = (actor: string, caller: Caller): EventOrigin => ({ sentBy: actor, ...(caller.subject ? { senderSubject: caller.subject } : {}) });

const statusQuery = z.enum(RUN_STATUSES, { error: `must be one of ${RUN_STATUSES.join(', ')}` });
const isoDateQuery = z.string().check(
  z.refine((d) => /^\d{4}-\d{2}-\d{2}$/.test(d) && !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'must be a date, YYYY-MM-DD'),
);
const intQuery = (min: number, max: number) =>
  z.string().check(z.refine((v) => /^\d{1,4}$/.test(v) && Number(v) >= min && Number(v) <= max, `must be a whole number from ${min} to ${max}`));
/** The filters of GET /v1/runs, as query strings; each refusal names its field. */
const runsQuery = z.strictObject({
  status: z.optional(statusQuery),
  type: z.optional(z.enum(RUN_TYPES, { error: `must be one of ${RUN_TYPES.join(', ')}` })),
  from: z.optional(isoDateQuery),
  to: z.optional(isoDateQuery),
  employee: z.optional(z.string().check(z.minLength(1, 'must name an employee id'), z.maxLength(128))),
  limit: z.optional(intQuery(1, RUN_PAGE.maxLimit)),
  next: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))),
});
const employeeSearchQuery = z.strictObject({
  q: z.string({ error: 'is required: an employee id, or the start of a name or company address' }).check(
    z.refine((q) => q.trim().length >= EMPLOYEE_SEARCH.minLength && q.length <= EMPLOYEE_SEARCH.maxLength, `must be ${EMPLOYEE_SEARCH.minLength} to ${EMPLOYEE_SEARCH.maxLength} characters`),
  ),
  limit: z.optional(intQuery(1, EMPLOYEE_SEARCH.maxLimit)),
});
const previewQuery = z.strictObject({ from: z.optional(z.enum(['console'], { error: 'must be console (as sent through the operator route), or left out (as HR sends it)' })) });
const attestationQuery = z.strictObject({ format: z.optional(z.enum(['json', 'pdf'], { error: 'must be json or pdf (or left out: the Accept header decides, JSON unless it asks for application/pdf)' })) });
const upcomingQuery = z.strictObject({ days: z.optional(intQuery(UPCOMING_DAYS.min, UPCOMING_DAYS.max)) });

/** A query string checked against a schema: unknown parameters are refused by name too. */
function queryOf<T>(e: APIGatewayProxyEvent, schema: z.ZodMiniType<T>): { ok: true; data: T } | { ok: false; response: APIGatewayProxyResult } {
  const parsed = schema.safeParse({ ...(e.queryStringParameters ?? {}) });
  if (parsed.success) return { ok: true, data: parsed.data };
  const issues = parsed.error.issues.map((i) => ({
    path: i.path.join('.') || (i.code === 'unrecognized_keys' ? (i as { keys?: string[] }).keys?.join(', ') ?? '(query)' : '(query)'),
    message: i.code === 'unrecognized_keys' ? 'is not a parameter of this route' : i.message,
  }));
  return { ok: false, response: badRequest(issues) };
}
const alertQuery = z.optional(z.enum(['open', 'resolved'], { error: 'must be open or resolved' }));

/** An approval names the plan it approves: the hash shown with the run (GET /v1/runs/{runId}, `approval.planHash`). */
const approveBody = z.strictObject({ planHash: z.string().check(z.regex(/^[0-9a-f]{32}$/, 'must be the 32 hex digits of approval.planHash')) });
/** Why a step is done by hand (optional; the console asks for it): kept in the audit trail. */
const skipBody = z.strictObject({
  // A newline could fake a line of the audit trail where it is printed as text.
  reason: z.optional(z.string().check(z.minLength(1), z.maxLength(1000), z.refine((r) => findControlChar(r) === undefined, 'must not contain control characters'))),
});
const rejectBody = z.strictObject({ ...approveBody.shape, reason: z.string().check(z.minLength(1), z.maxLength(1000)) });
/** A confirmation names the account it confirms, as the held step's alert shows it, and what it confirms. */
const confirmAccountBody = z.strictObject({
  system: z.enum(ACCOUNT_SYSTEMS, { error: `must be one of ${ACCOUNT_SYSTEMS.join(', ')}` }),
  account: z.string().check(z.minLength(1, 'must name the account'), z.maxLength(254), z.refine((a) => !/\s/.test(a) && findControlChar(a) === undefined, 'must be an address or username without spaces or control characters')),
  confirms: z.enum(['adopt', 'protected'], { error: 'must be adopt (bind an unbound account to the employee) or protected (act on a protected account)' }),
});

/** A quarantine decision names how many runs the operator saw held: a batch grown since is not decided blind. */
const releaseQuarantineBody = z.strictObject({ count: z.number().check(z.int(), z.gte(1)) });
const rejectQuarantineBody = z.strictObject({ ...releaseQuarantineBody.shape, reason: z.string().check(z.minLength(1), z.maxLength(1000)) });

const quarantineAnswer = (out: Awaited<ReturnType<typeof operatorReleaseQuarantine>>) =>
  out.ok ? json(200, out) : error(409, `${out.held} runs are quarantined now, not the count named: read GET /v1/quarantine and decide on what it shows`, { held: out.held });

function decisionBody<T>(e: APIGatewayProxyEvent, schema: z.ZodMiniType<T>): { ok: true; data: T } | { ok: false; response: APIGatewayProxyResult } {
  let parsedJson: unknown;
  try {
    parsedJson = JSON.parse(rawBody(e) || '{}');
  } catch {
    return { ok: false, response: badRequest([{ path: '(body)', message: 'must be valid JSON' }]) };
  }
  const parsed = schema.safeParse(parsedJson);
  if (!parsed.success) return { ok: false, response: badRequest(parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }))) };
  return { ok: true, data: parsed.data };
}

/** What each operator route does, by its key in the route table. */
const operatorHandlers: Record<OperatorRouteKey, Handler> = {
  getEmployee: async (deps, _e, [id]) => {
    const view = await employeeView(deps.engine, id);
    return view ? json(200, view) : error(404, `employee ${id} not found`);
  },
  getAttestation: async (deps, e, [id]) => {
    const query = queryOf(e, attestationQuery);
    if (!query.ok) return query.response;
    if (!deps.attestation) return error(503, 'no attestation key is configured');
    const out = await attestEmployee(deps.engine, deps.attestation(), id);
    if (out.outcome === 'not_found') return error(404, out.message);
    const doc = out.attestation;
    // Ids and counts only: what the steps read back goes to the auditor, not to the log.
    deps.engine.log.info('attestation signed', { employeeId: id, entries: doc.entries.length, complete: doc.complete, outcome: doc.outcome });
    const pdf = query.data.format ? query.data.format === 'pdf' : /\bapplication\/pdf\b/i.test(header(e.headers, 'accept') ?? '');
    const headers = { 'Cache-Control': 'no-store' };
    if (!pdf) return { statusCode: 200, headers: { ...headers, 'Content-Type': 'application/json' }, body: attestationText(doc) };
    const file = `attestation-${id.replace(/[^A-Za-z0-9._-]/g, '_')}.pdf`;
    return { statusCode: 200, headers: { ...headers, 'Content-Type': 'application/pdf', 'Content-Disposition': `attachment; filename="${file}"` }, body: attestationPdf(doc) };
  },
  getAttestationKey: async (deps) => {
    if (!deps.attestation) return error(503, 'no attestation key is configured');
    return json(200, await deps.attestation().publicKey());
  },
  listRuns: async (deps, e) => {
    const query = queryOf(e, runsQuery);
    if (!query.ok) return query.response;
    const { limit, ...filters } = query.data;
    if (filters.from && filters.to && filters.from > filters.to) return badRequest([{ path: 'to', message: `must not be before from (${filters.from})` }]);
    const page = await listRunPage(deps.engine, { ...filters, limit: limit ? Number(limit) : RUN_PAGE.defaultLimit });
    if (!page.ok) return badRequest([{ path: page.path, message: page.message }]);
    return json(200, { runs: page.runs, ...(page.next ? { next: page.next } : {}) });
  },
  searchEmployees: async (deps, e) => {
    const query = queryOf(e, employeeSearchQuery);
    if (!query.ok) return query.response;
    const limit = query.data.limit ? Number(query.data.limit) : EMPLOYEE_SEARCH.defaultLimit;
    return json(200, { employees: await searchEmployees(deps.engine, query.data.q, limit) });
  },
  getMe: async (_deps, _e, _p, _actor, caller) => {
    const held = permissionsOf(caller);
    return json(200, {
      subject: caller.subject ?? caller.name,
      name: caller.name,
      kind: caller.kind,
      groups: caller.groups,
      permissions: OPERATOR_PERMISSIONS.filter((p) => held.has(p)),
    });
  },
  listUpcoming: async (deps, e) => {
    const query = queryOf(e, upcomingQuery);
    if (!query.ok) return query.response;
    return json(200, await upcomingSteps(deps.engine, query.data.days ? Number(query.data.days) : UPCOMING_DAYS.default));
  },
  postOperatorEvent: async (deps, e, _p, actor, caller) => {
    const body = rawBody(e);
    // The person signed in is the sender: on the run (sentBy) and the actor of every audit entry the event writes.
    return tooLarge(body) ?? acceptEvent(deps, e, body, senderOf(actor, caller));
  },
  previewEvent: async (deps, e, _p, actor, caller) => {
    const query = queryOf(e, previewQuery);
    if (!query.ok) return query.response;
    const body = rawBody(e);
    const large = tooLarge(body);
    if (large) return large;
    const parsed = readLifecycleEvent(deps, e, body);
    if (!parsed.ok) return parsed.response;
    // As the console would send it: through the operator route, by the caller.
    const origin = query.data.from === 'console' ? senderOf(actor, caller) : {};
    const refused = origin.sentBy ? operatorEventProblem(parsed.event) : undefined;
    if (refused) return badRequest([refused]);
    const out = await previewEvent(deps.engine, parsed.event, origin, parsed.canonical);
    switch (out.outcome) {
      case 'planned':
        return json(200, out.preview);
      case 'received':
      case 'same':
        return error(409, out.message, { runId: out.runId });
      case 'conflict':
        return error(409, out.message);
      case 'rejected':
        return badRequest([{ path: out.path, message: out.message }]);
      case 'unavailable':
        return error(503, out.message);
    }
  },
  listAlerts: async (deps, e) => {
    const status = alertQuery.safeParse(e.queryStringParameters?.status);
    if (!status.success) return badRequest([{ path: 'status', message: status.error.issues[0].message }]);
    return json(200, { alerts: await listAlerts(deps.engine, status.data) });
  },
  cancelRun: async (deps, _e, [runId], actor) => json(200, await operatorCancel(deps.engine, runId, actor)),
  replanRun: async (deps, _e, [runId], actor) => {
    const result = await operatorReplan(deps.engine, runId, actor);
    if (!result.ok) return error(503, result.message);
    // Still broken, the run answers its new errors (role.errors) and keeps waiting.
    return json(200, result.run);
  },
  retryStep: async (deps, _e, [runId, stepId], actor) => json(200, await operatorRetry(deps.engine, runId, stepId, actor)),
  confirmAccount: async (deps, e, [runId], actor) => {
    const body = decisionBody(e, confirmAccountBody);
    if (!body.ok) return body.response;
    return json(200, await operatorConfirmAccount(deps.engine, runId, body.data, actor));
  },
  skipStep: async (deps, e, [runId, stepId], actor) => {
    const body = decisionBody(e, skipBody);
    if (!body.ok) return body.response;
    return json(200, await operatorSkip(deps.engine, runId, stepId, actor, body.data.reason));
  },
  listRoles: async (deps) => {
    const loaded = await loadRoles(deps);
    return loaded.response ?? json(200, catalogView(loaded.catalog));
  },
  getRole: async (deps, _e, [name]) => {
    const loaded = await loadRoles(deps);
    if (loaded.response) return loaded.response;
    // A provider that cannot be listed leaves the references unchecked (the answer says so) rather than failing the call.
    const known = await loaded.roles.knownReferences?.().catch(() => undefined);
    const out = roleView(loaded.catalog, name, known);
    return out.found ? json(200, out.view) : error(404, `role ${name} not found`, { errors: out.errors });
  },
  getRun: async (deps, _e, [runId]) => {
    const run = await findRunView(deps.engine, runId);
    return run ? json(200, run) : error(404, `run ${runId} not found`);
  },
  approveRun: async (deps, e, [runId], actor, caller) => {
    const body = decisionBody(e, approveBody);
    if (!body.ok) return body.response;
    return json(200, await operatorApprove(deps.engine, runId, body.data.planHash, actor, caller.subject));
  },
  rejectRun: async (deps, e, [runId], actor) => {
    const body = decisionBody(e, rejectBody);
    if (!body.ok) return body.response;
    return json(200, await operatorReject(deps.engine, runId, body.data.planHash, body.data.reason, actor));
  },
  getQuarantine: async (deps) => json(200, await quarantineView(deps.engine)),
  getInactivity: async (deps) => (deps.inactivity ? json(200, await deps.inactivity()) : error(503, NO_INACTIVITY_CHECK)),
  runInactivity: async (deps, _e, _p, actor) => {
    if (!deps.inactivityRun) return error(503, NO_INACTIVITY_CHECK);
    const answer = await deps.inactivityRun(actor);
    if ('off' in answer) return error(409, 'the inactivity check is off on this stage (inactivity.enabled): nothing was run; GET /v1/inactivity shows what it would find (docs/inactivity.md)');
    if ('accepted' in answer) {
      const message = 'inactivity check started: the revoke runs it plans appear in GET /v1/runs, awaiting_approval (or scheduled once their notice went, with inactivity.approve false), and in GET /v1/quarantine if the mass-change guard holds them';
      return json(202, { accepted: true, message });
    }
    return json(200, answer.report);
  },
  releaseQuarantine: async (deps, e, _p, actor) => {
    const body = decisionBody(e, releaseQuarantineBody);
    if (!body.ok) return body.response;
    return quarantineAnswer(await operatorReleaseQuarantine(deps.engine, body.data.count, actor));
  },
  rejectQuarantine: async (deps, e, _p, actor) => {
    const body = decisionBody(e, rejectQuarantineBody);
    if (!body.ok) return body.response;
    return quarantineAnswer(await operatorRejectQuarantine(deps.engine, body.data.count, body.data.reason, actor));
  },
  sweep: async (deps, _e, _p, actor) => json(200, await sweep(deps.engine, `sweep by ${actor}`)),
  getConsolidation: (deps) => getConsolidation(deps.consolidation),
  runConsolidation: (deps, _e, _p, actor) => postConsolidationRun(deps.consolidation, actor),
  fixConsolidationFinding: async (deps, e, [id], actor, caller) => {
    const body = rawBody(e);
    return tooLarge(body) ?? postFindingFix(deps.consolidation, body, id, actor, caller.subject);
  },
};

const htmlPage = (out: RevealPage): APIGatewayProxyResult => ({ statusCode: out.status, headers: { ...PAGE_HEADERS }, body: out.html });

/** The welcome email's one-time link: the token in the path is the credential, so no operator auth or signature. */
async function welcomeRoute(deps: ApiDeps, event: APIGatewayProxyEvent, token: string): Promise<APIGatewayProxyResult> {
  if (!deps.passwords) return error(503, 'the password vault is not configured');
  const reveal = { store: deps.engine.store, sealer: deps.passwords(), clock: deps.engine.clock, log: deps.engine.log };
  return htmlPage(event.httpMethod === 'GET' ? await welcomePage(reveal, token) : await revealPassword(reveal, token));
}

/** The routes that are not an operator's: each authorizes itself (signature, token in the path) or is open. */
const otherHandlers: Record<Exclude<RouteKey, OperatorRouteKey>, (deps: ApiDeps, event: APIGatewayProxyEvent, params: string[]) => Promise<APIGatewayProxyResult>> = {
  postEvent: (deps, event) => postEvent(deps, event),
  jiraWebhook: (deps, event) => postJiraWebhook(deps.engine, deps.jira, event, rawBody(event), runSummary),
  openprojectWebhook: (deps, event) => postOpenProjectWebhook(deps.engine, deps.openproject, event, rawBody(event)),
  health: async () => json(200, { status: 'ok' }),
  welcomePage: (deps, event, [token]) => welcomeRoute(deps, event, token),
  welcomeReveal: (deps, event, [token]) => welcomeRoute(deps, event, token),
};

const MATCHERS = ROUTES.map((route) => ({ route, pattern: pathPattern(route.path) }));

export async function routeApi(deps: ApiDeps, event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const path = event.path.replace(/\/+$/, '') || '/';
  const matches = MATCHERS.filter((m) => m.pattern.test(path));
  if (matches.length === 0) return error(404, `no route ${event.httpMethod} ${path}`);
  const match = matches.find((m) => m.route.method === event.httpMethod);
  // The template, not the path: a welcome link's path is its credential.
  if (!match) return error(405, `use ${matches.map((m) => m.route.method).join(' or ')} ${matches[0].route.path}`);
  const { route, pattern } = match;
  const params = pattern.exec(path)!.slice(1).map(decodeURIComponent);
  if (!isOperatorRoute(route)) return otherHandlers[route.key as Exclude<RouteKey, OperatorRouteKey>](deps, event, params);
  const caller = deps.operator(event);
  if (!caller) return error(401, 'operator endpoints need a valid Authorization: Bearer token');
  if (!mayUse(caller, route.auth.permission)) return error(403, refusal(caller, route.auth.permission), { permission: route.auth.permission });
  try {
    return await operatorHandlers[route.key as OperatorRouteKey](deps, event, params, caller.name, caller);
  } catch (err) {
    if (err instanceof TransitionError) return error(err.code === 'not_found' ? 404 : 409, err.message);
    throw err;
  }
}
