/**
 * EventBridge entry (every `openproject.memberTasks.poll.everyMinutes`): one turn of the member task poll for an
 * OpenProject that cannot send webhooks (docs/openproject.md#polling-without-webhooks). A task set to scheduled is
 * handled as the webhook's delivery is in the api: through the same member task deps, built on an engine that plans
 * from the role catalog and schedules exact-time wakes (a specification applied is a revision of the run). A failed
 * turn throws, so the function's errors show it; the position stays and the next turn reads the same tasks again.
 */
import { stepWakesFromEnv } from '../adapters/aws/scheduler-step-wakes';
import { memberTaskPollTurn } from '../openproject/member-task-poll';
import { memberTasksFromEnv } from '../openproject/member-tasks-from-env';
import { roleCatalogFromEnv } from '../providers/notion/notion-from-env';
import { scimAppNamesFromEnv } from '../providers/scim/scim-from-env';
import { ENV, requireEnv } from '../shared/env-names';
import { createDocumentClient } from '../store/dynamo-store';
import { DynamoMemberTaskPollStore } from '../store/dynamo/member-task-poll-repository';
import { awsEngine } from './engine-deps';
import { withObservability } from './middleware';

export const handler = withObservability(async () => {
  const wakes = stepWakesFromEnv();
  const engine = { ...awsEngine(), ...(wakes ? { wakes } : {}), roles: { catalog: roleCatalogFromEnv(), knownReferences: async () => ({ scimApps: scimAppNamesFromEnv() }) } };
  const memberTasks = memberTasksFromEnv()?.(engine);
  if (!memberTasks) {
    engine.log.warn('member task poll invoked without openproject.memberTasks', {});
    return { polled: false };
  }
  const store = new DynamoMemberTaskPollStore({ doc: createDocumentClient(), name: requireEnv(ENV.tableName) });
  const turn = await memberTaskPollTurn({ memberTasks, store, clock: engine.clock, log: engine.log });
  return { polled: true, since: turn.since, next: turn.next, saved: turn.saved, tasks: turn.outcomes.length };
});
