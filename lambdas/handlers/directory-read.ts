/**
 * The directory read function's entry (docs/consolidation.md#on-aws): its schedules (consolidation every
 * scheduleHours, the inactivity check daily) and the api (a consolidation handed over asynchronously, the inactivity
 * dry run) name the job. Each provider comes from the same environment and secrets the actions' functions read
 * (lambdas/providers/<p>/<p>-from-env.ts), with read-only rights; a provider the stage does not configure is left out.
 */
import { awsEngine } from './engine-deps';
import { withObservability } from './middleware';
import { createDocumentClient } from '../store/dynamo-store';
import { DynamoConsolidationRepository } from '../store/dynamo/consolidation-repository';
import { runConsolidation } from '../consolidation/consolidate';
import { runDirectoryRead } from '../consolidation/directory-read';
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
import { checkInactivity } from '../inactivity/check';
import { gmailInactivityMailer } from '../inactivity/notice-mailer';
import { inactivitySchema, DEFAULT_INACTIVITY } from '../../config/inactivity';

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

export const handler = withObservability(async (event: unknown) => {
  const engine = awsEngine();
  const store = new DynamoConsolidationRepository({ doc: createDocumentClient(), name: process.env[ENV.tableName]! });
  const policy = parseAccountPolicy(process.env[ENV.accountPolicy]);
  const providers = configuredProviders();
  const raw = process.env[ENV.inactivitySettings];
  const settings = raw ? inactivitySchema.parse(JSON.parse(raw)) : DEFAULT_INACTIVITY;
  const sender = process.env[ENV.welcomeSender];
  return runDirectoryRead(
    {
      consolidate: (requestedBy) => runConsolidation({ engine, store, readers: () => directoryReaders(providers, policy), keep: Number(process.env[ENV.consolidationReportsKept]) || DEFAULT_REPORTS_KEPT }, requestedBy),
      // The notice goes as the welcome sender, through the same Gmail send the welcome email uses.
      checkInactivity: (options) =>
        checkInactivity({ engine, readers: directoryReaders(providers, policy), settings, policy, ...(providers.google && sender ? { mailer: gmailInactivityMailer(() => providers.google!, sender, () => engine.clock.now()) } : {}) }, options),
    },
    event,
  );
});
