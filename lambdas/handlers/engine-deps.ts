/** The composition root of the engine's Lambda handlers: the platform's adapters plus the action catalog. */
import { awsEngineDeps } from '../adapters/aws/aws-engine-deps';
import { isKnownAction, priorityOf, restoreRuleFor } from '../actions/catalog';
import type { ActionCatalog, EngineDeps } from '../engine/ports';
import { jiraWriteBackFromEnv } from '../jira/jira-from-env';
import type { JiraWriteBack } from '../jira/jira-write-back';

/** The catalog as the engine sees it; the local runtime hands the engine the same one. */
export const actionCatalog: ActionCatalog = { isKnownAction, restoreRuleFor, priorityOf };

let deps: EngineDeps | undefined;
let jira: JiraWriteBack | undefined;

/** Built once per container; a function given the stage's Jira write-back reports runs on their tickets. */
export function awsEngine(): EngineDeps {
  if (deps) return deps;
  const platform = awsEngineDeps();
  jira = jiraWriteBackFromEnv(platform.store);
  deps = { ...platform, actions: actionCatalog, ...(jira ? { reports: jira } : {}) };
  return deps;
}

/** The engine's Jira write-back, when this function has one: the intake writes the plan through the same one. */
export function awsJiraWriteBack(): JiraWriteBack | undefined {
  awsEngine();
  return jira;
}
