/**
 * An urgent termination of a new hire whose hire run is still going, on the local runtime: the account made the day
 * before stays (and is suspended by the leaver); the welcome mail due on the first day is cancelled and never sent.
 */
import { parsePlaybooks } from '../../config/playbooks';
import type { Runtime } from '../../local/runtime';
import { eventually, operator, postEvent, runReaches, start } from '../support/harness';
import { providerClockFollowing } from '../support/manual-clock';

const playbooks = parsePlaybooks({
  hire: {
    steps: [
      { id: 'create-user', action: 'google.createUser', offsetDays: -1, at: '09:00' },
      { id: 'welcome-email', action: 'google.sendWelcomeEmail', at: '09:00', after: ['create-user'] },
    ],
  },
  role_change: { steps: [] },
  terminate: { steps: [{ id: 'suspend-user', action: 'google.suspendUser', cutoff: true }] },
});

/** The day before the first day, 10:00 in London: the account is made, the welcome mail waits for 09:00 tomorrow. */
let now = new Date('2026-01-04T10:00:00Z').getTime();
const clock = { now: () => new Date(now) };

let rt: Runtime;
beforeAll(async () => {
  rt = await start({ playbooks, clock, providerClock: providerClockFollowing(clock) });
});
afterAll(async () => {
  await rt.stop();
});

const employee = { id: 'E-STOPPED', firstName: 'Emmy', lastName: 'Noether', email: 'emmy.noether@example.com', personalEmail: 'emmy@home.example', timezone: 'Europe/London' };
const mailTo = async (to: string) => ((await (await fetch(`${rt.emulatorUrl}/_emulator/google/mail?to=${to}`)).json()) as { messages: unknown[] }).messages;

describe('an urgent termination of a new hire whose welcome mail is still to come', () => {
  it('cancels the hire run, naming the termination, and no welcome mail goes out on the first day', async () => {
    const hire = await postEvent(rt, { eventId: 'stop-hire', type: 'hire', effectiveDate: '2026-01-05', urgent: false, employee });
    expect(hire.status).toBe(202);
    await eventually(async () => (await rt.engine.store.getRun('E-STOPPED', hire.body.runId))?.steps.find((s) => s.stepId === 'create-user')?.status === 'succeeded', 20_000, 'the account made');
    expect(rt.emulators.google.user(employee.email)).toBeDefined();

    const leave = await postEvent(rt, { eventId: 'stop-leave', type: 'terminate', effectiveDate: '2026-01-04', urgent: true, employee });
    expect(leave.status).toBe(202);
    await runReaches(rt, 'E-STOPPED', leave.body.runId, 'completed');
    expect(rt.emulators.google.user(employee.email)?.suspended).toBe(true);

    const stopped = (await operator(rt, 'GET', `/v1/runs/${hire.body.runId}`)).body;
    expect(stopped.status).toBe('cancelled');
    expect(stopped.steps.map((s: { stepId: string; status: string }) => [s.stepId, s.status])).toEqual([['create-user', 'succeeded'], ['welcome-email', 'cancelled']]);
    const audit = (await operator(rt, 'GET', '/v1/employees/E-STOPPED')).body.audit as { runId: string; to?: string; change: string }[];
    expect(audit.find((a) => a.runId === hire.body.runId && a.to === 'cancelled')?.change).toBe('run cancelled by the termination of event stop-leave: its steps not started will not run');

    // The first day at 09:00 London: the sweep finds nothing due, and Gmail sent nothing to the personal address.
    now = new Date('2026-01-05T09:00:00Z').getTime();
    await rt.sweepNow();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await rt.sweepNow();
    expect(await mailTo(employee.personalEmail)).toEqual([]);
    expect((await rt.engine.store.getRun('E-STOPPED', hire.body.runId))?.steps.find((s) => s.stepId === 'welcome-email')).toMatchObject({ status: 'cancelled', attempts: 0 });
  });
});
