/** A stage whose OpenProject sends no webhooks: the member task poll's function on its EventBridge schedule, and only then. */
import { Template } from 'aws-cdk-lib/assertions';
import { loadStageConfig } from '../../config/stages';
import { ENV } from '../../lambdas/shared/env-names';
import { buildStage } from './build-stacks';
import { grantsOf, logicalId, resourceOf } from './template-helpers';
import { nagFindings } from './nag-findings';

const local = loadStageConfig('local').openproject!;
const openproject = (poll?: { everyMinutes: number }) => ({ ...local, baseUrl: 'https://openproject.example.org', memberTasks: { ...local.memberTasks!, ...(poll ? { poll } : {}) } });
const envOf = (template: Template, id: string) => (resourceOf(template, 'AWS::Lambda::Function', id).Properties.Environment as { Variables: Record<string, unknown> }).Variables;
const DESCRIPTION = 'Polls the OpenProject member tasks updated since its last turn';

describe('the member task poll on AWS', () => {
  it('member tasks driven by the webhook (no poll setting): no poll function, no schedule', () => {
    const built = buildStage('dev', { openproject: openproject() });
    expect(built.core.memberTaskPoll).toBeUndefined();
    const template = Template.fromStack(built.core);
    expect(template.findResources('AWS::Lambda::Function', { Properties: { Description: DESCRIPTION } })).toEqual({});
    const rules = Object.values(template.findResources('AWS::Events::Rule')).map((r) => String((r.Properties as { Description?: string }).Description));
    expect(rules.filter((d) => d.includes('member tasks'))).toEqual([]);
  });

  it('with poll.everyMinutes 5: a function run every 5 minutes with the OpenProject setting and token, writing the table', () => {
    const built = buildStage('dev', { openproject: openproject({ everyMinutes: 5 }) });
    const template = Template.fromStack(built.core);
    const [pollId, ...others] = Object.keys(template.findResources('AWS::Lambda::Function', { Properties: { Description: DESCRIPTION } }));
    expect(others).toEqual([]);
    expect(pollId).toBe(logicalId(built.core.memberTaskPoll!.function.function));
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(5 minutes)', Targets: [{ Arn: { 'Fn::GetAtt': [pollId, 'Arn'] }, RetryPolicy: { MaximumRetryAttempts: 0 } }] });
    const env = envOf(template, pollId);
    expect(JSON.parse(String(env[ENV.openprojectSettings]))).toMatchObject({ memberTasks: { project: local.memberTasks!.project, poll: { everyMinutes: 5 } } });
    expect(env[ENV.openprojectTokenSecretArn]).toEqual({ Ref: expect.stringMatching(/^OpenProjectMemberTaskToken/) });
    // Only the api holds the webhook's secret: the poll needs none.
    expect(env[ENV.openprojectWebhookSecretArn]).toBeUndefined();
    const role = (resourceOf(template, 'AWS::Lambda::Function', pollId).Properties.Role as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0];
    expect(grantsOf(template, role, 'dynamodb:UpdateItem').length).toBeGreaterThan(0);
    expect(grantsOf(template, role, 'secretsmanager:GetSecretValue').length).toBeGreaterThan(0);
  });

  it('leaves no cdk-nag finding unacknowledged', () => {
    const built = buildStage('dev', { openproject: openproject({ everyMinutes: 5 }) });
    expect(nagFindings(built.core, 'error')).toEqual([]);
    expect(nagFindings(built.core, 'warning')).toEqual([]);
  });
});
