/**
 * The mass-change guard through the whole local runtime: 12 urgent terminates in a burst against a threshold of
 * 4. Four run, eight wait in quarantine behind one operator alert; releasing the batch (naming its count) cuts
 * them all off, rejecting it leaves the thirty accounts as they were, read back through the Google emulator.
 */
import { playbooks } from '../../config/playbooks';
import type { Playbooks } from '../../config/schema';
import { windowStartOf } from '../../lambdas/engine/mass-change';
import type { Alert, Run } from '../../lambdas/engine/model';
import { seedStaff, SEEDED_PER_EMPLOYEE, type StaffRecord } from '../../local/emulators/seed-staff';
import type { Runtime } from '../../local/runtime';
import { eventually, googleClientsOf, operator, postEvent, start } from '../support/harness';

const LEAVERS = 12;
const THRESHOLD = 4;
const HELD = LEAVERS - THRESHOLD;

/** The real terminate playbook's cut-off steps alone, so a run completes once access is cut. */
const cutoffOnly: Playbooks = { ...playbooks, terminate: { steps: playbooks.terminate.steps.filter((s) => s.cutoff) } };
const CUTOFF_STEP_IDS = cutoffOnly.terminate.steps.filter((s) => s.enabled).map((s) => s.id);

interface Burst {
  rt: Runtime;
  staff: StaffRecord[];
  alerts: Alert[];
  bodies: Record<string, unknown>[];
  runIds: string[];
  held: string[];
  proceeding: string[];
}

async function burst(): Promise<Burst> {
  const alerts: Alert[] = [];
  const rt = await start({
    playbooks: cutoffOnly,
    settings: { retryBaseSeconds: 1, massChange: { threshold: THRESHOLD, windowMinutes: 60 } },
    googleRequestsPerMinute: 60_000,
    workerConcurrency: 4,
    onAlert: (a) => alerts.push(a),
  });
  const staff = seedStaff(rt.emulators, LEAVERS, { prefix: 'mass' });
  // The guard counts per 60-minute window (from the hour): a burst sent in the last seconds of one would straddle two,
  // and the later window's first runs would be held by the earlier one's count. It waits for the next window then.
  const toEdge = 3_600_000 - (Date.now() % 3_600_000);
  if (toEdge < 15_000) await new Promise((resolve) => setTimeout(resolve, toEdge + 200));
  const today = new Date().toISOString().slice(0, 10);
  const bodies = staff.map((employee) => ({ eventId: `mass-${employee.id}`, type: 'terminate', effectiveDate: today, urgent: true, employee }));
  const answers = await Promise.all(bodies.map((b) => postEvent(rt, b)));
  expect(answers.map((a) => a.status)).toEqual(bodies.map(() => 202));
  const runIds = answers.map((a) => a.body.runId as string);
  const held = runIds.filter((_, i) => answers[i].body.status === 'quarantined');
  const proceeding = runIds.filter((_, i) => answers[i].body.status !== 'quarantined');
  // A held run answers its place in the window; none of its steps was queued, urgent or not.
  for (const a of answers.filter((x) => x.body.status === 'quarantined')) {
    expect(a.body.massChange).toMatchObject({ held: true, threshold: THRESHOLD, windowMinutes: 60 });
    expect(a.body.massChange.ordinal).toBeGreaterThan(THRESHOLD);
    expect(a.body.steps.map((s: { status: string }) => s.status)).toEqual(CUTOFF_STEP_IDS.map(() => 'pending'));
  }
  return { rt, staff, alerts, bodies, runIds, held, proceeding };
}

const runsOf = (b: Burst) => Promise.all(b.staff.map((e, i) => b.rt.engine.store.getRun(e.id, b.runIds[i]))) as Promise<Run[]>;

async function settled(b: Burst, done: (run: Run) => boolean, what: string): Promise<Run[]> {
  return eventually(
    async () => {
      const all = await runsOf(b);
      const stuck = all.flatMap((run) => run.steps.filter((s) => s.status === 'needs_attention').map((s) => `${run.employeeId}/${s.stepId}: ${s.lastError?.message}`));
      if (stuck.length) throw new Error(`steps in needs_attention: ${stuck.join('; ')}`);
      return all.every(done) && b.rt.idle() ? all : undefined;
    },
    120_000,
    what,
  );
}

/** A burst of its own for the tests of one describe: sent before them, its runtime stopped after. */
function useBurst(): Burst {
  const b = {} as Burst;
  beforeAll(async () => {
    Object.assign(b, await burst());
  }, 60_000);
  afterAll(async () => {
    await b.rt?.stop();
  });
  return b;
}

describe(`${LEAVERS} urgent terminates in a burst, threshold ${THRESHOLD}`, () => {
  describe('released by an operator', () => {
    const b = useBurst();

    it(`runs exactly ${THRESHOLD}, holds ${HELD} behind one alert, and cuts every leaver off once the batch is released by its count`, async () => {
      expect(b.proceeding).toHaveLength(THRESHOLD);
      expect(b.held).toHaveLength(LEAVERS - THRESHOLD);
      expect(b.alerts.map((a) => a.action)).toEqual(['massChange.guard']);
      const open = await operator(b.rt, 'GET', '/v1/alerts?status=open');
      expect(open.body.alerts.map((a: Alert) => a.alertId)).toEqual([b.alerts[0].alertId]);
      const listed = await operator(b.rt, 'GET', '/v1/runs?status=quarantined');
      expect(listed.body.runs.map((r: Run) => r.runId).sort()).toEqual([...b.held].sort());
      expect((await operator(b.rt, 'GET', '/v1/quarantine')).body).toMatchObject({ held: HELD, batch: { alertId: b.alerts[0].alertId }, threshold: THRESHOLD });

      // A duplicate of an accepted event is answered with its run and counted no second time.
      const again = await postEvent(b.rt, b.bodies[0]);
      expect(again.status).toBe(200);
      expect(again.body.runId).toBe(b.runIds[0]);
      expect(await b.rt.engine.store.massChangeCount(windowStartOf(new Date(), 60))).toBe(LEAVERS);

      // The held runs stay held: the sweep moves none of them, and those not held finish.
      await operator(b.rt, 'POST', '/v1/sweep');
      await settled(b, (run) => run.status === 'completed' || run.status === 'quarantined', 'the runs not held to complete');
      expect((await runsOf(b)).filter((r) => r.status === 'quarantined')).toHaveLength(HELD);

      // A count that is not the number held now changes nothing.
      const wrong = await operator(b.rt, 'POST', '/v1/quarantine/release', { count: HELD - 1 });
      expect(wrong).toEqual({ status: 409, body: expect.objectContaining({ held: HELD }) });
      expect((await operator(b.rt, 'POST', '/v1/quarantine/release', { count: String(HELD) })).status).toBe(400);
      expect((await operator(b.rt, 'GET', '/v1/quarantine')).body.held).toBe(HELD);

      const released = await operator(b.rt, 'POST', '/v1/quarantine/release', { count: HELD });
      expect(released.status).toBe(200);
      expect(released.body).toMatchObject({ ok: true, decision: 'released', count: HELD });
      expect([...released.body.runIds].sort()).toEqual([...b.held].sort());

      const runs = await settled(b, (run) => run.status === 'completed', 'every leaver run to complete');
      for (const run of runs) expect(run.steps.map((s) => [s.stepId, s.status])).toEqual(CUTOFF_STEP_IDS.map((id) => [id, 'succeeded']));
      expect((await operator(b.rt, 'GET', '/v1/alerts?status=open')).body.alerts).toEqual([]);
      expect((await operator(b.rt, 'GET', '/v1/quarantine')).body).toEqual({ held: 0, threshold: THRESHOLD, windowMinutes: 60 });
      expect(b.alerts).toHaveLength(1);

      // Each released run says who released it.
      const held = runs.find((r) => r.runId === b.held[0])!;
      const audit = await b.rt.engine.store.listAudit(held.employeeId);
      expect(audit.find((a) => a.change === 'released from quarantine by an operator')).toMatchObject({ actor: 'local-admin', from: 'quarantined', to: 'in_progress' });
      const g = b.rt.emulators.google;
      for (const e of b.staff) expect(g.groupsOf(e.email)).toEqual([]);
    }, 180_000);
  });

  describe('rejected by an operator', () => {
    const b = useBurst();

    it(`touches none of the ${HELD} held accounts: still active, still in their groups`, async () => {
      expect(b.held).toHaveLength(LEAVERS - THRESHOLD);
      expect((await operator(b.rt, 'POST', '/v1/quarantine/reject', { count: HELD })).status).toBe(400);
      const rejected = await operator(b.rt, 'POST', '/v1/quarantine/reject', { count: HELD, reason: 'not a real layoff' });
      expect(rejected.body).toMatchObject({ ok: true, decision: 'rejected', count: HELD });

      const runs = await settled(b, (run) => run.status === 'completed' || run.status === 'rejected', 'the runs not held to complete');
      const byId = new Map(runs.map((r) => [r.runId, r]));
      for (const id of b.held) {
        const run = byId.get(id)!;
        expect(run.status).toBe('rejected');
        expect(run.steps.map((s) => [s.status, s.attempts])).toEqual(CUTOFF_STEP_IDS.map(() => ['cancelled', 0]));
        expect(run.massChange).toMatchObject({ decision: 'rejected', decidedBy: 'local-admin', reason: 'not a real layoff' });
      }
      expect((await operator(b.rt, 'GET', '/v1/alerts?status=open')).body.alerts).toEqual([]);

      const google = googleClientsOf(b.rt, 60_000);
      for (const [i, e] of b.staff.entries()) {
        const user = (await google.directory.users.get({ userKey: e.email })).data;
        const groups = (await google.directory.groups.list({ userKey: e.email })).data.groups ?? [];
        const tokens = (await google.directory.tokens.list({ userKey: e.email })).data.items ?? [];
        const state = { email: e.email, suspended: Boolean(user.suspended), hidden: user.includeInGlobalAddressList === false, groups: groups.length, tokens: tokens.length };
        if (b.held.includes(b.runIds[i])) {
          expect(state).toEqual({ email: e.email, suspended: false, hidden: false, groups: SEEDED_PER_EMPLOYEE.groups, tokens: SEEDED_PER_EMPLOYEE.tokens });
        } else {
          // Those that ran were cut off: the same read-back sees what an action does.
          expect(state).toMatchObject({ hidden: true, groups: 0, tokens: 0 });
        }
      }
    }, 180_000);
  });
});
