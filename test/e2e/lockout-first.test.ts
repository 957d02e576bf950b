/**
 * Lockout first: 30 urgent leavers at once under a Google quota too tight to serve them together. Once all 30 are
 * accepted, no housekeeping step starts while a lockout step waits (read from the steps' own timestamps), and every
 * step still succeeds. The figures at the layoff's size are the layoff benchmark's (`npm run bench -- --only layoff`).
 */
import { playbooks } from '../../config/playbooks';
import type { Playbooks } from '../../config/schema';
import type { Step } from '../../lambdas/engine/model';
import { seedStaff, type StaffRecord } from '../../local/emulators/seed-staff';
import type { Runtime } from '../../local/runtime';
import { allRunsComplete, postEvent, start } from '../support/harness';

const LEAVERS = 30;
/** Tight: the leavers' cut-off calls take several seconds of it, so the steps queue up behind the quota. */
const GOOGLE_PER_MINUTE = 6_000;

/** The real terminate playbook's cut-off steps: five lockout, six protect, two housekeeping per leaver. */
const cutoffOnly: Playbooks = { ...playbooks, terminate: { steps: playbooks.terminate.steps.filter((s) => s.cutoff) } };

describe('30 urgent leavers at once under a tight Google quota', () => {
  let rt: Runtime;
  let staff: StaffRecord[];

  beforeAll(async () => {
    rt = await start({ playbooks: cutoffOnly, googleRequestsPerMinute: GOOGLE_PER_MINUTE, workerConcurrency: 1, visibilityTimeoutSeconds: 120, settings: { retryBaseSeconds: 1, massChange: { threshold: LEAVERS, windowMinutes: 60 } } });
    staff = seedStaff(rt.emulators, LEAVERS, { prefix: 'lockout' });
  });
  afterAll(async () => {
    await rt?.stop();
  });

  it('starts no housekeeping step while a lockout step waits, and every step succeeds', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const answers = await Promise.all(staff.map((employee) => postEvent(rt, { eventId: `lockout-${employee.id}`, type: 'terminate', effectiveDate: today, urgent: true, employee })));
    const allAccepted = new Date().toISOString();
    expect(answers.map((a) => a.status)).toEqual(staff.map(() => 202));

    const runs = await allRunsComplete(rt, staff.map((e, i) => ({ employeeId: e.id, runId: answers[i].body.runId as string })), 150_000);
    const steps = runs.flatMap((r) => r.steps.map((s) => ({ ...s, employeeId: r.employeeId })));
    expect(steps.filter((s) => s.status !== 'succeeded').map((s) => `${s.employeeId}/${s.stepId}: ${s.status}`)).toEqual([]);

    const ofClass = (priority: Step['priority']) => steps.filter((s) => s.priority === priority);
    const lockouts = ofClass('lockout');
    // sign-out, reset-password, revoke-tokens, delete-app-passwords, invalidate-backup-codes, connect-agent-offline
    expect(lockouts).toHaveLength(LEAVERS * 6);
    expect(ofClass('housekeeping')).toHaveLength(LEAVERS * 2);
    // Every lockout step was queued by the time the last leaver was accepted: from then on, one that starts after a
    // housekeeping step was waiting when that housekeeping step started.
    expect(lockouts.filter((s) => (s.queuedAt ?? '') > allAccepted)).toEqual([]);
    const lastLockoutStart = lockouts.map((s) => s.startedAt ?? '').sort().at(-1) ?? '';
    const startedAhead = ofClass('housekeeping')
      .filter((h) => (h.startedAt ?? '') > allAccepted && (h.startedAt ?? '') < lastLockoutStart)
      .map((h) => `${h.employeeId}/${h.stepId} at ${h.startedAt}`);
    expect(startedAhead).toEqual([]);
  }, 180_000);
});
