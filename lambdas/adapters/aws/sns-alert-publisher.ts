/** Operator alerts on SNS: a subject to scan and the whole alert as the message. */
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { Alert } from '../../engine/model';
import type { AlertPublisher } from '../../engine/ports';

export class SnsAlertPublisher implements AlertPublisher {
  constructor(
    private readonly sns: SNSClient,
    private readonly topicArn: string,
  ) {}

  async publish(alert: Alert): Promise<void> {
    await this.sns.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Subject: `account-lifecycle: ${alert.action} needs attention (employee ${alert.employeeId})`.slice(0, 100),
        Message: `${alert.message}\n\nWhat to do: ${alert.whatToDo}\n\n${JSON.stringify(alert, null, 2)}`,
      }),
    );
  }
}
