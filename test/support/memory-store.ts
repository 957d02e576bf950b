/**
 * The lifecycle store in memory, for unit tests: the same conditional writes and version checks as the DynamoDB
 * store (the contract tests in test/unit/store run against both), no server. What it hands out is a copy, as a
 * read from DynamoDB would be, so a test changing what it read changes nothing stored.
 */
import type { Alert, AuditEntry, Employee, Run, RunStatus } from '../../lambdas/engine/model';
import { searchTerms } from '../../lambdas/engine/employee-search';
import {
  refusedClaim,
  VersionConflictError,
  type CredentialRecord,
  type DuePage,
  InvalidCursorError,
  type RunFilter,
  type RunPage,
  type EventRecord,
  type LifecycleStore,
  type MassChangeBatch,
  type RefusedRequest,
  type RevealClaim,
} from '../../lambdas/store/lifecycle-store';

/** A copy without undefined attributes, as the DynamoDB document client writes an item. */
const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** A failed condition on a write that has no other way to say so (DynamoDB's ConditionalCheckFailedException). */
class ConditionFailed extends Error {
  constructor(what: string) {
    super(`the conditional request failed: ${what}`);
    this.name = 'ConditionalCheckFailedException';
  }
}

export interface MemoryStoreOptions {
  /** Runs per due-index page, so a test can walk the cursor (DynamoDB pages at 1 MB). */
  duePageSize?: number;
}

const runKey = (employeeId: string, runId: string) => `${employeeId}\u0000${runId}`;

export class MemoryStore implements LifecycleStore {
  private readonly events = new Map<string, EventRecord>();
  private readonly refusals = new Map<string, RefusedRequest>();
  private readonly employees = new Map<string, Employee>();
  private readonly runs = new Map<string, Run>();
  private readonly runRefs = new Map<string, string>();
  private readonly audit = new Map<string, AuditEntry[]>();
  private readonly alerts = new Map<string, Alert>();
  private readonly credentials = new Map<string, CredentialRecord>();
  private readonly revealLinks = new Map<string, { employeeId: string; runId: string }>();
  private readonly windows = new Map<string, { count: number; places: Map<string, number> }>();
  private batch: MassChangeBatch | undefined;
  private readonly duePageSize: number;

  constructor(options: MemoryStoreOptions = {}) {
    this.duePageSize = options.duePageSize ?? 100;
  }

  async putEventIfAbsent(event: EventRecord) {
    const existing = this.events.get(event.eventId);
    if (existing) return { created: false, existing: copy(existing) };
    this.events.set(event.eventId, copy(event));
    return { created: true };
  }

  async getEvent(eventId: string) {
    const event = this.events.get(eventId);
    return event && copy(event);
  }

  async rememberRefusal(refusal: RefusedRequest) {
    this.refusals.set(refusal.signatureHash, copy(refusal));
  }

  async findRefusal(signatureHash: string, now: string) {
    const refusal = this.refusals.get(signatureHash);
    return refusal && refusal.expiresAt > now ? copy(refusal) : undefined;
  }

  async putEmployee(employee: Employee) {
    this.employees.set(employee.id, copy(employee));
  }

  async searchEmployees(prefix: string, limit: number) {
    const terms = [...this.employees.values()].flatMap((e) => searchTerms(e).map((t) => ({ key: `${t}#${e.id}`, id: e.id })));
    const hits = terms.filter((t) => t.key.startsWith(prefix)).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).slice(0, limit);
    return [...new Set(hits.map((h) => h.id))];
  }

  async getEmployee(employeeId: string) {
    const employee = this.employees.get(employeeId);
    return employee && copy(employee);
  }

  async createRun(run: Run) {
    this.runRefs.set(run.runId, run.employeeId);
    const key = runKey(run.employeeId, run.runId);
    if (this.runs.has(key)) return false;
    this.runs.set(key, copy(run));
    return true;
  }

  async getRun(employeeId: string, runId: string) {
    const run = this.runs.get(runKey(employeeId, runId));
    return run && copy(run);
  }

  async findRun(runId: string) {
    const employeeId = this.runRefs.get(runId);
    return employeeId === undefined ? undefined : this.getRun(employeeId, runId);
  }

  async saveRun(run: Run) {
    const key = runKey(run.employeeId, run.runId);
    if (this.runs.get(key)?.version !== run.version - 1) {
      throw new VersionConflictError(`run ${run.runId}: version ${run.version - 1} is no longer current`);
    }
    this.runs.set(key, copy(run));
  }

  /** Every run in key order, as a query reads them. */
  private allRuns(): Run[] {
    return [...this.runs.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, run]) => copy(run));
  }

  async listRuns(employeeId: string) {
    return this.allRuns()
      .filter((r) => r.employeeId === employeeId)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async listRunsByStatus(status: RunStatus, limit: number) {
    return (await this.listAllRunsByStatus(status)).reverse().slice(0, limit);
  }

  async listAllRunsByStatus(status: RunStatus) {
    return this.allRuns()
      .filter((r) => r.status === status)
      .sort((a, b) => a.updatedAt.localeCompare(b.updatedAt));
  }

  async pageRunsByStatus(status: RunStatus, filter: RunFilter, limit: number, cursor?: Record<string, unknown>, readAtMost = limit): Promise<RunPage> {
    // As the DynamoDB store: a date range reads the effective index between its ends, else the status index by update.
    const byDate = filter.from !== undefined || filter.to !== undefined;
    const index = byDate ? 'effective' : 'status';
    const shaped = cursor && cursor.index === index && cursor.runStatus === status && typeof cursor.after === 'string' && Object.keys(cursor).length === 3;
    if (cursor && !shaped) throw new InvalidCursorError();
    const order = (r: Run) => `${byDate ? r.effectiveDate : r.updatedAt}\u0000${runKey(r.employeeId, r.runId)}`;
    const after = cursor?.after as string | undefined;
    const all = this.allRuns()
      .filter((r) => r.status === status && (!filter.from || r.effectiveDate >= filter.from) && (!filter.to || r.effectiveDate <= filter.to))
      .sort((a, b) => order(b).localeCompare(order(a)))
      .filter((r) => after === undefined || order(r) < after);
    const read = all.slice(0, Math.max(limit, readAtMost));
    const passed = read.filter((r) => !filter.type || r.type === filter.type);
    const kept = passed.slice(0, limit);
    // More passed than the page keeps: the next page starts after the last one kept.
    const last = passed.length > limit ? kept[kept.length - 1] : all.length > read.length ? read[read.length - 1] : undefined;
    return { runs: kept, itemsRead: read.length, ...(last ? { cursor: { index, runStatus: status, after: order(last) } } : {}) };
  }

  async queryDue(shard: number, now: string, cursor?: Record<string, unknown>): Promise<DuePage> {
    const order = (r: Run) => `${r.dueAt}\u0000${runKey(r.employeeId, r.runId)}`;
    const after = typeof cursor?.after === 'string' ? cursor.after : undefined;
    const due = this.allRuns()
      .filter((r) => r.dueShard === shard && r.dueAt !== undefined && r.dueAt <= now)
      .sort((a, b) => order(a).localeCompare(order(b)))
      .filter((r) => after === undefined || order(r) > after);
    const runs = due.slice(0, this.duePageSize);
    const more = due.length > runs.length;
    return { runs, itemsRead: runs.length, ...(more ? { cursor: { after: order(runs[runs.length - 1]) } } : {}) };
  }

  async appendAudit(entries: AuditEntry[]) {
    for (const entry of entries) {
      const trail = this.audit.get(entry.employeeId) ?? [];
      trail.push(copy(entry));
      this.audit.set(entry.employeeId, trail);
    }
  }

  async listAudit(employeeId: string) {
    // Stable: entries with the same timestamp keep the order they were written in.
    return copy(this.audit.get(employeeId) ?? []).sort((a, b) => a.at.localeCompare(b.at));
  }

  async putAlert(alert: Alert) {
    if (this.alerts.has(alert.alertId)) return false;
    this.alerts.set(alert.alertId, copy(alert));
    return true;
  }

  async listAlerts(status?: Alert['status']) {
    return [...this.alerts.values()]
      .sort((a, b) => a.alertId.localeCompare(b.alertId))
      .filter((a) => !status || a.status === status)
      .map(copy)
      .sort((a, b) => b.raisedAt.localeCompare(a.raisedAt));
  }

  async resolveAlert(alertId: string, resolvedAt: string, resolution?: string) {
    const alert = this.alerts.get(alertId);
    if (alert?.status === 'open') this.alerts.set(alertId, { ...alert, status: 'resolved', resolvedAt, ...(resolution ? { resolution } : {}) });
  }

  async putCredential(record: CredentialRecord) {
    const key = runKey(record.employeeId, record.runId);
    if (this.credentials.get(key)?.revealedAt) return false;
    this.credentials.set(key, copy(record));
    return true;
  }

  async getCredential(employeeId: string, runId: string) {
    const record = this.credentials.get(runKey(employeeId, runId));
    return record && copy(record);
  }

  async issueRevealToken(employeeId: string, runId: string, tokenHash: string, issuedAt: string, expiresAt: string) {
    this.revealLinks.set(tokenHash, { employeeId, runId });
    const key = runKey(employeeId, runId);
    const record = this.credentials.get(key);
    if (!record?.ciphertext || record.revealedAt) return false;
    this.credentials.set(key, { ...record, revealTokenHash: tokenHash, tokenIssuedAt: issuedAt, expiresAt });
    return true;
  }

  async findByRevealToken(tokenHash: string) {
    const target = this.revealLinks.get(tokenHash);
    const record = target && (await this.getCredential(target.employeeId, target.runId));
    return record?.revealTokenHash === tokenHash ? record : undefined;
  }

  async claimReveal(tokenHash: string, now: string): Promise<RevealClaim> {
    const target = this.revealLinks.get(tokenHash);
    if (!target) return { outcome: 'unknown' };
    const key = runKey(target.employeeId, target.runId);
    const record = this.credentials.get(key);
    if (record?.ciphertext && record.revealTokenHash === tokenHash && !record.revealedAt && record.expiresAt > now) {
      const { ciphertext, ...rest } = record;
      this.credentials.set(key, { ...rest, revealedAt: now });
      return { outcome: 'revealed', record: copy({ ...rest, revealedAt: now }), ciphertext };
    }
    return refusedClaim(record && copy(record), tokenHash, now);
  }

  async releaseReveal(record: CredentialRecord, ciphertext: string, revealedAt: string) {
    const key = runKey(record.employeeId, record.runId);
    const current = this.credentials.get(key);
    if (!current || current.revealedAt !== revealedAt || current.ciphertext !== undefined) {
      throw new ConditionFailed(`credential of run ${record.runId} is not the reveal being released`);
    }
    const { revealedAt: _r, ...rest } = current;
    this.credentials.set(key, { ...rest, ciphertext });
  }

  async deleteExpiredCredential(record: CredentialRecord, now: string) {
    const key = runKey(record.employeeId, record.runId);
    const current = this.credentials.get(key);
    if (!current || !(current.expiresAt <= now) || current.expiresAt !== record.expiresAt || current.revealedAt) return false;
    this.credentials.delete(key);
    if (record.revealTokenHash) this.revealLinks.delete(record.revealTokenHash);
    return true;
  }

  async countMassChange(windowStart: string, eventId: string) {
    const window = this.windows.get(windowStart) ?? { count: 0, places: new Map<string, number>() };
    this.windows.set(windowStart, window);
    const place = window.places.get(eventId);
    if (place !== undefined) return place;
    window.count += 1;
    window.places.set(eventId, window.count);
    return window.count;
  }

  async massChangeCount(windowStart: string) {
    return this.windows.get(windowStart)?.count ?? 0;
  }

  async openMassChangeBatch(batch: MassChangeBatch) {
    if (this.batch) return { opened: false, batch: copy(this.batch) };
    this.batch = copy(batch);
    return { opened: true, batch };
  }

  async getMassChangeBatch() {
    return this.batch && copy(this.batch);
  }

  async closeMassChangeBatch(batchId: string) {
    if (this.batch?.batchId !== batchId) return false;
    this.batch = undefined;
    return true;
  }
}
