/**
 * AttestationKey: the KMS key that signs offboarding attestations, ECDSA on NIST P-256. Its private half never leaves
 * KMS; the API function alone may sign with it (ECDSA_SHA_256 over a digest, nothing else) and read its public key,
 * which the API publishes so an auditor can check a saved attestation offline.
 *
 * The key policy says so itself, not the account's IAM: the account keeps the key's administration (never kms:Sign, so
 * no IAM policy, however broad, can sign), the api's role alone is allowed to sign, and every other principal is
 * denied kms:Sign outright (a grant made with kms:CreateGrant included).
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { SIGNING_ALGORITHM } from '../../lambdas/attestation/attestation';
import { ENV } from '../../lambdas/shared/env-names';
import type { LifecycleFunction } from './lifecycle-function';

/** What the account keeps of the key: its administration, so it can be managed and is never orphaned; not kms:Sign. */
export const KEY_ADMIN_ACTIONS = [
  'kms:Create*',
  'kms:Describe*',
  'kms:Enable*',
  'kms:List*',
  'kms:Put*',
  'kms:Update*',
  'kms:Revoke*',
  'kms:Disable*',
  'kms:Get*',
  'kms:Delete*',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
] as const;

export interface AttestationKeyProps {
  readonly stage: string;
}

export class AttestationKey extends Construct {
  readonly key: kms.Key;
  private signer?: LifecycleFunction;

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
      // Given, not CDK's default (the account root with kms:*, which lets any IAM policy allowing kms:Sign sign).
      policy: new iam.PolicyDocument({
        statements: [
          new iam.PolicyStatement({ sid: 'AccountAdministersTheKey', principals: [new iam.AccountRootPrincipal()], actions: [...KEY_ADMIN_ACTIONS], resources: ['*'] }),
        ],
      }),
    });
  }

  /** The function may sign attestations with this key, as a SHA-256 digest with ECDSA_SHA_256 only, and read its public key. */
  grantSign(fn: LifecycleFunction): void {
    if (this.signer) throw new Error('the attestation key has a signer already: one function alone signs');
    this.signer = fn;
    // The role's ARN, not the role: the key names the role, the role's policy the key, with no cycle between them.
    const roleArn = fn.function.role!.roleArn;
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'OnlyTheApiSigns',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['kms:Sign'],
        resources: ['*'],
        conditions: { ArnNotEquals: { 'aws:PrincipalArn': roleArn } },
      }),
    );
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'ApiSignsAttestations',
        principals: [new iam.ArnPrincipal(roleArn)],
        actions: ['kms:Sign'],
        resources: ['*'],
        conditions: { StringEquals: { 'kms:SigningAlgorithm': SIGNING_ALGORITHM, 'kms:MessageType': 'DIGEST' } },
      }),
    );
    this.key.addToResourcePolicy(new iam.PolicyStatement({ sid: 'ApiReadsThePublicKey', principals: [new iam.ArnPrincipal(roleArn)], actions: ['kms:GetPublicKey'], resources: ['*'] }));
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
