/** The Jira intake from the function's environment: the stage's jira setting and the webhook secret; undefined when unset. */
import { parseJiraSettings } from '../../config/jira';
import type { JiraIntake } from '../http/jira-route';
import { ENV } from '../shared/env-names';
import { secretSource } from '../shared/secrets';
import { engineLog } from '../shared/observability';
import { JiraClient } from '../providers/jira/jira-client';
import { jiraWriteBack } from './jira-write-back';

export function jiraIntakeFromEnv(): JiraIntake | undefined {
  const settings = parseJiraSettings(process.env[ENV.jiraSettings]);
  if (!settings) return undefined;
  const secret = secretSource(ENV.jiraWebhookSecretArn, ENV.jiraWebhookSecret);
  const email = settings.writeBackEmail;
  const token = secretSource(ENV.jiraApiTokenArn, ENV.jiraApiToken);
  const writeBack = email ? jiraWriteBack(async () => new JiraClient({ baseUrl: settings.baseUrl, email, apiToken: (await token()).trim() }), engineLog) : undefined;
  return { settings, webhookSecret: async () => (await secret()).trim(), ...(writeBack ? { writeBack } : {}) };
}
