/** The sweep against the embedded store: reads only what is due, and two sweeps never queue a step twice. */
import { sweep } from '../../lambdas/engine/sweep';
import type { Runtime } from '../../local/runtime';
import { addDays, zonedTimeToUtc } from '../../lambdas/engine/time';
import { daysFromToday, hrBody } from '../support/builders';
import { operator, postEvent, runReaches, start } from '../support/harness';

describe('the sweep', () => {
  let rt: Runtime;
  let now = Date.now();
  beforeAll(async () => {
    rt = await start({ clock: { now: () => new Date(now) } });
  });
  afterAll(async () => {
    await rt.stop();
  });

  it('queues a step when its time comes, once, however many sweeps run at that moment', async () => {
    const ids = ['E-S1', 'E-S2', 'E-S3'];
    const runs: string[] = [];
    // Ahead, within the window the API accepts around its clock.
    const lastDay = daysFromToday(100);
    for (const id of ids) {
      const res = await postEvent(rt, hrBody({ eventId: `sweep-${id}`, effectiveDate: lastDay, employee: { ...hrBody().employee, id } }));
      expect(res.status).toBe(202);
      runs.push(res.body.runId);
    }
    const early = await rt.engine.store.getRun('E-S1', runs[0]);
    expect(early?.steps[0].status).toBe('pending');

    // Move the clock past the cut-off (midnight after the last day, in Berlin) and sweep twice at the same time.
    now = zonedTimeToUtc(addDays(lastDay, 1), '00:00', 'Europe/Berlin').getTime() + 1000;
    const reports = await Promise.all([sweep(rt.engine), sweep(rt.engine)]);
    expect(reports.reduce((n, r) => n + r.stepsQueued, 0)).toBe(3);
    expect(reports.every((r) => r.itemsRead <= 3)).toBe(true);

    for (const [i, id] of ids.entries()) {
      const run = await runReaches(rt, id, runs[i], 'completed');
      expect(run.steps[0].attempts).toBe(1);
      expect(rt.downstream.deliveries.get(`${runs[i]}:forward-event`)?.times).toBe(1);
    }
    const again = await operator(rt, 'POST', '/v1/sweep');
    expect(again.body).toMatchObject({ itemsRead: 0, stepsQueued: 0 });
  });
});
