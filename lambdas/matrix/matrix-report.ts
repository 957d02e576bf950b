/**
 * The later replies in a proposal's thread (the engine's RunReports port, beside Jira's through combineReports): the
 * accounts are ready (the run completed), the run was cancelled or rejected, or a step came to need an operator. Best
 * effort: a failed send is logged by ids and code and never fails the change that prompted it.
 */
import type { Run } from '../engine/model';
import type { EngineLog, RunNotice, RunReports } from '../engine/ports';
import { errorFields } from '../shared/log-fields';
import type { MatrixApi } from '../providers/matrix/matrix-client';
import type { MatrixBotStore } from './bot-store';
import { threadReply, txnIdFor } from './matrix-bot';

const who = (run: Run) => [run.employee.firstName, run.employee.lastName].filter(Boolean).join(' ');

/** What the thread is told of a change, or undefined when nothing is worth a reply. */
export function reportText(run: Run, notice: RunNotice): { kind: string; text: string } | undefined {
  if (notice.settled === 'completed') {
    const made = run.steps.filter((s) => s.status === 'succeeded').map((s) => s.stepId);
    const byHand = run.steps.filter((s) => s.status === 'skipped').map((s) => s.stepId);
    return {
      kind: 'completed',
      text:
        `The accounts of ${who(run)} are ready${run.employee.email ? `: ${run.employee.email}` : ''} (run ${run.runId}).` +
        `${run.employee.personalEmail ? ` The welcome mail goes to ${run.employee.personalEmail}.` : ''}` +
        `${made.length ? ` Done: ${made.join(', ')}.` : ''}${byHand.length ? ` Done by hand: ${byHand.join(', ')}.` : ''}`,
    };
  }
  if (notice.settled === 'rejected') return { kind: 'rejected', text: `The hire of ${who(run)} was rejected by an approver (run ${run.runId}): no account is made.` };
  if (notice.settled === 'cancelled') return { kind: 'cancelled', text: `The hire of ${who(run)} was cancelled (run ${run.runId}).` };
  if (notice.needsAttention.length) {
    return {
      kind: `attention:${[...notice.needsAttention].sort().join(',')}`,
      text: `The hire of ${who(run)} waits for IT: ${notice.needsAttention.join(', ')} needs an operator (run ${run.runId}). I will answer here when the accounts are ready.`,
    };
  }
  return undefined;
}

export interface MatrixReportsDeps {
  api: () => Promise<MatrixApi>;
  store: Pick<MatrixBotStore, 'thread'>;
  log: EngineLog;
}

/** The reporter for runs proposed in Matrix; other runs are none of its business. */
export function matrixReports(deps: MatrixReportsDeps): RunReports {
  return {
    async runChanged(run, notice) {
      if (run.proposal?.source !== 'matrix') return;
      const report = reportText(run, notice);
      if (!report) return;
      const ids = { runId: run.runId, employeeId: run.employeeId, report: report.kind.split(':')[0] };
      try {
        const thread = await deps.store.thread(run.runId);
        if (!thread) {
          deps.log.warn('matrix report skipped: no thread recorded for the run', ids);
          return;
        }
        // One event per run and change: a repeat of the same notice is the same transaction on the homeserver.
        await (await deps.api()).send(thread.roomId, 'm.room.message', txnIdFor(run.runId, report.kind), threadReply(report.text, thread.rootEventId, thread.commandEventId));
        deps.log.info('matrix report sent', { ...ids, roomId: thread.roomId });
      } catch (err) {
        deps.log.warn('matrix report failed', { ...ids, ...errorFields(err) });
      }
    },
  };
}
