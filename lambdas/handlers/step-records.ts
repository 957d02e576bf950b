/** Reading a step message out of an SQS record, and answering an SQS batch: records in parallel lanes, within the time left. */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from '../shared/zod';
import type { StepMessage } from '../engine/ports';
import { PRIORITY_CLASSES } from '../engine/priority';

const stepMessageSchema = z.object({
  runId: z.string().check(z.minLength(1)),
  employeeId: z.string().check(z.minLength(1)),
  stepId: z.string().check(z.minLength(1)),
  priority: z.optional(z.enum(PRIORITY_CLASSES)),
  priorReceives: z.optional(z.number().check(z.int(), z.gte(0))),
});

export function parseStepMessage(record: SQSRecord): StepMessage | undefined {
  try {
    const parsed = stepMessageSchema.safeParse(JSON.parse(record.body));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The lane a step's record runs in within one batch. The steps of one run share its item, so in parallel they race
 * each other for it: protect and housekeeping steps share their run's lane and run one after another. A lockout step
 * gets a lane of its own: a leaver's sign-out, password and token steps run side by side, and only their writes to the
 * run item take turns (updateRun), a few milliseconds each, not their provider calls.
 */
export function stepLane(message: StepMessage | undefined, messageId: string): string {
  if (!message) return messageId;
  return message.priority === 'lockout' ? `${message.runId}/${message.stepId}` : message.runId;
}

export function receiveCount(record: SQSRecord): number {
  return Number(record.attributes?.ApproximateReceiveCount ?? '1') || 1;
}

export interface RecordLanes {
  /** Records handled at once, at most. */
  parallel: number;
  /** Records with the same lane run one after another, in the batch's order (the steps of one run share its item). */
  laneOf: (record: SQSRecord) => string;
  /** Time a record may need from its start to its answer; a record is started only with at least this much left. */
  worstCaseMs: number;
  /** The invocation's time left (the Lambda context's getRemainingTimeInMillis). */
  remainingMs: () => number;
  /** Gives back a record there is no time for, without counting it as a failure; it then counts as handled. */
  handBack: (record: SQSRecord) => Promise<void>;
}

/** A counting semaphore whose waiters are served in order. */
function semaphore(size: number) {
  let free = Math.max(1, size);
  const waiting: (() => void)[] = [];
  return {
    async acquire(): Promise<void> {
      if (free > 0) {
        free -= 1;
        return;
      }
      await new Promise<void>((resolve) => waiting.push(resolve));
    },
    release(): void {
      const next = waiting.shift();
      if (next) next();
      else free += 1;
    },
  };
}

/**
 * Runs `handle` on the batch's records, up to `parallel` at once and one lane at a time, and answers with the
 * records that threw, so only those come back. Before each record starts, the time left is checked against its worst
 * case: a record that might not finish is handed back instead of being cut off by the function's timeout (which would
 * return the whole batch and count a receive against every record in it).
 *
 * The processor keeps the batch's outcomes, so each invocation gets its own: invocations sharing one (the local
 * runtime's parallel pollers call one handler) would answer with each other's failures and delete failed messages.
 */
export function answerRecords(event: SQSEvent, handle: (record: SQSRecord) => Promise<unknown>, lanes: RecordLanes): Promise<SQSBatchResponse> {
  const slots = semaphore(lanes.parallel);
  const tails = new Map<string, Promise<unknown>>();
  const inLane = (record: SQSRecord): Promise<unknown> => {
    // Set synchronously, in record order: the processor starts every record's handler before any of them awaits.
    const lane = lanes.laneOf(record);
    const turn = (tails.get(lane) ?? Promise.resolve()).catch(() => undefined).then(async () => {
      await slots.acquire();
      try {
        if (lanes.remainingMs() < lanes.worstCaseMs) return await lanes.handBack(record);
        return await handle(record);
      } finally {
        slots.release();
      }
    });
    tails.set(lane, turn);
    return turn;
  };
  return processPartialResponse(event, inLane, new BatchProcessor(EventType.SQS), { processInParallel: true });
}

/** Runs `handle` on each record in turn and answers with the records that threw (the dead-letter queue's short work). */
export function answerEachRecord(event: SQSEvent, handle: (record: SQSRecord) => Promise<unknown>): Promise<SQSBatchResponse> {
  return processPartialResponse(event, handle, new BatchProcessor(EventType.SQS), { processInParallel: false });
}
