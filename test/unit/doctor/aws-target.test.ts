/** The doctor's AWS adapters on the real SDK clients, their sends answered by aws-sdk-client-mock. */
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { ConnectClient, DescribeInstanceCommand, ListRoutingProfilesCommand, ListSecurityProfilesCommand } from '@aws-sdk/client-connect';
import { GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ListSubscriptionsByTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { runChecks } from '../../../bin/cli/doctor/checks';
import { awsTarget, parseOutputFlags, queueDepth, stageOutputs, stageSecrets, topicSubscriptions } from '../../../bin/cli/doctor/aws-target';
import { loadStageConfig } from '../../../config/stages';
import { NOTION_TOKEN_PLACEHOLDER } from '../../../lambdas/providers/notion/notion-from-env';

const region = 'eu-central-1';
const ARN = {
  hr: 'arn:aws:secretsmanager:eu-central-1:111122223333:secret:HrSigningKey-abc',
  google: 'arn:aws:secretsmanager:eu-central-1:111122223333:secret:GoogleKey-def',
  notion: 'arn:aws:secretsmanager:eu-central-1:111122223333:secret:NotionToken-ghi',
  crm: 'arn:aws:secretsmanager:eu-central-1:111122223333:secret:CrmKey-jkl',
  topic: 'arn:aws:sns:eu-central-1:111122223333:AccountLifecycle-dev-Core-Topic',
  dlq: 'https://sqs.eu-central-1.amazonaws.com/111122223333/AccountLifecycle-dev-Core-StepsDeadLetters',
};

describe('the stage outputs', () => {
  it("merges the outputs of the stage's stacks only, across pages", async () => {
    const cfn = new CloudFormationClient({ region });
    const mock = mockClient(cfn);
    mock
      .on(DescribeStacksCommand, {})
      .resolves({
        Stacks: [
          { StackName: 'AccountLifecycle-dev-Core', StackStatus: 'UPDATE_COMPLETE', CreationTime: new Date(), Outputs: [{ OutputKey: 'HrKeyArn', OutputValue: ARN.hr }] },
          { StackName: 'AccountLifecycle-prod-Core', StackStatus: 'CREATE_COMPLETE', CreationTime: new Date(), Outputs: [{ OutputKey: 'HrKeyArn', OutputValue: 'prod' }] },
        ],
        NextToken: 'page2',
      })
      .on(DescribeStacksCommand, { NextToken: 'page2' })
      .resolves({
        Stacks: [{ StackName: 'AccountLifecycle-dev-Actions', StackStatus: 'CREATE_COMPLETE', CreationTime: new Date(), Outputs: [{ OutputKey: 'GoogleServiceAccountSecretArn', OutputValue: ARN.google }] }],
      });
    expect(await stageOutputs(cfn, 'dev')).toEqual({ HrKeyArn: ARN.hr, GoogleServiceAccountSecretArn: ARN.google });
  });

  it('says the stage is not deployed when no stack carries its name', async () => {
    const cfn = new CloudFormationClient({ region });
    mockClient(cfn).on(DescribeStacksCommand).resolves({ Stacks: [] });
    await expect(stageOutputs(cfn, 'dev')).rejects.toThrow('no stack named AccountLifecycle-dev-* in this account and region');
  });

  it('takes --output Key=Value flags, refusing one without a value', () => {
    expect(parseOutputFlags(['AlertTopicArn=arn:aws:sns:x:1:t', 'A=b=c'])).toEqual({ AlertTopicArn: 'arn:aws:sns:x:1:t', A: 'b=c' });
    expect(() => parseOutputFlags(['AlertTopicArn'])).toThrow('--output must be Key=Value (a stack output\'s key and its value), got "AlertTopicArn"');
  });
});

describe('the AWS adapters', () => {
  it('reads each secret the stage holds by the ARN its output names, receiver keys included', async () => {
    const sm = new SecretsManagerClient({ region });
    mockClient(sm).on(GetSecretValueCommand).callsFake(async (input: { SecretId: string }) => ({ SecretString: `value of ${input.SecretId}` }));
    const secrets = stageSecrets({ HrKeyArn: ARN.hr, GoogleServiceAccountSecretArn: ARN.google, NotionTokenSecretArn: ARN.notion, ReceiverKeyArnCrm: ARN.crm, AlertTopicArn: ARN.topic }, sm);
    expect(secrets.map((s) => [s.label, s.kind])).toEqual([
      ['HrKeyArn', 'signing-key'],
      ['GoogleServiceAccountSecretArn', 'google-key'],
      ['NotionTokenSecretArn', 'notion-token'],
      ['ReceiverKeyArnCrm', 'signing-key'],
    ]);
    expect(await secrets[3].read()).toBe(`value of ${ARN.crm}`);
  });

  it("names the missing output of a secret the stage should have", async () => {
    const secrets = stageSecrets({}, new SecretsManagerClient({ region }));
    await expect(secrets[0].read()).rejects.toThrow('stack output HrKeyArn not found: deploy the stage, or give --output HrKeyArn=<value>');
  });

  it('counts a subscription as confirmed only once SNS gives it an ARN', async () => {
    const sns = new SNSClient({ region });
    const mock = mockClient(sns);
    mock
      .on(ListSubscriptionsByTopicCommand, { TopicArn: ARN.topic })
      .resolves({ Subscriptions: [{ SubscriptionArn: 'PendingConfirmation', Protocol: 'email', Endpoint: 'ops@acme.io' }], NextToken: 't2' })
      .on(ListSubscriptionsByTopicCommand, { TopicArn: ARN.topic, NextToken: 't2' })
      .resolves({ Subscriptions: [{ SubscriptionArn: `${ARN.topic}:5f2a`, Protocol: 'email', Endpoint: 'oncall@acme.io' }] });
    expect(await topicSubscriptions(sns, ARN.topic)).toEqual([
      { protocol: 'email', endpoint: 'ops@acme.io', confirmed: false },
      { protocol: 'email', endpoint: 'oncall@acme.io', confirmed: true },
    ]);
  });

  it("counts the queue's waiting, in-flight and delayed messages", async () => {
    const sqs = new SQSClient({ region });
    const mock = mockClient(sqs);
    mock.on(GetQueueAttributesCommand).resolves({ Attributes: { ApproximateNumberOfMessages: '2', ApproximateNumberOfMessagesNotVisible: '1', ApproximateNumberOfMessagesDelayed: '0' } });
    expect(await queueDepth(sqs, ARN.dlq)).toBe(3);
    expect(mock.commandCalls(GetQueueAttributesCommand)[0].args[0].input).toEqual({
      QueueUrl: ARN.dlq,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
    });
  });
});

describe('lifecycle doctor on a stage just deployed', () => {
  it('fails the unfilled secrets, the unconfirmed subscriber and the dead letters, and skips what needs the missing keys', async () => {
    const sm = new SecretsManagerClient({ region });
    const secretValues: Record<string, string> = {
      [ARN.hr]: JSON.stringify({ current: 'a'.repeat(64) }),
      [ARN.google]: JSON.stringify({ client_email: '', private_key: '' }),
      [ARN.notion]: NOTION_TOKEN_PLACEHOLDER,
    };
    mockClient(sm)
      .on(GetSecretValueCommand)
      .callsFake(async (input: { SecretId: string }) => {
        if (input.SecretId in secretValues) return { SecretString: secretValues[input.SecretId] };
        throw new ResourceNotFoundException({ message: "Secrets Manager can't find the specified secret.", $metadata: {} });
      });
    const sns = new SNSClient({ region });
    mockClient(sns).on(ListSubscriptionsByTopicCommand).resolves({ Subscriptions: [{ SubscriptionArn: 'PendingConfirmation', Protocol: 'email', Endpoint: 'ops@acme.io' }] });
    const sqs = new SQSClient({ region });
    mockClient(sqs).on(GetQueueAttributesCommand).resolves({ Attributes: { ApproximateNumberOfMessages: '1' } });
    const connect = new ConnectClient({ region });
    const connectMock = mockClient(connect);
    connectMock.on(DescribeInstanceCommand).resolves({ Instance: { Id: 'i-1', InstanceAlias: 'acme-support', InstanceStatus: 'ACTIVE' } });
    connectMock.on(ListRoutingProfilesCommand).resolves({ RoutingProfileSummaryList: [{ Id: 'r1', Name: 'Basic' }] });
    connectMock.on(ListSecurityProfilesCommand).resolves({ SecurityProfileSummaryList: [{ Id: 's1', Name: 'Agent' }] });

    const outputs = { HrKeyArn: ARN.hr, GoogleServiceAccountSecretArn: ARN.google, NotionTokenSecretArn: ARN.notion, ReceiverKeyArnCrm: ARN.crm, AlertTopicArn: ARN.topic, DeadLetterQueueUrl: ARN.dlq };
    const results = await runChecks(awsTarget(loadStageConfig('dev'), outputs, { secretsManager: sm, sns, sqs, connect }, region));
    expect(results.map((r) => `${r.check} | ${r.status} | ${r.detail}`)).toEqual([
      'secret HrKeyArn | ok | filled',
      'secret GoogleServiceAccountSecretArn | FAIL | empty template: client_email or private_key is blank; paste the JSON key file in',
      'secret NotionTokenSecretArn | FAIL | still the placeholder: paste the Notion integration token in',
      "secret ReceiverKeyArnCrm | FAIL | could not be read: Secrets Manager can't find the specified secret.",
      'google tokens | skip | the Google key (GoogleServiceAccountSecretArn) is not usable: no token can be asked for',
      'connect instance | ok | 00000000-0000-4000-8000-000000000000 (acme-support) is ACTIVE',
      'connect routing profiles | skip | 1 in the instance; the role catalog could not be read, so which it names is unknown',
      'connect security profiles | skip | 1 in the instance; the role catalog could not be read, so which it names is unknown',
      'notion role catalog | skip | the Notion token is not usable',
      'alert subscribers | FAIL | topic arn:aws:sns:eu-central-1:111122223333:AccountLifecycle-dev-Core-Topic: nobody receives alerts: 1 subscription still pending confirmation (the link in the mail AWS sent)',
      'dead-letter queue | FAIL | 1 message waiting: the dead-letter handler is not draining it; see its logs and npx lifecycle alerts',
    ]);
  });
});
