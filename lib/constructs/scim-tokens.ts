/** ScimTokens: one secret per SCIM app of the stage (its bearer token), readable by the SCIM action functions alone. */
import { CfnOutput, RemovalPolicy, SecretValue, Stack } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { StageConfig } from '../../config/schema';
import { ENV } from '../../lambdas/shared/env-names';
import { SCIM_TOKEN_PLACEHOLDER } from '../../lambdas/providers/scim/scim-from-env';
import { acknowledge } from '../nag';
import type { LifecycleFunction } from './lifecycle-function';

export interface ScimTokensProps {
  readonly stage: string;
  readonly apps: StageConfig['scimApps'];
}

/** `hr-wiki` -> `HrWiki`: a stable construct id per app name. */
const pascal = (name: string) => name.split('-').map((p) => p[0].toUpperCase() + p.slice(1)).join('');

export class ScimTokens extends Construct {
  /** App name -> its token secret. */
  readonly secrets: ReadonlyMap<string, secretsmanager.Secret>;
  private readonly apps: StageConfig['scimApps'];

  constructor(scope: Construct, id: string, props: ScimTokensProps) {
    super(scope, id);
    this.apps = props.apps;
    const secrets = new Map<string, secretsmanager.Secret>();
    for (const [name, app] of Object.entries(props.apps)) {
      const secret = new secretsmanager.Secret(this, `${pascal(name)}Token`, {
        description: `account-lifecycle ${props.stage}: bearer token of SCIM app ${name} (${app.baseUrl}). After the first deploy, an admin of the app replaces this value with the token the app issues for provisioning.`,
        // A placeholder, not a generated value: the token is issued by the app, and nothing works until it is pasted in.
        secretStringValue: SecretValue.unsafePlainText(SCIM_TOKEN_PLACEHOLDER),
        // The app issued it; deleting the stack must not destroy the only copy AWS holds.
        removalPolicy: RemovalPolicy.RETAIN,
      });
      acknowledge(secret, 'AwsSolutions-SMG4', `The token of SCIM app ${name} is issued by that app; rotating it is a new token pasted in (runbook), which Secrets Manager rotation cannot do.`);
      new CfnOutput(Stack.of(this), `ScimTokenSecretArn${pascal(name)}`, { value: secret.secretArn, description: `Put the SCIM bearer token of app ${name} here after the first deploy` });
      secrets.set(name, secret);
    }
    this.secrets = secrets;
  }

  /** Gives a SCIM action function the apps, each with its token secret's ARN, and read access to those secrets only. */
  bind(fn: LifecycleFunction): void {
    const list = Object.entries(this.apps).map(([name, app]) => ({ name, baseUrl: app.baseUrl, ...(app.requestsPerSecond ? { requestsPerSecond: app.requestsPerSecond } : {}), tokenArn: this.secrets.get(name)!.secretArn }));
    fn.addEnvironment(ENV.scimApps, Stack.of(this).toJsonString(list));
    for (const secret of this.secrets.values()) secret.grantRead(fn.function);
  }
}
