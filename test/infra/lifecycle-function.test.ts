/** LifecycleFunction: the defaults every function gets, the factory seam, and bindTable's grants. */
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { ENV } from '../../lambdas/shared/env-names';
import {
  InlineFunctionFactory,
  LifecycleFunction,
  type FunctionFactory,
  type FunctionSpec,
} from '../../lib/constructs/lifecycle-function';
import { actionsOf, logicalId, resourceOf, statementsOfRole } from './template-helpers';

class RecordingFactory implements FunctionFactory {
  readonly specs: FunctionSpec[] = [];
  createFunction(scope: Construct, id: string, spec: FunctionSpec): lambda.Function {
    this.specs.push(spec);
    return new InlineFunctionFactory().createFunction(scope, id, spec);
  }
}

function build(props: Partial<ConstructorParameters<typeof LifecycleFunction>[2]> = {}) {
  const stack = new Stack(new App(), 'Test');
  const table = new dynamodb.Table(stack, 'Table', { partitionKey: { name: 'PK', type: dynamodb.AttributeType.STRING } });
  const factory = new RecordingFactory();
  const fn = new LifecycleFunction(stack, 'Fn', {
    entry: 'lambdas/handlers/example.ts',
    stage: 'dev',
    logRetentionDays: 30,
    factory,
    ...props,
  });
  return { stack, table, fn, factory };
}

describe('LifecycleFunction', () => {
  it('hands the factory the entry and every default: arm64, nodejs22.x, active tracing, source maps, stage', () => {
    const { factory } = build();
    expect(factory.specs).toHaveLength(1);
    const [spec] = factory.specs;
    expect(spec.entry).toBe('lambdas/handlers/example.ts');
    expect(spec.options.runtime).toBe(lambda.Runtime.NODEJS_22_X);
    expect(spec.options.architecture).toBe(lambda.Architecture.ARM_64);
    expect(spec.options.tracing).toBe(lambda.Tracing.ACTIVE);
    expect(spec.options.environment).toMatchObject({ NODE_OPTIONS: '--enable-source-maps', [ENV.stage]: 'dev' });
  });

  it('synthesizes with its own log group at the configured retention, and a 30 s / 512 MB default', () => {
    const { stack, fn } = build({ logRetentionDays: 365 });
    const template = Template.fromStack(stack);
    template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Retain', Properties: { RetentionInDays: 365 } });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Architectures: ['arm64'],
      Runtime: 'nodejs22.x',
      Timeout: 30,
      MemorySize: 512,
      LoggingConfig: { LogGroup: { Ref: logicalId(fn.logGroup) } },
    });
  });

  it('takes timeout and memory from its props', () => {
    const { stack } = build({ timeout: Duration.seconds(90), memorySize: 1024 });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { Timeout: 90, MemorySize: 1024 });
  });

  it('writes logs to its own group only, with no managed policy', () => {
    const { stack, fn } = build();
    const template = Template.fromStack(stack);
    const logs = statementsOfRole(template, logicalId(fn.role)).filter((s) => actionsOf(s).includes('logs:PutLogEvents'));
    expect(logs.map((s) => s.Resource)).toEqual([{ 'Fn::GetAtt': [logicalId(fn.logGroup), 'Arn'] }]);
    expect(resourceOf(template, 'AWS::IAM::Role', logicalId(fn.role)).Properties.ManagedPolicyArns).toBeUndefined();
  });

  it('rejects a retention CloudWatch Logs does not offer, naming the value', () => {
    expect(() => build({ logRetentionDays: 31 })).toThrow(/logRetentionDays 31/);
  });

  it.each([
    ['read', ['dynamodb:GetItem', 'dynamodb:Query'], ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem']],
    ['readwrite', ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], []],
  ] as const)('bindTable(%s) grants what it says and sets the table name', (access, granted, withheld) => {
    const { stack, table, fn } = build();
    fn.bindTable(table, access);
    const template = Template.fromStack(stack);
    const actions = statementsOfRole(template, logicalId(fn.role)).flatMap(actionsOf);
    expect(actions).toEqual(expect.arrayContaining([...granted]));
    for (const action of withheld) expect(actions).not.toContain(action);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { [ENV.tableName]: { Ref: logicalId(table) } } },
    });
  });
});
