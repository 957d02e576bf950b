/** The steps queue and its dead-letter queue: SQS redelivery is the retry, the DLQ is where retrying stops. */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

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
  readonly queue: sqs.Queue;
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

    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.encryptionKey,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(props.consumerTimeout.toSeconds() * VISIBILITY_TIMEOUT_FACTOR),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount },
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
