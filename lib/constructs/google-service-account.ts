/** GoogleServiceAccount: the secret holding the Google service account key, and what binding an action to Google grants it. */
import { RemovalPolicy, SecretValue } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { StageConfig } from '../../config/schema';
import { ENV } from '../../lambdas/shared/env-names';
import { acknowledge } from '../nag';
import type { LifecycleFunction } from './lifecycle-function';

export interface GoogleServiceAccountProps {
  readonly stage: string;
  readonly settings: StageConfig['google'];
}

export class GoogleServiceAccount extends Construct {
  readonly secret: secretsmanager.Secret;
  private readonly settings: StageConfig['google'];

  constructor(scope: Construct, id: string, props: GoogleServiceAccountProps) {
    super(scope, id);
    this.settings = props.settings;
    this.secret = new secretsmanager.Secret(this, 'Key', {
      description:
        `account-lifecycle ${props.stage}: key of the Google service account (domain-wide delegation) the Google actions use. ` +
        'After the first deploy, an admin replaces this value with {"client_email": "...", "private_key": "..."} copied from the JSON key file ' +
        'created in the Google Cloud console; until then the Google actions fail with "lacks client_email or private_key".',
      // An empty template rather than a generated value: nothing here looks like a usable key before an admin fills it in.
      secretStringValue: SecretValue.unsafePlainText(JSON.stringify({ client_email: '', private_key: '' })),
      // The key is created in Google, not by this stack; deleting the stack must not destroy the only copy AWS holds.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(
      this.secret,
      'AwsSolutions-SMG4',
      'A Google service account key is issued by Google Cloud, not generated here; rotating it is creating a new key in Google and pasting it in (runbook), which Secrets Manager rotation cannot do.',
    );
  }

  /** Gives an action read access to the key and the settings its Google clients are built from. */
  bind(fn: LifecycleFunction): void {
    fn.addEnvironment(ENV.googleServiceAccountSecretArn, this.secret.secretArn)
      .addEnvironment(ENV.googleAdminSubject, this.settings.adminSubject)
      .addEnvironment(ENV.googleCustomerId, this.settings.customerId)
      .addEnvironment(ENV.googleRequestsPerMinute, String(this.settings.requestsPerMinute));
    this.secret.grantRead(fn.function);
  }
}
