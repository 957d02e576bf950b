/** SQS entry for the dead-letter queue: a step out of retries goes to an operator with an alert. */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { awsEngine } from './engine-deps';
import { handleDeadLetter } from '../engine/dispatch';
import type { EngineDeps } from '../engine/ports';
import { logger } from '../shared/observability';
import { withObservability } from './middleware';
import { parseStepMessage } from './step-records';

export function createDeadLetterHandler(deps: () => EngineDeps) {
  const processor = new BatchProcessor(EventType.SQS);
  const recordHandler = async (record: SQSRecord) => {
    const message = parseStepMessage(record);
    if (!message) {
      logger.error('dropped a dead letter that is not a step', { messageId: record.messageId });
      return;
    }
    return handleDeadLetter(deps(), message);
  };
  return withObservability(async (event: SQSEvent) => processPartialResponse(event, recordHandler, processor));
}

export const handler = createDeadLetterHandler(awsEngine);
