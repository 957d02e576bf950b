/** What the engine needs from storage: one interface per kind of record, one DynamoDB repository for each (AWS and local). */
import type { Alert, AuditEntry, Employee, HireProposalMark, Run, RunStatus, RunType } from '../engine/model';

/** An HR event as first accepted: its body hash tells a replay from a conflicting reuse of the id. */
export interface EventRecord {
  eventId: string;
  bodyHash: string;
  runId: string;
  employeeId: string;
  receivedAt: string;
  /** For an event a person sent through the operator route: who, so a repeat that finishes its run (after a crash) holds it as the first delivery would. */
  sentBy?: string;
  /** The sender's stable subject (the token's `sub`), when their token carried one. */
  sentBySubject?: string;
  /** For a proposed hire: where it came from, so a repeat that finishes its run holds it for approval as the first would. */
  proposal?: HireProposalMark;
}

/**
 * A signed HR request the intake refused (400 or 409), kept while its signature could still be replayed so a
 * replay is refused too, even if what made it fail has changed since (a cancel that came before its target).
 */
export interface RefusedRequest {
  /** SHA-256 (hex) of the signature: the request is recognised by it without keeping the signature itself. */
  signatureHash: string;
  /** What the intake answered the first time. */
  status: number;
  error: string;
  refusedAt: string;
  /** When the signature itself stops being accepted; checked on read, since the local store has no TTL. */
  expiresAt: string;
}

/** The open quarantine batch: every held run joins it until an operator releases or rejects them. */
export interface MassChangeBatch {
  batchId: string;
  alertId: string;
  openedAt: string;
}

/** The mass-change guard's counters and batch: each write atomic or conditional, no transactions. */
export interface MassChangeStore {
  /**
   * Counts an event in a window and answers its place there (1 = first). One UpdateItem both adds to the counter and
   * records the event's place beside it, so concurrent callers get distinct places and the same event asked again gets
   * the place it got the first time, never a second one.
   */
  countMassChange(windowStart: string, eventId: string): Promise<number>;
  /** How many events a window counted (0 for a window nobody was counted in). */
  massChangeCount(windowStart: string): Promise<number>;
  /** Opens a batch unless one is open; answers whether this call opened it, and the batch that is open. */
  openMassChangeBatch(batch: MassChangeBatch): Promise<{ opened: boolean; batch: MassChangeBatch }>;
  getMassChangeBatch(): Promise<MassChangeBatch | undefined>;
  /** Closes the batch if it is still the one named; false when another is open or none is. */
  closeMassChangeBatch(batchId: string): Promise<boolean>;
}

/** A conditional write lost: someone else changed the item first. */
export class VersionConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VersionConflictError';
  }
}

export interface DuePage {
  runs: Run[];
  /** Items DynamoDB read to answer the page (ScannedCount): what the sweep pays for. */
  itemsRead: number;
  /** Where the next page starts; absent on the last page. */
  cursor?: Record<string, unknown>;
}

/** What a listing of runs keeps: a run type, and an effective date range (YYYY-MM-DD, both ends included). */
export interface RunFilter {
  type?: RunType;
  from?: string;
  to?: string;
}

export interface RunPage {
  /** The runs read that pass the filter, in the order of the index read (see pageRunsByStatus). */
  runs: Run[];
  /** Items the query read (before the filter). */
  itemsRead: number;
  /** Where the next page starts; absent on the last page. */
  cursor?: Record<string, unknown>;
}

/** A page cursor that is not one this store handed out for this listing. */
export class InvalidCursorError extends Error {
  constructor(message = 'is not a cursor of this listing') {
    super(message);
    this.name = 'InvalidCursorError';
  }
}

/**
 * The initial password a run set, sealed (never plain text), and its one-time reveal link. Only the SHA-256 of the
 * link's token is kept; the ciphertext is removed the moment the password is revealed, revealedAt stays for the audit.
 */
export interface CredentialRecord {
  employeeId: string;
  runId: string;
  /** Absent once revealed. */
  ciphertext?: string;
  createdAt: string;
  /** After this instant the link no longer reveals anything (checked on read: the local store has no TTL). */
  expiresAt: string;
  /** SHA-256 (hex) of the current reveal token; absent until the welcome email mints one. */
  revealTokenHash?: string;
  tokenIssuedAt?: string;
  revealedAt?: string;
}

/** Why a reveal was refused; `revealed` carries the ciphertext taken out of the record in the same write. */
export type RevealClaim =
  | { outcome: 'revealed'; record: CredentialRecord; ciphertext: string }
  | { outcome: 'unknown' | 'superseded' | 'already_revealed' | 'expired'; record?: CredentialRecord };

/** Why a claim that did not win was refused, from the record as it is now. */
export function refusedClaim(record: CredentialRecord | undefined, tokenHash: string, now: string): RevealClaim {
  if (!record) return { outcome: 'unknown' };
  if (record.revealTokenHash !== tokenHash) return { outcome: 'superseded', record };
  if (record.revealedAt) return { outcome: 'already_revealed', record };
  if (record.expiresAt <= now) return { outcome: 'expired', record };
  return { outcome: 'unknown', record };
}

export interface CredentialStore {
  /** Stores a sealed password for a run unless its password was already revealed; false when it was. */
  putCredential(record: CredentialRecord): Promise<boolean>;
  getCredential(employeeId: string, runId: string): Promise<CredentialRecord | undefined>;
  /**
   * Makes `tokenHash` the one token that reveals the run's password, until `expiresAt`. False when there is
   * nothing left to reveal (no record, or already revealed).
   */
  issueRevealToken(employeeId: string, runId: string, tokenHash: string, issuedAt: string, expiresAt: string): Promise<boolean>;
  /** The credential a token hash points to, if the hash is still its current one. */
  findByRevealToken(tokenHash: string): Promise<CredentialRecord | undefined>;
  /**
   * One conditional write: if the hash is current, the password not yet revealed and the link not expired, marks it
   * revealed and removes the ciphertext, answering it; of two concurrent claims exactly one wins.
   */
  claimReveal(tokenHash: string, now: string): Promise<RevealClaim>;
  /** Puts a claimed ciphertext back (the decryption failed): the same link can be used again. */
  releaseReveal(record: CredentialRecord, ciphertext: string, revealedAt: string): Promise<void>;
  /**
   * Deletes a credential whose link expired unrevealed, and its link, if it is still expired at `now`; false when
   * another write changed it first (a newer link was issued). DynamoDB's TTL does the same, but only eventually.
   */
  deleteExpiredCredential(record: CredentialRecord, now: string): Promise<boolean>;
}

export interface EventStore {
  /** Records an event if its id is new; answers the record already there otherwise. */
  putEventIfAbsent(event: EventRecord): Promise<{ created: boolean; existing?: EventRecord }>;
  getEvent(eventId: string): Promise<EventRecord | undefined>;
}

export interface RefusalStore {
  /** Remembers a refused signed request until its expiresAt. */
  rememberRefusal(refusal: RefusedRequest): Promise<void>;
  /** The refusal remembered for a signature hash, unless it has expired by `now`. */
  findRefusal(signatureHash: string, now: string): Promise<RefusedRequest | undefined>;
}

export interface EmployeeStore {
  putEmployee(employee: Employee, updatedAt: string): Promise<void>;
  getEmployee(employeeId: string): Promise<Employee | undefined>;
  /**
   * The ids of employees one of whose search terms (engine/employee-search) starts with `prefix` (normalized), in
   * term order, at most `limit` terms read. Terms of a profile since rewritten may remain: callers check the profile.
   */
  searchEmployees(prefix: string, limit: number): Promise<string[]>;
}

export interface RunStore {
  /** Creates a run (and its id pointer) unless it exists; false when it already did. */
  createRun(run: Run): Promise<boolean>;
  getRun(employeeId: string, runId: string): Promise<Run | undefined>;
  /** Finds a run by id alone (operator calls). */
  findRun(runId: string): Promise<Run | undefined>;
  /** Writes a run whose version was `run.version - 1` when read; throws VersionConflictError otherwise. */
  saveRun(run: Run): Promise<void>;
  listRuns(employeeId: string): Promise<Run[]>;
  listRunsByStatus(status: RunStatus, limit: number): Promise<Run[]>;
  /** Every run in a status, page after page (the quarantine, which an operator releases whole). */
  listAllRunsByStatus(status: RunStatus): Promise<Run[]>;
  /**
   * One page of the runs in a status. With `from` and/or `to`, the runs effective in that range, the latest effective
   * date first (the effective index: it reads none outside the range); without, most recently updated first (the
   * status index). Reads at most `read` items (`limit` unless more), then keeps up to `limit` of those that pass the
   * type filter, so a page may hold fewer than `limit` runs and still have a cursor. When it keeps `limit` runs before
   * the end of what it read, the cursor is the last kept run's: the next page starts right after it, skipping none.
   * Throws InvalidCursorError for a cursor it did not hand out for this status and this index (with or without dates).
   */
  pageRunsByStatus(status: RunStatus, filter: RunFilter, limit: number, cursor?: Record<string, unknown>, read?: number): Promise<RunPage>;
  /** One page of runs on a due-index shard (0..dueShards-1) that are due at or before `now`. */
  queryDue(shard: number, now: string, cursor?: Record<string, unknown>): Promise<DuePage>;
}

export interface AuditStore {
  appendAudit(entries: AuditEntry[]): Promise<void>;
  listAudit(employeeId: string): Promise<AuditEntry[]>;
}

export interface AlertStore {
  /** Stores an alert unless one with its id exists; true when it is new. */
  putAlert(alert: Alert): Promise<boolean>;
  listAlerts(status?: Alert['status']): Promise<Alert[]>;
  /** Resolves an open alert, with why when given; an alert already resolved keeps its first resolution, an unknown id is ignored. */
  resolveAlert(alertId: string, resolvedAt: string, resolution?: string): Promise<void>;
}

/** Everything the engine stores, one interface per kind of record. */
export interface LifecycleStore
  extends EventStore,
    RefusalStore,
    EmployeeStore,
    RunStore,
    AuditStore,
    AlertStore,
    CredentialStore,
    MassChangeStore {}
