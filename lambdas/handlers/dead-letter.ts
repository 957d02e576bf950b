/** SQS entry for the dead-letter queue: a step out of retries goes to an operator with an alert. */
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { awsEngine } from './engine-deps';
import { handleDeadLetter } from '../engine/dispatch';
import type { EngineDeps } from '../engine/ports';
import { logger } from '../shared/observability';
import { withObservability } from './middleware';
import { answerEachRecord, parseStepMessage } from './step-records';

export function createDeadLetterHandler(deps: () => EngineDeps) {
  const recordHandler = async (record: SQSRecord) => {
    const message = parseStepMessage(record);
    if (!message) {
      logger.error('dropped a dead letter that is not a step', { messageId: record.messageId });
      return;
    }
    return handleDeadLetter(deps(), message);
  };
  return withObservability(async (event: SQSEvent) => answerEachRecord(event, recordHandler));
}

export const handler = createDeadLetterHandler(awsEngine);
