/**
 * Every route the API serves, with how it is authorized: the router attaches a handler to each key, the API
 * construct deploys each one. Data only: the CDK app imports it without pulling in handler code.
 */
import type { Permission } from './operator-access';

export type HttpMethod = 'GET' | 'POST';

export type RouteAuth =
  /** The HR system's HMAC signature of the body, checked in the Lambda. */
  | { readonly kind: 'hr-signature' }
  /** Jira Cloud's webhook signature (X-Hub-Signature, HMAC-SHA256 of the body with the webhook's secret), checked in the Lambda. */
  | { readonly kind: 'jira-signature' }
  /** OpenProject's webhook signature (X-OP-Signature, HMAC-SHA1 of the body with the webhook's secret), checked in the Lambda. */
  | { readonly kind: 'openproject-signature' }
  /** Nothing: a data-free health check. */
  | { readonly kind: 'public' }
  /** The one-time token in the path is the credential (the welcome email's link). */
  | { readonly kind: 'welcome-token' }
  /** A signed-in person or machine (Cognito on AWS, a local token under `npm start`) holding the permission. */
  | { readonly kind: 'operator'; readonly permission: Permission };

export interface RouteSpec {
  readonly key: string;
  readonly method: HttpMethod;
  /** API Gateway's resource path: `{name}` is one path segment. */
  readonly path: string;
  readonly auth: RouteAuth;
}

const operator = (permission: Permission) => ({ kind: 'operator', permission }) as const;

export const ROUTES = [
  { key: 'postEvent', method: 'POST', path: '/v1/events', auth: { kind: 'hr-signature' } },
  { key: 'health', method: 'GET', path: '/health', auth: { kind: 'public' } },
  /** A Jira Cloud webhook: a ticket of the configured project and type moved to its start status is a hire (docs/jira.md). */
  { key: 'jiraWebhook', method: 'POST', path: '/v1/intake/jira', auth: { kind: 'jira-signature' } },
  /** An OpenProject webhook: a member task set to scheduled approves its proposed hire (docs/openproject.md#member-tasks). */
  { key: 'openprojectWebhook', method: 'POST', path: '/v1/intake/openproject', auth: { kind: 'openproject-signature' } },
  { key: 'welcomePage', method: 'GET', path: '/v1/welcome/{token}', auth: { kind: 'welcome-token' } },
  { key: 'welcomeReveal', method: 'POST', path: '/v1/welcome/{token}', auth: { kind: 'welcome-token' } },
  { key: 'previewEvent', method: 'POST', path: '/v1/events/preview', auth: operator('read') },
  /** An event sent by a person from the console: the body of /v1/events, the sender recorded instead of an HR signature. */
  { key: 'postOperatorEvent', method: 'POST', path: '/v1/operator/events', auth: operator('send-event') },
  { key: 'getMe', method: 'GET', path: '/v1/me', auth: operator('read') },
  { key: 'listUpcoming', method: 'GET', path: '/v1/upcoming', auth: operator('read') },
  { key: 'searchEmployees', method: 'GET', path: '/v1/employees', auth: operator('read') },
  { key: 'getEmployee', method: 'GET', path: '/v1/employees/{id}', auth: operator('read') },
  /** A leaver's signed offboarding record, JSON or a one-page PDF, and the public key that checks it. */
  { key: 'getAttestation', method: 'GET', path: '/v1/employees/{id}/attestation', auth: operator('read') },
  { key: 'getAttestationKey', method: 'GET', path: '/v1/attestation/public-key', auth: operator('read') },
  { key: 'listRuns', method: 'GET', path: '/v1/runs', auth: operator('read') },
  { key: 'getRun', method: 'GET', path: '/v1/runs/{runId}', auth: operator('read') },
  { key: 'listAlerts', method: 'GET', path: '/v1/alerts', auth: operator('read') },
  { key: 'listRoles', method: 'GET', path: '/v1/roles', auth: operator('read') },
  { key: 'getRole', method: 'GET', path: '/v1/roles/{name}', auth: operator('read') },
  { key: 'getQuarantine', method: 'GET', path: '/v1/quarantine', auth: operator('read') },
  /** Accounts unused for the stage's inactivity days: candidates, exclusions and their revoke runs, as a dry run (docs/inactivity.md). */
  { key: 'getInactivity', method: 'GET', path: '/v1/inactivity', auth: operator('read') },
  /** The inactivity check for real, now, as its daily schedule runs it: revoke runs planned, notices sent. */
  { key: 'runInactivity', method: 'POST', path: '/v1/inactivity/run', auth: operator('sweep') },
  { key: 'cancelRun', method: 'POST', path: '/v1/runs/{runId}/cancel', auth: operator('cancel') },
  { key: 'replanRun', method: 'POST', path: '/v1/runs/{runId}/replan', auth: operator('replan') },
  { key: 'confirmAccount', method: 'POST', path: '/v1/runs/{runId}/confirm-account', auth: operator('confirm-account') },
  { key: 'retryStep', method: 'POST', path: '/v1/runs/{runId}/steps/{stepId}/retry', auth: operator('retry') },
  { key: 'skipStep', method: 'POST', path: '/v1/runs/{runId}/steps/{stepId}/skip', auth: operator('skip') },
  { key: 'sweep', method: 'POST', path: '/v1/sweep', auth: operator('sweep') },
  { key: 'approveRun', method: 'POST', path: '/v1/runs/{runId}/approve', auth: operator('approve') },
  { key: 'rejectRun', method: 'POST', path: '/v1/runs/{runId}/reject', auth: operator('reject') },
  { key: 'releaseQuarantine', method: 'POST', path: '/v1/quarantine/release', auth: operator('quarantine-release') },
  { key: 'rejectQuarantine', method: 'POST', path: '/v1/quarantine/reject', auth: operator('quarantine-reject') },
  /** Consolidation (docs/consolidation.md): the latest report, a read of every system now, a finding's fix through a run. */
  { key: 'getConsolidation', method: 'GET', path: '/v1/consolidation', auth: operator('read') },
  { key: 'runConsolidation', method: 'POST', path: '/v1/consolidation/run', auth: operator('sweep') },
  { key: 'fixConsolidationFinding', method: 'POST', path: '/v1/consolidation/findings/{id}/fix', auth: operator('confirm-account') },
] as const satisfies readonly RouteSpec[];

export type Route = (typeof ROUTES)[number];
export type RouteKey = Route['key'];
export type OperatorRoute = Extract<Route, { auth: { kind: 'operator' } }>;
export type OperatorRouteKey = OperatorRoute['key'];

export const isOperatorRoute = (route: RouteSpec): route is RouteSpec & { auth: { kind: 'operator'; permission: Permission } } => route.auth.kind === 'operator';

/** The path's `{name}` segments, in order. */
export const pathParams = (path: string): string[] => [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);

/** A matcher for a resource path: each `{name}` captures one non-empty segment. */
export function pathPattern(path: string): RegExp {
  const escaped = path
    .split(/\{[^}]+\}/)
    .map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))
    .join('([^/]+)');
  return new RegExp(`^${escaped}$`);
}
