/**
 * What every LifecycleStore promises, run against each implementation: the DynamoDB store on the embedded server
 * and the in-memory store the unit tests use, so the one stands in for the other.
 */
import type { Alert, AuditEntry, Run } from '../../../lambdas/engine/model';
import { InvalidCursorError, VersionConflictError, type CredentialRecord, type LifecycleStore } from '../../../lambdas/store/lifecycle-store';

export interface StoreUnderTest {
  store: LifecycleStore;
  stop(): Promise<void>;
}

const employee = (id: string) => ({ id, firstName: 'Ada', lastName: 'Lovelace', email: `${id.toLowerCase()}@example.com`, timezone: 'Europe/Berlin' });

let seq = 0;
/** A distinct employee and run id for each test, so tests sharing one store never meet. */
function ids() {
  seq += 1;
  return { employeeId: `E${seq}`, runId: `run-${seq}` };
}

function run(overrides: Partial<Run> = {}): Run {
  const { employeeId, runId } = ids();
  return {
    runId,
    employeeId,
    eventId: `hr-${runId}`,
    type: 'terminate',
    status: 'scheduled',
    effectiveDate: '2030-01-15',
    urgent: false,
    steps: [{ stepId: 'suspend', action: 'google.suspendUser', params: { email: 'ada@example.com' }, status: 'pending', dueAt: '2030-01-15T17:00:00.000Z', after: [], attempts: 0 }],
    version: 1,
    createdAt: '2030-01-01T00:00:00.000Z',
    updatedAt: '2030-01-01T00:00:00.000Z',
    employee: employee(employeeId),
    ...overrides,
  };
}

function alert(alertId: string, raisedAt: string, status: Alert['status'] = 'open'): Alert {
  return { alertId, raisedAt, employeeId: 'E1', runId: 'run-1', stepId: 'suspend', action: 'google.suspendUser', attempts: 4, providerAnswer: '503', message: 'failed', whatToDo: 'retry', status };
}

export function lifecycleStoreContract(name: string, open: () => StoreUnderTest) {
  describe(`${name}: the LifecycleStore contract`, () => {
    let under: StoreUnderTest;
    let store: LifecycleStore;
    beforeAll(() => {
      under = open();
      store = under.store;
    });
    afterAll(() => under.stop());

    describe('events', () => {
      it('records an event once and answers the first record to a second put of its id', async () => {
        const first = { eventId: `ev-${ids().runId}`, bodyHash: 'h1', runId: 'r1', employeeId: 'E1', receivedAt: '2030-01-01T00:00:00.000Z' };
        expect(await store.putEventIfAbsent(first)).toEqual({ created: true });
        expect(await store.putEventIfAbsent({ ...first, bodyHash: 'h2', runId: 'r2' })).toEqual({ created: false, existing: first });
        expect(await store.getEvent(first.eventId)).toEqual(first);
        expect(await store.getEvent('never-sent')).toBeUndefined();
      });
    });

    describe('employees', () => {
      it('keeps the latest HR data and answers it without the write time', async () => {
        const { employeeId } = ids();
        await store.putEmployee(employee(employeeId), '2030-01-01T00:00:00.000Z');
        await store.putEmployee({ ...employee(employeeId), firstName: 'Augusta' }, '2030-01-02T00:00:00.000Z');
        expect(await store.getEmployee(employeeId)).toEqual({ ...employee(employeeId), firstName: 'Augusta' });
        expect(await store.getEmployee('nobody')).toBeUndefined();
      });
    });

    describe('runs', () => {
      it('creates a run once and finds it by its id alone', async () => {
        const r = run();
        expect(await store.createRun(r)).toBe(true);
        expect(await store.createRun({ ...r, status: 'completed' })).toBe(false);
        expect(await store.getRun(r.employeeId, r.runId)).toEqual(r);
        expect(await store.findRun(r.runId)).toEqual(r);
        expect(await store.findRun('no-such-run')).toBeUndefined();
      });

      it('saves only over the version it read, and of two writers of the same version exactly one wins', async () => {
        const r = run();
        await store.createRun(r);
        await store.saveRun({ ...r, status: 'in_progress', version: 2 });
        await expect(store.saveRun({ ...r, status: 'completed', version: 2 })).rejects.toBeInstanceOf(VersionConflictError);
        const racers = await Promise.allSettled([
          store.saveRun({ ...r, status: 'completed', version: 3 }),
          store.saveRun({ ...r, status: 'cancelled', version: 3 }),
        ]);
        expect(racers.filter((x) => x.status === 'fulfilled')).toHaveLength(1);
        const lost = racers.find((x) => x.status === 'rejected') as PromiseRejectedResult;
        expect(lost.reason).toBeInstanceOf(VersionConflictError);
        expect((await store.getRun(r.employeeId, r.runId))?.version).toBe(3);
      });

      it('refuses to save a run that was never created', async () => {
        await expect(store.saveRun({ ...run(), version: 2 })).rejects.toBeInstanceOf(VersionConflictError);
      });

      it('hands out copies: changing a run read changes nothing stored', async () => {
        const r = run();
        await store.createRun(r);
        const read = (await store.getRun(r.employeeId, r.runId))!;
        read.steps[0].status = 'succeeded';
        expect((await store.getRun(r.employeeId, r.runId))?.steps[0].status).toBe('pending');
      });

      it("lists an employee's runs oldest first", async () => {
        const first = run({ createdAt: '2030-01-02T00:00:00.000Z' });
        const second = { ...run({ createdAt: '2030-01-01T00:00:00.000Z' }), employeeId: first.employeeId };
        await store.createRun(first);
        await store.createRun(second);
        expect((await store.listRuns(first.employeeId)).map((x) => x.runId)).toEqual([second.runId, first.runId]);
      });

      it('lists runs by status, the most recently updated first and up to the limit, or all of them', async () => {
        const made = ['2031-05-01', '2031-05-03', '2031-05-02'].map((d) => run({ status: 'rejected', updatedAt: `${d}T00:00:00.000Z` }));
        for (const r of made) await store.createRun(r);
        const recent = await store.listRunsByStatus('rejected', 2);
        expect(recent.map((x) => x.updatedAt)).toEqual(['2031-05-03T00:00:00.000Z', '2031-05-02T00:00:00.000Z']);
        const all = await store.listAllRunsByStatus('rejected');
        expect(all.map((x) => x.runId).sort()).toEqual(made.map((x) => x.runId).sort());
      });

      it('pages a status by the most recent update, reading at most the limit, filtered on type and effective date, the cursor never skipping a run', async () => {
        const made = [1, 2, 3, 4, 5, 6].map((n) =>
          run({ status: 'awaiting_approval', type: n % 2 ? 'hire' : 'terminate', effectiveDate: `2035-03-0${n}`, updatedAt: `2035-01-0${n}T00:00:00.000Z` }),
        );
        for (const r of made) await store.createRun(r);
        const found: string[] = [];
        let cursor: Record<string, unknown> | undefined;
        let queries = 0;
        do {
          const page = await store.pageRunsByStatus('awaiting_approval', { type: 'hire', from: '2035-03-02', to: '2035-03-05' }, 2, cursor);
          expect(page.itemsRead).toBeLessThanOrEqual(2);
          found.push(...page.runs.map((r) => r.runId));
          cursor = page.cursor;
          queries += 1;
        } while (cursor && queries < 100);
        expect(found).toEqual([made[4].runId, made[2].runId]);
      });

      it('reads more than a page keeps when asked, keeps no more than the limit, and starts the next page right after the last run kept', async () => {
        // Newer than any other test's runs, so they are the first read; effective dates no other test uses.
        const made = [1, 2, 3, 4, 5, 6, 7, 8].map((n) =>
          run({ status: 'quarantined', type: n % 2 ? 'hire' : 'terminate', effectiveDate: `2099-04-0${n}`, updatedAt: `2099-01-0${n}T00:00:00.000Z` }),
        );
        for (const r of made) await store.createRun(r);
        const filter = { type: 'hire' as const, from: '2099-04-01', to: '2099-04-08' };
        const first = await store.pageRunsByStatus('quarantined', filter, 1, undefined, 4);
        expect(first.itemsRead).toBe(4);
        expect(first.runs.map((r) => r.runId)).toEqual([made[6].runId]);
        const found = [...first.runs.map((r) => r.runId)];
        let cursor = first.cursor;
        for (let queries = 0; cursor && queries < 100; queries++) {
          const page = await store.pageRunsByStatus('quarantined', filter, 1, cursor, 4);
          expect(page.itemsRead).toBeLessThanOrEqual(4);
          expect(page.runs.length).toBeLessThanOrEqual(1);
          found.push(...page.runs.map((r) => r.runId));
          cursor = page.cursor;
        }
        expect(found).toEqual([made[6].runId, made[4].runId, made[2].runId, made[0].runId]);
      });

      it('pages a date range by the latest effective date, reading only runs inside it, the type still a filter, the cursor never skipping a run', async () => {
        // No other test has a run needing attention. Updated in the opposite order of their effective dates, so the
        // status index would answer them the other way.
        const made = [1, 2, 3, 4, 5, 6, 7].map((n) =>
          run({ status: 'needs_attention', type: n === 4 ? 'hire' : 'terminate', effectiveDate: `2041-07-0${n}`, updatedAt: `2041-08-0${9 - n}T00:00:00.000Z` }),
        );
        for (const r of made) await store.createRun(r);
        const walk = async (filter: { type?: 'terminate'; from?: string; to?: string }) => {
          const found: string[] = [];
          let cursor: Record<string, unknown> | undefined;
          for (let queries = 0; queries === 0 || (cursor && queries < 100); queries++) {
            const page = await store.pageRunsByStatus('needs_attention', filter, 2, cursor);
            expect(page.itemsRead).toBeLessThanOrEqual(2);
            found.push(...page.runs.map((r) => r.runId));
            cursor = page.cursor;
          }
          return found;
        };
        // Both ends included; runs 1 and 7 lie outside and are never read: 4 runs inside, read 2 a page.
        const first = await store.pageRunsByStatus('needs_attention', { from: '2041-07-02', to: '2041-07-06' }, 5);
        expect(first.itemsRead).toBe(5);
        expect(first.runs.map((r) => r.effectiveDate)).toEqual(['2041-07-06', '2041-07-05', '2041-07-04', '2041-07-03', '2041-07-02']);
        // A page that read exactly the limit may hand out a cursor (DynamoDB does): the page after it is empty and last.
        const after = first.cursor ? await store.pageRunsByStatus('needs_attention', { from: '2041-07-02', to: '2041-07-06' }, 5, first.cursor) : undefined;
        expect(after?.runs ?? []).toEqual([]);
        expect(after?.cursor).toBeUndefined();
        expect(await walk({ type: 'terminate', from: '2041-07-02', to: '2041-07-06' })).toEqual([made[5], made[4], made[2], made[1]].map((r) => r.runId));
        expect(await walk({ from: '2041-07-06' })).toEqual([made[6], made[5]].map((r) => r.runId));
        expect(await walk({ to: '2041-07-02' })).toEqual([made[1], made[0]].map((r) => r.runId));
      });

      it('refuses a cursor of the status index on a date range, and one of a date range without dates', async () => {
        for (const n of [1, 2, 3]) await store.createRun(run({ status: 'cancelled', effectiveDate: `2042-01-0${n}`, updatedAt: `2042-02-0${n}T00:00:00.000Z` }));
        const byUpdate = (await store.pageRunsByStatus('cancelled', {}, 1)).cursor;
        const byDate = (await store.pageRunsByStatus('cancelled', { from: '2042-01-01' }, 1)).cursor;
        expect(byUpdate).toBeDefined();
        expect(byDate).toBeDefined();
        await expect(store.pageRunsByStatus('cancelled', { from: '2042-01-01' }, 1, byUpdate)).rejects.toBeInstanceOf(InvalidCursorError);
        await expect(store.pageRunsByStatus('cancelled', { to: '2042-01-03' }, 1, byUpdate)).rejects.toBeInstanceOf(InvalidCursorError);
        await expect(store.pageRunsByStatus('cancelled', {}, 1, byDate)).rejects.toBeInstanceOf(InvalidCursorError);
        await expect(store.pageRunsByStatus('completed', { from: '2042-01-01' }, 1, byDate)).rejects.toBeInstanceOf(InvalidCursorError);
        // Each still goes on where it stopped on its own index.
        expect((await store.pageRunsByStatus('cancelled', { from: '2042-01-01' }, 1, byDate)).runs.map((r) => r.effectiveDate)).toEqual(['2042-01-02']);
      });

      it('refuses a cursor handed out for another status', async () => {
        for (const n of [1, 2]) await store.createRun(run({ status: 'awaiting_approval', updatedAt: `2036-01-0${n}T00:00:00.000Z` }));
        const { cursor } = await store.pageRunsByStatus('awaiting_approval', {}, 1);
        expect(cursor).toBeDefined();
        await expect(store.pageRunsByStatus('rejected', {}, 1, cursor)).rejects.toBeInstanceOf(InvalidCursorError);
      });
    });

    describe('the employee search terms', () => {
      it('finds an employee by the start of a normalized term, and keeps no more than the limit read', async () => {
        const { employeeId } = ids();
        await store.putEmployee({ ...employee(employeeId), firstName: 'Quentin', lastName: 'Zyxwer' }, '2030-01-01T00:00:00.000Z');
        expect(await store.searchEmployees('zyxw', 10)).toEqual([employeeId]);
        expect(await store.searchEmployees('quentin zy', 10)).toEqual([employeeId]);
        expect(await store.searchEmployees('zyxwerq', 10)).toEqual([]);
        const { employeeId: other } = ids();
        await store.putEmployee({ ...employee(other), firstName: 'Quentin', lastName: 'Zyxwez' }, '2030-01-01T00:00:00.000Z');
        expect(await store.searchEmployees('zyxwe', 1)).toEqual([employeeId]);
      });

      it('forgets the name an employee no longer has: the old terms are gone from the store, not only filtered out', async () => {
        const { employeeId } = ids();
        await store.putEmployee({ ...employee(employeeId), firstName: 'Quirinus', lastName: 'Vexwold' }, '2030-01-01T00:00:00.000Z');
        await store.putEmployee({ ...employee(employeeId), firstName: 'Quirinus', lastName: 'Brantley' }, '2030-01-02T00:00:00.000Z');
        expect(await store.searchEmployees('vexwold', 10)).toEqual([]);
        expect(await store.searchEmployees('brantley', 10)).toEqual([employeeId]);
        expect(await store.searchEmployees('quirinus', 10)).toEqual([employeeId]);
      });
    });

    describe('the due index', () => {
      it('answers the runs due by now on one shard, earliest first and page after page, with the shard as the number it was written with', async () => {
        const shard = 3;
        const due = run({ dueShard: shard, dueAt: '2032-01-01T08:00:00.000Z' });
        const alsoDue = run({ dueShard: shard, dueAt: '2032-01-01T08:30:00.000Z' });
        const later = run({ dueShard: shard, dueAt: '2032-01-01T10:00:00.000Z' });
        const otherShard = run({ dueShard: 2, dueAt: '2032-01-01T07:00:00.000Z' });
        const notWaiting = run();
        for (const r of [alsoDue, due, later, otherShard, notWaiting]) await store.createRun(r);

        const runs: Run[] = [];
        let cursor: Record<string, unknown> | undefined;
        do {
          const page = await store.queryDue(shard, '2032-01-01T09:00:00.000Z', cursor);
          expect(page.itemsRead).toBeGreaterThanOrEqual(page.runs.length);
          runs.push(...page.runs);
          cursor = page.cursor;
        } while (cursor);
        expect(runs.filter((r) => r.dueAt?.startsWith('2032-')).map((r) => r.runId)).toEqual([due.runId, alsoDue.runId]);
        expect(runs.find((r) => r.runId === due.runId)?.dueShard).toBe(3);
      });

      it('drops a run from the index once it waits for nothing', async () => {
        const r = run({ dueShard: 1, dueAt: '2033-01-01T08:00:00.000Z' });
        await store.createRun(r);
        const { dueAt: _a, dueShard: _s, ...idle } = r;
        await store.saveRun({ ...idle, status: 'completed', version: 2 });
        const page = await store.queryDue(1, '2033-01-01T09:00:00.000Z');
        expect(page.runs.map((x) => x.runId)).not.toContain(r.runId);
        expect((await store.getRun(r.employeeId, r.runId))?.dueShard).toBeUndefined();
      });
    });

    describe('the audit trail', () => {
      it("keeps an employee's entries in the order written, past one write batch", async () => {
        const { employeeId, runId } = ids();
        const entries: AuditEntry[] = Array.from({ length: 30 }, (_, i) => ({ at: '2030-01-01T00:00:00.000Z', employeeId, runId, actor: 'engine', change: `change ${i}` }));
        await store.appendAudit(entries);
        await store.appendAudit([{ at: '2030-01-01T00:00:01.000Z', employeeId, runId, actor: 'operator', change: 'later' }]);
        const trail = await store.listAudit(employeeId);
        expect(trail.map((e) => e.change)).toEqual([...entries.map((e) => e.change), 'later']);
        expect(trail[0]).toEqual(entries[0]);
        expect(await store.listAudit('nobody')).toEqual([]);
      });
    });

    describe('alerts', () => {
      it('stores an alert once, lists the newest first, filters by status and resolves', async () => {
        const tag = ids().runId;
        expect(await store.putAlert(alert(`${tag}-a`, '2034-01-01T00:00:00.000Z'))).toBe(true);
        expect(await store.putAlert(alert(`${tag}-a`, '2034-02-01T00:00:00.000Z'))).toBe(false);
        expect(await store.putAlert(alert(`${tag}-b`, '2034-01-02T00:00:00.000Z'))).toBe(true);
        const mine = (list: Alert[]) => list.filter((a) => a.alertId.startsWith(tag)).map((a) => a.alertId);
        expect(mine(await store.listAlerts())).toEqual([`${tag}-b`, `${tag}-a`]);
        await store.resolveAlert(`${tag}-b`, '2034-01-03T00:00:00.000Z');
        await store.resolveAlert('no-such-alert', '2034-01-03T00:00:00.000Z');
        expect(mine(await store.listAlerts('open'))).toEqual([`${tag}-a`]);
        expect((await store.listAlerts('resolved')).find((a) => a.alertId === `${tag}-b`)).toMatchObject({ status: 'resolved', resolvedAt: '2034-01-03T00:00:00.000Z' });
        // Resolved already: the first resolution stands. Resolved with a reason: the reason is kept.
        await store.resolveAlert(`${tag}-b`, '2034-01-04T00:00:00.000Z', 'run cancelled by an operator (ops)');
        expect((await store.listAlerts('resolved')).find((a) => a.alertId === `${tag}-b`)).not.toHaveProperty('resolution');
        await store.resolveAlert(`${tag}-a`, '2034-01-04T00:00:00.000Z', 'run cancelled by an operator (ops)');
        expect((await store.listAlerts('resolved')).find((a) => a.alertId === `${tag}-a`)).toMatchObject({ resolvedAt: '2034-01-04T00:00:00.000Z', resolution: 'run cancelled by an operator (ops)' });
      });
    });

    describe('refused requests', () => {
      it('remembers a refusal until it expires', async () => {
        const refusal = { signatureHash: `sig-${ids().runId}`, status: 400, error: 'bad', refusedAt: '2030-01-01T00:00:00.000Z', expiresAt: '2030-01-01T00:10:00.000Z' };
        await store.rememberRefusal(refusal);
        expect(await store.findRefusal(refusal.signatureHash, '2030-01-01T00:05:00.000Z')).toEqual(refusal);
        expect(await store.findRefusal(refusal.signatureHash, '2030-01-01T00:10:00.000Z')).toBeUndefined();
        expect(await store.findRefusal('never', '2030-01-01T00:05:00.000Z')).toBeUndefined();
      });
    });

    describe('credentials and reveal links', () => {
      const T = '2030-01-01T00:00:00.000Z';
      const EXPIRES = '2030-01-08T00:00:00.000Z';
      async function sealed(): Promise<CredentialRecord> {
        const { employeeId, runId } = ids();
        const record: CredentialRecord = { employeeId, runId, ciphertext: 'sealed', createdAt: T, expiresAt: EXPIRES };
        expect(await store.putCredential(record)).toBe(true);
        return record;
      }

      it('reveals a password once through its current link, and of concurrent claims exactly one wins', async () => {
        const record = await sealed();
        expect(await store.findByRevealToken('h-old')).toBeUndefined();
        expect(await store.issueRevealToken(record.employeeId, record.runId, `h-${record.runId}`, T, EXPIRES)).toBe(true);
        expect(await store.findByRevealToken(`h-${record.runId}`)).toMatchObject({ runId: record.runId, revealTokenHash: `h-${record.runId}`, ciphertext: 'sealed' });
        const claims = await Promise.all([1, 2, 3].map(() => store.claimReveal(`h-${record.runId}`, '2030-01-02T00:00:00.000Z')));
        const won = claims.filter((c) => c.outcome === 'revealed');
        expect(won).toHaveLength(1);
        expect(won[0]).toMatchObject({ ciphertext: 'sealed', record: { revealedAt: '2030-01-02T00:00:00.000Z' } });
        expect(claims.filter((c) => c.outcome === 'already_revealed')).toHaveLength(2);
        const after = await store.getCredential(record.employeeId, record.runId);
        expect(after?.ciphertext).toBeUndefined();
        expect(after?.revealedAt).toBe('2030-01-02T00:00:00.000Z');
        // Revealed: never replaced, and no new link.
        expect(await store.putCredential({ ...record, ciphertext: 'other' })).toBe(false);
        expect(await store.issueRevealToken(record.employeeId, record.runId, 'h-new', T, EXPIRES)).toBe(false);
      });

      it('answers superseded, expired and unknown links for what they are', async () => {
        const record = await sealed();
        await store.issueRevealToken(record.employeeId, record.runId, `h1-${record.runId}`, T, EXPIRES);
        await store.issueRevealToken(record.employeeId, record.runId, `h2-${record.runId}`, T, EXPIRES);
        expect((await store.claimReveal(`h1-${record.runId}`, T)).outcome).toBe('superseded');
        expect((await store.claimReveal(`h2-${record.runId}`, EXPIRES)).outcome).toBe('expired');
        expect((await store.claimReveal('never-issued', T)).outcome).toBe('unknown');
        expect(await store.issueRevealToken('nobody', 'no-run', 'h-x', T, EXPIRES)).toBe(false);
      });

      it('puts a claimed ciphertext back so the same link works again', async () => {
        const record = await sealed();
        await store.issueRevealToken(record.employeeId, record.runId, `h-${record.runId}`, T, EXPIRES);
        const claim = await store.claimReveal(`h-${record.runId}`, T);
        if (claim.outcome !== 'revealed') throw new Error(`expected a reveal, got ${claim.outcome}`);
        await store.releaseReveal(claim.record, claim.ciphertext, T);
        expect((await store.claimReveal(`h-${record.runId}`, T)).outcome).toBe('revealed');
      });

      it('deletes a credential whose link expired unrevealed, and its link, but not one a newer link renewed', async () => {
        const record = await sealed();
        await store.issueRevealToken(record.employeeId, record.runId, `h-${record.runId}`, T, EXPIRES);
        const issued = (await store.getCredential(record.employeeId, record.runId))!;
        expect(await store.deleteExpiredCredential(issued, '2030-01-07T00:00:00.000Z')).toBe(false);
        await store.issueRevealToken(record.employeeId, record.runId, `h2-${record.runId}`, T, '2030-01-20T00:00:00.000Z');
        expect(await store.deleteExpiredCredential(issued, '2030-01-09T00:00:00.000Z')).toBe(false);
        const renewed = (await store.getCredential(record.employeeId, record.runId))!;
        expect(await store.deleteExpiredCredential(renewed, '2030-01-21T00:00:00.000Z')).toBe(true);
        expect(await store.getCredential(record.employeeId, record.runId)).toBeUndefined();
        expect(await store.findByRevealToken(`h2-${record.runId}`)).toBeUndefined();
      });
    });

    describe('the mass-change counter', () => {
      it('gives 40 concurrent events the places 1 to 40, each once', async () => {
        const w = '2030-01-01T00:00:00.000Z';
        const places = await Promise.all(Array.from({ length: 40 }, (_, i) => store.countMassChange(w, `burst-${i}`)));
        expect([...places].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
        expect(await store.massChangeCount(w)).toBe(40);
      });

      it('answers an event counted before with its first place and does not count it again', async () => {
        const w = '2030-01-02T00:00:00.000Z';
        expect(await store.countMassChange(w, 'a')).toBe(1);
        expect(await store.countMassChange(w, 'b')).toBe(2);
        const again = await Promise.all([store.countMassChange(w, 'a'), store.countMassChange(w, 'a')]);
        expect(again).toEqual([1, 1]);
        expect(await store.countMassChange(w, 'c')).toBe(3);
        expect(await store.massChangeCount(w)).toBe(3);
      });

      it('counts each window apart, and a window nobody was counted in as 0', async () => {
        expect(await store.countMassChange('2030-01-03T00:00:00.000Z', 'a')).toBe(1);
        expect(await store.massChangeCount('2030-01-04T00:00:00.000Z')).toBe(0);
      });
    });

    describe('the quarantine batch', () => {
      it('is opened by exactly one of many concurrent callers, and closed only under its own id', async () => {
        const tries = await Promise.all(
          Array.from({ length: 12 }, (_, i) => store.openMassChangeBatch({ batchId: `run-${i}`, alertId: `mass-change:run-${i}`, openedAt: '2030-01-01T00:00:00.000Z' })),
        );
        const openers = tries.filter((t) => t.opened);
        expect(openers).toHaveLength(1);
        expect(new Set(tries.map((t) => t.batch.batchId))).toEqual(new Set([openers[0].batch.batchId]));
        const other = openers[0].batch.batchId === 'run-0' ? 'run-1' : 'run-0';
        expect(await store.closeMassChangeBatch(other)).toBe(false);
        expect(await store.closeMassChangeBatch(openers[0].batch.batchId)).toBe(true);
        expect(await store.getMassChangeBatch()).toBeUndefined();
        expect((await store.openMassChangeBatch({ batchId: 'next', alertId: 'mass-change:next', openedAt: '2030-01-01T01:00:00.000Z' })).opened).toBe(true);
      });
    });
  });
}
