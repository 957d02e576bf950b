/** Actions Stacks: one function per catalog action, named with the stage's action prefix and registered by name. */
import { Template } from 'aws-cdk-lib/assertions';
import { ACTION_CATALOG, type ActionSpec } from '../../lambdas/actions/catalog';
import { ENV } from '../../lambdas/shared/env-names';
import { ActionsStack } from '../../lib/actions-stack';
import { InlineFunctionFactory } from '../../lib/constructs/lifecycle-function';
import { CoreStack } from '../../lib/core-stack';
import { actionsTemplate, buildStage, DEPLOYED_STAGES, STUB_CONSOLE_ASSETS, testApp, type BuiltStage } from './build-stacks';
import { loadStageConfig } from '../../config/stages';
import { actionEntryPath } from '../../lib/action-entries';
import { actionFunctionName } from '../../lib/action-registry';
import { actionStackLayout } from '../../lib/action-stacks';
import {
  actionsOf,
  allStatements,
  functionsByEntry,
  logicalId,
  statementsOfRole,
} from './template-helpers';

/** The catalog as its declared type, so lookups in it are not narrowed to the literal entries of today. */
const catalog: readonly ActionSpec[] = ACTION_CATALOG;

describe.each(DEPLOYED_STAGES)('Actions Stacks (%s)', (stage) => {
  let built: BuiltStage;
  let template: Template;
  let fns: ReturnType<typeof functionsByEntry>;

  beforeAll(() => {
    built = buildStage(stage);
    template = actionsTemplate(built.actions);
    fns = functionsByEntry(template);
  });

  it('are one per provider part, named for their stage, and depend on the core and the providers, never the reverse', () => {
    expect(built.actions.map((s) => s.stackName)).toEqual(actionStackLayout(catalog).map((p) => `AccountLifecycle-${stage}-Actions-${p.id}`));
    const coreJson = JSON.stringify(Template.fromStack(built.core).toJSON());
    for (const stack of built.actions) {
      expect(stack.dependencies.map((d) => d.stackName).sort()).toEqual([built.core.stackName, built.providers?.stackName].filter(Boolean).sort());
      expect(coreJson).not.toContain(stack.stackName);
    }
    expect(built.core.dependencies).toEqual([]);
    expect(built.providers?.dependencies).toEqual([]);
  });

  it('builds exactly one function per catalog action', () => {
    template.resourceCountIs('AWS::Lambda::Function', catalog.length);
    expect([...fns.keys()].sort()).toEqual(catalog.map((a) => actionEntryPath(a)).sort());
  });

  it.each(catalog.map((a) => [a.name, a] as const))('%s runs arm64 nodejs22.x with the action timeout', (_name, action) => {
    expect(fns.get(actionEntryPath(action))?.properties).toMatchObject({
      Architectures: ['arm64'],
      Runtime: 'nodejs22.x',
      Timeout: built.config.actionTimeoutSeconds,
      TracingConfig: { Mode: 'Active' },
      Environment: { Variables: { [ENV.stage]: stage } },
    });
  });

  it.each(catalog.map((a) => [a.name, a] as const))('%s is registered under the stage registry path', (name, action) => {
    template.hasResourceProperties('AWS::SSM::Parameter', {
      Name: `/account-lifecycle/${stage}/actions/${name}`,
      Type: 'String',
      Value: { 'Fn::GetAtt': [fns.get(actionEntryPath(action))?.logicalId, 'Arn'] },
    });
  });

  it.each(catalog.map((a) => [a.name, a] as const))('%s is named with the stage action prefix the dispatcher may invoke', (name, action) => {
    expect(fns.get(actionEntryPath(action))?.properties.FunctionName).toBe(actionFunctionName(stage, name));
    expect(actionFunctionName(stage, name).startsWith(`lifecycle-${stage}-action-`)).toBe(true);
  });

  it('attach no policy to the core dispatcher: its invoke right is the core prefix grant, not a list here', () => {
    expect(allStatements(template).filter((s) => actionsOf(s).includes('lambda:InvokeFunction'))).toEqual([]);
    for (const stack of built.actions) expect(JSON.stringify(Template.fromStack(stack).toJSON())).not.toContain(logicalId(built.core.functions.dispatcher.role));
  });

  it('the forward action gets no receivers and reads no secret when the stage forwards to none', () => {
    const forward = catalog.find((a) => a.name === 'forward.event');
    if (!forward) throw new Error('forward.event is not in the catalog');
    const props = fns.get(actionEntryPath(forward))?.properties as { Environment: { Variables: Record<string, unknown> }; Role: unknown };
    expect(props.Environment.Variables[ENV.forwardTo]).toBe('[]');
    expect(Object.keys(props.Environment.Variables)).not.toContain(ENV.hrKeyArn);
    const roleId = (props.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    expect(statementsOfRole(template, roleId).filter((s) => actionsOf(s).includes('secretsmanager:GetSecretValue'))).toEqual([]);
  });

  it('only the credential actions touch the table: item reads and writes of their credential records, no index, no delete', () => {
    const credentialEntries = catalog.filter((a) => a.needs.credentials).map((a) => actionEntryPath(a));
    expect(credentialEntries.sort()).toEqual(['.build/action-entries/google-create-user.ts', '.build/action-entries/google-send-welcome-email.ts']);
    for (const [entry, { properties }] of fns) {
      const roleId = (properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      // The Google and Connect budgets' window counters are the one other thing an action writes there (the next tests).
      const table = statementsOfRole(template, roleId).filter((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:')) && s.Sid !== 'GoogleBudgetWindows' && s.Sid !== 'ConnectBudgetWindows');
      const env = Object.keys((properties.Environment as { Variables: object }).Variables);
      if (!credentialEntries.includes(entry)) {
        expect({ entry, table }).toEqual({ entry, table: [] });
        expect(env).not.toContain(ENV.tableName);
        continue;
      }
      expect(table).toHaveLength(1);
      expect(actionsOf(table[0]).sort()).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
      expect(JSON.stringify(table[0].Resource)).toContain(built.core.stackName);
      expect(JSON.stringify(table[0].Resource)).not.toContain('index');
      expect(env).toContain(ENV.tableName);
    }
  });

  it('each Google action may update the Google budget\'s window counters and nothing else in the table', () => {
    for (const [entry, { properties }] of fns) {
      const roleId = (properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      const budget = statementsOfRole(template, roleId).filter((s) => s.Sid === 'GoogleBudgetWindows');
      const variables = (properties.Environment as { Variables: Record<string, unknown> }).Variables;
      const env = Object.keys(variables);
      const google = catalog.some((a) => a.needs.google && actionEntryPath(a) === entry);
      expect({ entry, budget: budget.length, env: env.includes(ENV.googleBudgetTable) }).toEqual({ entry, budget: google ? 1 : 0, env: google });
      // Its fallback's share: every action call the stage may run at once (dev: 5 + 2 + 2 dispatchers, one set per priority class, × 10 records).
      if (google) expect({ entry, containers: variables[ENV.googleBudgetContainers] }).toEqual({ entry, containers: String({ dev: 90, prod: 150 }[stage]) });
      for (const s of budget) {
        expect(actionsOf(s)).toEqual(['dynamodb:UpdateItem']);
        expect(s.Condition).toEqual({ 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['BUDGET#google'] } });
      }
    }
  });

  it("each Connect action may update the window counters of the Connect APIs it calls and nothing else in the table", () => {
    for (const [entry, { properties }] of fns) {
      const roleId = (properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      const budget = statementsOfRole(template, roleId).filter((s) => s.Sid === 'ConnectBudgetWindows');
      const variables = (properties.Environment as { Variables: Record<string, unknown> }).Variables;
      const action = catalog.find((a) => a.needs.connect && actionEntryPath(a) === entry);
      expect({ entry, budget: budget.length, env: ENV.connectBudgetTable in variables }).toEqual({ entry, budget: action ? 1 : 0, env: Boolean(action) });
      if (!action?.needs.connect) continue;
      expect(variables[ENV.connectRequestsPerSecond]).toBe('2');
      expect(actionsOf(budget[0])).toEqual(['dynamodb:UpdateItem']);
      const partitions = action.needs.connect.map((p) => `BUDGET#connect.${p.replace('connect:', '')}`).sort();
      expect(budget[0].Condition).toEqual({ 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': partitions.length === 1 ? partitions[0] : partitions } });
    }
  });

  it('only google.createUser may seal (kms:Encrypt on the credential key, naming the employee); no action may open', () => {
    const sealers = [...fns].filter(([, { properties }]) => {
      const roleId = (properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      return statementsOfRole(template, roleId).some((s) => s.Sid === 'SealInitialPasswords');
    });
    expect(sealers.map(([entry]) => entry)).toEqual(['.build/action-entries/google-create-user.ts']);
    const seal = allStatements(template).filter((s) => s.Sid === 'SealInitialPasswords');
    expect(seal).toHaveLength(1);
    expect(seal[0]).toMatchObject({
      Action: 'kms:Encrypt',
      Condition: { 'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['employeeId'] }, Null: { 'kms:EncryptionContext:employeeId': 'false' } },
    });
    expect(allStatements(template).filter((s) => s.Sid === 'OpenInitialPasswords')).toEqual([]);
  });

  it('the welcome email action gets its sender, link lifetime and the public API URL', () => {
    const env = (fns.get('.build/action-entries/google-send-welcome-email.ts')?.properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(env[ENV.welcomeSender]).toBe(built.config.welcomeEmail.sender);
    expect(env[ENV.welcomeLinkValidDays]).toBe(String(built.config.welcomeEmail.linkValidDays));
    expect(JSON.stringify(env[ENV.publicApiUrl])).toContain(built.core.stackName);
  });

  it('only the joiner summary and the leaver notice get the operators’ addresses: the stage’s alert emails', () => {
    const withOperators = buildStage(stage, { alertEmails: ['ops@example.com', 'it@example.com'] });
    const all = functionsByEntry(actionsTemplate(withOperators.actions));
    const holders = [...all].filter(([, { properties }]) => ENV.operatorEmails in ((properties.Environment as { Variables: Record<string, unknown> }).Variables ?? {}));
    expect(holders.map(([entry]) => entry).sort()).toEqual(['.build/action-entries/google-send-joiner-summary.ts', '.build/action-entries/google-send-leaver-notice.ts']);
    for (const [, { properties }] of holders) {
      const env = (properties.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(env[ENV.operatorEmails]).toBe('ops@example.com,it@example.com');
      expect(env[ENV.welcomeSender]).toBe(withOperators.config.welcomeEmail.sender);
    }
  });

  it('only the delegation to the manager gets the stage’s mailboxDelegation setting', () => {
    const setting = { whenManagerFull: 'overflow' as const, overflowDelegates: ['mailboxes@example.com'] };
    const withOverflow = buildStage(stage, { mailboxDelegation: setting });
    const all = functionsByEntry(actionsTemplate(withOverflow.actions));
    const holders = [...all].filter(([, { properties }]) => ENV.mailboxDelegation in ((properties.Environment as { Variables: Record<string, unknown> }).Variables ?? {}));
    expect(holders.map(([entry]) => entry)).toEqual(['.build/action-entries/google-delegate-to-manager.ts']);
    expect(JSON.parse((holders[0][1].properties.Environment as { Variables: Record<string, string> }).Variables[ENV.mailboxDelegation])).toEqual(setting);
  });

  it('only the mail retention step, and the steps that would end a Vault hold, get the stage’s mailRetention setting', () => {
    const setting = { method: 'archived-user-license' as const, matterName: 'Former staff' };
    const withRetention = buildStage(stage, { mailRetention: setting });
    const all = functionsByEntry(actionsTemplate(withRetention.actions));
    const holders = [...all].filter(([, { properties }]) => ENV.mailRetention in ((properties.Environment as { Variables: Record<string, unknown> }).Variables ?? {}));
    expect(holders.map(([entry]) => entry).sort()).toEqual(['.build/action-entries/google-delete-user.ts', '.build/action-entries/google-remove-licenses.ts', '.build/action-entries/google-retain-mail.ts']);
    for (const [, fn] of holders) expect(JSON.parse((fn.properties.Environment as { Variables: Record<string, string> }).Variables[ENV.mailRetention])).toEqual(setting);
  });
});

describe('an Actions Stack with a catalog of several actions', () => {
  const several: ActionSpec[] = [
    { name: 'google.suspendUser', module: 'google/suspend-user', description: 'Suspend', priority: 'housekeeping', needs: {} },
    { name: 'forward.event', module: 'forward/forward-event', description: 'Forward', priority: 'housekeeping', needs: { forwardTo: true } },
  ];
  const app = testApp('dev');
  const config = loadStageConfig('dev');
  const factory = new InlineFunctionFactory();
  const core = new CoreStack(app, 'Core', { config, functionFactory: factory, consoleAssets: STUB_CONSOLE_ASSETS() });
  const stack = new ActionsStack(app, 'Actions', { config, core, functionFactory: factory, catalog: several });
  const template = Template.fromStack(stack);
  const fns = functionsByEntry(template);

  it('grants the secret and the forward URLs only to the action that needs them', () => {
    const suspend = fns.get(actionEntryPath(several[0]));
    const vars = (suspend?.properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(Object.keys(vars)).not.toContain(ENV.hrKeyArn);
    expect(Object.keys(vars)).not.toContain(ENV.forwardTo);
    const suspendRole = logicalId(stack.actions.get('google.suspendUser')?.role ?? stack);
    expect(statementsOfRole(template, suspendRole).flatMap(actionsOf).filter((a) => a.startsWith('secretsmanager:'))).toEqual([]);
  });

  it('names every action function with the stage prefix and lists none in an invoke policy', () => {
    expect(allStatements(template).filter((s) => actionsOf(s).includes('lambda:InvokeFunction'))).toEqual([]);
    expect(several.map((a) => fns.get(actionEntryPath(a))?.properties.FunctionName)).toEqual([
      'lifecycle-dev-action-google-suspendUser',
      'lifecycle-dev-action-forward-event',
    ]);
  });

  it('registers each action by name', () => {
    template.resourceCountIs('AWS::SSM::Parameter', 2);
    template.hasResourceProperties('AWS::SSM::Parameter', { Name: '/account-lifecycle/dev/actions/google.suspendUser' });
  });
});
