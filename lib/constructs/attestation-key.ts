/**
 * AttestationKey: the KMS key that signs offboarding attestations, ECDSA on NIST P-256. Its private half never leaves
 * KMS; the API function alone may sign with it (ECDSA_SHA_256 over a digest, nothing else) and read its public key,
 * which the API publishes so an auditor can check a saved attestation offline.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { SIGNING_ALGORITHM } from '../../lambdas/attestation/attestation';
import { ENV } from '../../lambdas/shared/env-names';
import type { LifecycleFunction } from './lifecycle-function';

export interface AttestationKeyProps {
  readonly stage: string;
}

export class AttestationKey extends Construct {
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: AttestationKeyProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: `account-lifecycle ${props.stage}: signs offboarding attestations (ECDSA P-256); auditors check them with its public key`,
      keySpec: kms.KeySpec.ECC_NIST_P256,
      keyUsage: kms.KeyUsage.SIGN_VERIFY,
      // KMS does not rotate asymmetric keys; a new key is a new key id, and older attestations keep naming the old one.
      enableKeyRotation: false,
      // Attestations already handed to auditors name this key: its public key must stay readable.
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /** The function may sign attestations with this key, as a SHA-256 digest with ECDSA_SHA_256 only, and read its public key. */
  grantSign(fn: LifecycleFunction): void {
    fn.addEnvironment(ENV.attestationKeyArn, this.key.keyArn);
    fn.function.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'SignAttestations',
        actions: ['kms:Sign'],
        resources: [this.key.keyArn],
        conditions: { StringEquals: { 'kms:SigningAlgorithm': SIGNING_ALGORITHM, 'kms:MessageType': 'DIGEST' } },
      }),
    );
    fn.function.addToRolePolicy(new iam.PolicyStatement({ sid: 'ReadAttestationPublicKey', actions: ['kms:GetPublicKey'], resources: [this.key.keyArn] }));
  }
}
