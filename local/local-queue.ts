/**
 * A queue with SQS semantics for the local runtime: delivery delay, visibility timeout, receive
 * count, and redrive to a dead-letter queue once a message has been received maxReceiveCount times.
 * Its messages are kept in a JSON file so a restart loses none.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { StepMessage, StepQueue } from '../lambdas/engine/ports';

export interface QueueMessage {
  messageId: string;
  body: string;
  sentAt: number;
  visibleAt: number;
  receiveCount: number;
  firstReceivedAt?: number;
  receiptHandle?: string;
}

export interface LocalQueueOptions {
  name: string;
  visibilityTimeoutSeconds: number;
  redrive?: { deadLetter: LocalQueue; maxReceiveCount: number };
  /** File that keeps the messages across restarts; in memory only when absent. */
  file?: string;
  now?: () => number;
}

export class LocalQueue {
  private messages: QueueMessage[] = [];
  private saveTimer?: NodeJS.Timeout;
  private readonly now: () => number;

  constructor(readonly options: LocalQueueOptions) {
    this.now = options.now ?? Date.now;
    if (options.file && existsSync(options.file)) {
      this.messages = JSON.parse(readFileSync(options.file, 'utf8')) as QueueMessage[];
    }
  }

  get name() {
    return this.options.name;
  }

  send(body: string, delaySeconds = 0): string {
    const at = this.now();
    const message: QueueMessage = { messageId: randomUUID(), body, sentAt: at, visibleAt: at + delaySeconds * 1000, receiveCount: 0 };
    this.messages.push(message);
    this.changed();
    return message.messageId;
  }

  /** Receives up to `max` visible messages, hiding each for the visibility timeout. */
  receive(max = 10): QueueMessage[] {
    const at = this.now();
    const out: QueueMessage[] = [];
    for (const m of [...this.messages]) {
      if (out.length >= max) break;
      if (m.visibleAt > at) continue;
      const redrive = this.options.redrive;
      if (redrive && m.receiveCount >= redrive.maxReceiveCount) {
        // As SQS does: the receive that would exceed maxReceiveCount moves the message instead.
        this.messages = this.messages.filter((x) => x !== m);
        redrive.deadLetter.accept({ ...m, visibleAt: at, receiveCount: 0, receiptHandle: undefined, firstReceivedAt: undefined });
        continue;
      }
      m.receiveCount += 1;
      m.firstReceivedAt ??= at;
      m.receiptHandle = randomUUID();
      m.visibleAt = at + this.options.visibilityTimeoutSeconds * 1000;
      out.push({ ...m });
    }
    if (out.length || this.messages.length) this.changed();
    return out;
  }

  /** Deletes a received message; a stale receipt handle (the message was received again) does nothing. */
  delete(receiptHandle: string): boolean {
    const before = this.messages.length;
    this.messages = this.messages.filter((m) => m.receiptHandle !== receiptHandle);
    const deleted = this.messages.length < before;
    if (deleted) this.changed();
    return deleted;
  }

  changeVisibility(receiptHandle: string, seconds: number): boolean {
    const m = this.messages.find((x) => x.receiptHandle === receiptHandle);
    if (!m) return false;
    m.visibleAt = this.now() + seconds * 1000;
    this.changed();
    return true;
  }

  /** Counts as the SQS console shows them. */
  stats() {
    const at = this.now();
    const inFlight = this.messages.filter((m) => m.visibleAt > at && m.receiveCount > 0).length;
    const delayed = this.messages.filter((m) => m.visibleAt > at && m.receiveCount === 0).length;
    return { visible: this.messages.length - inFlight - delayed, inFlight, delayed };
  }

  peek(): QueueMessage[] {
    return this.messages.map((m) => ({ ...m }));
  }

  private accept(message: QueueMessage) {
    this.messages.push(message);
    this.changed();
  }

  private changed() {
    if (!this.options.file || this.saveTimer) return;
    // Coalesce bursts of changes into one write.
    this.saveTimer = setTimeout(() => this.flush(), 20);
  }

  /** Writes the messages to disk now (atomic rename). */
  flush() {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    const file = this.options.file;
    if (!file) return;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(`${file}.tmp`, JSON.stringify(this.messages));
    renameSync(`${file}.tmp`, file);
  }
}

/** The engine's StepQueue port on a local queue, or on the queues per priority class (local/priority-queues.ts), which route each message by its class. */
export class LocalStepQueue implements StepQueue {
  constructor(private readonly queue: Pick<LocalQueue, 'send' | 'changeVisibility'>) {}

  async send(messages: StepMessage[], delaySeconds = 0): Promise<void> {
    for (const m of messages) this.queue.send(JSON.stringify(m), Math.min(900, delaySeconds));
  }

  async retryLater(receiptHandle: string, delaySeconds: number): Promise<void> {
    this.queue.changeVisibility(receiptHandle, delaySeconds);
  }
}
