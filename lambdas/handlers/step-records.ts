/** Reading a step message out of an SQS record. */
import type { SQSRecord } from 'aws-lambda';
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
