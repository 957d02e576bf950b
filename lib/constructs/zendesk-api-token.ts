/** ZendeskApiToken: the secret holding the stage's Zendesk API token, and what binding a Zendesk action to it grants. */
import { RemovalPolicy, SecretValue } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { StageConfig } from '../../config/schema';
import { ENV } from '../../lambdas/shared/env-names';
import { zendeskBaseUrl } from '../../lambdas/providers/zendesk/zendesk-client';
import { acknowledge } from '../nag';
import type { LifecycleFunction } from './lifecycle-function';

export interface ZendeskApiTokenProps {
  readonly stage: string;
  /** The stage's zendesk settings; absent: the actions get the secret but no account, and say so when they run. */
  readonly settings: StageConfig['zendesk'];
}

export class ZendeskApiToken extends Construct {
  readonly secret: secretsmanager.Secret;
  private readonly settings: StageConfig['zendesk'];

  constructor(scope: Construct, id: string, props: ZendeskApiTokenProps) {
    super(scope, id);
    this.settings = props.settings;
    this.secret = new secretsmanager.Secret(this, 'Token', {
      description:
        `account-lifecycle ${props.stage}: the Zendesk API token the Zendesk actions use with the stage's zendesk.email (Basic {email}/token:{token}). ` +
        'After the first deploy, an admin replaces this value with {"token": "..."} made in Zendesk Admin Center (Apps and integrations, Zendesk API); ' +
        'until then the Zendesk actions fail with "the Zendesk API token secret is empty".',
      // An empty template rather than a generated value: nothing here looks like a usable token before an admin fills it in.
      secretStringValue: SecretValue.unsafePlainText(JSON.stringify({ token: '' })),
      // The token is made in Zendesk, not by this stack; deleting the stack must not destroy the only copy AWS holds.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(
      this.secret,
      'AwsSolutions-SMG4',
      'A Zendesk API token is issued by Zendesk, not generated here; rotating it is making a new token in Zendesk and pasting it in (docs/zendesk.md), which Secrets Manager rotation cannot do.',
    );
  }

  /** Gives a Zendesk action read access to the token and the settings its client is built from. */
  bind(fn: LifecycleFunction): void {
    fn.addEnvironment(ENV.zendeskTokenSecretArn, this.secret.secretArn);
    const s = this.settings;
    if (s) {
      fn.addEnvironment(ENV.zendeskBaseUrl, zendeskBaseUrl(s.baseUrl ?? s.subdomain!))
        .addEnvironment(ENV.zendeskEmail, s.email)
        .addEnvironment(ENV.zendeskLeaverTicketGroup, s.leaverTicketGroup)
        .addEnvironment(ENV.zendeskRequestsPerMinute, String(s.requestsPerMinute));
    }
    this.secret.grantRead(fn.function);
  }
}
