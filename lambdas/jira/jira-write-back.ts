/**
 * The run's report on the Jira ticket its request came from (event id `jira-<issue key>`): the one comment of the run,
 * written when the run is planned or revised (by the intake), when a step of it comes to need an operator and when it
 * ends (the engine's RunReports port, the same on AWS and locally), then the ticket's optional move to the status the
 * stage names for that. Best effort: a failed write or move is logged by ids and code and never fails the intake or
 * the step; the run stands, and the next write brings the comment up to date.
 */
import type { JiraSettings } from '../../config/jira';
import type { Run } from '../engine/model';
import type { EngineDeps, RunNotice, RunReports } from '../engine/ports';
import { errorFields } from '../shared/log-fields';
import type { JiraClient } from '../providers/jira/jira-client';
import { jiraReport } from './jira-report';

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
}

/** The status the ticket goes to for this notice, if the stage names one. */
export function transitionFor(notice: RunNotice, transitions: JiraSettings['transitions']): string | undefined {
  if (!transitions) return undefined;
  if (notice.settled === 'completed') return transitions.completed;
  if (notice.settled) return transitions.cancelled;
  return notice.needsAttention.length ? transitions.needsAttention : undefined;
}

export function jiraWriteBack(client: () => Promise<JiraClient>, log: EngineDeps['log'], options: JiraWriteBackOptions = {}): JiraWriteBack {
  // One write at a time per ticket in this process: two reports of one run (the intake's and the dispatcher's) would
  // otherwise both find no comment and each add one, or the older copy land last.
  const writing = new Map<string, Promise<unknown>>();
  const oneAtATime = <T>(key: string, work: () => Promise<T>): Promise<T> => {
    const mine = (writing.get(key) ?? Promise.resolve()).then(() => work());
    const tail = mine.then(
      () => undefined,
      () => undefined,
    );
    writing.set(key, tail);
    void tail.then(() => {
      if (writing.get(key) === tail) writing.delete(key);
    });
    return mine;
  };

  const newest = async (run: Run): Promise<Run> => {
    const stored = await options.latest?.(run).catch(() => undefined);
    return stored && stored.version >= run.version ? stored : run;
  };

  const write = async (issueKey: string, handed: Run, notes: string[] = []): Promise<boolean> => {
    const run = await newest(handed);
    try {
      const out = await (await client()).writeRunComment(issueKey, run.runId, jiraReport(run, notes), { internal: options.internal === true });
      log.info('jira comment written', { runId: run.runId, issueKey, commentId: out.commentId, created: out.created });
      return true;
    } catch (err) {
      log.warn('jira comment not written', { runId: run.runId, issueKey, ...errorFields(err) });
      return false;
    }
  };

  return {
    async report(run, notes) {
      const issueKey = issueKeyOf(run);
      if (!issueKey) return false;
      return oneAtATime(issueKey, () => write(issueKey, run, notes));
    },

    async runChanged(run, notice) {
      const issueKey = issueKeyOf(run);
      if (!issueKey) return;
      await oneAtATime(issueKey, async () => {
        await write(issueKey, run);
        const status = transitionFor(notice, options.transitions);
        if (!status) return;
        try {
          const moved = await (await client()).moveTo(issueKey, status);
          log.info('jira ticket moved', { runId: run.runId, issueKey, moved, ...(notice.settled ? { settled: notice.settled } : {}) });
        } catch (err) {
          // Not available from where the ticket is (its workflow), or Jira refused: the comment says so; the run stands.
          log.warn('jira ticket not moved', { runId: run.runId, issueKey, ...errorFields(err) });
          await write(issueKey, run, [`The ticket was not moved to ${status}: ${err instanceof Error ? err.message : String(err)}. Move it by hand.`]);
        }
      });
    },
  };
}
