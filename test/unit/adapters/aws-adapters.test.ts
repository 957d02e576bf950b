/**
 * The engine's AWS adapters against recording SDK clients: which commands they send, and what they make of the
 * answers. (The real SDK clients, their `send` replaced by aws-sdk-client-mock.)
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { ChangeMessageVisibilityCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetParametersByPathCommand, SSMClient } from '@aws-sdk/client-ssm';
import { LambdaActionInvoker } from '../../../lambdas/adapters/aws/lambda-action-invoker';
import { SnsAlertPublisher } from '../../../lambdas/adapters/aws/sns-alert-publisher';
import { parseStepQueueUrls, SqsStepQueue } from '../../../lambdas/adapters/aws/sqs-step-queue';
import type { Alert } from '../../../lambdas/engine/model';
import type { ActionRequest, StepMessage } from '../../../lambdas/engine/ports';
import { recording } from '../../support/recording-client';

const QUEUE_URL = 'https://sqs.eu-central-1.amazonaws.com/111122223333/steps';
const message = (n: number): StepMessage => ({ runId: `run-${n}`, employeeId: 'E100', stepId: `step-${n}` });

describe('SqsStepQueue', () => {
  it('sends step messages in batches of ten, each body the message as JSON, with the delay asked for', async () => {
    const sqs = recording(SQSClient, () => ({ Successful: [] }));
    await new SqsStepQueue(sqs.client, QUEUE_URL).send(Array.from({ length: 23 }, (_, i) => message(i)), 60);
    expect(sqs.sent.every((c) => c instanceof SendMessageBatchCommand)).toBe(true);
    const batches = sqs.sent.map((c) => (c as SendMessageBatchCommand).input);
    expect(batches.map((b) => b.Entries?.length)).toEqual([10, 10, 3]);
    expect(batches.every((b) => b.QueueUrl === QUEUE_URL)).toBe(true);
    expect(batches[2].Entries).toEqual([20, 21, 22].map((n, i) => ({ Id: String(i), MessageBody: JSON.stringify(message(n)), DelaySeconds: 60 })));
  });

  it('fails, naming what SQS said, when SQS refuses messages of a batch', async () => {
    const sqs = recording(SQSClient, () => ({ Failed: [{ Id: '0', Code: 'InternalError', SenderFault: false, Message: 'try again' }] }));
    await expect(new SqsStepQueue(sqs.client, QUEUE_URL).send([message(1)])).rejects.toThrow('SQS refused 1 step messages: try again');
  });

  it('hides a failed delivery for the backoff by changing its visibility', async () => {
    const sqs = recording(SQSClient);
    await new SqsStepQueue(sqs.client, QUEUE_URL).retryLater('receipt-1', 8);
    expect(sqs.sent).toHaveLength(1);
    expect(sqs.sent[0]).toBeInstanceOf(ChangeMessageVisibilityCommand);
    expect(sqs.sent[0].input).toEqual({ QueueUrl: QUEUE_URL, ReceiptHandle: 'receipt-1', VisibilityTimeout: 8 });
  });

  const URLS = { lockout: `${QUEUE_URL}-lockout`, protect: QUEUE_URL, housekeeping: `${QUEUE_URL}-housekeeping` };

  it("sends each message to its priority class's queue, lockout first, and one naming no class to the default class's", async () => {
    const sqs = recording(SQSClient, () => ({ Successful: [] }));
    const messages: StepMessage[] = [{ ...message(1), priority: 'housekeeping' }, { ...message(2), priority: 'lockout' }, message(3), { ...message(4), priority: 'lockout' }];
    await new SqsStepQueue(sqs.client, URLS).send(messages);
    const batches = sqs.sent.map((c) => (c as SendMessageBatchCommand).input);
    expect(batches.map((b) => [b.QueueUrl, b.Entries?.map((e) => (JSON.parse(e.MessageBody ?? '{}') as StepMessage).stepId)])).toEqual([
      [URLS.lockout, ['step-2', 'step-4']],
      [URLS.protect, ['step-3']],
      [URLS.housekeeping, ['step-1']],
    ]);
  });

  it("changes a delivery's visibility on the queue of its class", async () => {
    const sqs = recording(SQSClient);
    await new SqsStepQueue(sqs.client, URLS).retryLater('receipt-1', 8, { priority: 'lockout' });
    expect(sqs.sent[0].input).toEqual({ QueueUrl: URLS.lockout, ReceiptHandle: 'receipt-1', VisibilityTimeout: 8 });
  });

  it('changes visibility on the queue the record came from (its ARN), whatever class the body names', async () => {
    const sqs = recording(SQSClient);
    const queue = new SqsStepQueue(sqs.client, URLS);
    await queue.retryLater('receipt-1', 8, { queueArn: 'arn:aws:sqs:eu-central-1:111122223333:steps-housekeeping', priority: 'lockout' });
    // An ARN that names none of the known queues leaves the body's class to name it.
    await queue.retryLater('receipt-2', 8, { queueArn: 'arn:aws:sqs:eu-central-1:111122223333:elsewhere', priority: 'lockout' });
    expect(sqs.sent.map((c) => (c.input as { QueueUrl: string }).QueueUrl)).toEqual([URLS.housekeeping, URLS.lockout]);
  });

  it('reads the queue of every class from its environment value and refuses one missing a class', () => {
    expect(parseStepQueueUrls(JSON.stringify(URLS))).toEqual(URLS);
    expect(() => parseStepQueueUrls(JSON.stringify({ lockout: QUEUE_URL, protect: QUEUE_URL }))).toThrow();
  });
});

describe('SnsAlertPublisher', () => {
  const alert: Alert = {
    alertId: 'alert-1',
    raisedAt: '2030-01-01T00:00:00.000Z',
    employeeId: 'E100',
    runId: 'run-1',
    stepId: 'suspend',
    action: 'google.suspendUserWithAVeryLongActionNameThatKeepsGoingOnAndOnPastWhatASubjectLineMayHold',
    attempts: 4,
    providerAnswer: '503',
    message: 'Suspending the account failed 4 times.',
    whatToDo: 'Retry the step once Google answers again.',
    status: 'open',
  };

  it('publishes the alert to the topic with a subject of at most 100 characters and the whole alert in the message', async () => {
    const sns = recording(SNSClient);
    await new SnsAlertPublisher(sns.client, 'arn:aws:sns:eu-central-1:111122223333:operators').publish(alert);
    expect(sns.sent[0]).toBeInstanceOf(PublishCommand);
    const input = (sns.sent[0] as PublishCommand).input;
    expect(input.TopicArn).toBe('arn:aws:sns:eu-central-1:111122223333:operators');
    expect(input.Subject!.length).toBeLessThanOrEqual(100);
    expect(input.Subject).toMatch(/^account-lifecycle: google\.suspendUser/);
    expect(input.Message).toContain('What to do: Retry the step once Google answers again.');
    expect(input.Message).toContain('"alertId": "alert-1"');
  });
});

describe('LambdaActionInvoker', () => {
  const REGISTRY = '/account-lifecycle/dev/actions';
  const request = { action: 'google.suspendUser', runId: 'run-1', stepId: 'suspend' } as ActionRequest;

  /** An SSM registry answered over two pages. */
  function registry(fail = 0) {
    let failures = fail;
    return recording(SSMClient, (command) => {
      if (failures-- > 0) throw new Error('SSM unavailable');
      const token = (command as GetParametersByPathCommand).input.NextToken;
      return token
        ? { Parameters: [{ Name: `${REGISTRY}/google.suspendUser`, Value: 'arn:aws:lambda:eu-central-1:111122223333:function:suspend' }] }
        : { Parameters: [{ Name: `${REGISTRY}/forward.event`, Value: 'arn:aws:lambda:eu-central-1:111122223333:function:forward' }], NextToken: 'page-2' };
    });
  }

  it("invokes the action's function from the registry, read once over every page, and answers its payload", async () => {
    const ssm = registry();
    const lambda = recording(LambdaClient, () => ({ Payload: Buffer.from(JSON.stringify({ ok: true, note: 'suspended' })) }));
    const invoker = new LambdaActionInvoker(lambda.client, ssm.client, REGISTRY);
    expect(await invoker.invoke(request)).toEqual({ ok: true, note: 'suspended' });
    expect(await invoker.invoke(request)).toEqual({ ok: true, note: 'suspended' });
    expect(ssm.sent.map((c) => (c as GetParametersByPathCommand).input)).toEqual([{ Path: REGISTRY, NextToken: undefined }, { Path: REGISTRY, NextToken: 'page-2' }]);
    expect(lambda.sent[0]).toBeInstanceOf(InvokeCommand);
    const input = (lambda.sent[0] as InvokeCommand).input;
    expect(input.FunctionName).toBe('arn:aws:lambda:eu-central-1:111122223333:function:suspend');
    expect(JSON.parse(Buffer.from(input.Payload as Uint8Array).toString('utf8'))).toEqual(request);
  });

  it('answers an action no function is registered for as a failure a retry cannot fix', async () => {
    const lambda = recording(LambdaClient);
    const answer = await new LambdaActionInvoker(lambda.client, registry().client, REGISTRY).invoke({ ...request, action: 'zendesk.suspendUser' });
    expect(answer).toEqual({ ok: false, error: { message: `no function is registered for zendesk.suspendUser under ${REGISTRY}`, retryable: false } });
    expect(lambda.sent).toEqual([]);
  });

  it('answers a crash of the action function as a failure a retry may fix, with what it printed', async () => {
    const lambda = recording(LambdaClient, () => ({ FunctionError: 'Unhandled', Payload: Buffer.from('{"errorMessage":"Task timed out"}') }));
    const answer = await new LambdaActionInvoker(lambda.client, registry().client, REGISTRY).invoke(request);
    expect(answer).toEqual({ ok: false, error: { message: 'google.suspendUser function error Unhandled', retryable: true, providerAnswer: '{"errorMessage":"Task timed out"}' } });
  });

  it('reads the registry again on the next call when reading it failed', async () => {
    const ssm = registry(1);
    const lambda = recording(LambdaClient, () => ({ Payload: Buffer.from('{"ok":true}') }));
    const invoker = new LambdaActionInvoker(lambda.client, ssm.client, REGISTRY);
    await expect(invoker.invoke(request)).rejects.toThrow('SSM unavailable');
    expect(await invoker.invoke(request)).toEqual({ ok: true });
  });
});
