/**
 * ProviderSecret: the secret holding what a provider issues to this stage (an API token, a service account key),
 * pasted in by an admin after the first deploy, and what binding a function to it grants: read access to that secret
 * alone and the settings the function's clients are built from.
 */
import { RemovalPolicy, SecretValue } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { EnvName } from '../../lambdas/shared/env-names';
import { acknowledge } from '../nag';
import type { LifecycleFunction } from './lifecycle-function';

export interface ProviderSecretProps {
  /** The secret's construct id (`Token`, `Key`): part of its logical id, kept stable across deploys. */
  readonly secretId: string;
  readonly description: string;
  /** The value until an admin fills it in: an empty template, nothing that looks usable. */
  readonly placeholder: string;
  /** Why Secrets Manager does not rotate it (the AwsSolutions-SMG4 acknowledgement). */
  readonly whyNotRotated: string;
  /** What a bound function finds in its environment, in order: the variable naming the secret's ARN, then the settings. */
  readonly environment: (secretArn: string) => ReadonlyArray<readonly [EnvName, string]>;
}

export class ProviderSecret extends Construct {
  readonly secret: secretsmanager.Secret;
  private readonly environment: ProviderSecretProps['environment'];

  constructor(scope: Construct, id: string, props: ProviderSecretProps) {
    super(scope, id);
    this.environment = props.environment;
    this.secret = new secretsmanager.Secret(this, props.secretId, {
      description: props.description,
      // An empty template rather than a generated value: nothing here looks usable before an admin fills it in.
      secretStringValue: SecretValue.unsafePlainText(props.placeholder),
      // The value is issued by the provider, not by this stack; deleting the stack must not destroy the only copy AWS holds.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(this.secret, 'AwsSolutions-SMG4', props.whyNotRotated);
  }

  /** Gives a function read access to the secret and the settings its clients are built from. */
  bind(fn: LifecycleFunction): void {
    for (const [name, value] of this.environment(this.secret.secretArn)) fn.addEnvironment(name, value);
    this.secret.grantRead(fn.function);
  }
}
