/** The member tasks from the function's environment: the stage's openproject setting and its secrets; undefined when it has no memberTasks. */
import { parseOpenProjectSettings } from '../../config/openproject';
import type { EngineDeps } from '../engine/ports';
import type { OpenProjectIntake } from '../http/openproject-route';
import { apiTokenFromEnv } from '../providers/api-token-from-env';
import { OpenProjectClient } from '../providers/openproject/openproject-client';
import { ENV } from '../shared/env-names';
import { secretSource } from '../shared/secrets';
import type { MemberTaskDeps } from './member-tasks';

/** The member task deps for an engine (given to each function that settles runs or hands steps to an operator, and the api). */
export function memberTasksFromEnv(env: NodeJS.ProcessEnv = process.env): ((engine: EngineDeps) => MemberTaskDeps) | undefined {
  const settings = parseOpenProjectSettings(env[ENV.openprojectSettings]);
  if (!settings?.memberTasks) return undefined;
  const apiToken = apiTokenFromEnv(env, { arn: ENV.openprojectTokenSecretArn, local: ENV.openprojectToken }, { provider: 'OpenProject', token: "an administrator's API token", doc: 'docs/openproject.md' });
  const client = new OpenProjectClient({ baseUrl: settings.baseUrl, apiToken, requestsPerMinute: settings.requestsPerMinute });
  const memberTasks = settings.memberTasks;
  return (engine) => ({ engine, openproject: () => client, settings: memberTasks });
}

/** The intake (the api function only: it alone holds the webhook secret). */
export function openProjectIntakeFromEnv(memberTasks: MemberTaskDeps | undefined): OpenProjectIntake | undefined {
  if (!memberTasks) return undefined;
  const secret = secretSource(ENV.openprojectWebhookSecretArn, ENV.openprojectWebhookSecret);
  return { memberTasks, webhookSecret: async () => (await secret()).trim() };
}
