/**
 * The local event source mapping: polls a local queue and hands batches to an SQS handler, deleting
 * what succeeded and leaving failures to come back when their visibility runs out, as Lambda does.
 */
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { LocalQueue, QueueMessage } from './local-queue';
import { localContext } from './lambda-context';

export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;

/** What a worker reads: one local queue, or the queues per priority class behind one face. */
export type PolledQueue = Pick<LocalQueue, 'name' | 'receive' | 'delete' | 'stats'>;

export interface QueueWorkerOptions {
  queue: PolledQueue;
  handler: SqsHandler;
  functionName: string;
  batchSize?: number;
  /** Parallel pollers: the local stand-in for the event source's maximum concurrency. */
  concurrency?: number;
  /**
   * The function's timeout: the context's time left counts down from it, and a batch not answered by then is
   * treated as Lambda treats a timed-out invocation (every message comes back after its visibility timeout).
   */
  timeoutSeconds?: number;
  idleMs?: number;
  onError?: (err: unknown) => void;
}

export function toSqsEvent(queueName: string, messages: QueueMessage[]): SQSEvent {
  return {
    Records: messages.map((m) => ({
      messageId: m.messageId,
      receiptHandle: m.receiptHandle!,
      body: m.body,
      attributes: {
        ApproximateReceiveCount: String(m.receiveCount),
        SentTimestamp: String(m.sentAt),
        SenderId: 'local',
        ApproximateFirstReceiveTimestamp: String(m.firstReceivedAt ?? m.sentAt),
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:local:000000000000:${queueName}`,
      awsRegion: 'local',
    })),
  };
}

const DEFAULT_TIMEOUT_SECONDS = 60;

/** The handler's answer, or a timeout error once the function's time is up (its work is abandoned, as Lambda's is). */
function withinTimeout<T>(work: Promise<T>, timeoutSeconds: number, functionName: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${functionName} timed out after ${timeoutSeconds} s`)), timeoutSeconds * 1000);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export interface QueueWorker {
  stop(): Promise<void>;
  /** Resolves when the queue has nothing visible or in flight. */
  idle(): boolean;
}

export function startQueueWorker(options: QueueWorkerOptions): QueueWorker {
  const { queue, handler, batchSize = 10, concurrency = 1, idleMs = 50, timeoutSeconds = DEFAULT_TIMEOUT_SECONDS } = options;
  let running = true;
  let busy = 0;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  async function poll() {
    while (running) {
      const messages = queue.receive(batchSize);
      if (messages.length === 0) {
        await sleep(idleMs);
        continue;
      }
      busy += 1;
      try {
        const result = await withinTimeout(handler(toSqsEvent(queue.name, messages), localContext(options.functionName, timeoutSeconds)), timeoutSeconds, options.functionName);
        const failed = new Set((result?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
        for (const m of messages) if (!failed.has(m.messageId)) queue.delete(m.receiptHandle!);
      } catch (err) {
        // The whole batch failed: every message comes back after its visibility timeout.
        options.onError?.(err);
      } finally {
        busy -= 1;
      }
    }
  }

  const loops = Array.from({ length: concurrency }, () => poll());
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
    },
    idle: () => busy === 0 && queue.stats().visible === 0 && queue.stats().inFlight === 0,
  };
}
