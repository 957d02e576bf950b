/** A stage with a Matrix bot: its scheduled sync function, the access token read by that function alone, the reporters flagged. */
import { Template } from 'aws-cdk-lib/assertions';
import { loadStageConfig } from '../../config/stages';
import { ENV } from '../../lambdas/shared/env-names';
import { buildStage } from './build-stacks';
import { grantsOf, logicalId, resourceOf } from './template-helpers';
import { nagFindings } from './nag-findings';

const matrix = { ...loadStageConfig('local').matrix!, homeserverUrl: 'https://matrix.example.org', userId: '@lifecycle:example.org', rooms: ['!ask:example.org'] };
const envOf = (template: Template, id: string) => (resourceOf(template, 'AWS::Lambda::Function', id).Properties.Environment as { Variables: Record<string, unknown> }).Variables;

describe('Matrix on AWS', () => {
  it('without a matrix setting there is no bot function and no Matrix secret', () => {
    const built = buildStage('dev');
    expect(built.core.matrix).toBeUndefined();
    const template = Template.fromStack(built.core);
    const secrets = Object.values(template.findResources('AWS::SecretsManager::Secret')).map((r) => String((r.Properties as { Description?: string }).Description));
    expect(secrets.filter((d) => d.includes('Matrix'))).toEqual([]);
    expect(envOf(template, logicalId(built.core.functions.dispatcher.function))[ENV.matrixReports]).toBeUndefined();
  });

  it('with one, a sync function runs every minute for up to 15 minutes with the setting and the token; only it reads the token', () => {
    const built = buildStage('dev', { matrix });
    const template = Template.fromStack(built.core);
    expect(built.core.matrix).toBeDefined();
    const syncFn = template.findResources('AWS::Lambda::Function', { Properties: { Description: 'The Matrix bot: long-polls /sync and proposes hires from !on' } });
    const [syncId] = Object.keys(syncFn);
    expect(syncId).toBeDefined();
    expect(resourceOf(template, 'AWS::Lambda::Function', syncId).Properties.Timeout).toBe(900);
    const env = envOf(template, syncId);
    expect(JSON.parse(String(env[ENV.matrixSettings]))).toMatchObject({ homeserverUrl: 'https://matrix.example.org', powerLevel: 50 });
    expect(env[ENV.matrixAccessTokenArn]).toEqual({ Ref: expect.stringMatching(/^MatrixBotAccessToken/) });
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 minute)', Targets: [{ Arn: { 'Fn::GetAtt': [syncId, 'Arn'] }, RetryPolicy: { MaximumRetryAttempts: 0 } }] });

    // The token: read by the sync function and by no other function.
    const readers = Object.entries(template.findResources('AWS::IAM::Policy'))
      .filter(([, p]) => JSON.stringify(p.Properties.PolicyDocument).includes('MatrixBotAccessToken'))
      .map(([, p]) => JSON.stringify(p.Properties.Roles));
    expect(readers).toHaveLength(1);
    const syncRole = (resourceOf(template, 'AWS::Lambda::Function', syncId).Properties.Role as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0];
    expect(readers[0]).toContain(syncRole);
    expect(grantsOf(template, syncRole, 'dynamodb:PutItem').length).toBeGreaterThan(0);
    for (const fn of Object.values(built.core.functions)) {
      expect(envOf(template, logicalId(fn.function))[ENV.matrixAccessTokenArn]).toBeUndefined();
    }
    expect(Object.keys(template.toJSON().Outputs)).toContain('MatrixAccessTokenArn');
  });

  it('the api, dispatcher and dead-letter handler queue thread replies (no token); the sweep does not', () => {
    const built = buildStage('dev', { matrix });
    const template = Template.fromStack(built.core);
    const { api, dispatcher, deadLetter, sweep } = built.core.functions;
    for (const fn of [api, dispatcher, deadLetter]) expect(envOf(template, logicalId(fn.function))[ENV.matrixReports]).toBe('1');
    expect(envOf(template, logicalId(sweep.function))[ENV.matrixReports]).toBeUndefined();
  });

  it('leaves no cdk-nag finding unacknowledged', () => {
    const built = buildStage('dev', { matrix });
    expect(nagFindings(built.core, 'error')).toEqual([]);
    expect(nagFindings(built.core, 'warning')).toEqual([]);
  });
});
