/** ReceiverKeys: one signing key secret per downstream receiver, readable by the forwarding function alone. */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { StageConfig } from '../../config/schema';
import { ENV } from '../../lambdas/shared/env-names';
import { NamedSecrets, pascal } from './named-secrets';

export interface ReceiverKeysProps {
  readonly stage: string;
  readonly receivers: StageConfig['forwardTo'];
}

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

type Receiver = StageConfig['forwardTo'][number];

export class ReceiverKeys extends NamedSecrets<Receiver> {
  constructor(scope: Construct, id: string, props: ReceiverKeysProps) {
    super(scope, id, {
      items: props.receivers,
      nameOf: (r) => r.name,
      idSuffix: 'Key',
      secretOf: (owner, secretId, r) => signingKeySecret(owner, secretId, `account-lifecycle ${props.stage}: key that signs the events forwarded to downstream receiver ${r.name} (${r.url})`),
      whyNotRotated: (r) => `Receiver ${r.name} holds a copy of this key; rotating it is a coordinated runbook change with that receiver (two active versions), not an automatic rotation.`,
      output: (r) => ({ id: `ReceiverKeyArn${pascal(r.name)}`, description: `Share the "current" value of this key with downstream receiver ${r.name}` }),
      // The forwarding function gets the receivers, each with its key's ARN.
      env: ENV.forwardTo,
      entry: (r, keyArn) => ({ name: r.name, url: r.url, keyArn }),
    });
  }
}
