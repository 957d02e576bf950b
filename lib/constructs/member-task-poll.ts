/**
 * MemberTaskPoll: the OpenProject member task poll on AWS, for an instance that cannot send webhooks
 * (docs/openproject.md#polling-without-webhooks): an EventBridge rule that invokes the poll function every
 * `everyMinutes`. One turn reads the tasks updated since the position kept in the table and handles each; turns that
 * overlap are harmless (the position is compared and set, the handling is idempotent), so no lease is needed.
 */
import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import type { MemberTaskPollSettings } from '../../config/openproject';
import type { LifecycleFunction } from './lifecycle-function';

/** A turn's timeout: a page of tasks, each re-read and handled, well within it. */
export const MEMBER_TASK_POLL_TIMEOUT = Duration.minutes(2);

export interface MemberTaskPollProps {
  readonly stage: string;
  readonly settings: MemberTaskPollSettings;
  /** The poll function (an engine function: a task set to scheduled revises and approves its run). */
  readonly poll: LifecycleFunction;
}

export class MemberTaskPoll extends Construct {
  readonly schedule: events.Rule;

  constructor(scope: Construct, id: string, props: MemberTaskPollProps) {
    super(scope, id);
    this.schedule = new events.Rule(this, 'Schedule', {
      description: `account-lifecycle ${props.stage}: poll the OpenProject member tasks updated since the last turn`,
      schedule: events.Schedule.rate(Duration.minutes(props.settings.everyMinutes)),
      // No retry: the next turn reads from the same position anyway.
      targets: [new targets.LambdaFunction(props.poll.function, { retryAttempts: 0, maxEventAge: Duration.minutes(props.settings.everyMinutes) })],
    });
  }
}
