/** The Jira intake from the function's environment: the stage's jira setting and the webhook secret; undefined when unset. */
import { parseJiraSettings } from '../../../config/jira';
import type { JiraIntake } from '../../http/jira-route';
import { ENV } from '../../shared/env-names';
import { secretSource } from '../../shared/secrets';

export function jiraIntakeFromEnv(): JiraIntake | undefined {
  const settings = parseJiraSettings(process.env[ENV.jiraSettings]);
  if (!settings) return undefined;
  const secret = secretSource(ENV.jiraWebhookSecretArn, ENV.jiraWebhookSecret);
  return { settings, webhookSecret: async () => (await secret()).trim() };
}
