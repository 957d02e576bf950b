/** FrontApiToken: the secret holding the stage's Front company API token, and what binding a Front action to it grants. */
import { RemovalPolicy, SecretValue } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { StageConfig } from '../../config/schema';
import { ENV } from '../../lambdas/shared/env-names';
import { acknowledge } from '../nag';
import type { LifecycleFunction } from './lifecycle-function';

export interface FrontApiTokenProps {
  readonly stage: string;
  /** The stage's front settings; absent: the actions get the secret but no API roots, and say so when they run. */
  readonly settings: StageConfig['front'];
}

export class FrontApiToken extends Construct {
  readonly secret: secretsmanager.Secret;
  private readonly settings: StageConfig['front'];

  constructor(scope: Construct, id: string, props: FrontApiTokenProps) {
    super(scope, id);
    this.settings = props.settings;
    this.secret = new secretsmanager.Secret(this, 'Token', {
      description:
        `account-lifecycle ${props.stage}: the Front company API token the Front actions use for the Core API and SCIM (Bearer). ` +
        'After the first deploy, an admin replaces this value with {"token": "..."} made in Front (Settings, Developers, API tokens; scopes: Auto Provisioning for SCIM; teammates:read, teams:read, teams:write, inboxes:read, inboxes:write for the Core API); ' +
        'until then the Front actions fail with "the Front API token secret is empty".',
      // An empty template rather than a generated value: nothing here looks like a usable token before an admin fills it in.
      secretStringValue: SecretValue.unsafePlainText(JSON.stringify({ token: '' })),
      // The token is made in Front, not by this stack; deleting the stack must not destroy the only copy AWS holds.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(
      this.secret,
      'AwsSolutions-SMG4',
      'A Front API token is issued by Front, not generated here; rotating it is making a new token in Front and pasting it in (docs/front.md), which Secrets Manager rotation cannot do.',
    );
  }

  /** Gives a Front action read access to the token and the settings its clients are built from. */
  bind(fn: LifecycleFunction): void {
    fn.addEnvironment(ENV.frontTokenSecretArn, this.secret.secretArn);
    const s = this.settings;
    if (s) {
      fn.addEnvironment(ENV.frontBaseUrl, s.baseUrl).addEnvironment(ENV.frontScimBaseUrl, s.scimBaseUrl).addEnvironment(ENV.frontRequestsPerMinute, String(s.requestsPerMinute));
    }
    this.secret.grantRead(fn.function);
  }
}
