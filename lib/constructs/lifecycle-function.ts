/** LifecycleFunction: one Lambda with every project default, and the factory seam that lets tests skip bundling. */
import * as path from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ENV, type EnvName } from '../../lambdas/shared/env-names';
import { FUNCTION_NODE_OPTIONS, sdkBundling } from '../bundling';
import { acknowledge, nagArnOf } from '../nag';

/** Repository root: handler entries in the catalog and in the stacks are relative to it. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** Template metadata key naming a function's handler file, so tests can map functions to entries without bundling. */
export const ENTRY_METADATA_KEY = 'AccountLifecycle:Entry';

export const LAMBDA_RUNTIME = lambda.Runtime.NODEJS_22_X;
export const LAMBDA_ARCHITECTURE = lambda.Architecture.ARM_64;

/** What a factory receives: the handler file and every option except the code. */
export interface FunctionSpec {
  /** Handler file relative to the repository root; it exports `handler`. */
  readonly entry: string;
  /** Bundle the v3 SDK instead of using the runtime's (sdkBundling). */
  readonly bundleSdk?: boolean;
  readonly options: lambda.FunctionOptions & { readonly runtime: lambda.Runtime };
}

/** Builds the Lambda behind a LifecycleFunction; swapped in tests so synth needs no esbuild. */
export interface FunctionFactory {
  createFunction(scope: Construct, id: string, spec: FunctionSpec): lambda.Function;
}

/** The real thing: esbuild bundling on this machine (esbuild is a devDependency; never Docker). */
export class BundledFunctionFactory implements FunctionFactory {
  createFunction(scope: Construct, id: string, spec: FunctionSpec): lambda.Function {
    return new nodejs.NodejsFunction(scope, id, {
      ...spec.options,
      entry: path.join(REPO_ROOT, spec.entry),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
      bundling: {
        forceDockerBundling: false,
        target: 'node22',
        minify: true,
        sourceMap: true,
        // Source maps are for stack traces, not for reading code in the console: keep the bundle small.
        sourcesContent: false,
        // The runtime ships the v3 SDK; everything else is bundled so the lock file decides versions.
        ...sdkBundling(spec.bundleSdk ?? false),
      },
    });
  }
}

/** For infra tests: same options, inline placeholder code, no bundling and no handler file needed. */
export class InlineFunctionFactory implements FunctionFactory {
  createFunction(scope: Construct, id: string, spec: FunctionSpec): lambda.Function {
    return new lambda.Function(scope, id, {
      ...spec.options,
      handler: 'index.handler',
      code: lambda.Code.fromInline(`exports.handler = async () => { throw new Error('placeholder for ${spec.entry}: built without bundling'); };`),
    });
  }
}

export type TableAccess = 'read' | 'readwrite';

/** The DynamoDB calls each access level allows: what the store's repositories send (GetCommand, QueryCommand, …). */
export const TABLE_ACTIONS: Readonly<Record<TableAccess, readonly string[]>> = {
  read: ['dynamodb:GetItem', 'dynamodb:Query'],
  readwrite: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'],
};

export interface LifecycleFunctionProps {
  /** Handler file relative to the repository root, e.g. `lambdas/handlers/sweep.ts`. */
  readonly entry: string;
  /** Stage name, set as LIFECYCLE_STAGE on every function. */
  readonly stage: string;
  /** Retention of the function's own log group; must be a value CloudWatch Logs accepts. */
  readonly logRetentionDays: number;
  readonly description?: string;
  /** A fixed function name; default: one CloudFormation makes up. */
  readonly functionName?: string;
  /** Default 30 seconds. */
  readonly timeout?: Duration;
  /** Default 512 MB: CPU scales with memory, and cold starts matter more than cents here. */
  readonly memorySize?: number;
  readonly environment?: Partial<Record<EnvName, string>>;
  /** Default: real esbuild bundling. */
  readonly factory?: FunctionFactory;
  /** Bundle the v3 SDK, tree-shaken, instead of using the runtime's (sdkBundling). Default false. */
  readonly bundleSdk?: boolean;
}

export class LifecycleFunction extends Construct {
  readonly function: lambda.Function;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: LifecycleFunctionProps) {
    super(scope, id);

    // Log group and role are ours rather than Lambda's defaults: the group gets a retention, and the
    // role gets write access to that group only instead of the account-wide AWSLambdaBasicExecutionRole.
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: retentionDays(props.logRetentionDays),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs ${props.entry}`,
    });
    this.logGroup.grantWrite(this.role);

    const factory = props.factory ?? new BundledFunctionFactory();
    this.function = factory.createFunction(this, 'Function', {
      entry: props.entry,
      bundleSdk: props.bundleSdk,
      options: {
        runtime: LAMBDA_RUNTIME,
        architecture: LAMBDA_ARCHITECTURE,
        description: props.description,
        functionName: props.functionName,
        timeout: props.timeout ?? Duration.seconds(30),
        memorySize: props.memorySize ?? 512,
        tracing: lambda.Tracing.ACTIVE,
        logGroup: this.logGroup,
        role: this.role,
        environment: {
          NODE_OPTIONS: FUNCTION_NODE_OPTIONS,
          POWERTOOLS_SERVICE_NAME: 'account-lifecycle',
          POWERTOOLS_METRICS_NAMESPACE: 'AccountLifecycle',
          [ENV.stage]: props.stage,
          ...definedOnly(props.environment ?? {}),
        },
      },
    });
    (this.function.node.defaultChild as lambda.CfnFunction).addMetadata(ENTRY_METADATA_KEY, props.entry);

    acknowledge(
      this.role,
      'AwsSolutions-IAM5',
      'X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions, so active tracing needs Resource "*".',
      ['Resource::*'],
    );
    acknowledge(
      this.function,
      'AwsSolutions-L1',
      'Pinned to nodejs22.x, the runtime the bundles target (esbuild node22) and the handlers are tested on; a runtime upgrade is its own change with its own test run.',
    );
  }

  get functionArn(): string {
    return this.function.functionArn;
  }

  /** Sets a runtime variable; names come from ENV so the handler and the stack cannot drift. */
  addEnvironment(name: EnvName, value: string): this {
    this.function.addEnvironment(name, value);
    return this;
  }

  /**
   * Grants table access and tells the function where the table is, in one call. The actions are the item and query
   * calls the store makes (lambdas/store/dynamo), not aws-cdk-lib's read/write bundle: no Scan, no stream reads.
   */
  bindTable(table: dynamodb.ITable, access: TableAccess): this {
    table.grant(this.function, ...TABLE_ACTIONS[access]);
    if (access === 'readwrite') table.encryptionKey?.grantEncryptDecrypt(this.function);
    else table.encryptionKey?.grantDecrypt(this.function);
    this.addEnvironment(ENV.tableName, table.tableName);
    acknowledge(
      this.role,
      'AwsSolutions-IAM5',
      'Queries go through the GSIs of this one table ("due", "status"); index names are the only wildcard.',
      [`Resource::${nagArnOf(table)}/index/*`],
    );
    return this;
  }
}

/** Checks a day count against what CloudWatch Logs accepts, naming the allowed values when it is not one. */
export function retentionDays(days: number): logs.RetentionDays {
  const members: readonly unknown[] = Object.values(logs.RetentionDays);
  const retention = members.find((v): v is logs.RetentionDays => v === days);
  if (retention === undefined) {
    const allowed = members.filter((v) => typeof v === 'number').join(', ');
    throw new Error(`logRetentionDays ${String(days)} is not a CloudWatch Logs retention; use one of ${allowed}`);
  }
  return retention;
}

function definedOnly(env: Partial<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}
