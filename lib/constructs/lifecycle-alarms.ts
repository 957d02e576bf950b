/** The alarms that tell operators the engine itself is stuck, as opposed to one step failing. */
import { Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { OperatorAlerts } from './operator-alerts';

export interface LifecycleAlarmsProps {
  readonly alerts: OperatorAlerts;
  readonly deadLetterQueue: sqs.IQueue;
  readonly dispatcher: lambda.IFunction;
  readonly deadLetterHandler: lambda.IFunction;
}

/** A dead-lettered step may wait this long for the dead-letter handler before an operator hears of it. */
export const DEAD_LETTER_MAX_AGE = Duration.minutes(15);

export class LifecycleAlarms extends Construct {
  constructor(scope: Construct, id: string, props: LifecycleAlarmsProps) {
    super(scope, id);
    const { alerts, deadLetterQueue } = props;
    const period = Duration.minutes(5);

    // Minimum over two periods: a message that sat visible for ten minutes means nothing is draining the DLQ.
    alerts.alarmWhen(this, 'DeadLetterQueueNotDrained', {
      description: 'Dead-lettered steps are waiting and the dead-letter handler is not taking them.',
      metric: deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Minimum' }),
      threshold: 1,
      evaluationPeriods: 2,
    });
    // The handler takes messages but keeps failing on them: they cycle in flight and grow old.
    alerts.alarmWhen(this, 'DeadLetterQueueAging', {
      description: `A dead-lettered step has not been recorded as needs_attention for ${String(DEAD_LETTER_MAX_AGE.toMinutes())} minutes.`,
      metric: deadLetterQueue.metricApproximateAgeOfOldestMessage({ period, statistic: 'Maximum' }),
      threshold: DEAD_LETTER_MAX_AGE.toSeconds(),
    });
    // Step failures are reported per message, not thrown, so an invocation error means the dispatcher itself broke.
    alerts.alarmWhen(this, 'DispatcherErrors', {
      description: 'The dispatcher failed whole invocations; queued steps are not running.',
      metric: props.dispatcher.metricErrors({ period, statistic: 'Sum' }),
      threshold: 1,
    });
    // If the handler that raises step alerts fails, nobody hears about needs_attention steps: alarm on it directly.
    alerts.alarmWhen(this, 'DeadLetterHandlerErrors', {
      description: 'The dead-letter handler failed; steps that gave up may not be marked or alerted.',
      metric: props.deadLetterHandler.metricErrors({ period, statistic: 'Sum' }),
      threshold: 1,
    });
  }
}
