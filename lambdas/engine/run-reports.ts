import type { RunNotice, RunReports } from './ports';
import type { Run } from './model';

/**
 * One reporter that tells every given one (the Jira write-back, a member task, a chat reply) of a run's change.
 * Each is told independently: one that fails does not keep the others from hearing; the first failure is
 * thrown once all were told, so the caller's deadline and logging apply as for a single reporter.
 */
export function combineReports(...reports: (RunReports | undefined)[]): RunReports | undefined {
  const present = reports.filter((r): r is RunReports => r !== undefined);
  if (present.length <= 1) return present[0];
  return {
    async runChanged(run: Run, notice: RunNotice) {
      const outcomes = await Promise.allSettled(present.map((r) => r.runChanged(run, notice)));
      const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
      if (failed) throw failed.reason;
    },
  };
}
