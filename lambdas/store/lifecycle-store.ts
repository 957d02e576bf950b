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

export interface LifecycleStore {
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
