/**
 * The run's report on the Jira ticket its request came from (event id `jira-<issue key>`): the one comment of the run,
 * written when the run is planned or revised and when a step of it needs an operator. A failed write is logged by ids
 * and code and never fails the intake: the run stands, and the next write brings the comment up to date.
 */
import type { Run } from '../engine/model';
import type { EngineDeps } from '../engine/ports';
import { errorFields } from '../shared/log-fields';
import type { JiraClient } from '../providers/jira/jira-client';
import { jiraReport } from './jira-report';

export const JIRA_EVENT_ID_PREFIX = 'jira-';

/** The ticket a run's request came from, or undefined for a run not from Jira. */
export const issueKeyOf = (run: Pick<Run, 'eventId'>): string | undefined =>
  run.eventId.startsWith(JIRA_EVENT_ID_PREFIX) ? run.eventId.slice(JIRA_EVENT_ID_PREFIX.length) : undefined;

export interface JiraWriteBack {
  /** Writes the run's comment as the run is now; false when the run is not from Jira or the write failed (logged). */
  report(run: Run): Promise<boolean>;
}

export function jiraWriteBack(client: () => Promise<JiraClient>, log: EngineDeps['log']): JiraWriteBack {
  return {
    async report(run) {
      const issueKey = issueKeyOf(run);
      if (!issueKey) return false;
      try {
        const out = await (await client()).writeRunComment(issueKey, run.runId, jiraReport(run));
        log.info('jira comment written', { runId: run.runId, issueKey, commentId: out.commentId, created: out.created });
        return true;
      } catch (err) {
        log.warn('jira comment not written', { runId: run.runId, issueKey, ...errorFields(err) });
        return false;
      }
    },
  };
}
