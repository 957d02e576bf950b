/** Core Stack: the stateful backbone and the engine's wiring, asserted on the synthesized template for each stage. */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { TABLE } from '../../lambdas/store/table-schema';
import { NOTION_TOKEN_PLACEHOLDER } from '../../lambdas/providers/notion/notion-from-env';
import { ENV } from '../../lambdas/shared/env-names';
import { buildStage, DEPLOYED_STAGES, type BuiltStage } from './build-stacks';
import { functionsByEntry, logicalId, resourceOf } from './template-helpers';

const HANDLERS = {
  api: 'lambdas/handlers/api.ts',
  sweep: 'lambdas/handlers/sweep.ts',
  dispatcher: 'lambdas/handlers/dispatcher.ts',
  deadLetter: 'lambdas/handlers/dead-letter.ts',
} as const;

describe.each(DEPLOYED_STAGES)('Core Stack (%s)', (stage) => {
  let built: BuiltStage;
  let template: Template;
  let ids: { table: string; queue: string; lockoutQueue: string; housekeepingQueue: string; dlq: string; topic: string; secret: string; key: string };
  let fns: ReturnType<typeof functionsByEntry>;
  const fnId = (name: keyof typeof HANDLERS): string => {
    const fn = fns.get(HANDLERS[name]);
    if (!fn) throw new Error(`no function for ${HANDLERS[name]}`);
    return fn.logicalId;
  };
  const envOf = (name: keyof typeof HANDLERS): Record<string, unknown> =>
    (fns.get(HANDLERS[name])?.properties.Environment as { Variables: Record<string, unknown> }).Variables;

  beforeAll(() => {
    built = buildStage(stage);
    template = Template.fromStack(built.core);
    const { core } = built;
    ids = {
      table: logicalId(core.table.table),
      queue: logicalId(core.steps.queue),
      lockoutQueue: logicalId(core.steps.queues.lockout),
      housekeepingQueue: logicalId(core.steps.queues.housekeeping),
      dlq: logicalId(core.steps.deadLetterQueue),
      topic: logicalId(core.alerts.topic),
      secret: logicalId(core.hrKey),
      key: Object.keys(template.findResources('AWS::KMS::Key'))[0],
    };
    fns = functionsByEntry(template);
  });

  it('is named for its stage', () => {
    expect(built.core.stackName).toBe(`AccountLifecycle-${stage}-Core`);
  });

  describe('table', () => {
    it('keeps its data: PITR, deletion protection, KMS encryption, retained on delete', () => {
      template.resourceCountIs('AWS::DynamoDB::Table', 1);
      template.hasResource('AWS::DynamoDB::Table', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: Match.objectLike({
          BillingMode: 'PAY_PER_REQUEST',
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          DeletionProtectionEnabled: true,
          SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [ids.key, 'Arn'] } },
          KeySchema: [
            { AttributeName: 'PK', KeyType: 'HASH' },
            { AttributeName: 'SK', KeyType: 'RANGE' },
          ],
        }),
      });
    });

    it('deletes expired items by the TTL attribute the store writes on sealed passwords and their links', () => {
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true },
      });
      expect(TABLE.ttlAttribute).toBe('deleteAfter');
    });

    it('has three indexes, all projecting ALL: the sparse "due" index on dueShard/dueAt, "status" by update and "effective" by effective date', () => {
      expect(TABLE.dueIndex).toMatchObject({ name: 'due', partitionKey: 'dueShard', sortKey: 'dueAt' });
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        GlobalSecondaryIndexes: Match.arrayEquals([
          {
            IndexName: 'due',
            KeySchema: [
              { AttributeName: 'dueShard', KeyType: 'HASH' },
              { AttributeName: 'dueAt', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
          {
            IndexName: 'status',
            KeySchema: [
              { AttributeName: 'runStatus', KeyType: 'HASH' },
              { AttributeName: 'updatedAt', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
          {
            IndexName: 'effective',
            KeySchema: [
              { AttributeName: 'runStatus', KeyType: 'HASH' },
              { AttributeName: 'effectiveDate', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ]),
      });
      const table = resourceOf(template, 'AWS::DynamoDB::Table', ids.table);
      expect(table.Properties.GlobalSecondaryIndexes).toHaveLength(3);
      // Every key attribute is declared once, as a string.
      expect(table.Properties.AttributeDefinitions).toEqual(
        expect.arrayContaining(['PK', 'SK', 'dueShard', 'dueAt', 'runStatus', 'updatedAt', 'effectiveDate'].map((AttributeName) => ({ AttributeName, AttributeType: 'S' }))),
      );
      expect(table.Properties.AttributeDefinitions).toHaveLength(7);
    });

    it('rotates the customer-managed key and keeps it on delete', () => {
      template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', Properties: Match.objectLike({ EnableKeyRotation: true }) });
    });
  });

  describe('steps queue', () => {
    it('moves a message to the DLQ on its 4th receive', () => {
      template.hasResourceProperties('AWS::SQS::Queue', {
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [ids.dlq, 'Arn'] }, maxReceiveCount: 4 },
      });
    });

    it('hides a message for at least six dispatcher timeouts', () => {
      const dispatcherTimeout = fns.get(HANDLERS.dispatcher)?.properties.Timeout;
      expect(dispatcherTimeout).toBe(built.config.dispatcherTimeoutSeconds);
      const queue = resourceOf(template, 'AWS::SQS::Queue', ids.queue);
      expect(queue.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * Number(dispatcherTimeout));
      expect(queue.Properties.VisibilityTimeout).toBe(360);
    });

    it('keeps dead letters 14 days, and the DLQ outlasts six dead-letter handler timeouts', () => {
      const dlq = resourceOf(template, 'AWS::SQS::Queue', ids.dlq);
      expect(dlq.Properties.MessageRetentionPeriod).toBe(14 * 24 * 3600);
      expect(dlq.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * Number(fns.get(HANDLERS.deadLetter)?.properties.Timeout));
    });

    it('is one queue per priority class, each moving a message to the one DLQ on its 4th receive, the default class keeping the queue there was', () => {
      expect(logicalId(built.core.steps.queues.protect)).toBe(ids.queue);
      for (const which of ['queue', 'lockoutQueue', 'housekeepingQueue'] as const) {
        expect(resourceOf(template, 'AWS::SQS::Queue', ids[which]).Properties.RedrivePolicy).toEqual({ deadLetterTargetArn: { 'Fn::GetAtt': [ids.dlq, 'Arn'] }, maxReceiveCount: 4 });
      }
      template.resourceCountIs('AWS::SQS::Queue', 4);
    });

    it.each(['queue', 'lockoutQueue', 'housekeepingQueue', 'dlq'] as const)('%s is KMS-encrypted, refuses plain HTTP and is retained', (which) => {
      const queue = resourceOf(template, 'AWS::SQS::Queue', ids[which]);
      expect(queue.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [ids.key, 'Arn'] });
      expect(queue.DeletionPolicy).toBe('Retain');
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: ids[which] }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    });
  });

  describe('engine functions', () => {
    it('are exactly api, sweep, dispatcher and dead-letter', () => {
      expect([...fns.keys()].sort()).toEqual(Object.values(HANDLERS).sort());
    });

    it.each(Object.keys(HANDLERS) as (keyof typeof HANDLERS)[])('%s runs arm64 nodejs22.x, traced, knows its stage and table', (name) => {
      const props = fns.get(HANDLERS[name])?.properties;
      expect(props).toMatchObject({ Architectures: ['arm64'], Runtime: 'nodejs22.x', TracingConfig: { Mode: 'Active' } });
      expect(envOf(name)).toMatchObject({
        [ENV.stage]: stage,
        [ENV.tableName]: { Ref: ids.table },
        NODE_OPTIONS: '--enable-source-maps',
        [ENV.dueShards]: String(built.config.dueShards),
      });
    });

    it.each(['api', 'sweep', 'dispatcher'] as const)('%s knows the steps queue of every priority class by its class', (name) => {
      expect(envOf(name)[ENV.stepsQueueUrls]).toEqual({
        'Fn::Join': ['', ['{"lockout":"', { Ref: ids.lockoutQueue }, '","protect":"', { Ref: ids.queue }, '","housekeeping":"', { Ref: ids.housekeepingQueue }, '"}']],
      });
    });

    it('api knows the steps queue, the HR signing key and the role catalog (Notion token secret, roles data source)', () => {
      expect(envOf('api')).toMatchObject({
        [ENV.hrKeyArn]: { Ref: ids.secret },
        [ENV.notionTokenSecretArn]: { Ref: logicalId(built.core.roleCatalog.token) },
        [ENV.notionRolesDataSourceId]: built.config.notion.rolesDataSourceId,
      });
      // The token secret is a placeholder an admin replaces, kept when the stack goes.
      const token = template.findResources('AWS::SecretsManager::Secret')[logicalId(built.core.roleCatalog.token)];
      expect(token).toMatchObject({ DeletionPolicy: 'Retain', Properties: { SecretString: NOTION_TOKEN_PLACEHOLDER } });
      expect(envOf('sweep')).not.toHaveProperty(ENV.notionTokenSecretArn);
    });

    it("api carries the stage's mass-change threshold and window, so intake counts against the deployed settings", () => {
      expect(envOf('api')).toMatchObject({
        [ENV.massChangeThreshold]: String(built.config.massChange.threshold),
        [ENV.massChangeWindowMinutes]: String(built.config.massChange.windowMinutes),
      });
    });

    it('dispatcher knows the queue, the alert topic and its stage registry path', () => {
      expect(envOf('dispatcher')).toMatchObject({
        [ENV.alertTopicArn]: { Ref: ids.topic },
        [ENV.actionRegistryPath]: `/account-lifecycle/${stage}/actions`,
      });
      expect(built.core.actionRegistryPath).toBe(`/account-lifecycle/${stage}/actions`);
    });

    it('dead-letter handler knows the alert topic', () => {
      expect(envOf('deadLetter')).toMatchObject({ [ENV.alertTopicArn]: { Ref: ids.topic } });
    });

    it.each([
      ['lockoutQueue', { dev: 5, prod: 10 }],
      ['queue', { dev: 2, prod: 3 }],
      ['housekeepingQueue', { dev: 2, prod: 2 }],
    ] as const)('dispatcher consumes %s in batches of 10, reporting per-message failures, with its own bounded concurrency (lockout the most)', (which, concurrency) => {
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: { 'Fn::GetAtt': [ids[which], 'Arn'] },
        FunctionName: { Ref: fnId('dispatcher') },
        BatchSize: 10,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: concurrency[stage] },
      });
    });

    it('dead-letter handler consumes the DLQ, reporting per-message failures', () => {
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: { 'Fn::GetAtt': [ids.dlq, 'Arn'] },
        FunctionName: { Ref: fnId('deadLetter') },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
      template.resourceCountIs('AWS::Lambda::EventSourceMapping', 4);
    });

    it('sweep runs on the configured cron', () => {
      template.resourceCountIs('AWS::Events::Rule', 1);
      template.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: 'cron(0/15 * * * ? *)',
        State: 'ENABLED',
        Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [fnId('sweep'), 'Arn'] } })],
      });
      expect(built.config.sweepCron).toBe('0/15 * * * ? *');
    });
  });

  describe('operator alerts', () => {
    it('topic is KMS-encrypted and refuses plain HTTP', () => {
      template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [ids.key, 'Arn'] } });
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [{ Ref: ids.topic }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            Match.objectLike({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish' }),
          ]),
        },
      });
    });

    it('lets CloudWatch alarms of this account use the key, or they could not publish to the encrypted topic', () => {
      template.hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
              Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
            }),
          ]),
        },
      });
    });

    it('alarms on dead-lettered messages left visible in the DLQ', () => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [ids.dlq, 'QueueName'] } }],
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmActions: [{ Ref: ids.topic }],
      });
    });

    it('alarms on dispatcher errors', () => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: fnId('dispatcher') } }],
        Statistic: 'Sum',
        Threshold: 1,
        AlarmActions: [{ Ref: ids.topic }],
      });
    });

    it('every alarm notifies the operator topic', () => {
      const alarms = Object.keys(template.findResources('AWS::CloudWatch::Alarm'));
      expect(alarms.length).toBe(4);
      for (const id of alarms) {
        expect(resourceOf(template, 'AWS::CloudWatch::Alarm', id).Properties.AlarmActions).toEqual([{ Ref: ids.topic }]);
      }
    });

    it('has no subscriptions when the stage lists no alert emails', () => {
      expect(built.config.alertEmails).toEqual([]);
      template.resourceCountIs('AWS::SNS::Subscription', 0);
    });

    it('subscribes each configured alert email', () => {
      const withEmails = buildStage(stage, { alertEmails: ['ops@example.com', 'it@example.com'] });
      const t = Template.fromStack(withEmails.core);
      t.resourceCountIs('AWS::SNS::Subscription', 2);
      t.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
    });
  });

  describe('HR signing key', () => {
    it('is generated as {"current": …}, not typed in, and survives a stack delete', () => {
      expect(template.findResources('AWS::SecretsManager::Secret')[ids.secret]).toMatchObject({
        DeletionPolicy: 'Retain',
        Properties: { GenerateSecretString: { PasswordLength: 64, GenerateStringKey: 'current', SecretStringTemplate: '{}' } },
      });
    });
  });

  describe('exports for the Actions Stack', () => {
    it('expose the dispatcher role, the stage and the registry path, and no signing key', () => {
      expect(built.core.dispatcherRole).toBe(built.core.functions.dispatcher.role);
      expect(Object.keys(built.core)).not.toContain('hmacSecret');
      expect(built.core.stage).toBe(stage);
    });
  });
});
