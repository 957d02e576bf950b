/** Provider access in the Actions Stack: the Google key secret and the Connect instance grants go to the actions that ask, and only to them. */
import { Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { stageConfigSchema, type StageConfig } from '../../config/schema';
import { loadStageConfig } from '../../config/stages';
import { ACTION_CATALOG, type ActionSpec } from '../../lambdas/actions/catalog';
import { ENV } from '../../lambdas/shared/env-names';
import { ActionsStack } from '../../lib/actions-stack';
import { InlineFunctionFactory } from '../../lib/constructs/lifecycle-function';
import { CoreStack } from '../../lib/core-stack';
import { actionsTemplate, buildStage, DEPLOYED_STAGES, STUB_CONSOLE_ASSETS, testApp, type DeployedStage } from './build-stacks';
import { nagFindings } from './nag-findings';
import { actionsOf, allStatements, asArray, functionsByEntry, logicalId, resourceOf, statementsOfRole, type Statement } from './template-helpers';
import { actionEntryPath } from '../../lib/action-entries';

const GOOGLE_ENV = [ENV.googleServiceAccountSecretArn, ENV.googleAdminSubject, ENV.googleCustomerId, ENV.googleRequestsPerMinute];

/** What a Connect grant must name: the stage's instance and what lives under it, in the stack's own partition, region and account. */
const connectResources = (instanceId: string): unknown[] =>
  ['', '/*'].map((suffix) => ({
    'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':connect:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:instance/${instanceId}${suffix}`]],
  }));

const variablesOf = (properties: Record<string, unknown> | undefined): Record<string, unknown> =>
  (properties?.Environment as { Variables: Record<string, unknown> }).Variables;

const roleIdOf = (properties: Record<string, unknown> | undefined): string =>
  (properties?.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];

const startingWith = (statements: Statement[], prefix: string): Statement[] =>
  statements.filter((s) => actionsOf(s).some((a) => a.startsWith(prefix)));

/** Core and Actions stacks of a stage with a catalog of our choosing, as bin/app.ts would build them. */
function buildWithCatalog(stage: DeployedStage, catalog: readonly ActionSpec[], overrides: Partial<StageConfig> = {}) {
  const app = testApp(stage);
  const config = stageConfigSchema.parse({ ...loadStageConfig(stage), ...overrides });
  const factory = new InlineFunctionFactory();
  const core = new CoreStack(app, 'Core', { config, functionFactory: factory, consoleAssets: STUB_CONSOLE_ASSETS() });
  const actions = new ActionsStack(app, 'Actions', { config, core, functionFactory: factory, catalog });
  return { app, config, core, actions };
}

const madeUp: readonly ActionSpec[] = [
  { name: 'google.testSuspend', module: 'test/google', description: 'Google', priority: 'protect', needs: { google: true } },
  {
    name: 'connect.testRemove',
    module: 'test/connect',
    description: 'Connect',
    priority: 'protect',
    needs: { connect: ['connect:DescribeUser', 'connect:DeleteUser'] },
  },
  { name: 'plain.testNoop', module: 'test/plain', description: 'Plain', priority: 'housekeeping', needs: {} },
];
const [googleAction, connectAction, plainAction] = madeUp;

describe.each(DEPLOYED_STAGES)('provider access with a made-up catalog (%s)', (stage) => {
  const instanceId = 'a1b2c3d4-0000-4000-8000-123456789abc';
  const google = { adminSubject: `admin-${stage}@example.com`, customerId: `C0${stage}`, requestsPerMinute: 321 };
  const built = buildWithCatalog(stage, madeUp, { google, connect: { instanceId, requestsPerSecond: 2 } });
  const template = Template.fromStack(built.actions);
  const fns = functionsByEntry(template);
  const secretId = logicalId(built.actions.googleServiceAccount?.secret ?? built.actions);
  const statementsOf = (action: ActionSpec): Statement[] => statementsOfRole(template, roleIdOf(fns.get(actionEntryPath(action))?.properties));

  it('creates one Google key secret, retained on delete, holding an empty key template and saying how to fill it', () => {
    template.resourceCountIs('AWS::SecretsManager::Secret', 1);
    const secret = resourceOf(template, 'AWS::SecretsManager::Secret', secretId);
    expect(secret).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    expect(JSON.parse(secret.Properties.SecretString as string)).toEqual({ client_email: '', private_key: '' });
    expect(secret.Properties.GenerateSecretString).toBeUndefined();
    expect(secret.Properties.Description).toEqual(expect.stringMatching(/client_email.*private_key/));
    template.hasOutput('GoogleServiceAccountSecretArn', { Value: { Ref: secretId } });
  });

  it('gives the Google action the secret ARN and the stage Google settings', () => {
    expect(variablesOf(fns.get(actionEntryPath(googleAction))?.properties)).toMatchObject({
      [ENV.googleServiceAccountSecretArn]: { Ref: secretId },
      [ENV.googleAdminSubject]: google.adminSubject,
      [ENV.googleCustomerId]: google.customerId,
      [ENV.googleRequestsPerMinute]: '321',
    });
  });

  it('lets the Google action read that secret, and nothing else in Secrets Manager or Connect', () => {
    const reads = startingWith(statementsOf(googleAction), 'secretsmanager:');
    expect(reads).toHaveLength(1);
    expect([...actionsOf(reads[0])].sort()).toEqual(['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue']);
    expect(reads[0].Resource).toEqual({ Ref: secretId });
    expect(startingWith(statementsOf(googleAction), 'connect:')).toEqual([]);
    expect(Object.keys(variablesOf(fns.get(actionEntryPath(googleAction))?.properties))).not.toContain(ENV.connectInstanceId);
  });

  it('no other action can read the Google secret', () => {
    const readers = allStatements(template).filter((s) => JSON.stringify(s.Resource).includes(secretId));
    expect(readers).toEqual(startingWith(statementsOf(googleAction), 'secretsmanager:'));
  });

  it('gives the Connect action the instance id and exactly its listed permissions on that instance and its sub-resources', () => {
    expect(variablesOf(fns.get(actionEntryPath(connectAction))?.properties)[ENV.connectInstanceId]).toBe(instanceId);
    const grants = startingWith(statementsOf(connectAction), 'connect:');
    expect(grants).toHaveLength(1);
    expect(grants[0].Effect).toBe('Allow');
    expect([...actionsOf(grants[0])].sort()).toEqual(['connect:DeleteUser', 'connect:DescribeUser']);
    expect(asArray(grants[0].Resource)).toEqual(connectResources(instanceId));
    expect(grants[0].Condition).toBeUndefined();
  });

  it('the Connect statement is the only Connect right in the stack', () => {
    expect(startingWith(allStatements(template), 'connect:')).toEqual(startingWith(statementsOf(connectAction), 'connect:'));
  });

  it('the Connect action gets no Google settings or secret', () => {
    expect(Object.keys(variablesOf(fns.get(actionEntryPath(connectAction))?.properties))).toEqual(expect.not.arrayContaining(GOOGLE_ENV));
    expect(startingWith(statementsOf(connectAction), 'secretsmanager:')).toEqual([]);
  });

  it('the plain action gets neither Google nor Connect', () => {
    const names = Object.keys(variablesOf(fns.get(actionEntryPath(plainAction))?.properties));
    for (const name of [...GOOGLE_ENV, ENV.connectInstanceId]) expect(names).not.toContain(name);
    expect(startingWith(statementsOf(plainAction), 'secretsmanager:')).toEqual([]);
    expect(startingWith(statementsOf(plainAction), 'connect:')).toEqual([]);
  });

  it.each(['error', 'warning'] as const)('has no unacknowledged cdk-nag %s', (severity) => {
    expect(nagFindings(built.actions, severity)).toEqual([]);
  });

  it('synthesizes with cdk-nag registered as bin/app.ts registers it', () => {
    const again = buildWithCatalog(stage, madeUp);
    Validations.of(again.app).addPlugins(new AwsSolutionsChecks(again.app));
    expect(() => again.app.synth()).not.toThrow();
  });
});

describe('provider access edge cases', () => {
  it('creates no Google secret when no action needs Google', () => {
    const { actions } = buildWithCatalog('dev', [connectAction, plainAction]);
    Template.fromStack(actions).resourceCountIs('AWS::SecretsManager::Secret', 0);
    expect(actions.googleServiceAccount).toBeUndefined();
  });

  it('creates the secret once however many actions need Google', () => {
    const second: ActionSpec = { ...googleAction, name: 'google.testOther', module: 'test/google-2' };
    const { actions } = buildWithCatalog('dev', [googleAction, second]);
    Template.fromStack(actions).resourceCountIs('AWS::SecretsManager::Secret', 1);
  });

  it('refuses a needs.connect that lists no permissions, naming the action', () => {
    const empty: ActionSpec = { ...connectAction, needs: { connect: [] } };
    expect(() => buildWithCatalog('dev', [empty])).toThrow(/connect\.testRemove.*no permissions/);
  });
});

/** The real catalog, whatever it holds today: every action that asks for a provider is wired, and no other. */
describe.each(DEPLOYED_STAGES)('provider access with the real catalog (%s)', (stage) => {
  const catalog: readonly ActionSpec[] = ACTION_CATALOG;
  const built = buildStage(stage);
  const template = actionsTemplate([built.providers, ...built.actions]);
  const fns = functionsByEntry(template);
  const secret = built.providers?.resources.googleServiceAccount?.secret;
  const cases = catalog.map((a) => [a.name, a] as const);

  it('has the Google secret exactly when some action needs Google', () => {
    // The Zendesk and Front API tokens and the Nextcloud app password are the stack's other secrets, each made when some action needs its provider.
    template.resourceCountIs('AWS::SecretsManager::Secret', (catalog.some((a) => a.needs.google) ? 1 : 0) + (catalog.some((a) => a.needs.zendesk) ? 1 : 0) + (catalog.some((a) => a.needs.front) ? 1 : 0) + (catalog.some((a) => a.needs.nextcloud) ? 1 : 0) + (catalog.some((a) => a.needs.openproject) ? 1 : 0));
    expect(secret !== undefined).toBe(catalog.some((a) => a.needs.google));
  });

  it.each(cases)('%s has the Google settings and secret read exactly when it needs Google', (_name, action) => {
    const properties = fns.get(actionEntryPath(action))?.properties;
    const vars = variablesOf(properties);
    const secretReads = secret
      ? statementsOfRole(template, roleIdOf(properties)).filter((s) => JSON.stringify(s.Resource) === JSON.stringify({ Ref: logicalId(secret) }))
      : [];
    const wired = {
      env: GOOGLE_ENV.filter((name) => name in vars),
      readsSecret: secretReads.some((s) => actionsOf(s).includes('secretsmanager:GetSecretValue')),
    };
    expect(wired).toEqual(action.needs.google ? { env: GOOGLE_ENV, readsSecret: true } : { env: [], readsSecret: false });
    if (action.needs.google && secret) {
      expect(vars).toMatchObject({
        [ENV.googleServiceAccountSecretArn]: { Ref: logicalId(secret) },
        [ENV.googleAdminSubject]: built.config.google.adminSubject,
        [ENV.googleCustomerId]: built.config.google.customerId,
        [ENV.googleRequestsPerMinute]: String(built.config.google.requestsPerMinute),
      });
    }
  });

  it.each(cases)('%s may request exactly the Google scopes its catalog entry declares, or none', (_name, action) => {
    const vars = variablesOf(fns.get(actionEntryPath(action))?.properties);
    expect(vars[ENV.googleScopes]).toEqual(action.needs.googleScopes ? action.needs.googleScopes.join(',') : undefined);
  });

  it.each(cases)('%s has exactly its listed Connect permissions on the stage instance, or none', (_name, action) => {
    const properties = fns.get(actionEntryPath(action))?.properties;
    const grants = startingWith(statementsOfRole(template, roleIdOf(properties)), 'connect:');
    const wired = {
      instanceId: variablesOf(properties)[ENV.connectInstanceId],
      grants: grants.map((s) => ({ actions: [...actionsOf(s)].sort(), resources: asArray(s.Resource) })),
    };
    const permissions = action.needs.connect ?? [];
    expect(wired).toEqual(
      permissions.length > 0
        ? {
            instanceId: built.config.connect.instanceId,
            grants: [{ actions: [...new Set(permissions)].sort(), resources: connectResources(built.config.connect.instanceId) }],
          }
        : { instanceId: undefined, grants: [] },
    );
  });
});
