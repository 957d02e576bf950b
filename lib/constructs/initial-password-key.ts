/**
 * InitialPasswordKey: the KMS key that seals joiners' initial passwords, and the grants around it. Sealing (kms:Encrypt)
 * and opening (kms:Decrypt) are separate rights given to separate functions, each only with the employee id as
 * encryption context; a function that issues reveal links reads and updates the credential record and nothing else.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { ENV } from '../../lambdas/shared/env-names';
import type { LifecycleFunction } from './lifecycle-function';

export interface InitialPasswordKeyProps {
  readonly stage: string;
}

/** Item-level calls on a credential record (and the reveal link pointer): no query, scan or delete. */
export const CREDENTIAL_RECORD_ACTIONS = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'] as const;

export class InitialPasswordKey extends Construct {
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: InitialPasswordKeyProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: `account-lifecycle ${props.stage}: seals joiners' initial passwords until their one-time reveal`,
      enableKeyRotation: true,
      // Sealed passwords waiting for their reveal would become unreadable with the key gone.
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /** The function may seal (Encrypt) with this key, always naming the employee in the encryption context. */
  grantSeal(fn: LifecycleFunction): void {
    this.grant(fn, 'SealInitialPasswords', 'kms:Encrypt');
  }

  /** The function may open (Decrypt) what was sealed, with the same encryption context. */
  grantOpen(fn: LifecycleFunction): void {
    this.grant(fn, 'OpenInitialPasswords', 'kms:Decrypt');
  }

  private grant(fn: LifecycleFunction, sid: string, action: string): void {
    fn.addEnvironment(ENV.credentialKeyArn, this.key.keyArn);
    fn.function.addToRolePolicy(
      new iam.PolicyStatement({
        sid,
        actions: [action],
        resources: [this.key.keyArn],
        conditions: {
          'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['employeeId'] },
          Null: { 'kms:EncryptionContext:employeeId': 'false' },
        },
      }),
    );
  }

  /**
   * Access to credential records in the lifecycle table for a function outside the core: item reads and writes
   * on the table alone (no index), and the table's key only as DynamoDB uses it on the function's behalf.
   */
  static bindRecords(fn: LifecycleFunction, table: dynamodb.ITable): void {
    fn.addEnvironment(ENV.tableName, table.tableName);
    fn.function.addToRolePolicy(new iam.PolicyStatement({ sid: 'CredentialRecords', actions: [...CREDENTIAL_RECORD_ACTIONS], resources: [table.tableArn] }));
    if (table.encryptionKey) {
      fn.function.addToRolePolicy(
        new iam.PolicyStatement({
          sid: 'CredentialRecordsTableKey',
          actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
          resources: [table.encryptionKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${table.stack.region}.amazonaws.com` } },
        }),
      );
    }
  }
}
