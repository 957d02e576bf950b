/**
 * One consolidation: every configured system read (in parallel: each has its own budget), the lifecycle records read,
 * the two compared, the report stored. Nothing is changed in any system: a finding's fix is a separate call (fix.ts).
 */
import { randomUUID } from 'node:crypto';
import type { EngineDeps } from '../engine/ports';
import type { DirectoryAccount, DirectoryReader } from './directory';
import { compare, type EmployeeRecord } from './compare';
import type { ReadStats } from './readers/reader-stats';
import { DEFAULT_REPORTS_KEPT, FINDING_KINDS, type ConsolidationReport, type ConsolidationStore, type SystemRead } from './report';

export interface ConsolidationDeps {
  engine: Pick<EngineDeps, 'store' | 'clock' | 'log'>;
  store: ConsolidationStore;
  /** The readers of the stage's connected systems, made for each consolidation. */
  readers: () => DirectoryReader[];
  /** Reports kept (DEFAULT_REPORTS_KEPT). */
  keep?: number;
}

/** Employees whose records are read at once. */
const RECORD_CONCURRENCY = 16;

async function readSystem(reader: DirectoryReader): Promise<{ read: SystemRead; accounts: DirectoryAccount[] }> {
  const started = Date.now();
  const accounts: DirectoryAccount[] = [];
  const stats = (): ReadStats => (reader as { stats?: ReadStats }).stats ?? { calls: 0, pages: 0 };
  try {
    for await (const account of reader.accounts()) accounts.push(account);
    return { read: { system: reader.system, ok: true, ms: Date.now() - started, ...stats(), accounts: accounts.length }, accounts };
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    return { read: { system: reader.system, ok: false, ms: Date.now() - started, ...stats(), accounts: accounts.length, error }, accounts: [] };
  }
}

/** Every employee's profile and runs. */
export async function readRecords(deps: Pick<ConsolidationDeps, 'engine' | 'store'>): Promise<EmployeeRecord[]> {
  const ids = await deps.store.listEmployeeIds();
  const out: EmployeeRecord[] = [];
  for (let i = 0; i < ids.length; i += RECORD_CONCURRENCY) {
    const batch = await Promise.all(
      ids.slice(i, i + RECORD_CONCURRENCY).map(async (id) => {
        const [employee, runs] = await Promise.all([deps.engine.store.getEmployee(id), deps.engine.store.listRuns(id)]);
        return employee ? { employee, runs } : undefined;
      }),
    );
    out.push(...batch.filter((r): r is EmployeeRecord => r !== undefined));
  }
  return out;
}

export async function runConsolidation(deps: ConsolidationDeps, requestedBy: string): Promise<ConsolidationReport> {
  const startedAt = deps.engine.clock.now().toISOString();
  const reportId = randomUUID();
  deps.engine.log.info('consolidation started', { reportId });
  const [reads, records] = await Promise.all([Promise.all(deps.readers().map(readSystem)), readRecords(deps)]);
  const findings = compare({ accounts: reads.flatMap((r) => r.accounts), records, systemsRead: reads.filter((r) => r.read.ok).map((r) => r.read.system) });
  const counts = Object.fromEntries(FINDING_KINDS.map((k) => [k, findings.filter((f) => f.kind === k).length]));
  const report: ConsolidationReport = { reportId, startedAt, finishedAt: deps.engine.clock.now().toISOString(), requestedBy, systems: reads.map((r) => r.read), counts, findings };
  await deps.store.putReport(report, deps.keep ?? DEFAULT_REPORTS_KEPT);
  for (const r of reads.filter((x) => !x.read.ok)) deps.engine.log.warn('consolidation could not read a system', { reportId, system: r.read.system });
  deps.engine.log.info('consolidation finished', { reportId, findings: findings.length });
  return report;
}
