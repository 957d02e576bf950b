/** What `npm start` finds again after a restart beyond the store: the receiver's deliveries, and a report of what it caught up on. */
import { recoveryLine } from '../../local/recovery';
import { daysFromToday, hrBody } from '../support/builders';
import { postEvent, runReaches, start, tempDir } from '../support/harness';

const employee = (id: string) => ({ ...hrBody().employee, id });

describe('a restart of the local runtime', () => {
  it("keeps the sample receiver's deliveries, as the other emulators keep their state", async () => {
    const dataDir = tempDir('restart-downstream-');
    const first = await start({ dataDir });
    const res = await postEvent(first, hrBody({ eventId: 'd-1', urgent: true, employee: employee('E-D1') }));
    await runReaches(first, 'E-D1', res.body.runId, 'completed');
    const delivered = [...first.downstream.deliveries.values()];
    expect(delivered).toHaveLength(1);
    await first.stop();

    const second = await start({ dataDir });
    try {
      const listed = (await (await fetch(`${second.emulatorUrl}/downstream/events`)).json()) as { deliveries: unknown[] };
      expect(listed.deliveries).toEqual(JSON.parse(JSON.stringify(delivered)));
    } finally {
      await second.stop();
    }
  });

  it('reports the runs in progress and the step messages it found in the queue', async () => {
    const dataDir = tempDir('restart-report-');
    // No worker: the urgent leaver's step stays in the queue when the runtime stops.
    const first = await start({ dataDir, workerConcurrency: 0 });
    expect(first.recovery).toBeUndefined();
    await postEvent(first, hrBody({ eventId: 'rr-1', urgent: true, employee: employee('E-RR1') }));
    await first.stop();

    const second = await start({ dataDir, workerConcurrency: 0 });
    try {
      expect(second.recovery).toEqual({ runsInProgress: 1, stepsRequeued: 1, dueStepsCaughtUp: 0 });
      expect(recoveryLine(second.recovery!)).toBe('recovered: 1 run in progress, 1 step re-queued, 0 due steps caught up');
    } finally {
      await second.stop();
    }
  });

  it('reports the steps that fell due while it was down and were queued at start', async () => {
    const dataDir = tempDir('restart-due-');
    const first = await start({ dataDir, workerConcurrency: 0 });
    // Falls due in two days: the second start below is five days later, so the sweep at start catches it up.
    await postEvent(first, hrBody({ eventId: 'rd-1', effectiveDate: daysFromToday(2), employee: employee('E-RD1') }));
    await first.stop();

    const later = new Date(Date.now() + 5 * 24 * 3600 * 1000);
    const second = await start({ dataDir, workerConcurrency: 0, clock: { now: () => later } });
    try {
      expect(second.recovery).toMatchObject({ stepsRequeued: 0, dueStepsCaughtUp: 1 });
    } finally {
      await second.stop();
    }
  });
});
