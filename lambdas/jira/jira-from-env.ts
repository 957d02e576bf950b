/** The Jira intake and write-back from the function's environment: the stage's jira setting and its secrets; undefined when unset. */
import { parseJiraSettings } from '../../config/jira';
import type { JiraIntake } from '../http/jira-route';
import { ENV } from '../shared/env-names';
import { secretSource } from '../shared/secrets';
import { engineLog } from '../shared/observability';
import type { LifecycleStore } from '../store/lifecycle-store';
import { JiraClient } from '../providers/jira/jira-client';
import { jiraWriteBack, type JiraWriteBack } from './jira-write-back';

/**
 * The write-back (comment, then the move of the ticket) when the stage names a write-back account: given to each
 * function that settles runs or hands steps to an operator (api, dispatcher, dead-letter). It reads the run as stored
 * before each write, so a report shows the latest change.
 */
export function jiraWriteBackFromEnv(store?: Pick<LifecycleStore, 'getRun'>): JiraWriteBack | undefined {
  const settings = parseJiraSettings(process.env[ENV.jiraSettings]);
  const email = settings?.writeBackEmail;
  if (!settings || !email) return undefined;
  const token = secretSource(ENV.jiraApiTokenArn, ENV.jiraApiToken);
  return jiraWriteBack(async () => new JiraClient({ baseUrl: settings.baseUrl, email, apiToken: (await token()).trim() }), engineLog, {
    ...(settings.transitions ? { transitions: settings.transitions, startStatus: settings.startStatus } : {}),
    ...(settings.serviceDesk ? { internal: true } : {}),
    ...(store ? { latest: (run) => store.getRun(run.employeeId, run.runId) } : {}),
  });
}

/** The intake (the API function only: it alone holds the webhook secret), reporting through `writeBack` when given. */
export function jiraIntakeFromEnv(writeBack?: JiraWriteBack): JiraIntake | undefined {
  const settings = parseJiraSettings(process.env[ENV.jiraSettings]);
  if (!settings) return undefined;
  const secret = secretSource(ENV.jiraWebhookSecretArn, ENV.jiraWebhookSecret);
  return { settings, webhookSecret: async () => (await secret()).trim(), ...(writeBack ? { writeBack } : {}) };
}
