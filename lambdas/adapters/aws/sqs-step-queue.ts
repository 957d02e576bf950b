/** The steps queue on SQS. */
import { ChangeMessageVisibilityCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { StepMessage, StepQueue } from '../../engine/ports';

export class SqsStepQueue implements StepQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(messages: StepMessage[], delaySeconds?: number): Promise<void> {
    for (let i = 0; i < messages.length; i += 10) {
      const batch = messages.slice(i, i + 10);
      const out = await this.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: batch.map((m, n) => ({ Id: String(n), MessageBody: JSON.stringify(m), DelaySeconds: delaySeconds })),
        }),
      );
      if (out.Failed?.length) {
        // The steps stay queued in the table; the sweep sends them again once they have been quiet too long.
        throw new Error(`SQS refused ${out.Failed.length} step messages: ${out.Failed.map((f) => f.Message).join('; ')}`);
      }
    }
  }

  async retryLater(receiptHandle: string, delaySeconds: number): Promise<void> {
    await this.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: this.queueUrl, ReceiptHandle: receiptHandle, VisibilityTimeout: delaySeconds }));
  }
}
