/** API Gateway entry: hands the request to the router with this runtime's dependencies. */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { awsEngine, awsJiraWriteBack } from './engine-deps';
import { stepWakesFromEnv } from '../adapters/aws/scheduler-step-wakes';
import type { EngineDeps } from '../engine/ports';
import { kmsSealerFromEnv } from '../credentials/credentials-from-env';
import { kmsAttestationSignerFromEnv } from '../attestation/signer-from-env';
import { redactedPath } from '../credentials/vault';
import { routeApi, type ApiDeps } from '../http/api-routes';
import { callerFromClaims } from '../http/operator-auth';
import { error } from '../http/responses';
import { logger } from '../shared/observability';
import { roleCatalogFromEnv } from '../providers/notion/notion-from-env';
import { scimAppNamesFromEnv } from '../providers/scim/scim-from-env';
import { hrKeySource } from '../shared/secrets';
import { withObservability } from './middleware';
import { jiraIntakeFromEnv } from '../jira/jira-from-env';
import { memberTasksFromEnv, openProjectIntakeFromEnv } from '../openproject/member-tasks-from-env';
import { errorFields } from '../shared/log-fields';

export function createApiHandler(deps: () => ApiDeps) {
  return withObservability(async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    try {
      return await routeApi(deps(), event);
    } catch (err) {
      logger.error('request failed', { path: redactedPath(event.path), method: event.httpMethod, ...errorFields(err) });
      return error(500, 'internal error; the request may be sent again safely');
    }
  });
}

let awsDeps: ApiDeps | undefined;

function withWakes(engine: EngineDeps): EngineDeps {
  const wakes = stepWakesFromEnv();
  return wakes ? { ...engine, wakes } : engine;
}

export const handler = createApiHandler(() => {
  const roles = { catalog: roleCatalogFromEnv() };
  if (awsDeps) return awsDeps;
  // Intake schedules the wakes of exact-time steps (only this function is given a schedule group) and plans from the role catalog;
  // a role naming a SCIM app the stage does not configure is a role error there (the role view checks no reference on AWS).
  const engine = { ...withWakes(awsEngine()), roles: { ...roles, knownReferences: async () => ({ scimApps: scimAppNamesFromEnv() }) } };
  awsDeps = {
    engine,
    hrKeys: hrKeySource(),
    // API Gateway's Cognito authorizer has verified the token on operator routes; its claims name the caller.
    operator: (event) => callerFromClaims(event.requestContext?.authorizer?.claims as Record<string, unknown> | undefined),
    passwords: kmsSealerFromEnv(),
    attestation: kmsAttestationSignerFromEnv(),
    roles,
    jira: jiraIntakeFromEnv(awsJiraWriteBack()),
    // A member task set to scheduled approves its proposed hire through this engine (docs/openproject.md#member-tasks).
    openproject: openProjectIntakeFromEnv(memberTasksFromEnv()?.(engine)),
  };
  return awsDeps;
});
