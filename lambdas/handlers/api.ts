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
import { LambdaClient } from '@aws-sdk/client-lambda';
import { LambdaDirectoryRead } from '../adapters/aws/lambda-directory-read';
import { invokedConsolidationApi, invokedInactivityCheck, invokedInactivityRun } from '../consolidation/directory-read';
import { revokeSystemAccess } from '../engine/system-revoke';
import { createDocumentClient } from '../store/dynamo-store';
import { DynamoConsolidationRepository } from '../store/dynamo/consolidation-repository';
import { ENV, requireEnv } from '../shared/env-names';

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

/**
 * Consolidation and the inactivity dry run, when the stage has the directory read function (docs/consolidation.md#on-aws):
 * the report and the fixes from the table; a run now, the dry run and an inactivity check now through that function, which
 * alone reads the systems.
 */
function directoryReadFromEnv(engine: EngineDeps): Pick<ApiDeps, 'consolidation' | 'inactivity' | 'inactivityRun'> {
  const functionName = process.env[ENV.directoryReadFunction];
  if (!functionName) return {};
  const invoker = new LambdaDirectoryRead(new LambdaClient({}), functionName);
  const store = new DynamoConsolidationRepository({ doc: createDocumentClient(), name: requireEnv(ENV.tableName) });
  return {
    // A remove fix is a system-scoped revoke run sent by the operator, so a second person approves it.
    consolidation: invokedConsolidationApi({ engine, store, invoker, revokeSystemAccess }),
    inactivity: invokedInactivityCheck(invoker),
    inactivityRun: invokedInactivityRun(invoker, process.env[ENV.inactivityEnabled] === 'true'),
  };
}

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
    ...directoryReadFromEnv(engine),
  };
  return awsDeps;
});
