/** A stage with a Jira intake: the webhook secret and the write-back token, each read by the API function only. */
import { Template } from 'aws-cdk-lib/assertions';
import { loadStageConfig } from '../../config/stages';
import { ENV } from '../../lambdas/shared/env-names';
import { buildStage } from './build-stacks';
import { grantsOf, logicalId, resourceOf } from './template-helpers';

const jira = loadStageConfig('local').jira!;

describe('Jira on AWS', () => {
  it('without a jira setting there is no Jira secret', () => {
    const template = Template.fromStack(buildStage('dev').core);
    const secrets = Object.values(template.findResources('AWS::SecretsManager::Secret')).map((r) => String((r.Properties as { Description?: string }).Description));
    expect(secrets.filter((d) => d.includes('Jira'))).toEqual([]);
  });

  it('with one, the API function gets the setting and reads the webhook secret and the API token', () => {
    const built = buildStage('dev', { jira: { ...jira, baseUrl: 'https://example.atlassian.net' } });
    const template = Template.fromStack(built.core);
    const api = resourceOf(template, 'AWS::Lambda::Function', logicalId(built.core.functions.api.function));
    const env = (api.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(JSON.parse(String(env[ENV.jiraSettings]))).toMatchObject({ baseUrl: 'https://example.atlassian.net', projectKey: 'HR', startStatus: 'Ready for IT' });
    expect(env[ENV.jiraWebhookSecretArn]).toEqual({ Ref: expect.stringMatching(/^JiraWebhookSecret/) });
    expect(env[ENV.jiraApiTokenArn]).toEqual({ Ref: expect.stringMatching(/^JiraApiToken/) });
    const role = logicalId(built.core.functions.api.role);
    const reads = grantsOf(template, role, 'secretsmanager:GetSecretValue').flatMap((s) => JSON.stringify(s.Resource));
    expect(reads.join(' ')).toMatch(/JiraWebhookSecret/);
    expect(reads.join(' ')).toMatch(/JiraApiToken/);
    expect(Object.keys(template.toJSON().Outputs)).toEqual(expect.arrayContaining(['JiraWebhookSecretArn', 'JiraApiTokenArn']));
  });
});
