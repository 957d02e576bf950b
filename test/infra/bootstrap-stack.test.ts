/** The bootstrap stack: Bitbucket's identity provider, and deploy roles that only this repository can assume and that can only hand over to the CDK bootstrap roles. */
import { App } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { BootstrapStack, bootstrapSettingsFromContext, BOOTSTRAP_CONTEXT, CDK_BOOTSTRAP_ROLES } from '../../lib/bootstrap-stack';
import { testApp } from './build-stacks';
import { nagFindings } from './nag-findings';

const WORKSPACE = 'acme';
const WORKSPACE_UUID = '{11111111-2222-3333-4444-555555555555}';
const REPO_UUID = '{aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee}';
const PROD_ENV = '{99999999-8888-7777-6666-555555555555}';
const DEV_ENV = '{12345678-1234-1234-1234-123456789abc}';
const ISSUER = `api.bitbucket.org/2.0/workspaces/${WORKSPACE}/pipelines-config/identity/oidc`;
const AUDIENCE = 'ari:cloud:bitbucket::workspace/11111111-2222-3333-4444-555555555555';

const baseContext: Record<string, string> = {
  [BOOTSTRAP_CONTEXT.workspace]: WORKSPACE,
  [BOOTSTRAP_CONTEXT.workspaceUuid]: WORKSPACE_UUID,
  [BOOTSTRAP_CONTEXT.repositoryUuid]: REPO_UUID,
  [BOOTSTRAP_CONTEXT.devEnvironmentUuid]: DEV_ENV,
  [BOOTSTRAP_CONTEXT.prodEnvironmentUuid]: PROD_ENV,
};

function build(context: Record<string, string> = {}): { stack: BootstrapStack; template: Template; app: App } {
  const app = testApp('dev');
  const all = { ...baseContext, ...context };
  const settings = bootstrapSettingsFromContext((key) => all[key]);
  const stack = new BootstrapStack(app, 'AccountLifecycle-Bootstrap', { settings });
  return { stack, template: Template.fromStack(stack), app };
}

/** A role's resolved trust policy statements. */
function trustOf(template: Template, logicalIdPrefix: string): Record<string, unknown>[] {
  const roles = template.findResources('AWS::IAM::Role');
  const id = Object.keys(roles).find((k) => k.startsWith(logicalIdPrefix));
  if (!id) throw new Error(`no role ${logicalIdPrefix}* in ${Object.keys(roles).join(', ')}`);
  return (roles[id].Properties.AssumeRolePolicyDocument as { Statement: Record<string, unknown>[] }).Statement;
}

/** Every identity statement the stack attaches to roles, from inline and managed policies alike. */
function permissionStatements(template: Template): { Action: string | string[]; Resource: unknown; Effect: string }[] {
  const policies = { ...template.findResources('AWS::IAM::Policy'), ...template.findResources('AWS::IAM::ManagedPolicy') };
  return Object.values(policies).flatMap((p) => (p.Properties.PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown; Effect: string }[] }).Statement);
}

describe('bootstrap stack', () => {
  const { template, stack } = build();

  it('registers Bitbucket Pipelines of the workspace as an OIDC identity provider with the workspace audience', () => {
    template.resourceCountIs('AWS::IAM::OIDCProvider', 1);
    template.hasResourceProperties('AWS::IAM::OIDCProvider', { Url: `https://${ISSUER}`, ClientIdList: [AUDIENCE] });
  });

  it('lets the dev role be assumed only from the dev deployment environment of this repository, for the workspace audience', () => {
    const [statement, ...others] = trustOf(template, 'DevDeployRole');
    expect(others).toEqual([]);
    expect(statement).toMatchObject({
      Effect: 'Allow',
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { StringEquals: { [`${ISSUER}:aud`]: AUDIENCE }, StringLike: { [`${ISSUER}:sub`]: `${REPO_UUID}${DEV_ENV}:*` } },
    });
    expect(JSON.stringify(statement.Principal)).toContain('BitbucketPipelines');
  });

  it('lets the prod role be assumed only from the production deployment environment of this repository', () => {
    const [statement, ...others] = trustOf(template, 'ProdDeployRole');
    expect(others).toEqual([]);
    expect(statement).toMatchObject({
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { StringEquals: { [`${ISSUER}:aud`]: AUDIENCE }, StringLike: { [`${ISSUER}:sub`]: `${REPO_UUID}${PROD_ENV}:*` } },
    });
  });


  it('gives each deploy role nothing but assuming the three CDK bootstrap roles of this account and region', () => {
    const statements = permissionStatements(template);
    expect(statements).toHaveLength(2);
    const resolved = statements.map((s) => stack.resolve(s) as { Action: string[]; Resource: unknown[]; Effect: string });
    for (const s of resolved) {
      expect(s.Effect).toBe('Allow');
      expect([s.Action].flat().sort()).toEqual(['sts:AssumeRole', 'sts:TagSession']);
      const names = s.Resource.map((r) => JSON.stringify(r));
      expect(names).toHaveLength(CDK_BOOTSTRAP_ROLES.length);
      for (const [i, role] of CDK_BOOTSTRAP_ROLES.entries()) {
        expect(names[i]).toContain(`:role/cdk-hnb659fds-${role}-`);
        expect(names[i]).toContain('AWS::AccountId');
        expect(names[i]).toContain('AWS::Region');
      }
    }
    template.resourcePropertiesCountIs('AWS::IAM::Role', { ManagedPolicyArns: Match.anyValue() }, 0);
  });

  it('grants no wildcard action or resource and no admin policy anywhere', () => {
    const text = JSON.stringify(template.toJSON());
    expect(text).not.toMatch(/AdministratorAccess|PowerUserAccess|IAMFullAccess/);
    for (const s of permissionStatements(template)) {
      for (const action of [s.Action].flat()) expect(action).not.toMatch(/\*/);
      expect(JSON.stringify(s.Resource)).not.toContain('*');
    }
  });

  it('outputs each stage deploy role ARN for the pipeline', () => {
    template.hasOutput('DevDeployRoleArn', {});
    template.hasOutput('ProdDeployRoleArn', {});
  });

  it('uses an identity provider the account already has instead of creating a second one', () => {
    const arn = `arn:aws:iam::123456789012:oidc-provider/${ISSUER}`;
    const { template: t } = build({ [BOOTSTRAP_CONTEXT.oidcProviderArn]: arn });
    t.resourceCountIs('AWS::IAM::OIDCProvider', 0);
    expect(trustOf(t, 'DevDeployRole')[0].Principal).toEqual({ Federated: arn });
  });

  it('holds only the stages asked for, so dev and prod may live in separate accounts', () => {
    const { template: t } = build({ [BOOTSTRAP_CONTEXT.stages]: 'dev', [BOOTSTRAP_CONTEXT.prodEnvironmentUuid]: '' });
    t.resourceCountIs('AWS::IAM::Role', 1);
    expect(() => trustOf(t, 'ProdDeployRole')).toThrow(/no role/);
  });

  it('has no cdk-nag finding and no error annotation', () => {
    expect(nagFindings(stack, 'error')).toEqual([]);
    expect(nagFindings(stack, 'warning')).toEqual([]);
    expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
  });
});

describe('bootstrap stack settings', () => {
  const read = (context: Record<string, unknown>) => () => bootstrapSettingsFromContext((key) => context[key]);

  it.each([BOOTSTRAP_CONTEXT.devEnvironmentUuid, BOOTSTRAP_CONTEXT.prodEnvironmentUuid])('refuses a stage without its deployment environment (%s), naming the context key', (key) => {
    const { [key]: _omitted, ...rest } = baseContext;
    expect(read(rest)).toThrow(new RegExp(`-c ${key}=… is required`));
  });

  it('names every missing or malformed setting at once', () => {
    expect(read({ bitbucketWorkspace: 'acme/evil', bitbucketRepositoryUuid: 'not-a-uuid', stages: 'dev,staging' })).toThrow(
      /bitbucketWorkspace must be the workspace ID[\s\S]*bitbucketWorkspaceUuid=… is required[\s\S]*bitbucketRepositoryUuid must be a UUID[\s\S]*unknown stage "staging"/,
    );
  });

  it('accepts UUIDs with or without braces and keeps the braces the token carries', () => {
    const settings = bootstrapSettingsFromContext((key) => ({ ...baseContext, bitbucketRepositoryUuid: 'AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE' })[key]);
    expect(settings.bitbucketRepositoryUuid).toBe(REPO_UUID);
    expect(settings.stages).toEqual(['dev', 'prod']);
  });

  it('refuses an identity provider ARN that is not Bitbucket Pipelines', () => {
    expect(read({ ...baseContext, oidcProviderArn: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com' })).toThrow(/oidcProviderArn must be the ARN/);
  });
});
