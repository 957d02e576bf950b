/**
 * The steps queue in memory, for unit tests: delivery delay and retry backoff measured on the test's clock, so a
 * test sees what would be delivered when without waiting for it.
 */
import type { Clock, StepMessage, StepQueue } from '../../lambdas/engine/ports';

export interface QueuedMessage {
  message: StepMessage;
  receiptHandle: string;
  /** When it can next be received, on the queue's clock (epoch ms). */
  visibleAt: number;
  receiveCount: number;
}

export class MemoryQueue implements StepQueue {
  private messages: QueuedMessage[] = [];
  private nextHandle = 1;
  /** Every send, in order, with its delay: what the engine asked of the queue. */
  readonly sent: { message: StepMessage; delaySeconds: number }[] = [];

  constructor(private readonly clock: Clock) {}

  async send(messages: StepMessage[], delaySeconds = 0): Promise<void> {
    if (delaySeconds > 900) throw new Error(`delaySeconds ${delaySeconds}: SQS allows at most 900`);
    const at = this.clock.now().getTime();
    for (const message of messages) {
      this.sent.push({ message: { ...message }, delaySeconds });
      this.messages.push({ message: { ...message }, receiptHandle: `r-${this.nextHandle++}`, visibleAt: at + delaySeconds * 1000, receiveCount: 0 });
    }
  }

  async retryLater(receiptHandle: string, delaySeconds: number): Promise<void> {
    const m = this.messages.find((x) => x.receiptHandle === receiptHandle);
    if (m) m.visibleAt = this.clock.now().getTime() + delaySeconds * 1000;
  }

  /** Receives what is visible now, hiding each for `visibilitySeconds`; each receive gets a new receipt handle. */
  receive(max = 10, visibilitySeconds = 30): QueuedMessage[] {
    const at = this.clock.now().getTime();
    const out: QueuedMessage[] = [];
    for (const m of this.messages) {
      if (out.length >= max) break;
      if (m.visibleAt > at) continue;
      m.receiveCount += 1;
      m.receiptHandle = `r-${this.nextHandle++}`;
      m.visibleAt = at + visibilitySeconds * 1000;
      out.push({ ...m, message: { ...m.message } });
    }
    return out;
  }

  delete(receiptHandle: string): boolean {
    const before = this.messages.length;
    this.messages = this.messages.filter((m) => m.receiptHandle !== receiptHandle);
    return this.messages.length < before;
  }

  /** Messages waiting (visible or not), for assertions. */
  pending(): QueuedMessage[] {
    return this.messages.map((m) => ({ ...m, message: { ...m.message } }));
  }

  /** The step ids of the messages visible now. */
  visibleStepIds(): string[] {
    const at = this.clock.now().getTime();
    return this.messages.filter((m) => m.visibleAt <= at).map((m) => m.message.stepId);
  }
}
