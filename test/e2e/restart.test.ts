/** Stopping and starting again keeps every record: runs, audit trail, queued messages. */
import { daysFromToday, hrBody } from '../support/builders';
import { operator, postEvent, runReaches, start, tempDir } from '../support/harness';
import { updateRun } from '../../lambdas/engine/run-updates';
import { claimStep } from '../../lambdas/engine/step-machine';

describe('a restart', () => {
  it('finds every record it had, and finishes a step that fell due while it was down', async () => {
    const dataDir = tempDir('restart-');
    const first = await start({ dataDir });
    const done = await postEvent(first, hrBody({ eventId: 'r-1', urgent: true, employee: { ...hrBody().employee, id: 'E-R1' } }));
    await runReaches(first, 'E-R1', done.body.runId, 'completed');
    const waiting = await postEvent(first, hrBody({ eventId: 'r-2', effectiveDate: daysFromToday(300), employee: { ...hrBody().employee, id: 'E-R2' } }));
    const before = await operator(first, 'GET', '/v1/employees/E-R1');
    await first.stop();

    const second = await start({ dataDir });
    try {
      expect(await operator(second, 'GET', '/v1/employees/E-R1')).toEqual(before);
      const pending = await operator(second, 'GET', '/v1/employees/E-R2');
      expect(pending.body.runs[0]).toMatchObject({ runId: waiting.body.runId, status: 'scheduled' });
      const dup = await postEvent(second, hrBody({ eventId: 'r-1', urgent: true, employee: { ...hrBody().employee, id: 'E-R1' } }));
      expect(dup.status).toBe(200);
      expect(dup.body.runId).toBe(done.body.runId);
    } finally {
      await second.stop();
    }
  });

  it('keeps a message that was queued but not yet delivered', async () => {
    const dataDir = tempDir('restart-q-');
    const first = await start({ dataDir, workerConcurrency: 0 });
    const res = await postEvent(first, hrBody({ eventId: 'q-1', urgent: true, employee: { ...hrBody().employee, id: 'E-Q1' } }));
    expect(first.steps.stats().visible).toBe(1);
    await first.stop();

    const second = await start({ dataDir });
    try {
      const run = await runReaches(second, 'E-Q1', res.body.runId, 'completed');
      expect(run.steps[0].attempts).toBe(1);
    } finally {
      await second.stop();
    }
  });

  it('runs a step the stopped process left running again within seconds, not after its lease and visibility timeout', async () => {
    const dataDir = tempDir('restart-lease-');
    // Both a long lease and a long visibility: without the restart's recovery the step would wait two minutes.
    const slow = { dataDir, visibilityTimeoutSeconds: 120, settings: { leaseSeconds: 120, retryBaseSeconds: 1 } };
    const first = await start({ ...slow, workerConcurrency: 0 });
    const res = await postEvent(first, hrBody({ eventId: 'lease-1', urgent: true, employee: { ...hrBody().employee, id: 'E-LEASE' } }));
    // A worker receives the message and claims the step; the process stops before the action answers.
    const [message] = first.steps.receive(1);
    expect(message).toBeDefined();
    await updateRun(first.engine, 'E-LEASE', res.body.runId, (run) => ({ run: claimStep(run, 'forward-event', new Date(), 120, 'dead-worker', first.engine.settings).run, value: null }));
    await first.stop();

    const startedAt = Date.now();
    const second = await start(slow);
    try {
      const run = await runReaches(second, 'E-LEASE', res.body.runId, 'completed', 15_000);
      expect(Date.now() - startedAt).toBeLessThan(15_000);
      expect(run.steps[0]).toMatchObject({ status: 'succeeded', attempts: 2 });
      const audit = await second.engine.store.listAudit('E-LEASE');
      expect(audit.map((a) => a.change)).toContain('the process running it stopped; queued again at the restart');
    } finally {
      await second.stop();
    }
  });
});
