/**
 * NamedSecrets: one Secrets Manager secret per named item of the stage (a SCIM app's token, a receiver's signing key),
 * each with a stack output naming it for the operator, readable by the functions bound to it alone.
 */
import { CfnOutput, Stack } from 'aws-cdk-lib';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { EnvName } from '../../lambdas/shared/env-names';
import { acknowledge } from '../nag';
import type { LifecycleFunction } from './lifecycle-function';

/** `crm-eu` -> `CrmEu`: a stable construct id per name. */
export const pascal = (name: string) =>
  name
    .split('-')
    .map((p) => p[0].toUpperCase() + p.slice(1))
    .join('');

export interface NamedSecretsProps<T> {
  readonly items: readonly T[];
  readonly nameOf: (item: T) => string;
  /** The secret's construct id is the name in PascalCase followed by this (`Token`, `Key`): kept stable across deploys. */
  readonly idSuffix: string;
  /** Makes the item's secret in `scope` under `id`. */
  readonly secretOf: (scope: Construct, id: string, item: T) => secretsmanager.Secret;
  /** Why the secret is not rotated by Secrets Manager (the AwsSolutions-SMG4 acknowledgement). */
  readonly whyNotRotated: (item: T) => string;
  /** The stack output that names the secret's ARN for the operator. */
  readonly output: (item: T) => { id: string; description: string };
  /** The environment variable a bound function reads: a JSON list, one entry per item with its secret's ARN. */
  readonly env: EnvName;
  readonly entry: (item: T, secretArn: string) => Record<string, unknown>;
}

export class NamedSecrets<T> extends Construct {
  /** Name -> its secret. */
  readonly secrets: ReadonlyMap<string, secretsmanager.Secret>;
  private readonly props: NamedSecretsProps<T>;

  constructor(scope: Construct, id: string, props: NamedSecretsProps<T>) {
    super(scope, id);
    this.props = props;
    const secrets = new Map<string, secretsmanager.Secret>();
    for (const item of props.items) {
      const name = props.nameOf(item);
      const secret = props.secretOf(this, `${pascal(name)}${props.idSuffix}`, item);
      acknowledge(secret, 'AwsSolutions-SMG4', props.whyNotRotated(item));
      const output = props.output(item);
      new CfnOutput(Stack.of(this), output.id, { value: secret.secretArn, description: output.description });
      secrets.set(name, secret);
    }
    this.secrets = secrets;
  }

  /** Gives the function the items, each with its secret's ARN, and read access to those secrets only. */
  bind(fn: LifecycleFunction): void {
    const list = this.props.items.map((item) => this.props.entry(item, this.secrets.get(this.props.nameOf(item))!.secretArn));
    fn.addEnvironment(this.props.env, Stack.of(this).toJsonString(list));
    for (const secret of this.secrets.values()) secret.grantRead(fn.function);
  }
}
