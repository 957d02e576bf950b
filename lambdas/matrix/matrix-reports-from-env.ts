/**
 * The reporter that queues Matrix thread replies, from a function's environment (api, dispatcher, dead-letter): set when
 * the stage has a bot. It needs no token and no Matrix client, so those functions bundle neither.
 */
import type { EngineLog, RunReports } from '../engine/ports';
import { ENV, requireEnv } from '../shared/env-names';
import { createDocumentClient } from '../store/dynamo-store';
import { DynamoMatrixBotStore } from '../store/dynamo/matrix-repository';
import { matrixReports } from './matrix-report';

export function matrixReportsFromEnv(log: EngineLog): RunReports | undefined {
  if (process.env[ENV.matrixReports] !== '1') return undefined;
  return matrixReports({ store: new DynamoMatrixBotStore({ doc: createDocumentClient(), name: requireEnv(ENV.tableName) }), log, now: () => new Date() });
}
