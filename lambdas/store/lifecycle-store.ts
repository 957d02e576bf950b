/** What the engine needs from storage: one interface, one DynamoDB implementation for AWS and local. */
import type { Alert, AuditEntry, Employee, Run, RunStatus } from '../engine/model';

/** An HR event as first accepted: its body hash tells a replay from a conflicting reuse of the id. */
export interface EventRecord {
  eventId: string;
  bodyHash: string;
  runId: string;
  employeeId: string;
  receivedAt: string;
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

export interface LifecycleStore extends CredentialStore {
  /** Records an event if its id is new; answers the record already there otherwise. */
  putEventIfAbsent(event: EventRecord): Promise<{ created: boolean; existing?: EventRecord }>;
  getEvent(eventId: string): Promise<EventRecord | undefined>;
  putEmployee(employee: Employee, updatedAt: string): Promise<void>;
  getEmployee(employeeId: string): Promise<Employee | undefined>;
  /** Creates a run (and its id pointer) unless it exists; false when it already did. */
  createRun(run: Run): Promise<boolean>;
  getRun(employeeId: string, runId: string): Promise<Run | undefined>;
  /** Finds a run by id alone (operator calls). */
  findRun(runId: string): Promise<Run | undefined>;
  /** Writes a run whose version was `run.version - 1` when read; throws VersionConflictError otherwise. */
  saveRun(run: Run): Promise<void>;
  listRuns(employeeId: string): Promise<Run[]>;
  listRunsByStatus(status: RunStatus, limit: number): Promise<Run[]>;
  /** One page of runs on a due-index shard that are due at or before `now`. */
  queryDue(shard: string, now: string, cursor?: Record<string, unknown>): Promise<DuePage>;
  appendAudit(entries: AuditEntry[]): Promise<void>;
  listAudit(employeeId: string): Promise<AuditEntry[]>;
  /** Stores an alert unless one with its id exists; true when it is new. */
  putAlert(alert: Alert): Promise<boolean>;
  listAlerts(status?: Alert['status']): Promise<Alert[]>;
  resolveAlert(alertId: string, resolvedAt: string): Promise<void>;
}
