/** The single table's key schema and indexes: read by the CDK stack and by the local store alike. */
export const TABLE = {
  partitionKey: 'PK',
  sortKey: 'SK',
  dueIndex: { name: 'due', partitionKey: 'dueShard', sortKey: 'dueAt' },
  statusIndex: { name: 'status', partitionKey: 'runStatus', sortKey: 'updatedAt' },
  /** Runs of a status by effective date: the listing with a date range reads only the runs inside it. */
  effectiveIndex: { name: 'effective', partitionKey: 'runStatus', sortKey: 'effectiveDate' },
  /**
   * The table's TTL attribute (epoch seconds): DynamoDB deletes an item some time after it passes. Only items that
   * must not outlive their use carry it (a sealed initial password and its reveal link, a refused request's
   * signature); readers still check their expiry, since deletion is eventual and the embedded store never deletes.
   */
  ttlAttribute: 'deleteAfter',
} as const;

/**
 * Every global secondary index, each projecting ALL: the sweep and the operator views read whole runs from them, with
 * no second fetch (a keys-only index would cost a BatchGetItem per page, and a check that each run fetched still has
 * the status the index said). Only run items carry `runStatus`, so the status and effective indexes hold runs alone
 * (event records carry `effectiveDate` too, always a date, but no `runStatus`); only waiting runs carry `dueShard`.
 * Every key attribute is a string: an item whose `effectiveDate` or `updatedAt` were not would be refused.
 */
export const GLOBAL_INDEXES = [TABLE.dueIndex, TABLE.statusIndex, TABLE.effectiveIndex] as const;

/** An ISO instant as the TTL attribute's epoch seconds. */
export const ttlSeconds = (isoInstant: string): number => Math.ceil(Date.parse(isoInstant) / 1000);

/** Key formats of every item kind in the table. */
export const keys = {
  employee: (employeeId: string) => ({ PK: `EMP#${employeeId}`, SK: 'PROFILE' }),
  /** One search term of an employee's profile (id, name, address, normalized): a prefix query finds the employee. */
  employeeSearch: (term: string, employeeId: string) => ({ PK: 'EMPSEARCH', SK: `${term}#${employeeId}` }),
  employeeSearchPartition: 'EMPSEARCH',
  run: (employeeId: string, runId: string) => ({ PK: `EMP#${employeeId}`, SK: `RUN#${runId}` }),
  runPrefix: 'RUN#',
  auditPrefix: 'AUDIT#',
  audit: (employeeId: string, at: string, seq: string) => ({ PK: `EMP#${employeeId}`, SK: `AUDIT#${at}#${seq}` }),
  /** Pointer from a run id to its employee, so operator calls can address a run by id alone. */
  runRef: (runId: string) => ({ PK: `RUNREF#${runId}`, SK: 'RUNREF' }),
  event: (eventId: string) => ({ PK: `EVENT#${eventId}`, SK: 'EVENT' }),
  alertPartition: 'ALERT',
  alert: (alertId: string) => ({ PK: 'ALERT', SK: `ALERT#${alertId}` }),
  /** A due-index shard (a number in the domain) as the index's partition key. */
  dueShard: (n: number) => `DUE#${n}`,
  /** The mass-change guard's counter for one window: an atomic ADD hands every counted run its place. */
  massChangeWindow: (windowStart: string) => ({ PK: `MASSCHANGE#${windowStart}`, SK: 'COUNT' }),
  /** What the guard decided for an event, so a repeat after a crash reuses it rather than counting again. */
  massChangeDecision: (eventId: string) => ({ PK: `EVENT#${eventId}`, SK: 'MASSCHANGE' }),
  /** The open quarantine batch (one at a time): the first held run opens it and raises its one alert. */
  massChangeBatch: { PK: 'MASSCHANGE', SK: 'BATCH' },
  /** The sealed initial password a run made, and the state of its one-time reveal link. */
  credential: (employeeId: string, runId: string) => ({ PK: `EMP#${employeeId}`, SK: `CRED#${runId}` }),
  /** Pointer from the SHA-256 of a reveal token to its credential: the link names neither the employee nor the run. */
  revealLink: (tokenHash: string) => ({ PK: `REVEAL#${tokenHash}`, SK: 'REVEAL' }),
  /** One of a shared request budget's 60 window counters (docs/engine.md, "One Google budget per stage"). */
  requestBudgetSlot: (budget: string, slot: number) => ({ PK: `BUDGET#${budget}`, SK: `SLOT#${slot}` }),
  /** Consolidation reports, in one partition: a header per read (`RUN#<startedAt>#<id>`), its findings in pages beside it. */
  consolidationPartition: 'CONSOLIDATION',
  consolidationRun: (startedAt: string, reportId: string) => ({ PK: 'CONSOLIDATION', SK: `RUN#${startedAt}#${reportId}` }),
  consolidationRunPrefix: 'RUN#',
  consolidationFindings: (startedAt: string, reportId: string, page: number) => ({ PK: 'CONSOLIDATION', SK: `FIND#${startedAt}#${reportId}#${String(page).padStart(5, '0')}` }),
  consolidationFindingsPrefix: (startedAt: string, reportId: string) => `FIND#${startedAt}#${reportId}#`,
  /** A signed HR request the intake refused, by the SHA-256 of its signature: refused again while the signature is valid. */
  refusedRequest: (signatureHash: string) => ({ PK: `REFUSED#${signatureHash}`, SK: 'REFUSED' }),
  /** The Matrix bot's sync position (next_batch) and the lease that lets one sync loop run at a time (docs/matrix.md). */
  matrixSync: { PK: 'MATRIX', SK: 'SYNC' },
  /** A chat command the Matrix bot handled, by its event id: the same event again is not handled twice. */
  matrixCommand: (eventId: string) => ({ PK: `MATRIXCMD#${eventId}`, SK: 'COMMAND' }),
  /** The Matrix thread a proposed run reports to, by run id. */
  matrixThread: (runId: string) => ({ PK: `MATRIXTHREAD#${runId}`, SK: 'THREAD' }),
  /** A thread reply waiting for the bot's loop to send it, by its transaction id (one partition: a handful at a time). */
  matrixOutbox: (txnId: string) => ({ PK: 'MATRIXOUTBOX', SK: `REPORT#${txnId}` }),
  matrixOutboxPartition: 'MATRIXOUTBOX',
  /** The OpenProject member task poll's position: the newest task update it has handled (docs/openproject.md). */
  memberTaskPoll: { PK: 'OPENPROJECT', SK: 'MEMBERTASKPOLL' },
} as const;

/** The shard number a due-index key names (the inverse of keys.dueShard). */
export function dueShardOfKey(key: string): number {
  const match = /^DUE#(\d+)$/.exec(key);
  if (!match) throw new Error(`not a due-index shard key: ${JSON.stringify(key)}`);
  return Number(match[1]);
}

/** DynamoDB CreateTable input for the local store and tests; the CDK stack builds the same shape. */
export function createTableInput(tableName: string) {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: [...new Set([TABLE.partitionKey, TABLE.sortKey, ...GLOBAL_INDEXES.flatMap((i) => [i.partitionKey, i.sortKey])])].map((name) => ({
      AttributeName: name,
      AttributeType: 'S' as const,
    })),
    KeySchema: [
      { AttributeName: TABLE.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: TABLE.sortKey, KeyType: 'RANGE' as const },
    ],
    GlobalSecondaryIndexes: GLOBAL_INDEXES.map((index) => ({
      IndexName: index.name,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
        { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
      ],
      Projection: { ProjectionType: 'ALL' as const },
    })),
  };
}
