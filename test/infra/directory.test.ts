/** The directory read function: its schedules, read-only rights where the provider has them, the provider secrets it reads, and the api's way to it. */
import { Template } from 'aws-cdk-lib/assertions';
import { ENV } from '../../lambdas/shared/env-names';
import { GOOGLE_SCOPE } from '../../lambdas/providers/google/google-scopes';
import { buildStage } from './build-stacks';
import { grantsOf, logicalId, resourceOf, statementsOfRole, actionsOf } from './template-helpers';
import { nagFindings } from './nag-findings';

const envOf = (template: Template, id: string) => (resourceOf(template, 'AWS::Lambda::Function', id).Properties.Environment as { Variables: Record<string, unknown> }).Variables;
const INACTIVITY = { enabled: true, days: 90, systems: ['google'], approve: true, noticeDays: 7, exclude: { addresses: [], employeeIds: [], access: [] }, serviceAccounts: { addresses: [], localParts: [] } };

describe('the directory read function on AWS', () => {
  it('consolidation runs every scheduleHours; without inactivity enabled there is no inactivity schedule and no Gmail scope', () => {
    const built = buildStage('dev', { consolidation: { enabled: true, scheduleHours: 6, reportsKept: 10 } });
    const template = Template.fromStack(built.directory);
    const fnId = logicalId(built.directory.read.function);
    expect(resourceOf(template, 'AWS::Lambda::Function', fnId).Properties).toMatchObject({ FunctionName: 'lifecycle-dev-directory-read', Timeout: 900 });
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(6 hours)', Targets: [{ Arn: { 'Fn::GetAtt': [fnId, 'Arn'] }, Input: JSON.stringify({ job: 'consolidation', requestedBy: 'schedule' }) }] });
    expect(Object.keys(template.findResources('AWS::Events::Rule'))).toHaveLength(1);
    const env = envOf(template, fnId);
    expect(String(env[ENV.googleScopes]).split(',')).toEqual([GOOGLE_SCOPE.userReadonly, GOOGLE_SCOPE.groupReadonly, GOOGLE_SCOPE.licensing, GOOGLE_SCOPE.customerReadonly]);
    expect(env[ENV.welcomeSender]).toBe(built.config.welcomeEmail.sender);
    expect(env[ENV.consolidationReportsKept]).toBe('10');
  });

  it('consolidation disabled: no schedule, the function stays for a run asked through the api', () => {
    const built = buildStage('dev', { consolidation: { enabled: false, scheduleHours: 24, reportsKept: 10 } });
    expect(Object.keys(Template.fromStack(built.directory).findResources('AWS::Events::Rule'))).toHaveLength(0);
  });

  it('with inactivity enabled, the check runs daily and not as a dry run, and the notice is sent as the welcome sender', () => {
    const built = buildStage('prod', { inactivity: INACTIVITY });
    const template = Template.fromStack(built.directory);
    const fnId = logicalId(built.directory.read.function);
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 day)', Targets: [{ Arn: { 'Fn::GetAtt': [fnId, 'Arn'] }, Input: JSON.stringify({ job: 'inactivity', dryRun: false }) }] });
    const env = envOf(template, fnId);
    expect(String(env[ENV.googleScopes]).split(',')).toEqual(expect.arrayContaining([GOOGLE_SCOPE.gmailSend, GOOGLE_SCOPE.gmailReadonly]));
    expect(String(env[ENV.googleScopes])).not.toContain(`${GOOGLE_SCOPE.user},`);
    expect(env[ENV.welcomeSender]).toBe(built.config.welcomeEmail.sender);
    expect(JSON.parse(String(env[ENV.inactivitySettings]))).toMatchObject({ enabled: true, days: 90 });
  });

  it('Connect: only the reader\'s list calls; no other Connect or Lambda write', () => {
    const built = buildStage('dev');
    const template = Template.fromStack(built.directory);
    const role = logicalId(built.directory.read.role);
    const connect = statementsOfRole(template, role).flatMap(actionsOf).filter((a) => a.startsWith('connect:'));
    expect([...new Set(connect)].sort()).toEqual(['connect:ListRoutingProfiles', 'connect:ListSecurityProfiles', 'connect:SearchUsers']);
    expect(statementsOfRole(template, role).flatMap(actionsOf).filter((a) => a.startsWith('lambda:'))).toEqual([]);
    expect(grantsOf(template, role, 'secretsmanager:GetSecretValue').length).toBeGreaterThan(0);
  });

  it('the api may invoke the function by name and is told its name', () => {
    const built = buildStage('dev');
    const template = Template.fromStack(built.core);
    const apiRole = logicalId(built.core.functions.api.role);
    const invoke = grantsOf(template, apiRole, 'lambda:InvokeFunction');
    expect(JSON.stringify(invoke)).toContain('function:lifecycle-dev-directory-read');
    expect(envOf(template, logicalId(built.core.functions.api.function))[ENV.directoryReadFunction]).toBe('lifecycle-dev-directory-read');
  });

  it('the api knows whether the stage runs the inactivity check, so a run now on a stage with it off is refused', () => {
    const apiEnv = (built: ReturnType<typeof buildStage>) => envOf(Template.fromStack(built.core), logicalId(built.core.functions.api.function));
    expect(apiEnv(buildStage('prod', { inactivity: INACTIVITY }))[ENV.inactivityEnabled]).toBe('true');
    expect(apiEnv(buildStage('prod', { inactivity: { ...INACTIVITY, enabled: false } }))[ENV.inactivityEnabled]).toBe('false');
  });

  it('the provider secrets it reads are read in the Core Stack by no function: the api only invokes it', () => {
    const built = buildStage('dev');
    const core = JSON.stringify(Template.fromStack(built.core).findResources('AWS::IAM::Policy'));
    for (const secret of ['GoogleServiceAccount', 'ZendeskApiToken', 'FrontApiToken', 'NextcloudAppPassword', 'OpenProjectApiToken']) expect(core).not.toContain(secret);
    const own = JSON.stringify(statementsOfRole(Template.fromStack(built.directory), logicalId(built.directory.read.role)));
    for (const secret of ['GoogleServiceAccount', 'ZendeskApiToken', 'FrontApiToken', 'NextcloudAppPassword', 'OpenProjectApiToken']) expect(own).toContain(secret);
  });

  it('leaves no cdk-nag finding unacknowledged', () => {
    const built = buildStage('dev', { inactivity: INACTIVITY });
    expect(nagFindings(built.directory, 'error')).toEqual([]);
    expect(nagFindings(built.directory, 'warning')).toEqual([]);
  });
});
