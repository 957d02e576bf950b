/** The mass-change guard's rule, windows and state changes, with plain values. */
import { parsePlaybooks } from '../../config/playbooks';
import { MASS_CHANGE_DEFAULTS } from '../../config/schema';
import { loadStageConfig } from '../../config/stages';
import {
  buildMassChangeAlert,
  countsForMassChange,
  isOverThreshold,
  massChangeSettings,
  previousWindowStart,
  quarantine,
  rejectFromQuarantine,
  releaseFromQuarantine,
  windowStartOf,
} from '../../lambdas/engine/mass-change';
import type { MassChangeMark, PlannedEvent, Run } from '../../lambdas/engine/model';
import { planRun, type PlannedRole } from '../../lambdas/engine/plan';
import { cancelRun, releaseDue, retryStep, TransitionError } from '../../lambdas/engine/step-machine';
import { renderRole } from '../../lambdas/roles/render';
import { resolveRole } from '../../lambdas/roles/resolve';
import { engineSettingsFromEnv } from '../../lambdas/shared/settings';
import { ENV } from '../../lambdas/shared/env-names';
import { settings, terminateEvent } from '../support/builders';
import { catalogOf, role } from './roles/role-fixtures';

const now = new Date('2026-11-23T10:00:00Z');

const catalog = catalogOf([
  role('employee', undefined, { Groups: ['all-staff@example.com'] }),
  role('agent', 'employee', { Groups: ['support@example.com'], 'Connect routing profile': 'Support-Tier1', 'Connect security profiles': ['Agent'] }),
  role('senior-agent', 'agent', { Groups: ['senior@example.com'] }),
]);
const playbooks = parsePlaybooks({
  hire: { steps: [{ id: 'forward-event', action: 'forward.event' }] },
  role_change: { role: { offsetDays: 0, at: '00:00' }, steps: [{ id: 'forward-event', action: 'forward.event' }] },
  terminate: { steps: [{ id: 'suspend', action: 'google.suspendUser', cutoff: true }, { id: 'forward-event', action: 'forward.event' }] },
});
const resolved = (name: string) => resolveRole(catalog, name).role!;
const move = (to: string, from: string): Run => {
  const event = terminateEvent({ type: 'role_change', eventId: `move-${from}-${to}`, employee: { ...terminateEvent().employee, role: to } });
  const planned: PlannedRole = { name: to, resolved: resolved(to), text: renderRole(resolved(to)), previous: { role: resolved(from), runId: 'r-before' }, planned: 1 };
  return planRun(event, playbooks, now, settings, planned);
};
const urgentLeaver = (overrides: Partial<PlannedEvent> = {}) => planRun(terminateEvent({ urgent: true, effectiveDate: '2026-11-23', ...overrides }), playbooks, now, settings);
const mark = (over: Partial<MassChangeMark> = {}): MassChangeMark => ({
  windowStart: '2026-11-23T10:00:00.000Z',
  ordinal: 11,
  previousWindowCount: 0,
  threshold: 10,
  windowMinutes: 60,
  held: true,
  ...over,
});

describe('what the guard counts', () => {
  it('counts every termination', () => {
    expect(countsForMassChange(urgentLeaver())).toBe(true);
  });

  it('counts a role change whose plan takes access away, and marks exactly the removal steps', () => {
    const demoted = move('agent', 'senior-agent');
    expect(demoted.steps.filter((s) => s.removes).map((s) => s.stepId)).toEqual(['remove-groups']);
    expect(countsForMassChange(demoted)).toBe(true);
    const leavesSupport = move('employee', 'agent');
    expect(leavesSupport.steps.filter((s) => s.removes).map((s) => s.stepId)).toEqual(['remove-groups', 'remove-connect-agent']);
    expect(countsForMassChange(leavesSupport)).toBe(true);
  });

  it('does not count a role change that only adds, a hire or a cancel', () => {
    const promoted = move('senior-agent', 'agent');
    expect(promoted.steps.some((s) => s.removes)).toBe(false);
    expect(countsForMassChange(promoted)).toBe(false);
    expect(countsForMassChange({ type: 'hire', steps: [] })).toBe(false);
    expect(countsForMassChange({ type: 'cancel', steps: [{ fromRole: true, removes: true }] })).toBe(false);
  });

  it('does not count a playbook step alone on a role change, only steps planned from the role', () => {
    expect(countsForMassChange({ type: 'role_change', steps: [{ removes: true }] })).toBe(false);
  });
});

describe('windows and the threshold', () => {
  it.each([
    ['2026-11-23T10:00:00.000Z', 60, '2026-11-23T10:00:00.000Z'],
    ['2026-11-23T10:59:59.999Z', 60, '2026-11-23T10:00:00.000Z'],
    ['2026-11-23T11:00:00.000Z', 60, '2026-11-23T11:00:00.000Z'],
    ['2026-11-23T10:29:00.000Z', 15, '2026-11-23T10:15:00.000Z'],
  ])('%s falls in the %i-minute window from %s', (at, minutes, start) => {
    expect(windowStartOf(new Date(at), minutes)).toBe(start);
  });

  it('names the window before', () => {
    expect(previousWindowStart('2026-11-23T10:00:00.000Z', 60)).toBe('2026-11-23T09:00:00.000Z');
  });

  it.each([
    [10, 0, 10, false],
    [11, 0, 10, true],
    [1, 10, 10, true],
    [4, 6, 10, false],
    [5, 6, 10, true],
  ])('place %i with %i counted in the window before, threshold %i: held %s', (place, before, threshold, held) => {
    expect(isOverThreshold(place, before, threshold)).toBe(held);
  });

  it('lets at most the threshold proceed in any span of one window, even for a burst across a window edge', () => {
    for (let inFirst = 0; inFirst <= 40; inFirst++) {
      const proceeded =
        Array.from({ length: inFirst }, (_, i) => i + 1).filter((p) => !isOverThreshold(p, 0, 10)).length +
        Array.from({ length: 40 - inFirst }, (_, i) => i + 1).filter((p) => !isOverThreshold(p, inFirst, 10)).length;
      expect(proceeded).toBe(10);
    }
  });
});

describe('settings', () => {
  afterEach(() => {
    delete process.env[ENV.massChangeThreshold];
    delete process.env[ENV.massChangeWindowMinutes];
  });

  it('default to 10 per 60 minutes on every stage and in the engine', () => {
    expect(MASS_CHANGE_DEFAULTS).toEqual({ threshold: 10, windowMinutes: 60 });
    for (const stage of ['local', 'dev', 'prod']) expect(loadStageConfig(stage).massChange).toEqual({ threshold: 10, windowMinutes: 60 });
    expect(massChangeSettings({})).toEqual({ threshold: 10, windowMinutes: 60 });
  });

  it('are overridden by the environment, and a bad value is refused naming the variable', () => {
    process.env[ENV.massChangeThreshold] = '500';
    process.env[ENV.massChangeWindowMinutes] = '15';
    expect(engineSettingsFromEnv(loadStageConfig('local')).massChange).toEqual({ threshold: 500, windowMinutes: 15 });
    process.env[ENV.massChangeThreshold] = 'ten';
    expect(() => engineSettingsFromEnv(loadStageConfig('local'))).toThrow('LIFECYCLE_MASS_CHANGE_THRESHOLD must be a positive whole number, got "ten"');
  });
});

describe('a quarantined run', () => {
  it('moves no step: not at intake, not at the sweep, not by a retry; nothing is on the due index', () => {
    const held = quarantine(urgentLeaver(), mark(), settings);
    expect(held.status).toBe('quarantined');
    expect(held.dueAt).toBeUndefined();
    expect(releaseDue(held, new Date('2026-11-30T00:00:00Z'), settings)).toEqual({ run: held, enqueue: [] });
    expect(() => retryStep(held, 'suspend', now, settings)).toThrow(TransitionError);
  });

  it('is released by an operator: scheduled, its due cut-off queued at once, the decision kept', () => {
    const held = quarantine(urgentLeaver(), mark(), settings);
    const out = releaseFromQuarantine(held, 'ops@example.com', now, settings);
    expect(out.enqueue).toEqual(['suspend', 'forward-event']);
    expect(out.run.status).toBe('in_progress');
    expect(out.run.massChange).toMatchObject({ held: true, decision: 'released', decidedBy: 'ops@example.com', decidedAt: now.toISOString() });
  });

  it('keeps a not-yet-due step pending after release, on the due index', () => {
    const later = quarantine(planRun(terminateEvent({ effectiveDate: '2026-12-01' }), playbooks, now, settings), mark(), settings);
    const out = releaseFromQuarantine(later, 'ops', now, settings);
    expect(out.enqueue).toEqual([]);
    expect(out.run.status).toBe('scheduled');
    expect(out.run.dueAt).toBeDefined();
  });

  it('is rejected by an operator: every step cancelled, nothing due, the reason kept', () => {
    const held = quarantine(urgentLeaver(), mark(), settings);
    const out = rejectFromQuarantine(held, 'ops', 'forged batch', now, settings);
    expect(out.status).toBe('rejected');
    expect(out.steps.map((s) => s.status)).toEqual(['cancelled', 'cancelled']);
    expect(out.dueAt).toBeUndefined();
    expect(out.massChange).toMatchObject({ decision: 'rejected', reason: 'forged batch' });
  });

  it('cannot be released or rejected twice, nor a run that was never held', () => {
    const released = releaseFromQuarantine(quarantine(urgentLeaver(), mark(), settings), 'ops', now, settings).run;
    expect(() => releaseFromQuarantine(released, 'ops', now, settings)).toThrow(/is in_progress, not quarantined/);
    expect(() => rejectFromQuarantine(urgentLeaver(), 'ops', 'x', now, settings)).toThrow(/is scheduled, not quarantined/);
  });

  it('can still be cancelled by HR', () => {
    const cancelled = cancelRun(quarantine(urgentLeaver(), mark(), settings), now, settings);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.steps.every((s) => s.status === 'cancelled')).toBe(true);
  });
});

describe('the batch alert', () => {
  it('says what was held, why, and the calls that release or reject the batch', () => {
    const run = quarantine(urgentLeaver(), mark({ ordinal: 11, previousWindowCount: 2 }), settings);
    const alert = buildMassChangeAlert(run, run.massChange!, now.toISOString());
    expect(alert).toMatchObject({ alertId: `mass-change:${run.runId}`, runId: run.runId, employeeId: 'E100', action: 'massChange.guard', status: 'open' });
    expect(alert.message).toContain('more than 10 terminations or access-removing role changes within 60 minutes');
    expect(alert.providerAnswer).toBe('11 runs that take access away counted in the 60-minute window from 2026-11-23T10:00:00.000Z and 2 in the window before; threshold 10');
    expect(alert.whatToDo).toContain('POST /v1/quarantine/release {"count": n}');
    expect(alert.whatToDo).toContain('POST /v1/quarantine/reject');
  });
});
