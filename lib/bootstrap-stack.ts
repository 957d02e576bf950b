/**
 * An account's one-time stack: Bitbucket Pipelines as an OIDC identity provider, and per stage a deploy role
 * that only this repository's pipeline may assume (prod: only its production deployment environment) and that
 * may do nothing but assume the CDK bootstrap roles, which do the deploying.
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

/** The stages the pipeline deploys; `local` runs on a laptop and has no account. */
export const PIPELINE_STAGES = ['dev', 'prod'] as const;
export type PipelineStage = (typeof PIPELINE_STAGES)[number];

/** The bootstrap roles `cdk deploy` assumes (`cdk bootstrap`'s names): deploy, publish the file assets, look up. */
export const CDK_BOOTSTRAP_ROLES = ['deploy-role', 'file-publishing-role', 'lookup-role'] as const;
export const DEFAULT_CDK_QUALIFIER = 'hnb659fds';

export interface BootstrapSettings {
  /** The workspace ID as in the identity provider URL (`…/workspaces/<workspace>/pipelines-config/identity/oidc`). */
  bitbucketWorkspace: string;
  /** `{uuid}` of the workspace: the token's audience is `ari:cloud:bitbucket::workspace/<uuid without braces>`. */
  bitbucketWorkspaceUuid: string;
  /** `{uuid}` of this repository: the start of every token's `sub`. */
  bitbucketRepositoryUuid: string;
  /** The stages whose deploy role this account holds (one account for both, or one stack per account). */
  stages: PipelineStage[];
  /** `{uuid}` of each stage's Bitbucket deployment environment; required for prod, optional for dev. */
  environmentUuids: Partial<Record<PipelineStage, string>>;
  /** An identity provider for this workspace already in the account (another repository made it); created otherwise. */
  oidcProviderArn?: string;
  /** `cdk bootstrap --qualifier`, when not the default. */
  cdkQualifier: string;
}

/** The context keys `bin/bootstrap.ts` reads, one per setting, as `-c <key>=<value>`. */
export const BOOTSTRAP_CONTEXT = {
  workspace: 'bitbucketWorkspace',
  workspaceUuid: 'bitbucketWorkspaceUuid',
  repositoryUuid: 'bitbucketRepositoryUuid',
  stages: 'stages',
  devEnvironmentUuid: 'devEnvironmentUuid',
  prodEnvironmentUuid: 'prodEnvironmentUuid',
  oidcProviderArn: 'oidcProviderArn',
  cdkQualifier: 'cdkQualifier',
} as const;

const UUID = /^\{?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}?$/i;

/**
 * The settings from CDK context, every bad or missing value named in one error. Bitbucket shows UUIDs in braces;
 * both spellings are accepted and the braces kept, as they appear in the token's claims.
 */
export function bootstrapSettingsFromContext(get: (key: string) => unknown): BootstrapSettings {
  const problems: string[] = [];
  const text = (key: string, required: boolean): string | undefined => {
    const raw = get(key);
    if (raw === undefined || raw === '') {
      if (required) problems.push(`-c ${key}=… is required`);
      return undefined;
    }
    if (typeof raw !== 'string') {
      problems.push(`-c ${key} must be a string`);
      return undefined;
    }
    return raw.trim();
  };
  const uuid = (key: string, required: boolean): string | undefined => {
    const raw = text(key, required);
    if (raw === undefined) return undefined;
    const m = UUID.exec(raw);
    if (!m) problems.push(`-c ${key} must be a UUID as Bitbucket shows it ({xxxxxxxx-xxxx-…}), got "${raw}"`);
    return m ? `{${m[1].toLowerCase()}}` : undefined;
  };

  const workspace = text(BOOTSTRAP_CONTEXT.workspace, true);
  if (workspace !== undefined && !/^[a-z0-9][a-z0-9_-]*$/i.test(workspace)) {
    problems.push(`-c ${BOOTSTRAP_CONTEXT.workspace} must be the workspace ID of the identity provider URL (letters, digits, - and _), got "${workspace}"`);
  }
  const workspaceUuid = uuid(BOOTSTRAP_CONTEXT.workspaceUuid, true);
  const repositoryUuid = uuid(BOOTSTRAP_CONTEXT.repositoryUuid, true);

  const stageList = (text(BOOTSTRAP_CONTEXT.stages, false) ?? PIPELINE_STAGES.join(',')).split(',').map((s) => s.trim()).filter(Boolean);
  const stages: PipelineStage[] = [];
  for (const s of stageList) {
    if ((PIPELINE_STAGES as readonly string[]).includes(s)) stages.push(s as PipelineStage);
    else problems.push(`-c ${BOOTSTRAP_CONTEXT.stages}: unknown stage "${s}", expected ${PIPELINE_STAGES.join(' and/or ')}`);
  }
  if (stageList.length === 0) problems.push(`-c ${BOOTSTRAP_CONTEXT.stages} names no stage`);

  const environmentUuids: Partial<Record<PipelineStage, string>> = {};
  // Each stage is trusted only from its own deployment environment: a branch pipeline must hold neither role
  // (dev's deploys through CloudFormation's execution role too, administrator unless narrowed at cdk bootstrap).
  const dev = uuid(BOOTSTRAP_CONTEXT.devEnvironmentUuid, stages.includes('dev'));
  const prod = uuid(BOOTSTRAP_CONTEXT.prodEnvironmentUuid, stages.includes('prod'));
  if (dev) environmentUuids.dev = dev;
  if (prod) environmentUuids.prod = prod;

  const oidcProviderArn = text(BOOTSTRAP_CONTEXT.oidcProviderArn, false);
  if (oidcProviderArn !== undefined && !/^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/api\.bitbucket\.org\/2\.0\/workspaces\/[^/]+\/pipelines-config\/identity\/oidc$/.test(oidcProviderArn)) {
    problems.push(`-c ${BOOTSTRAP_CONTEXT.oidcProviderArn} must be the ARN of a Bitbucket Pipelines identity provider, got "${oidcProviderArn}"`);
  }
  const cdkQualifier = text(BOOTSTRAP_CONTEXT.cdkQualifier, false) ?? DEFAULT_CDK_QUALIFIER;
  if (!/^[a-z0-9]{1,10}$/.test(cdkQualifier)) problems.push(`-c ${BOOTSTRAP_CONTEXT.cdkQualifier} must be 1 to 10 lower-case letters or digits, got "${cdkQualifier}"`);

  if (problems.length > 0) throw new Error(`bootstrap stack settings:\n  ${problems.join('\n  ')}`);
  return {
    bitbucketWorkspace: workspace!,
    bitbucketWorkspaceUuid: workspaceUuid!,
    bitbucketRepositoryUuid: repositoryUuid!,
    stages,
    environmentUuids,
    oidcProviderArn,
    cdkQualifier,
  };
}

/** The identity provider URL without its scheme: how IAM names its condition keys (`<issuer>:aud`, `<issuer>:sub`). */
export const bitbucketIssuer = (workspace: string) => `api.bitbucket.org/2.0/workspaces/${workspace}/pipelines-config/identity/oidc`;

/** The token's audience for a workspace: its UUID without braces. */
export const bitbucketAudience = (workspaceUuid: string) => `ari:cloud:bitbucket::workspace/${workspaceUuid.replace(/[{}]/g, '')}`;

/**
 * The `sub` a stage trusts. Bitbucket's `sub` is `<repo uuid>:<step uuid>`, or `<repo uuid><environment uuid>:<step uuid>`
 * in a step with `deployment:`; IAM can test only `sub` and `aud` of a generic OIDC provider, not the other claims.
 */
export function trustedSubject(settings: BootstrapSettings, stage: PipelineStage): string {
  const environment = settings.environmentUuids[stage];
  if (!environment) throw new Error(`no deployment environment UUID for ${stage}: its deploy role would trust every step of the repository`);
  return `${settings.bitbucketRepositoryUuid}${environment}:*`;
}

export interface BootstrapStackProps extends StackProps {
  settings: BootstrapSettings;
}

export class BootstrapStack extends Stack {
  /** Each stage's deploy role: the pipeline's `AWS_ROLE_ARN` for that stage. */
  readonly deployRoles: Partial<Record<PipelineStage, iam.Role>> = {};

  constructor(scope: Construct, id: string, props: BootstrapStackProps) {
    super(scope, id, props);
    const { settings } = props;
    const issuer = bitbucketIssuer(settings.bitbucketWorkspace);
    const audience = bitbucketAudience(settings.bitbucketWorkspaceUuid);
    const providerArn =
      settings.oidcProviderArn ??
      new iam.OidcProviderNative(this, 'BitbucketPipelines', { url: `https://${issuer}`, clientIds: [audience] }).oidcProviderArn;

    const bootstrapRoleArns = CDK_BOOTSTRAP_ROLES.map((role) =>
      this.formatArn({ service: 'iam', region: '', resource: 'role', resourceName: `cdk-${settings.cdkQualifier}-${role}-${this.account}-${this.region}` }),
    );

    for (const stage of settings.stages) {
      const role = new iam.Role(this, `${stage === 'dev' ? 'Dev' : 'Prod'}DeployRole`, {
        description: `Bitbucket Pipelines deploys the ${stage} stage of account-lifecycle with this role, by way of the CDK bootstrap roles`,
        assumedBy: new iam.WebIdentityPrincipal(providerArn, {
          StringEquals: { [`${issuer}:aud`]: audience },
          StringLike: { [`${issuer}:sub`]: trustedSubject(settings, stage) },
        }),
      });
      // Nothing but the bootstrap roles: CloudFormation deploys with the execution role `cdk bootstrap` made, so a
      // leaked pipeline token can start a deploy of what the assembly holds, and read nothing else in the account.
      role.addToPolicy(new iam.PolicyStatement({ actions: ['sts:AssumeRole', 'sts:TagSession'], resources: bootstrapRoleArns }));
      this.deployRoles[stage] = role;
      new CfnOutput(this, `${stage === 'dev' ? 'Dev' : 'Prod'}DeployRoleArn`, {
        value: role.roleArn,
        description: `AWS_ROLE_ARN of the Bitbucket deployment environment that deploys ${stage}`,
      });
    }
  }
}
