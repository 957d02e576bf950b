/**
 * What the bot keeps between syncs, in the lifecycle table (lambdas/store/dynamo/matrix-repository.ts): the sync position
 * (next_batch), the lease that lets one loop sync at a time, each command handled (by its event id: the same event
 * twice is handled once), each proposed run's thread (room and event id) for the later replies, and the outbox of those
 * replies: the functions that settle runs hold no Matrix token, so they queue a reply and the bot's loop sends it.
 * No command's text is kept.
 */

/** Where a proposed run's thread is: the later replies (accounts ready, a step for an operator) go there. */
export interface ThreadRef {
  runId: string;
  roomId: string;
  /** The thread's root: the `!on` message, or the root of the thread it was typed in. */
  rootEventId: string;
  /** The command's own event (the reply quotes it). */
  commandEventId: string;
}

/** A command handled: ids and the outcome's code only. */
export interface HandledCommand {
  eventId: string;
  roomId: string;
  command: string;
  outcome: string;
  runId?: string;
  handledAt: string;
}

/** A reply for a proposal's thread, queued by whoever settled the run and sent by the bot's loop. */
export interface PendingReport {
  /** The reply's transaction id: one per run and change, so a repeat is one event on the homeserver and one item here. */
  txnId: string;
  runId: string;
  roomId: string;
  rootEventId: string;
  commandEventId: string;
  /** What changed: completed, rejected, cancelled, attention. */
  change: string;
  text: string;
  queuedAt: string;
}

/** The saved sync position and when it was taken. */
export interface SavedSyncPosition {
  nextBatch: string;
  /** When it was saved (after its sync's commands were handled). */
  savedAt?: string;
  /** When the sync that answered it was asked for: what came after the position was said later than this. */
  syncedAt?: string;
}

export interface MatrixBotStore {
  /** Queues a reply; the same txnId again is the same reply. */
  queueReport(report: PendingReport): Promise<void>;
  /** The replies waiting to be sent, oldest first. */
  pendingReports(limit: number): Promise<PendingReport[]>;
  /** A reply sent: it leaves the outbox. */
  reportSent(txnId: string): Promise<void>;
  /** The next_batch the next /sync starts from; undefined before the first sync. */
  syncPosition(): Promise<string | undefined>;
  /** The position with when it was saved and when its sync was asked for; undefined before the first sync. */
  savedSyncPosition(): Promise<SavedSyncPosition | undefined>;
  /**
   * Saves the position (with `syncedAt`, when the sync that answered it was asked for), only while `holder` holds the
   * lease: a loop that lost it writes nothing.
   */
  saveSyncPosition(nextBatch: string, holder: string, now: string, syncedAt?: string): Promise<boolean>;
  /** Takes (or renews) the sync lease until `until`; false while another holder's lease runs. */
  acquireLease(holder: string, now: string, until: string): Promise<boolean>;
  releaseLease(holder: string): Promise<void>;
  handledCommand(eventId: string): Promise<HandledCommand | undefined>;
  /** Records a handled command; false when it was recorded already. */
  recordCommand(command: HandledCommand): Promise<boolean>;
  putThread(ref: ThreadRef): Promise<void>;
  thread(runId: string): Promise<ThreadRef | undefined>;
}

/** The same contract in memory, for unit tests. */
export class MemoryMatrixBotStore implements MatrixBotStore {
  position?: string;
  savedAt?: string;
  syncedAt?: string;
  lease?: { holder: string; until: string };
  readonly commands = new Map<string, HandledCommand>();
  readonly threads = new Map<string, ThreadRef>();
  readonly outbox = new Map<string, PendingReport>();

  async queueReport(report: PendingReport) {
    if (!this.outbox.has(report.txnId)) this.outbox.set(report.txnId, report);
  }
  async pendingReports(limit: number) {
    return [...this.outbox.values()].sort((a, b) => a.queuedAt.localeCompare(b.queuedAt)).slice(0, limit);
  }
  async reportSent(txnId: string) {
    this.outbox.delete(txnId);
  }

  async syncPosition() {
    return this.position;
  }
  async savedSyncPosition() {
    return this.position === undefined ? undefined : { nextBatch: this.position, ...(this.savedAt ? { savedAt: this.savedAt } : {}), ...(this.syncedAt ? { syncedAt: this.syncedAt } : {}) };
  }
  async saveSyncPosition(nextBatch: string, holder: string, now: string, syncedAt?: string) {
    if (!this.lease || this.lease.holder !== holder || this.lease.until <= now) return false;
    this.position = nextBatch;
    this.savedAt = now;
    this.syncedAt = syncedAt;
    return true;
  }
  async acquireLease(holder: string, now: string, until: string) {
    if (this.lease && this.lease.holder !== holder && this.lease.until > now) return false;
    this.lease = { holder, until };
    return true;
  }
  async releaseLease(holder: string) {
    if (this.lease?.holder === holder) this.lease = undefined;
  }
  async handledCommand(eventId: string) {
    return this.commands.get(eventId);
  }
  async recordCommand(command: HandledCommand) {
    if (this.commands.has(command.eventId)) return false;
    this.commands.set(command.eventId, command);
    return true;
  }
  async putThread(ref: ThreadRef) {
    this.threads.set(ref.runId, ref);
  }
  async thread(runId: string) {
    return this.threads.get(runId);
  }
}
