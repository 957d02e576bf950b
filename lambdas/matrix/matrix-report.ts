/**
 * The later replies in a proposal's thread (the engine's RunReports port, beside Jira's through combineReports): the
 * accounts are ready (the run completed), the run was cancelled or rejected, or a step came to need an operator. The
 * functions that settle runs hold no Matrix token: the reply is queued in the bot's outbox and the bot's loop sends it
 * (sendPendingReports), in the thread, on its next turn. Best effort: a failure is logged by ids and never fails the change.
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
  store: Pick<MatrixBotStore, 'thread' | 'queueReport'>;
  log: EngineLog;
  now: () => Date;
}

/** The reporter for runs proposed in Matrix (other runs are none of its business): queues the thread's reply. */
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
        await deps.store.queueReport({
          // One reply per run and change: a repeat of the same notice is the same item and the same event.
          txnId: txnIdFor(run.runId, report.kind),
          runId: run.runId,
          roomId: thread.roomId,
          rootEventId: thread.rootEventId,
          commandEventId: thread.commandEventId,
          change: ids.report,
          text: report.text,
          queuedAt: deps.now().toISOString(),
        });
      } catch (err) {
        deps.log.warn('matrix report not queued', { ...ids, ...errorFields(err) });
      }
    },
  };
}

/** Sends the queued replies, oldest first; one that fails stays queued for the next turn (and stops this one). */
export async function sendPendingReports(api: Pick<MatrixApi, 'send'>, store: Pick<MatrixBotStore, 'pendingReports' | 'reportSent'>, log: EngineLog): Promise<number> {
  let sent = 0;
  for (const report of await store.pendingReports(20)) {
    const ids = { runId: report.runId, roomId: report.roomId, report: report.change };
    try {
      await api.send(report.roomId, 'm.room.message', report.txnId, threadReply(report.text, report.rootEventId, report.commandEventId));
    } catch (err) {
      log.warn('matrix report not sent: kept for the next turn', { ...ids, ...errorFields(err) });
      return sent;
    }
    await store.reportSent(report.txnId);
    log.info('matrix report sent', ids);
    sent += 1;
  }
  return sent;
}
