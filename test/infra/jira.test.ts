/** A stage with a Jira intake: the webhook secret read by the API only; the write-back token by the functions that report runs. */
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

  it('with a write-back account, the dispatcher and the dead-letter handler get the setting and read the token, not the webhook secret; the sweep neither', () => {
    const built = buildStage('dev', { jira: { ...jira, baseUrl: 'https://example.atlassian.net' } });
    const template = Template.fromStack(built.core);
    const { dispatcher, deadLetter, sweep } = built.core.functions;
    for (const fn of [dispatcher, deadLetter]) {
      const env = (resourceOf(template, 'AWS::Lambda::Function', logicalId(fn.function)).Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(JSON.parse(String(env[ENV.jiraSettings]))).toMatchObject({ transitions: { completed: 'Done' } });
      expect(env[ENV.jiraApiTokenArn]).toEqual({ Ref: expect.stringMatching(/^JiraApiToken/) });
      expect(env[ENV.jiraWebhookSecretArn]).toBeUndefined();
      const reads = grantsOf(template, logicalId(fn.role), 'secretsmanager:GetSecretValue').flatMap((s) => JSON.stringify(s.Resource)).join(' ');
      expect(reads).toMatch(/JiraApiToken/);
      expect(reads).not.toMatch(/JiraWebhookSecret/);
    }
    const sweepEnv = (resourceOf(template, 'AWS::Lambda::Function', logicalId(sweep.function)).Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(sweepEnv[ENV.jiraSettings]).toBeUndefined();
    expect(grantsOf(template, logicalId(sweep.role), 'secretsmanager:GetSecretValue').flatMap((s) => JSON.stringify(s.Resource)).join(' ')).not.toMatch(/Jira/);
  });

  it('without a write-back account only the API gets the setting', () => {
    const { writeBackEmail: _w, transitions: _t, ...intakeOnly } = jira;
    const built = buildStage('dev', { jira: { ...intakeOnly, baseUrl: 'https://example.atlassian.net' } });
    const template = Template.fromStack(built.core);
    const env = (resourceOf(template, 'AWS::Lambda::Function', logicalId(built.core.functions.dispatcher.function)).Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(env[ENV.jiraSettings]).toBeUndefined();
    expect(env[ENV.jiraApiTokenArn]).toBeUndefined();
  });
});
