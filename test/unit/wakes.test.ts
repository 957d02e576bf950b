import { parsePlaybooks } from '../../config/playbooks';
import { planRun } from '../../lambdas/engine/plan';
import type { AuditEntry, Run } from '../../lambdas/engine/model';
import { noMetrics, type EngineDeps, type StepMessage, type StepWakes, type Wake } from '../../lambdas/engine/ports';
import { cancelWakes, localDateTime, scheduleWakes, wakeName, wakeRun, wakesFor } from '../../lambdas/engine/wakes';
import { holdForApproval, cancelRun } from '../../lambdas/engine/step-machine';
import { createSweepHandler } from '../../lambdas/handlers/sweep';
import { actionCatalog } from '../../lambdas/handlers/engine-deps';
import type { LifecycleStore } from '../../lambdas/store/lifecycle-store';
import { localContext } from '../../local/lambda-context';
import { settings, terminateEvent } from '../support/builders';

const playbooks = parsePlaybooks({
  hire: {
    steps: [
      { id: 'create-account', action: 'google.createUser', offsetDays: -3, at: '10:00' },
      { id: 'welcome-email', action: 'notify.welcomeEmail', at: '09:00', exactTime: true },
      { id: 'first-week', action: 'notify.welcomeEmail', offsetDays: 7, at: '09:30', exactTime: true },
    ],
  },
  role_change: { steps: [] },
  terminate: { steps: [] },
});

const hire = (effectiveDate: string, timezone: string) => {
  const event = terminateEvent({ type: 'hire', eventId: `hire-${effectiveDate}-${timezone}`, effectiveDate });
  return { ...event, employee: { ...event.employee, timezone } };
};
const now = new Date('2026-03-01T12:00:00Z');

/** Engine deps over an in-memory run store; any other port used is a test failure. */
function fakeDeps(runs: Run[] = [], wakes?: StepWakes) {
  const stored = new Map(runs.map((r) => [r.runId, r]));
  const audit: AuditEntry[] = [];
  const sent: StepMessage[] = [];
  const logged: { level: string; message: string }[] = [];
  const store: Partial<LifecycleStore> = {
    getRun: async (_e, runId) => stored.get(runId),
    saveRun: async (run) => void stored.set(run.runId, run),
    appendAudit: async (entries) => void audit.push(...entries),
    queryDue: async () => ({ runs: [], itemsRead: 0 }),
  };
  const deps = {
    store: store as LifecycleStore,
    queue: { send: async (m: StepMessage[]) => void sent.push(...m), retryLater: async () => {} },
    clock: { now: () => now },
    settings,
    playbooks,
    log: {
      info: () => {},
      warn: (message: string) => logged.push({ level: 'warn', message }),
      error: (message: string) => logged.push({ level: 'error', message }),
    },
    metrics: noMetrics,
    wakes,
    actions: actionCatalog,
  } as unknown as EngineDeps;
  return { deps, stored, audit, sent, logged };
}

class RecordingWakes implements StepWakes {
  readonly scheduled: Wake[] = [];
  readonly cancelled: string[] = [];
  constructor(private readonly answer: (wake: Wake) => Promise<'scheduled' | 'exists'> = async () => 'scheduled') {}
  async schedule(wake: Wake) {
    const outcome = await this.answer(wake);
    this.scheduled.push(wake);
    return outcome;
  }
  async cancel(name: string) {
    this.cancelled.push(name);
  }
}

describe('wakeName', () => {
  it('is the same for the same run and step, different otherwise, and a valid Scheduler name', () => {
    const a = wakeName('run-1', 'welcome-email');
    expect(wakeName('run-1', 'welcome-email')).toBe(a);
    expect(new Set([a, wakeName('run-1', 'first-week'), wakeName('run-2', 'welcome-email')]).size).toBe(3);
    const long = wakeName('9f86d081-884c-7d65-9a2f-eaa0c55ad015', 'x'.repeat(200));
    for (const name of [a, long]) expect(name).toMatch(/^[0-9a-zA-Z\-_.]{1,64}$/);
  });
});

describe('localDateTime', () => {
  it.each([
    ['2026-06-01T07:00:00.000Z', 'Europe/Berlin', '2026-06-01T09:00:00'],
    ['2026-01-15T08:00:00.000Z', 'Europe/Berlin', '2026-01-15T09:00:00'],
    ['2026-03-09T04:30:05.000Z', 'America/New_York', '2026-03-09T00:30:05'],
    ['2026-01-01T00:00:00.000Z', 'Asia/Kolkata', '2026-01-01T05:30:00'],
    ['2026-07-01T00:00:00.000Z', 'UTC', '2026-07-01T00:00:00'],
  ])('%s in %s is %s', (instant, zone, expected) => {
    expect(localDateTime(new Date(instant), zone)).toBe(expected);
  });
});

describe('wakesFor', () => {
  it('gives one wake per pending exactTime step due in the future, at its local time', () => {
    const run = planRun(hire('2026-04-01', 'Europe/Berlin'), playbooks, now, settings);
    expect(run.steps.map((s) => [s.stepId, s.exactTime])).toEqual([
      ['create-account', undefined],
      ['welcome-email', true],
      ['first-week', true],
    ]);
    expect(wakesFor(run, now)).toEqual([
      {
        stepId: 'welcome-email',
        name: wakeName(run.runId, 'welcome-email'),
        at: '2026-04-01T07:00:00.000Z',
        timezone: 'Europe/Berlin',
        localDateTime: '2026-04-01T09:00:00',
        employeeId: run.employeeId,
        runId: run.runId,
      },
      expect.objectContaining({ stepId: 'first-week', at: '2026-04-08T07:30:00.000Z', localDateTime: '2026-04-08T09:30:00' }),
    ]);
  });

  it('keeps the local wall time across a DST change (New York springs forward on 8 March 2026)', () => {
    const run = planRun(hire('2026-03-06', 'America/New_York'), playbooks, now, settings);
    const [welcome, firstWeek] = wakesFor(run, now);
    // 09:00 EST is 14:00 UTC; a week later 09:30 EDT is 13:30 UTC.
    expect([welcome.at, welcome.localDateTime]).toEqual(['2026-03-06T14:00:00.000Z', '2026-03-06T09:00:00']);
    expect([firstWeek.at, firstWeek.localDateTime]).toEqual(['2026-03-13T13:30:00.000Z', '2026-03-13T09:30:00']);
  });

  it('leaves out steps already due, steps not pending, and runs that ended; keeps runs awaiting approval', () => {
    const run = planRun(hire('2026-04-01', 'Europe/Berlin'), playbooks, now, settings);
    expect(wakesFor(run, new Date('2026-04-01T07:00:00Z')).map((w) => w.stepId)).toEqual(['first-week']);
    const queued: Run = { ...run, steps: run.steps.map((s) => (s.stepId === 'welcome-email' ? { ...s, status: 'queued' } : s)) };
    expect(wakesFor(queued, now).map((w) => w.stepId)).toEqual(['first-week']);
    expect(wakesFor(cancelRun(run, now, settings), now)).toEqual([]);
    expect(wakesFor(holdForApproval(run, 'test', settings), now)).toHaveLength(2);
  });

  it('rounds a due time with milliseconds up, so a wake never fires before its step is due', () => {
    const run = planRun(hire('2026-04-01', 'UTC'), playbooks, now, settings);
    const odd: Run = { ...run, steps: run.steps.map((s) => ({ ...s, dueAt: '2026-04-01T09:00:00.250Z' })) };
    expect(wakesFor(odd, now)[0]).toMatchObject({ at: '2026-04-01T09:00:01.000Z', localDateTime: '2026-04-01T09:00:01' });
  });
});

describe('scheduleWakes', () => {
  const run = planRun(hire('2026-04-01', 'Europe/Berlin'), playbooks, now, settings);

  it('schedules each wake and audits it', async () => {
    const wakes = new RecordingWakes(async (w) => (w.name === wakeName(run.runId, 'first-week') ? 'exists' : 'scheduled'));
    const { deps, audit } = fakeDeps([run], wakes);
    await scheduleWakes(deps, run);
    expect(wakes.scheduled.map((w) => w.name)).toEqual([wakeName(run.runId, 'welcome-email'), wakeName(run.runId, 'first-week')]);
    expect(wakes.scheduled[0]).not.toHaveProperty('stepId');
    expect(audit.map((a) => [a.stepId, a.actor, a.change])).toEqual([
      ['welcome-email', 'wake', 'wake scheduled at the exact time'],
      ['first-week', 'wake', 'wake already scheduled'],
    ]);
    expect(audit[0].detail).toMatchObject({ localTime: '2026-04-01T09:00:00 Europe/Berlin' });
  });

  it('never fails: a refused wake is logged and audited, and the others are still scheduled', async () => {
    const wakes = new RecordingWakes(async (w) => {
      if (w.name === wakeName(run.runId, 'welcome-email')) throw new Error('ThrottlingException');
      return 'scheduled';
    });
    const { deps, audit, logged } = fakeDeps([run], wakes);
    await expect(scheduleWakes(deps, run)).resolves.toBeUndefined();
    expect(audit.map((a) => a.change)).toEqual(['wake not scheduled: the step is queued by the first sweep after its time', 'wake scheduled at the exact time']);
    expect(logged).toEqual([{ level: 'warn', message: 'a wake could not be scheduled; the sweep will queue the step' }]);
  });

  it('never fails when the audit cannot be written either', async () => {
    const { deps, logged } = fakeDeps([run], new RecordingWakes());
    deps.store.appendAudit = async () => {
      throw new Error('table unavailable');
    };
    await expect(scheduleWakes(deps, run)).resolves.toBeUndefined();
    expect(logged.map((l) => l.level)).toEqual(['warn']);
  });

  it('does nothing without a wakes port', async () => {
    const { deps, audit } = fakeDeps([run]);
    await scheduleWakes(deps, run);
    expect(audit).toEqual([]);
  });

  it('cancelWakes removes the wake of every exactTime step', async () => {
    const wakes = new RecordingWakes();
    const { deps } = fakeDeps([run], wakes);
    await cancelWakes(deps, run);
    expect(wakes.cancelled).toEqual([wakeName(run.runId, 'welcome-email'), wakeName(run.runId, 'first-week')]);
  });
});

describe('wakeRun', () => {
  const run = planRun(hire('2026-03-01', 'UTC'), playbooks, new Date('2026-02-01T00:00:00Z'), settings);

  it('queues the run steps that are due, audited as the wake', async () => {
    const { deps, sent, audit, stored } = fakeDeps([run]);
    // now is 12:00 UTC on 1 March: the 09:00 welcome is due; the account step was due days ago.
    expect(await wakeRun(deps, { employeeId: run.employeeId, runId: run.runId })).toEqual({ runId: run.runId, stepsQueued: 2 });
    expect(sent.map((m) => m.stepId).sort()).toEqual(['create-account', 'welcome-email']);
    expect(audit.every((a) => a.actor === 'wake' && a.change === 'step queued')).toBe(true);
    expect(stored.get(run.runId)?.steps.find((s) => s.stepId === 'first-week')?.status).toBe('pending');
  });

  it('releases nothing for a run held for approval or cancelled', async () => {
    for (const held of [holdForApproval(run, 'test', settings), cancelRun(run, now, settings)]) {
      const { deps, sent } = fakeDeps([held]);
      expect(await wakeRun(deps, { employeeId: run.employeeId, runId: run.runId })).toEqual({ runId: run.runId, stepsQueued: 0 });
      expect(sent).toEqual([]);
    }
  });

  it('logs and leaves to the sweep a run it cannot read', async () => {
    const { deps, logged } = fakeDeps([]);
    expect(await wakeRun(deps, { employeeId: 'E1', runId: 'nope' })).toEqual({ runId: 'nope', stepsQueued: 0, failed: true });
    expect(logged.map((l) => l.level)).toEqual(['error']);
  });
});

describe('the sweep handler', () => {
  const run = planRun(hire('2026-03-01', 'UTC'), playbooks, new Date('2026-02-01T00:00:00Z'), settings);
  const invoke = (deps: EngineDeps, event: unknown) => createSweepHandler(() => deps)(event, localContext('sweep'));

  it('sweeps on the rule event', async () => {
    const { deps } = fakeDeps([run]);
    const event = { source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} };
    expect(await invoke(deps, event)).toEqual({ itemsRead: 0, runsDue: 0, stepsQueued: 0, failures: 0 });
  });

  it('releases one run on a wake', async () => {
    const { deps, sent } = fakeDeps([run]);
    expect(await invoke(deps, { wake: { employeeId: run.employeeId, runId: run.runId } })).toEqual({ runId: run.runId, stepsQueued: 2 });
    expect(sent).toHaveLength(2);
  });

  it.each([
    [{ wake: {} }],
    [{ wake: { employeeId: 'E1' } }],
    [{ wake: { employeeId: 'E1', runId: '' } }],
    [{ wake: { employeeId: 'E1', runId: 'r', extra: 1 } }],
    [{ wake: 'r' }],
  ])('logs and ignores a malformed wake %j', async (event) => {
    const { deps, sent, logged } = fakeDeps([run]);
    expect(await invoke(deps, event)).toEqual({ ignored: expect.stringMatching(/wake/) });
    expect(sent).toEqual([]);
    expect(logged).toEqual([{ level: 'warn', message: 'ignored a malformed wake' }]);
  });
});

