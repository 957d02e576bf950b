/**
 * The steps queues, one per priority class (SQS has no priorities: each class is its own queue, read by its own event
 * source mapping), and their one dead-letter queue: SQS redelivery is the retry, the DLQ is where retrying stops.
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '../../lambdas/shared/env-names';
import type { LifecycleFunction } from './lifecycle-function';
import { DEFAULT_PRIORITY, PRIORITY_CLASSES, type PriorityClass } from '../../config/priority';

export interface StepsQueueProps {
  readonly encryptionKey: kms.IKey;
  /** Receives of one message before SQS moves it to the DLQ (config: maxReceiveCount). */
  readonly maxReceiveCount: number;
  /** Timeout of the function consuming the steps queue. */
  readonly consumerTimeout: Duration;
  /** Timeout of the function consuming the DLQ. */
  readonly deadLetterConsumerTimeout: Duration;
}

/**
 * AWS asks for a visibility timeout of six times the consumer's timeout on a Lambda-consumed queue,
 * so a batch retried by Lambda's poller is not redelivered (and counted as a receive) while still running.
 */
export const VISIBILITY_TIMEOUT_FACTOR = 6;

export class StepsQueue extends Construct {
  /** The default class's queue: the single steps queue before there were classes, so messages in it on a deploy stay. */
  readonly queue: sqs.Queue;
  /** One queue per priority class; the default class's is `queue`. */
  readonly queues: Readonly<Record<PriorityClass, sqs.Queue>>;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: StepsQueueProps) {
    super(scope, id);

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.encryptionKey,
      enforceSSL: true,
      // Two weeks (the SQS maximum) for an operator to look at a step the dead-letter handler could not record.
      retentionPeriod: Duration.days(14),
      visibilityTimeout: Duration.seconds(props.deadLetterConsumerTimeout.toSeconds() * VISIBILITY_TIMEOUT_FACTOR),
      // Holds the only message of a step that gave up until the handler records it: kept if the stack goes.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const queueOf = (priority: PriorityClass) =>
      // The default class keeps the id of the one queue there was: its messages are not lost on the deploy that splits it.
      new sqs.Queue(this, priority === DEFAULT_PRIORITY ? 'Queue' : `${priority[0].toUpperCase()}${priority.slice(1)}Queue`, {
        encryption: sqs.QueueEncryption.KMS,
        encryptionMasterKey: props.encryptionKey,
        enforceSSL: true,
        visibilityTimeout: Duration.seconds(props.consumerTimeout.toSeconds() * VISIBILITY_TIMEOUT_FACTOR),
        deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount },
        removalPolicy: RemovalPolicy.RETAIN,
      });
    this.queues = Object.fromEntries(PRIORITY_CLASSES.map((c) => [c, queueOf(c)])) as Record<PriorityClass, sqs.Queue>;
    this.queue = this.queues[DEFAULT_PRIORITY];
  }

  /** Lets a function send step messages to every class's queue, and names the queues in its environment. */
  grantSend(fn: LifecycleFunction): void {
    fn.addEnvironment(ENV.stepsQueueUrls, Stack.of(this).toJsonString(Object.fromEntries(PRIORITY_CLASSES.map((c) => [c, this.queues[c].queueUrl]))));
    for (const c of PRIORITY_CLASSES) this.queues[c].grantSendMessages(fn.function);
  }
}
