/** Reading a step message out of an SQS record, and answering an SQS batch record by record. */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from '../shared/zod';
import type { StepMessage } from '../engine/ports';

const stepMessageSchema = z.object({
  runId: z.string().check(z.minLength(1)),
  employeeId: z.string().check(z.minLength(1)),
  stepId: z.string().check(z.minLength(1)),
});

export function parseStepMessage(record: SQSRecord): StepMessage | undefined {
  try {
    const parsed = stepMessageSchema.safeParse(JSON.parse(record.body));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function receiveCount(record: SQSRecord): number {
  return Number(record.attributes?.ApproximateReceiveCount ?? '1') || 1;
}

/**
 * Runs `handle` on each record in turn and answers with the records that threw, so only those come back. The
 * processor keeps the batch's outcomes, so each invocation gets its own: invocations sharing one (the local
 * runtime's parallel pollers call one handler) would answer with each other's failures and delete failed messages.
 */
export function answerEachRecord(event: SQSEvent, handle: (record: SQSRecord) => Promise<unknown>): Promise<SQSBatchResponse> {
  return processPartialResponse(event, handle, new BatchProcessor(EventType.SQS), { processInParallel: false });
}
