/** The composition root of the engine's Lambda handlers: the platform's adapters plus the action catalog. */
import { awsEngineDeps } from '../adapters/aws/aws-engine-deps';
import { isKnownAction, priorityOf, restoreRuleFor } from '../actions/catalog';
import type { ActionCatalog, EngineDeps } from '../engine/ports';
import { jiraWriteBackFromEnv } from '../jira/jira-from-env';
import type { JiraWriteBack } from '../jira/jira-write-back';
import { combineReports } from '../engine/run-reports';
import { matrixReportsFromEnv } from '../matrix/matrix-reports-from-env';

/** The catalog as the engine sees it; the local runtime hands the engine the same one. */
export const actionCatalog: ActionCatalog = { isKnownAction, restoreRuleFor, priorityOf };

let deps: EngineDeps | undefined;
let jira: JiraWriteBack | undefined;

/** Built once per container; a function given the stage's Jira write-back reports runs on their tickets, and Matrix proposals in their threads. */
export function awsEngine(): EngineDeps {
  if (deps) return deps;
  const platform = awsEngineDeps();
  jira = jiraWriteBackFromEnv(platform.store);
  // A run proposed in Matrix is answered in its thread: the reply is queued for the bot's sync function to send.
  const reports = combineReports(jira, matrixReportsFromEnv(platform.log));
  deps = { ...platform, actions: actionCatalog, ...(reports ? { reports } : {}) };
  return deps;
}

/** The engine's Jira write-back, when this function has one: the intake writes the plan through the same one. */
export function awsJiraWriteBack(): JiraWriteBack | undefined {
  awsEngine();
  return jira;
}
