/** ReceiverKeys: one signing key secret per downstream receiver, readable by the forwarding function alone. */
import { CfnOutput, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { StageConfig } from '../../config/schema';
import { ENV } from '../../lambdas/shared/env-names';
import { acknowledge } from '../nag';
import type { LifecycleFunction } from './lifecycle-function';

export interface ReceiverKeysProps {
  readonly stage: string;
  readonly receivers: StageConfig['forwardTo'];
}

/** `crm-eu` -> `CrmEu`: a stable construct id per receiver name. */
const pascal = (name: string) => name.split('-').map((p) => p[0].toUpperCase() + p.slice(1)).join('');

/**
 * The value is `{"current":"…"}` at first; rotation adds a new current and moves the old one to `previous`
 * (docs/keys.md), so the receiver can switch at its own pace.
 */
export function signingKeySecret(scope: Construct, id: string, description: string): secretsmanager.Secret {
  return new secretsmanager.Secret(scope, id, {
    description,
    generateSecretString: {
      secretStringTemplate: JSON.stringify({}),
      generateStringKey: 'current',
      passwordLength: 64,
      excludePunctuation: true,
    },
    // The other side holds a copy; a new key on redeploy would break every signature until it is re-shared.
    removalPolicy: RemovalPolicy.RETAIN,
  });
}

export class ReceiverKeys extends Construct {
  /** Receiver name -> its key secret. */
  readonly secrets: ReadonlyMap<string, secretsmanager.Secret>;
  private readonly receivers: StageConfig['forwardTo'];

  constructor(scope: Construct, id: string, props: ReceiverKeysProps) {
    super(scope, id);
    this.receivers = props.receivers;
    const secrets = new Map<string, secretsmanager.Secret>();
    for (const receiver of props.receivers) {
      const secret = signingKeySecret(
        this,
        `${pascal(receiver.name)}Key`,
        `account-lifecycle ${props.stage}: key that signs the events forwarded to downstream receiver ${receiver.name} (${receiver.url})`,
      );
      acknowledge(
        secret,
        'AwsSolutions-SMG4',
        `Receiver ${receiver.name} holds a copy of this key; rotating it is a coordinated runbook change with that receiver (two active versions), not an automatic rotation.`,
      );
      new CfnOutput(Stack.of(this), `ReceiverKeyArn${pascal(receiver.name)}`, {
        value: secret.secretArn,
        description: `Share the "current" value of this key with downstream receiver ${receiver.name}`,
      });
      secrets.set(receiver.name, secret);
    }
    this.secrets = secrets;
  }

  /** Gives the forwarding function the receivers, each with its key's ARN, and read access to those keys only. */
  bind(fn: LifecycleFunction): void {
    const list = this.receivers.map((r) => ({ name: r.name, url: r.url, keyArn: this.secrets.get(r.name)!.secretArn }));
    fn.addEnvironment(ENV.forwardTo, Stack.of(this).toJsonString(list));
    for (const secret of this.secrets.values()) secret.grantRead(fn.function);
  }
}
