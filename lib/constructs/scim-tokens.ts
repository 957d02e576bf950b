/** ScimTokens: one secret per SCIM app of the stage (its bearer token), readable by the SCIM action functions alone. */
import { RemovalPolicy, SecretValue } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { StageConfig } from '../../config/schema';
import { ENV } from '../../lambdas/shared/env-names';
import { SCIM_TOKEN_PLACEHOLDER } from '../../lambdas/providers/scim/scim-from-env';
import { NamedSecrets, pascal } from './named-secrets';

export interface ScimTokensProps {
  readonly stage: string;
  readonly apps: StageConfig['scimApps'];
}

type ScimApp = [name: string, app: StageConfig['scimApps'][string]];

export class ScimTokens extends NamedSecrets<ScimApp> {
  constructor(scope: Construct, id: string, props: ScimTokensProps) {
    super(scope, id, {
      items: Object.entries(props.apps),
      nameOf: ([name]) => name,
      idSuffix: 'Token',
      secretOf: (owner, secretId, [name, app]) =>
        new secretsmanager.Secret(owner, secretId, {
          description: `account-lifecycle ${props.stage}: bearer token of SCIM app ${name} (${app.baseUrl}). After the first deploy, an admin of the app replaces this value with the token the app issues for provisioning.`,
          // A placeholder, not a generated value: the token is issued by the app, and nothing works until it is pasted in.
          secretStringValue: SecretValue.unsafePlainText(SCIM_TOKEN_PLACEHOLDER),
          // The app issued it; deleting the stack must not destroy the only copy AWS holds.
          removalPolicy: RemovalPolicy.RETAIN,
        }),
      whyNotRotated: ([name]) => `The token of SCIM app ${name} is issued by that app; rotating it is a new token pasted in (runbook), which Secrets Manager rotation cannot do.`,
      output: ([name]) => ({ id: `ScimTokenSecretArn${pascal(name)}`, description: `Put the SCIM bearer token of app ${name} here after the first deploy` }),
      // A SCIM action function gets the apps, each with its token secret's ARN.
      env: ENV.scimApps,
      entry: ([name, app], tokenArn) => ({ name, baseUrl: app.baseUrl, ...(app.requestsPerSecond ? { requestsPerSecond: app.requestsPerSecond } : {}), tokenArn }),
    });
  }
}
