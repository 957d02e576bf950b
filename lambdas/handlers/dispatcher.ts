/** SQS entry for the steps queue: each record is one step to claim and run; failures go back with backoff. */
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { awsEngine } from './engine-deps';
import { dispatchStep, RetryLaterError } from '../engine/dispatch';
import type { EngineDeps } from '../engine/ports';
import { logger } from '../shared/observability';
import { withObservability } from './middleware';
import { answerEachRecord, parseStepMessage, receiveCount } from './step-records';

export function createDispatcherHandler(deps: () => EngineDeps) {
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
      if (err instanceof RetryLaterError) await engine.queue.retryLater(record.receiptHandle, err.delaySeconds);
      throw err;
    }
  };
  // One record at a time: the steps of a run share its item, and parallel records of one run would
  // mostly race each other for it (measured: the cut-off of one leaver took 2-3 times longer).
  // Parallelism comes from concurrent invocations (the event source's maximum concurrency).
  return withObservability(async (event: SQSEvent) => answerEachRecord(event, recordHandler));
}

export const handler = createDispatcherHandler(awsEngine);
