/**
 * Benchmark: consolidation's read of a 10,000-account directory. The same accounts seeded into every connected
 * system's emulator (seedDirectory), each emulator answering 429 past the provider's documented quota, and every reader
 * run as a consolidation runs them (in parallel, each on its provider's client and budget at the stage's defaults,
 * the providers' real page sizes): how long each read took, how many calls and pages, and how many 429s came back.
 */
import { performance } from 'node:perf_hooks';
import { LOCAL_OPENPROJECT_REQUESTS_PER_MINUTE, startProviderEmulators } from '../local/emulators/provider-emulators';
import { seedDirectory } from '../local/emulators/seed-directory';
import { localProviderClients } from '../local/provider-clients';
import { directoryReaders } from '../lambdas/consolidation/readers';
import type { CountedReader } from '../lambdas/consolidation/readers/reader-stats';
import { DEFAULT_ACCOUNT_POLICY } from '../lambdas/actions/account-policy';
import { connectBudgets, DEFAULT_CONNECT_REQUESTS_PER_SECOND } from '../lambdas/providers/connect/connect-budget';
import { TokenBucket } from '../lambdas/providers/rate-limited-fetch';
import { DEFAULT_ZENDESK_REQUESTS_PER_MINUTE } from '../lambdas/providers/zendesk/zendesk-client';
import { DEFAULT_FRONT_REQUESTS_PER_MINUTE } from '../lambdas/providers/front/front-client';
import { DEFAULT_NEXTCLOUD_REQUESTS_PER_MINUTE } from '../lambdas/providers/nextcloud/nextcloud-client';
import { DEFAULT_OPENPROJECT_REQUESTS_PER_MINUTE } from '../lambdas/providers/openproject/openproject-client';
import { DEFAULT_SCIM_REQUESTS_PER_SECOND } from '../lambdas/providers/scim/scim-client';
import type { FaultInjector } from '../local/emulators/faults';
import { count, seconds, type BenchOptions, type BenchReport, type Benchmark, type Check } from './report';

export const DEFAULT_ACCOUNTS = 10_000;

/** Each emulator's quota: the provider's documented limit (requests a minute), what a stage's budget must stay under. */
const QUOTAS = { google: 2400, zendesk: 700, front: DEFAULT_FRONT_REQUESTS_PER_MINUTE, scim: DEFAULT_SCIM_REQUESTS_PER_SECOND * 60, nextcloud: 600, openproject: LOCAL_OPENPROJECT_REQUESTS_PER_MINUTE } as const;

export const consolidationReadBenchmark: Benchmark = {
  name: 'consolidation-read',
  async run(options: BenchOptions): Promise<BenchReport> {
    const n = options.accounts ?? DEFAULT_ACCOUNTS;
    const emulators = await startProviderEmulators({ port: 0, dataDir: null, downstream: { name: 'downstream', keys: () => ({ current: 'unused' }) } });
    try {
      const seededAt = performance.now();
      seedDirectory(emulators, n, 'dir');
      options.progress(`seeded ${count(n)} accounts into each system in ${seconds(performance.now() - seededAt)}`);
      emulators.google.faults.setQuota(QUOTAS.google);
      emulators.zendesk.faults.setQuota(QUOTAS.zendesk);
      emulators.front.setQuota(QUOTAS.front);
      emulators.scim.app('wiki').faults.setQuota(QUOTAS.scim);
      emulators.nextcloud.faults.setQuota(QUOTAS.nextcloud);
      emulators.openproject.faults.setQuota(QUOTAS.openproject);
      emulators.connect.throttle.set('documented');
      const clients = localProviderClients(emulators, {
        connectBudgets: connectBudgets((name) => new TokenBucket(DEFAULT_CONNECT_REQUESTS_PER_SECOND * 60, undefined, undefined, name)),
        zendesk: { requestsPerMinute: DEFAULT_ZENDESK_REQUESTS_PER_MINUTE },
        front: { requestsPerMinute: DEFAULT_FRONT_REQUESTS_PER_MINUTE },
        nextcloud: { requestsPerMinute: DEFAULT_NEXTCLOUD_REQUESTS_PER_MINUTE },
        openproject: { requestsPerMinute: DEFAULT_OPENPROJECT_REQUESTS_PER_MINUTE },
      });
      const faults: Record<string, FaultInjector[]> = {
        google: [emulators.google.faults],
        connect: [emulators.connect.faults],
        zendesk: [emulators.zendesk.faults],
        front: [emulators.front.faults, emulators.front.scim.faults],
        'scim:wiki': [emulators.scim.app('wiki').faults],
        nextcloud: [emulators.nextcloud.faults],
        openproject: [emulators.openproject.faults],
      };
      const before = Object.fromEntries(Object.entries(faults).map(([s, f]) => [s, { requests: f.reduce((a, x) => a + x.requests, 0), throttled: f.reduce((a, x) => a + x.throttled, 0) }]));
      const connectBefore = emulators.connect.throttle.totals();
      const readers = directoryReaders(clients, DEFAULT_ACCOUNT_POLICY) as CountedReader[];
      const started = performance.now();
      const results = await Promise.all(
        readers.map(async (reader) => {
          const t0 = performance.now();
          let accounts = 0;
          let bound = 0;
          for await (const a of reader.accounts()) {
            accounts++;
            if (a.employeeId?.startsWith('DIR-')) bound++;
          }
          const ms = performance.now() - t0;
          options.progress(`${reader.system}: ${count(accounts)} accounts in ${seconds(ms)}, ${count(reader.stats.calls)} calls`);
          return { system: reader.system, ms, accounts, bound, ...reader.stats };
        }),
      );
      const totalMs = performance.now() - started;
      const connectAfter = emulators.connect.throttle.totals();
      const served = (system: string) => {
        if (system === 'connect') return { requests: connectAfter.requests - connectBefore.requests, throttled: connectAfter.throttled - connectBefore.throttled };
        const f = faults[system];
        return { requests: f.reduce((a, x) => a + x.requests, 0) - before[system].requests, throttled: f.reduce((a, x) => a + x.throttled, 0) - before[system].throttled };
      };
      const rows = results.map((r) => ({ ...r, ...served(r.system) }));
      const quotaOf = (system: string) =>
        system === 'connect' ? '2/s per API' : `${count({ google: QUOTAS.google, zendesk: QUOTAS.zendesk, front: QUOTAS.front, 'scim:wiki': QUOTAS.scim, nextcloud: QUOTAS.nextcloud, openproject: QUOTAS.openproject }[system] ?? 0)}/min`;
      const checks: Check[] = [
        ...rows.map((r) => ({ what: `${r.system}: every seeded account read, bound to its employee id`, ok: r.bound === n, seen: `${count(r.bound)} of ${count(n)}` })),
        ...rows.map((r) => ({ what: `${r.system}: within the provider's quota (no 429)`, ok: r.throttled === 0, seen: `${count(r.throttled)} answered 429 of ${count(r.requests)} requests` })),
        ...rows.map((r) => ({ what: `${r.system}: one request a page (and the name lists), none per account`, ok: r.requests < r.accounts / 10 + 200, seen: `${count(r.requests)} requests for ${count(r.accounts)} accounts` })),
      ];
      return {
        title: `Consolidation: reading a ${count(n)}-account directory`,
        facts: [
          ['Accounts per system', `${count(n)} seeded, plus the sample tenant's`],
          ['Quotas (the emulators answer 429 past them)', `Google ${count(QUOTAS.google)}/min, Connect 2/s per API (burst 5), Zendesk ${count(QUOTAS.zendesk)}/min, Front ${count(QUOTAS.front)}/min, SCIM ${count(QUOTAS.scim)}/min, Nextcloud ${count(QUOTAS.nextcloud)}/min, OpenProject ${count(QUOTAS.openproject)}/min (it publishes none)`],
          ['Budgets (this process)', `Google 1,500/min, Connect 2/s per API, Zendesk ${count(DEFAULT_ZENDESK_REQUESTS_PER_MINUTE)}/min, Front ${count(DEFAULT_FRONT_REQUESTS_PER_MINUTE)}/min, SCIM ${DEFAULT_SCIM_REQUESTS_PER_SECOND}/s, Nextcloud ${count(DEFAULT_NEXTCLOUD_REQUESTS_PER_MINUTE)}/min, OpenProject ${count(DEFAULT_OPENPROJECT_REQUESTS_PER_MINUTE)}/min`],
          ['Whole read (systems in parallel)', seconds(totalMs)],
        ],
        tables: [
          {
            columns: ['system', 'accounts', 'read', 'calls', 'pages', 'requests served', '429s', 'quota'],
            rows: rows.map((r) => [r.system, count(r.accounts), seconds(r.ms), count(r.calls), count(r.pages), count(r.requests), count(r.throttled), quotaOf(r.system)]),
          },
        ],
        checks,
      };
    } finally {
      await emulators.stop();
    }
  },
};
