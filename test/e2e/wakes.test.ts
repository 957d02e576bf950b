/** Exact-time steps: a hire's 09:00 welcome runs when the clock reaches 09:00 in the employee's zone, with no sweep. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePlaybooks } from '../../config/playbooks';
import type { Runtime } from '../../local/runtime';
import { hrBody } from '../support/builders';
import { eventually, operator, postEvent, runOf, runReaches, start } from '../support/harness';

/** An employee without a role: no role catalog is needed to plan the hire. */
function employeeWithoutRole(id: string, timezone: string) {
  const { role: _role, ...employee } = hrBody().employee;
  return { ...employee, id, timezone };
}

const EXACT_WELCOME = parsePlaybooks({
  hire: { steps: [{ id: 'welcome', action: 'forward.event', at: '09:00', exactTime: true }] },
  role_change: { steps: [{ id: 'forward-event', action: 'forward.event' }] },
  terminate: { steps: [{ id: 'forward-event', action: 'forward.event', cutoff: true }] },
});

describe('exact-time wakes', () => {
  let rt: Runtime;
  let now = Date.parse('2099-03-31T12:00:00Z');
  beforeAll(async () => {
    // The harness's sweep runs once at start and then hourly: only a wake can run the step on time here.
    rt = await start({ clock: { now: () => new Date(now) }, playbooks: EXACT_WELCOME });
  });
  afterAll(async () => {
    await rt.stop();
  });

  it('runs a hire’s exactTime step at 09:00 local on the effective date, without any sweep', async () => {
    const employee = employeeWithoutRole('E-WAKE', 'America/New_York');
    const res = await postEvent(rt, hrBody({ eventId: 'wake-hire', type: 'hire', effectiveDate: '2099-04-01', employee }));
    expect(res.status).toBe(202);
    const runId: string = res.body.runId;

    // 09:00 EDT is 13:00 UTC.
    expect(rt.wakes.list()).toEqual([
      expect.objectContaining({ runId, employeeId: 'E-WAKE', at: '2099-04-01T13:00:00.000Z', timezone: 'America/New_York', localDateTime: '2099-04-01T09:00:00' }),
    ]);
    const file = join(rt.dataDir!, 'wakes.json');
    expect(existsSync(file)).toBe(true);

    now = Date.parse('2099-04-01T12:59:59Z');
    expect(await rt.wakes.fireDue()).toEqual([]);
    expect((await runOf(rt, 'E-WAKE', runId))?.steps[0].status).toBe('pending');

    // The scheduler's own timer notices the clock; nothing here sweeps or fires by hand.
    now = Date.parse('2099-04-01T13:00:00Z');
    const run = await runReaches(rt, 'E-WAKE', runId, 'completed');
    expect(run.steps[0]).toMatchObject({ stepId: 'welcome', exactTime: true, attempts: 1, startedAt: '2099-04-01T13:00:00.000Z' });
    expect(rt.downstream.deliveries.get(`${runId}:welcome`)?.times).toBe(1);

    const audit = (await operator(rt, 'GET', '/v1/employees/E-WAKE')).body.audit as { actor: string; change: string }[];
    expect(audit.filter((a) => a.change === 'step queued').map((a) => a.actor)).toEqual(['wake']);
    expect(audit.map((a) => a.change)).toContain('wake scheduled at the exact time');
    expect(audit.some((a) => a.actor === 'sweep')).toBe(false);

    // Fired once and deleted, on disk too.
    expect(rt.wakes.list()).toEqual([]);
    await eventually(async () => (JSON.parse(readFileSync(file, 'utf8')) as unknown[]).length === 0, 5000, 'the wake file to empty');
  });

  it('a wake for a cancelled run releases nothing', async () => {
    now = Date.parse('2099-05-01T12:00:00Z');
    const employee = employeeWithoutRole('E-WAKE-CANCEL', 'Europe/Berlin');
    const res = await postEvent(rt, hrBody({ eventId: 'wake-hire-cancelled', type: 'hire', effectiveDate: '2099-05-04', employee }));
    const runId: string = res.body.runId;
    expect(rt.wakes.list().map((w) => w.runId)).toEqual([runId]);
    const cancel = await postEvent(rt, { eventId: 'wake-cancel', type: 'cancel', cancels: 'wake-hire-cancelled' });
    expect(cancel.status).toBe(202);

    now = Date.parse('2099-05-04T07:00:00Z');
    await eventually(async () => rt.wakes.list().length === 0, 5000, 'the wake to fire');
    const run = await runOf(rt, 'E-WAKE-CANCEL', runId);
    expect(run).toMatchObject({ status: 'cancelled', steps: [{ status: 'cancelled', attempts: 0 }] });
    expect(rt.downstream.deliveries.get(`${runId}:welcome`)).toBeUndefined();
  });
});
