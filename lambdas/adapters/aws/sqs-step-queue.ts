/** The steps queues on SQS, one per priority class: each message goes to its class's queue. */
import { ChangeMessageVisibilityCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DEFAULT_PRIORITY, PRIORITY_CLASSES, type PriorityClass } from '../../../config/priority';
import type { DeliverySource, StepMessage, StepQueue } from '../../engine/ports';
import * as z from '../../shared/zod';

export type StepQueueUrls = Readonly<Record<PriorityClass, string>>;

const urlsSchema = z.strictObject(Object.fromEntries(PRIORITY_CLASSES.map((c) => [c, z.string().check(z.minLength(1))])) as Record<PriorityClass, z.ZodMiniString>);

/** The queue URLs as the environment names them (ENV.stepsQueueUrls); throws with what is wrong. */
export function parseStepQueueUrls(json: string): StepQueueUrls {
  return urlsSchema.parse(JSON.parse(json)) as StepQueueUrls;
}

export class SqsStepQueue implements StepQueue {
  private readonly urls: StepQueueUrls;

  /** One URL per class, or a single queue for every class. */
  constructor(
    private readonly sqs: SQSClient,
    queueUrls: StepQueueUrls | string,
  ) {
    this.urls = typeof queueUrls === 'string' ? { lockout: queueUrls, protect: queueUrls, housekeeping: queueUrls } : queueUrls;
  }

  async send(messages: StepMessage[], delaySeconds?: number): Promise<void> {
    for (const priority of PRIORITY_CLASSES) {
      const ofClass = messages.filter((m) => (m.priority ?? DEFAULT_PRIORITY) === priority);
      for (let i = 0; i < ofClass.length; i += 10) {
        const batch = ofClass.slice(i, i + 10);
        const out = await this.sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: this.urls[priority],
            Entries: batch.map((m, n) => ({ Id: String(n), MessageBody: JSON.stringify(m), DelaySeconds: delaySeconds })),
          }),
        );
        if (out.Failed?.length) {
          // The steps stay queued in the table; the sweep sends them again once they have been quiet too long.
          throw new Error(`SQS refused ${out.Failed.length} step messages: ${out.Failed.map((f) => f.Message).join('; ')}`);
        }
      }
    }
  }

  /**
   * The receipt handle is the queue's own: the queue the record came from (its ARN, matched to a known queue URL), else the
   * one the message's class names.
   */
  async retryLater(receiptHandle: string, delaySeconds: number, from: DeliverySource = {}): Promise<void> {
    const queueUrl = (from.queueArn && this.urlOfArn(from.queueArn)) || this.urls[from.priority ?? DEFAULT_PRIORITY];
    await this.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: receiptHandle, VisibilityTimeout: delaySeconds }));
  }

  /** The known queue URL of a queue ARN (arn:aws:sqs:region:account:name; its URL ends in /account/name), or undefined. */
  private urlOfArn(arn: string): string | undefined {
    const [prefix, , service, , account, name] = arn.split(':');
    if (prefix !== 'arn' || service !== 'sqs' || !account || !name) return undefined;
    return Object.values(this.urls).find((url) => url.endsWith(`/${account}/${name}`));
  }
}
