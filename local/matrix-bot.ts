/**
 * The Matrix bot under `npm start`: its own long-poll loop beside the workers, against the homeserver emulator (its base
 * URL replaces the stage's), with the local default access token and its records in the local table, as on AWS.
 */
import { randomUUID } from 'node:crypto';
import type { MatrixSettings } from '../config/matrix';
import type { EngineDeps, EngineLog, RunReports } from '../lambdas/engine/ports';
import type { ProposalAccepted } from '../lambdas/engine/proposals';
import { MatrixBot, matrixProposalSettings } from '../lambdas/matrix/matrix-bot';
import { matrixReports } from '../lambdas/matrix/matrix-report';
import { runSyncLoop } from '../lambdas/matrix/sync-loop';
import { SdkMatrixApi } from '../lambdas/providers/matrix/matrix-client';
import type { DynamoTable } from '../lambdas/store/dynamo/dynamo-table';
import { DynamoMatrixBotStore } from '../lambdas/store/dynamo/matrix-repository';

export interface LocalMatrix {
  /** The thread replies of runs proposed in Matrix (combined with the other reporters into the engine's). */
  reports: RunReports;
  /** Starts the loop once the engine with its reporters is assembled. */
  start(engine: EngineDeps, onAccepted: readonly ProposalAccepted[]): void;
  stop(): Promise<void>;
}

export function localMatrix(settings: MatrixSettings, homeserverUrl: string, accessToken: string, table: DynamoTable, log: EngineLog): LocalMatrix {
  const api = new SdkMatrixApi({ baseUrl: homeserverUrl, userId: settings.userId, accessToken });
  const store = new DynamoMatrixBotStore(table);
  const controller = new AbortController();
  let stopping = false;
  let loop: Promise<void> | undefined;
  return {
    reports: matrixReports({ store, log, now: () => new Date() }),
    start(engine, onAccepted) {
      const bot = new MatrixBot({
        engine: { ...engine, proposals: matrixProposalSettings(settings, onAccepted) },
        api,
        store,
        settings,
        log,
      });
      // A wait (a backoff, a lease held elsewhere) ends at a stop: Ctrl-C does not wait for it.
      const sleep = (ms: number) =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, ms);
          controller.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
        });
      loop = runSyncLoop({ bot, api, store, holder: `local-${randomUUID()}`, syncTimeoutMs: settings.syncTimeoutMs, now: () => engine.clock.now(), stopping: () => stopping, signal: controller.signal, log, sleep });
    },
    async stop() {
      stopping = true;
      controller.abort();
      await loop;
    },
  };
}
