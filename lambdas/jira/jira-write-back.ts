/**
 * The run's report on the Jira ticket its request came from (event id `jira-<issue key>`): the one comment of the run,
 * written when the run is planned or revised (by the intake), when the steps needing an operator change (one comes to
 * need one; one is retried, skipped or done after a retry) and when it ends (the engine's RunReports port, the same on AWS and locally), then the ticket's optional move to the status the
 * stage names for that. Best effort: a failed write or move is logged by ids and code and never fails the intake or
 * the step; the run stands, and the next write brings the comment up to date.
 */
import type { JiraSettings } from '../../config/jira';
import type { Run } from '../engine/model';
import type { EngineDeps, RunReports } from '../engine/ports';
import { errorFields } from '../shared/log-fields';
import type { JiraClient } from '../providers/jira/jira-client';
import { RUN_REPORT_DEADLINE_MS } from '../../config/dispatch-timing';
import { jiraReport, runNeedsTicketChange } from './jira-report';

export const JIRA_EVENT_ID_PREFIX = 'jira-';

/** The ticket a run's request came from, or undefined for a run not from Jira. */
export const issueKeyOf = (run: Pick<Run, 'eventId'>): string | undefined =>
  run.eventId.startsWith(JIRA_EVENT_ID_PREFIX) ? run.eventId.slice(JIRA_EVENT_ID_PREFIX.length) : undefined;

export interface JiraWriteBack extends RunReports {
  /** Writes the run's comment as the run is now; false when the run is not from Jira or the write failed (logged). */
  report(run: Run, notes?: string[]): Promise<boolean>;
}

export interface JiraWriteBackOptions {
  /** Where the ticket is moved when its run needs an operator or ends (the stage's `jira.transitions`). */
  transitions?: JiraSettings['transitions'];
  /** A Jira Service Management desk: the comment is internal (the stage's `jira.serviceDesk`). */
  internal?: boolean;
  /** The run as stored now: a report written after a later change shows that change, not the copy it was handed. */
  latest?: (run: Run) => Promise<Run | undefined>;
  /**
   * The stage's `jira.startStatus`: a ticket in `transitions.needsAttention` whose run no longer waits for the requester
   * (IT retried or skipped the step, a revision cleared it) is moved back there.
   */
  startStatus?: string;
  /** The longest a report is waited for (RUN_REPORT_DEADLINE_MS); past it, it is abandoned and logged. */
  deadlineMs?: number;
}

/**
 * The status the ticket goes to for the run as it is now (the newest copy, not the notice that prompted the report: a
 * report of an older change may land after a newer one). An ended run: `completed` or `cancelled`. A run going on:
 * `needsAttention` only while a step waits for a change on the ticket (not for a retry nor an account hold, which IT
 * settles); otherwise none.
 */
export function transitionFor(run: Pick<Run, 'status' | 'steps' | 'role'>, transitions: JiraSettings['transitions']): string | undefined {
  if (!transitions) return undefined;
  if (run.status === 'completed') return transitions.completed;
  if (run.status === 'cancelled' || run.status === 'rejected') return transitions.cancelled;
  return runNeedsTicketChange(run) ? transitions.needsAttention : undefined;
}

/**
 * Where the ticket goes for the run as it is now, and from where: transitionFor's status, or, while the run goes on and
 * nothing waits for the requester, back to the start status only from `needsAttention` (where the write-back put it).
 */
export function moveFor(
  run: Pick<Run, 'status' | 'steps' | 'role'>,
  transitions: JiraSettings['transitions'],
  startStatus: string | undefined,
): { to: string; onlyFrom?: string[] } | undefined {
  const to = transitionFor(run, transitions);
  if (to) return { to };
  const ended = ['completed', 'cancelled', 'rejected'].includes(run.status);
  if (ended || !startStatus || !transitions?.needsAttention) return undefined;
  return { to: startStatus, onlyFrom: [transitions.needsAttention] };
}

export function jiraWriteBack(client: () => Promise<JiraClient>, log: EngineDeps['log'], options: JiraWriteBackOptions = {}): JiraWriteBack {
  const deadlineMs = options.deadlineMs ?? RUN_REPORT_DEADLINE_MS;
  // One write at a time per ticket in this process: two reports of one run (the intake's and the dispatcher's) would
  // otherwise both find no comment and each add one, or the older copy land last. A write is waited for at most
  // RUN_REPORT_DEADLINE_MS: one stuck on a Jira that hangs does not hold the reports after it.
  const writing = new Map<string, Promise<unknown>>();
  const oneAtATime = <T>(key: string, ids: Record<string, string>, work: () => Promise<T>, late: T): Promise<T> => {
    // The time limit counts from when this write starts: the one before it is itself let go at its own limit.
    const bounded = (writing.get(key) ?? Promise.resolve()).then(() => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const mine = work();
      mine.catch(() => undefined);
      const deadline = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), deadlineMs);
      });
      return Promise.race([mine, deadline]).finally(() => clearTimeout(timer));
    });
    const tail = bounded.then(
      () => undefined,
      () => undefined,
    );
    writing.set(key, tail);
    void tail.then(() => {
      if (writing.get(key) === tail) writing.delete(key);
    });
    return bounded.then((out) => {
      if (out !== 'late') return out as T;
      log.warn('jira report abandoned', { ...ids, deadlineMs });
      return late;
    });
  };

  const newest = async (run: Run): Promise<Run> => {
    const stored = await options.latest?.(run).catch(() => undefined);
    return stored && stored.version >= run.version ? stored : run;
  };

  // A comment asked to be internal is written only on a service desk (checked once per project in this process): on
  // another project it would be public, seen by the requester. Said once, clearly; later reports skip quietly.
  const serviceDesk = new Map<string, boolean>();
  const mayWrite = async (jira: JiraClient, issueKey: string, runId: string): Promise<boolean> => {
    if (options.internal !== true) return true;
    const projectKey = issueKey.slice(0, issueKey.lastIndexOf('-'));
    const known = serviceDesk.get(projectKey);
    if (known !== undefined) {
      if (!known) log.info('jira comment skipped: not a service desk', { runId, issueKey, projectKey });
      return known;
    }
    const isDesk = await jira.isServiceDesk(projectKey);
    serviceDesk.set(projectKey, isDesk);
    if (!isDesk) log.error('jira project is not a service desk: no comment is written (jira.serviceDesk asks for internal ones)', { runId, issueKey, projectKey });
    return isDesk;
  };

  const write = async (issueKey: string, run: Run, notes: string[] = []): Promise<boolean> => {
    try {
      const jira = await client();
      if (!(await mayWrite(jira, issueKey, run.runId))) return false;
      const out = await jira.writeRunComment(issueKey, run.runId, jiraReport(run, notes), { internal: options.internal === true });
      log.info('jira comment written', { runId: run.runId, issueKey, commentId: out.commentId, created: out.created });
      return true;
    } catch (err) {
      log.warn('jira comment not written', { runId: run.runId, issueKey, ...errorFields(err) });
      return false;
    }
  };

  // The statuses a run's end puts the ticket in: a later report of an older change never moves it away from them.
  const endStatuses = [options.transitions?.completed, options.transitions?.cancelled].filter((s): s is string => Boolean(s));

  return {
    async report(handed, notes) {
      const issueKey = issueKeyOf(handed);
      if (!issueKey) return false;
      return oneAtATime(issueKey, { runId: handed.runId, issueKey }, async () => write(issueKey, await newest(handed), notes), false);
    },

    async runChanged(handed, notice) {
      const issueKey = issueKeyOf(handed);
      // The ticket hears of an approval when the run's steps report: an approval alone writes nothing there.
      if (!issueKey || (!notice.settled && !notice.needsAttention.length && !notice.cleared?.length)) return;
      await oneAtATime(
        issueKey,
        { runId: handed.runId, issueKey },
        async () => {
          const run = await newest(handed);
          await write(issueKey, run);
          // Decided from the run as stored now, read again after the comment: a change written meanwhile (the run ended
          // in another function) is shown and decides the move, never undone by the move of an older one.
          const now = await newest(run);
          if (now.version !== run.version) await write(issueKey, now);
          const move = moveFor(now, options.transitions, options.startStatus);
          if (!move) return;
          const status = move.to;
          try {
            const moved = await (await client()).moveTo(issueKey, status, { notFrom: endStatuses.filter((s) => s !== status), ...(move.onlyFrom ? { onlyFrom: move.onlyFrom } : {}) });
            log.info('jira ticket moved', { runId: run.runId, issueKey, moved, ...(notice.settled ? { settled: notice.settled } : {}) });
          } catch (err) {
            // Not available from where the ticket is (its workflow), or Jira refused: the comment says so; the run stands.
            log.warn('jira ticket not moved', { runId: run.runId, issueKey, ...errorFields(err) });
            await write(issueKey, now, [`The ticket was not moved to ${status}: ${err instanceof Error ? err.message : String(err)}. Move it by hand.`]);
          }
        },
        undefined,
      );
    },
  };
}
