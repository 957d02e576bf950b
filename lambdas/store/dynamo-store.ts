/**
 * The single-table store on the DynamoDB API (AWS and the embedded store alike): one repository per kind of record,
 * composed behind the LifecycleStore interface the engine uses.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Alert, AuditEntry, Employee, Run, RunStatus } from '../engine/model';
import type { CredentialRecord, EventRecord, LifecycleStore, MassChangeBatch, RefusedRequest, RunFilter } from './lifecycle-store';
import { DynamoAlertRepository } from './dynamo/alert-repository';
import { DynamoAuditRepository, type AuditRepositoryOptions } from './dynamo/audit-repository';
import { DynamoCredentialRepository } from './dynamo/credential-repository';
import type { DynamoTable } from './dynamo/dynamo-table';
import { DynamoEmployeeRepository } from './dynamo/employee-repository';
import { DynamoEventRepository } from './dynamo/event-repository';
import { DynamoMassChangeRepository } from './dynamo/mass-change-repository';
import { DynamoRefusalRepository } from './dynamo/refusal-repository';
import { DynamoRunRepository } from './dynamo/run-repository';

export { createDocumentClient } from './dynamo/dynamo-table';

export type DynamoStoreOptions = AuditRepositoryOptions;

export class DynamoStore implements LifecycleStore {
  readonly events: DynamoEventRepository;
  readonly refusals: DynamoRefusalRepository;
  readonly employees: DynamoEmployeeRepository;
  readonly runs: DynamoRunRepository;
  readonly audit: DynamoAuditRepository;
  readonly alerts: DynamoAlertRepository;
  readonly credentials: DynamoCredentialRepository;
  readonly massChange: DynamoMassChangeRepository;

  constructor(doc: DynamoDBDocumentClient, tableName: string, options: DynamoStoreOptions = {}) {
    const table: DynamoTable = { doc, name: tableName };
    this.events = new DynamoEventRepository(table);
    this.refusals = new DynamoRefusalRepository(table);
    this.employees = new DynamoEmployeeRepository(table);
    this.runs = new DynamoRunRepository(table);
    this.audit = new DynamoAuditRepository(table, options);
    this.alerts = new DynamoAlertRepository(table);
    this.credentials = new DynamoCredentialRepository(table);
    this.massChange = new DynamoMassChangeRepository(table);
  }

  putEventIfAbsent = (event: EventRecord) => this.events.putEventIfAbsent(event);
  getEvent = (eventId: string) => this.events.getEvent(eventId);

  rememberRefusal = (refusal: RefusedRequest) => this.refusals.rememberRefusal(refusal);
  findRefusal = (signatureHash: string, now: string) => this.refusals.findRefusal(signatureHash, now);

  putEmployee = (employee: Employee, updatedAt: string) => this.employees.putEmployee(employee, updatedAt);
  getEmployee = (employeeId: string) => this.employees.getEmployee(employeeId);
  searchEmployees = (prefix: string, limit: number) => this.employees.searchEmployees(prefix, limit);

  createRun = (run: Run) => this.runs.createRun(run);
  getRun = (employeeId: string, runId: string) => this.runs.getRun(employeeId, runId);
  findRun = (runId: string) => this.runs.findRun(runId);
  saveRun = (run: Run) => this.runs.saveRun(run);
  listRuns = (employeeId: string) => this.runs.listRuns(employeeId);
  listRunsByStatus = (status: RunStatus, limit: number) => this.runs.listRunsByStatus(status, limit);
  listAllRunsByStatus = (status: RunStatus) => this.runs.listAllRunsByStatus(status);
  pageRunsByStatus = (status: RunStatus, filter: RunFilter, limit: number, cursor?: Record<string, unknown>, read?: number) =>
    this.runs.pageRunsByStatus(status, filter, limit, cursor, read);
  queryDue = (shard: number, now: string, cursor?: Record<string, unknown>) => this.runs.queryDue(shard, now, cursor);

  appendAudit = (entries: AuditEntry[]) => this.audit.appendAudit(entries);
  listAudit = (employeeId: string) => this.audit.listAudit(employeeId);

  putAlert = (alert: Alert) => this.alerts.putAlert(alert);
  listAlerts = (status?: Alert['status']) => this.alerts.listAlerts(status);
  resolveAlert = (alertId: string, resolvedAt: string, resolution?: string) => this.alerts.resolveAlert(alertId, resolvedAt, resolution);

  putCredential = (record: CredentialRecord) => this.credentials.putCredential(record);
  getCredential = (employeeId: string, runId: string) => this.credentials.getCredential(employeeId, runId);
  issueRevealToken = (employeeId: string, runId: string, tokenHash: string, issuedAt: string, expiresAt: string) =>
    this.credentials.issueRevealToken(employeeId, runId, tokenHash, issuedAt, expiresAt);
  findByRevealToken = (tokenHash: string) => this.credentials.findByRevealToken(tokenHash);
  claimReveal = (tokenHash: string, now: string) => this.credentials.claimReveal(tokenHash, now);
  releaseReveal = (record: CredentialRecord, ciphertext: string, revealedAt: string) => this.credentials.releaseReveal(record, ciphertext, revealedAt);
  deleteExpiredCredential = (record: CredentialRecord, now: string) => this.credentials.deleteExpiredCredential(record, now);

  countMassChange = (windowStart: string, eventId: string) => this.massChange.countMassChange(windowStart, eventId);
  massChangeCount = (windowStart: string) => this.massChange.massChangeCount(windowStart);
  openMassChangeBatch = (batch: MassChangeBatch) => this.massChange.openMassChangeBatch(batch);
  getMassChangeBatch = () => this.massChange.getMassChangeBatch();
  closeMassChangeBatch = (batchId: string) => this.massChange.closeMassChangeBatch(batchId);
}
