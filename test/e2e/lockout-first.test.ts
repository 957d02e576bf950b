/**
 * Lockout first: 30 urgent leavers at once under a Google quota too tight to serve them together. Once all 30 are
 * accepted, no protect or housekeeping step starts while a lockout step waits (read from the audit trail, which keeps
 * every attempt's times), and every step still succeeds. The figures at the layoff's size are the layoff benchmark's (`npm run bench -- --only layoff`).
 */
import type { Playbooks } from '../../config/schema';
import type { Step } from '../../lambdas/engine/model';
import { seedStaff, type StaffRecord } from '../../local/emulators/seed-staff';
import type { Runtime } from '../../local/runtime';
import { fastPolling } from '../support/fast-playbooks';
import { allRunsComplete, postEvent, start } from '../support/harness';

const LEAVERS = 30;
/** Tight: the leavers' cut-off calls take several seconds of it, so the steps queue up behind the quota. */
const GOOGLE_PER_MINUTE = 6_000;
/**
 * The queues' starvation guard (a lower class served after waiting this long) is its own rule, tested in
 * test/unit/priority-order.test.ts: kept out of reach here, so that on a slow machine the lockout taking longer than
 * the guard's default does not let a protect step through and fail an ordering this test is not about.
 */
const STARVATION_OFF = 3_600;

/** The real terminate playbook's cut-off steps (the handover before them included): eight lockout, four housekeeping, the rest protect per leaver. */
const cutoffOnly: Playbooks = { ...fastPolling, terminate: { steps: fastPolling.terminate.steps.filter((s) => s.cutoff) } };

describe('30 urgent leavers at once under a tight Google quota', () => {
  let rt: Runtime;
  let staff: StaffRecord[];

  beforeAll(async () => {
    rt = await start({ playbooks: cutoffOnly, googleRequestsPerMinute: GOOGLE_PER_MINUTE, workerConcurrency: 1, visibilityTimeoutSeconds: 120, starvationSeconds: STARVATION_OFF, settings: { retryBaseSeconds: 1, massChange: { threshold: LEAVERS, windowMinutes: 60 } } });
    staff = seedStaff(rt.emulators, LEAVERS, { prefix: 'lockout' });
    // The meetings handover's transfer completes before its first look again.
    rt.emulators.google.setTransferBehaviour({ delayMs: 200 });
  });
  afterAll(async () => {
    await rt?.stop();
  });

  it('starts no protect or housekeeping step while a lockout step waits, and every step succeeds', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const answers = await Promise.all(staff.map((employee) => postEvent(rt, { eventId: `lockout-${employee.id}`, type: 'terminate', effectiveDate: today, urgent: true, employee })));
    const allAccepted = new Date().toISOString();
    expect(answers.map((a) => a.status)).toEqual(staff.map(() => 202));

    const runs = await allRunsComplete(rt, staff.map((e, i) => ({ employeeId: e.id, runId: answers[i].body.runId as string })), 540_000);
    const steps = runs.flatMap((r) => r.steps.map((s) => ({ ...s, employeeId: r.employeeId })));
    expect(steps.filter((s) => s.status !== 'succeeded').map((s) => `${s.employeeId}/${s.stepId}: ${s.status}`)).toEqual([]);

    const ofClass = (priority: Step['priority']) => steps.filter((s) => s.priority === priority);
    const lockouts = ofClass('lockout');
    // sign-out, reset-password, revoke-tokens, delete-app-passwords, invalidate-backup-codes, remove-recovery-info,
    // turn-off-pop-imap, connect-agent-offline
    expect(lockouts).toHaveLength(LEAVERS * 8);
    // remove-aliases, remove-connect-agent, forward-event, hold-mail
    expect(ofClass('housekeeping')).toHaveLength(LEAVERS * 4);

    // Read from the audit trail, which keeps every attempt: a retry rewrites a step's queuedAt and startedAt.
    const audit = (await Promise.all(staff.map((e) => rt.engine.store.listAudit(e.id)))).flat();
    const key = (employeeId: string, stepId?: string) => `${employeeId}/${stepId ?? ''}`;
    const firstAt = (to: string) => {
      const first = new Map<string, string>();
      for (const a of audit) if (a.to === to && !(first.get(key(a.employeeId, a.stepId))! <= a.at)) first.set(key(a.employeeId, a.stepId), a.at);
      return first;
    };
    const firstQueued = firstAt('queued');
    const firstStarted = firstAt('running');
    // Every lockout step was first queued by the time the last leaver was accepted; each waits from then until its
    // first attempt starts (a later attempt waits out a backoff, not its turn).
    expect(lockouts.filter((s) => !(firstQueued.get(key(s.employeeId, s.stepId))! <= allAccepted)).map((s) => key(s.employeeId, s.stepId))).toEqual([]);
    const lastLockoutStart = lockouts.map((s) => firstStarted.get(key(s.employeeId, s.stepId)) ?? '').sort().at(-1) ?? '';
    expect(lastLockoutStart > allAccepted).toBe(true);
    // No attempt of a protect or housekeeping step starts after all are accepted while a lockout step still waits.
    const lower = new Set([...ofClass('protect'), ...ofClass('housekeeping')].map((s) => key(s.employeeId, s.stepId)));
    const startedAhead = audit
      .filter((a) => a.to === 'running' && lower.has(key(a.employeeId, a.stepId)) && a.at > allAccepted && a.at < lastLockoutStart)
      .map((a) => `${key(a.employeeId, a.stepId)} at ${a.at}`);
    expect(startedAhead).toEqual([]);
  }, 570_000);
});
