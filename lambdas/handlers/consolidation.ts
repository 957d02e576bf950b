/**
 * The consolidation function's entry: its schedule's event (or an operator's run handed over asynchronously) reads
 * every system whose provider this function is configured with, compares, and stores the report. Each provider comes
 * from the same environment and secrets the actions' functions read (lambdas/providers/<p>/<p>-from-env.ts); a provider
 * the stage does not configure is left out.
 */
import { awsEngine } from './engine-deps';
import { withObservability } from './middleware';
import { createDocumentClient } from '../store/dynamo-store';
import { DynamoConsolidationRepository } from '../store/dynamo/consolidation-repository';
import { runConsolidation } from '../consolidation/consolidate';
import { directoryReaders } from '../consolidation/readers';
import { parseAccountPolicy } from '../actions/account-policy';
import type { Providers } from '../providers/providers';
import { ENV } from '../shared/env-names';
import { googleFromEnv } from '../providers/google/google-from-env';
import { connectFromEnv } from '../providers/connect/connect-from-env';
import { zendeskFromEnv } from '../providers/zendesk/zendesk-from-env';
import { frontFromEnv } from '../providers/front/front-from-env';
import { scimFromEnv } from '../providers/scim/scim-from-env';
import { nextcloudFromEnv } from '../providers/nextcloud/nextcloud-from-env';
import { openProjectFromEnv } from '../providers/openproject/openproject-from-env';
import { DEFAULT_REPORTS_KEPT } from '../consolidation/report';

/** The providers this function's environment configures; one that is not is left out, not an error. */
export function configuredProviders(env: NodeJS.ProcessEnv = process.env): Partial<Providers> {
  const out: Partial<Providers> = {};
  const take = <K extends keyof Providers>(key: K, make: () => () => Providers[K]) => {
    try {
      out[key] = make()();
    } catch {
      // Not configured in this stage (no settings or no secret): nothing to read there.
    }
  };
  take('google', () => googleFromEnv());
  take('connect', () => connectFromEnv());
  take('zendesk', () => zendeskFromEnv());
  take('front', () => frontFromEnv());
  take('scim', () => scimFromEnv());
  take('nextcloud', () => nextcloudFromEnv(env));
  take('openproject', () => openProjectFromEnv(env));
  return out;
}

export function createConsolidationHandler() {
  return withObservability(async (event: unknown) => {
    const engine = awsEngine();
    const store = new DynamoConsolidationRepository({ doc: createDocumentClient(), name: process.env[ENV.tableName]! });
    const policy = parseAccountPolicy(process.env[ENV.accountPolicy]);
    const requestedBy = typeof event === 'object' && event !== null && typeof (event as { requestedBy?: unknown }).requestedBy === 'string' ? (event as { requestedBy: string }).requestedBy : 'schedule';
    const report = await runConsolidation({ engine, store, readers: () => directoryReaders(configuredProviders(), policy), keep: Number(process.env[ENV.consolidationReportsKept]) || DEFAULT_REPORTS_KEPT }, requestedBy);
    return { reportId: report.reportId, counts: report.counts, systems: report.systems.map(({ system, ok, ms, calls }) => ({ system, ok, ms, calls })) };
  });
}

export const handler = createConsolidationHandler();
