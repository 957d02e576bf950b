/** The composition root of the engine's Lambda handlers: the platform's adapters plus the action catalog. */
import { awsEngineDeps } from '../adapters/aws/aws-engine-deps';
import { isKnownAction, priorityOf, restoreRuleFor } from '../actions/catalog';
import type { ActionCatalog, EngineDeps } from '../engine/ports';
import { combineReports } from '../engine/run-reports';
import { jiraWriteBackFromEnv } from '../jira/jira-from-env';
import type { JiraWriteBack } from '../jira/jira-write-back';
import { memberTaskReports, type MemberTaskDeps } from '../openproject/member-tasks';
import { memberTasksFromEnv } from '../openproject/member-tasks-from-env';
import { matrixReportsFromEnv } from '../matrix/matrix-reports-from-env';

/** The catalog as the engine sees it; the local runtime hands the engine the same one. */
export const actionCatalog: ActionCatalog = { isKnownAction, restoreRuleFor, priorityOf };

let deps: EngineDeps | undefined;
let jira: JiraWriteBack | undefined;
let memberTasks: MemberTaskDeps | undefined;

/**
 * Built once per container; a function given the stage's Jira write-back reports runs on their tickets, one given
 * the stage's OpenProject member tasks on their tasks, and Matrix proposals in their threads (all through one reporter).
 */
export function awsEngine(): EngineDeps {
  if (deps) return deps;
  const platform = awsEngineDeps();
  jira = jiraWriteBackFromEnv(platform.store);
  const base: EngineDeps = { ...platform, actions: actionCatalog };
  const tasksFor = memberTasksFromEnv();
  // A run proposed in Matrix is answered in its thread: the reply is queued for the bot's sync function to send.
  const reports = combineReports(jira, tasksFor && memberTaskReports(tasksFor(base)), matrixReportsFromEnv(platform.log));
  deps = { ...base, ...(reports ? { reports } : {}) };
  memberTasks = tasksFor?.(deps);
  return deps;
}

/** The engine's Jira write-back, when this function has one: the intake writes the plan through the same one. */
export function awsJiraWriteBack(): JiraWriteBack | undefined {
  awsEngine();
  return jira;
}

/** The stage's member tasks, when this function has them: the OpenProject intake and the proposal path use them. */
export function awsMemberTasks(): MemberTaskDeps | undefined {
  awsEngine();
  return memberTasks;
}
