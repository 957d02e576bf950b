/**
 * EventBridge entry (every minute): the Matrix bot's sync loop for most of this invocation's time. The lease lets one
 * invocation sync at a time; one that finds it held returns at once, and the next takes over when the holder ends.
 */
import type { Context } from 'aws-lambda';
import { proposalFollowUps } from '../openproject/member-tasks';
import { MatrixBot, matrixProposalSettings } from '../matrix/matrix-bot';
import { matrixBotFromEnv } from '../matrix/matrix-from-env';
import { runSyncLoop } from '../matrix/sync-loop';
import { awsEngine, awsMemberTasks } from './engine-deps';
import { stepWakesFromEnv } from '../adapters/aws/scheduler-step-wakes';
import { roleCatalogFromEnv } from '../providers/notion/notion-from-env';
import { scimAppNamesFromEnv } from '../providers/scim/scim-from-env';
import { withObservability } from './middleware';

/** Time kept back at the end of an invocation: the last sync's wait, its handling and saving the position. */
export const END_MARGIN_MS = 20_000;

export const handler = withObservability(async (_event: unknown, context: Context) => {
  // A proposal goes through the intake as the API's events do: planned from the role catalog, with its exact-time wakes.
  const wakes = stepWakesFromEnv();
  const engine = { ...awsEngine(), ...(wakes ? { wakes } : {}), roles: { catalog: roleCatalogFromEnv(), knownReferences: async () => ({ scimApps: scimAppNamesFromEnv() }) } };
  const bot = await matrixBotFromEnv();
  if (!bot) {
    engine.log.warn('matrix sync invoked without a matrix setting', {});
    return { synced: false };
  }
  const { settings, api, store } = bot;
  const matrixBot = new MatrixBot({
    engine: { ...engine, proposals: matrixProposalSettings(settings, proposalFollowUps(awsMemberTasks())) },
    api,
    store,
    settings,
    log: engine.log,
  });
  await runSyncLoop({
    bot: matrixBot,
    api,
    store,
    holder: context.awsRequestId,
    syncTimeoutMs: settings.syncTimeoutMs,
    now: () => engine.clock.now(),
    stopping: () => context.getRemainingTimeInMillis() < settings.syncTimeoutMs + END_MARGIN_MS,
    // Another invocation holds the lease: this one ends at once rather than wait for it.
    whenLeaseHeld: 'stop',
    log: engine.log,
    sleep: async (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, Math.max(0, context.getRemainingTimeInMillis() - settings.syncTimeoutMs - END_MARGIN_MS)))),
  });
  return { synced: true };
});
