/**
 * MatrixBotSync: the Matrix bot on AWS, a function on an EventBridge schedule (every minute) that long-polls /sync for
 * most of its 15-minute timeout; a lease in the table lets one invocation sync at a time (docs/matrix.md). The bot's
 * access token is a secret bound to this function alone; the functions that settle runs only queue thread replies.
 */
import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import type { MatrixSettings } from '../../config/matrix';
import { ENV } from '../../lambdas/shared/env-names';
import type { LifecycleFunction } from './lifecycle-function';
import { ProviderSecret } from './provider-secret';

/** The sync function's timeout: Lambda's longest, so one invocation covers 15 minutes of chat. */
export const MATRIX_SYNC_TIMEOUT = Duration.minutes(15);

export interface MatrixBotSyncProps {
  readonly stage: string;
  readonly settings: MatrixSettings;
  /** The sync function (an engine function: it proposes hires through the intake). */
  readonly sync: LifecycleFunction;
  /** The functions that settle runs or hand steps to an operator (and the sync function itself): they queue the thread replies. */
  readonly reporters: readonly LifecycleFunction[];
}

export class MatrixBotSync extends Construct {
  readonly token: ProviderSecret;
  readonly schedule: events.Rule;

  constructor(scope: Construct, id: string, props: MatrixBotSyncProps) {
    super(scope, id);
    this.token = new ProviderSecret(this, 'AccessToken', {
      secretId: 'Token',
      description: `account-lifecycle ${props.stage}: the access token of the Matrix bot ${props.settings.userId}`,
      placeholder: JSON.stringify({ token: '' }),
      whyNotRotated: 'A Matrix access token is issued by the homeserver at login (or by its admin API) and replaced there; Secrets Manager cannot rotate it.',
      environment: (arn) => [
        [ENV.matrixAccessTokenArn, arn],
        [ENV.matrixSettings, JSON.stringify(props.settings)],
      ],
    });
    this.token.bind(props.sync);
    for (const fn of props.reporters) fn.addEnvironment(ENV.matrixReports, '1');
    this.schedule = new events.Rule(this, 'Schedule', {
      description: `account-lifecycle ${props.stage}: the Matrix bot's sync loop (one invocation syncs at a time)`,
      schedule: events.Schedule.rate(Duration.minutes(1)),
      // No retry: the next minute's invocation takes over anyway.
      targets: [new targets.LambdaFunction(props.sync.function, { retryAttempts: 0, maxEventAge: Duration.minutes(1) })],
    });
  }
}
