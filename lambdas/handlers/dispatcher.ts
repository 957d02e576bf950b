/** SQS entry for the steps queue: each record is one step to claim and run; failures go back with backoff. */
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { DISPATCH_PARALLELISM } from '../../config/dispatch-timing';
import { awsEngine } from './engine-deps';
import { dispatchStep, handBack, RetryLaterError, worstCaseDispatchMs } from '../engine/dispatch';
import type { EngineDeps } from '../engine/ports';
import { logger } from '../shared/observability';
import { withObservability } from './middleware';
import { answerRecords, parseStepMessage, receiveCount, stepLane } from './step-records';


export interface DispatcherOptions {
  parallel?: number;
}

export function createDispatcherHandler(deps: () => EngineDeps, options: DispatcherOptions = {}) {
  const recordHandler = async (record: SQSRecord) => {
    const message = parseStepMessage(record);
    if (!message) {
      logger.error('dropped a steps-queue message that is not a step', { messageId: record.messageId });
      return;
    }
    const engine = deps();
    try {
      return await dispatchStep(engine, message, receiveCount(record));
    } catch (err) {
      // The receipt handle belongs to the queue the record came from (its ARN); the body's class is the fallback.
      if (err instanceof RetryLaterError) await engine.queue.retryLater(record.receiptHandle, err.delaySeconds, { queueArn: record.eventSourceARN, priority: message.priority });
      throw err;
    }
  };
  const giveBack = async (record: SQSRecord) => {
    const message = parseStepMessage(record);
    // A body that is not a step is dropped by the record handler; there is nothing to give back.
    if (message) await handBack(deps(), message, receiveCount(record));
  };
  const laneOf = (record: SQSRecord) => stepLane(parseStepMessage(record), record.messageId);
  return withObservability(async (event: SQSEvent, context: Context) =>
    answerRecords(event, recordHandler, {
      parallel: options.parallel ?? DISPATCH_PARALLELISM,
      laneOf,
      worstCaseMs: worstCaseDispatchMs(deps().settings),
      remainingMs: () => context.getRemainingTimeInMillis(),
      handBack: giveBack,
    }),
  );
}

export const handler = createDispatcherHandler(awsEngine);
