/** A step's lease against its message's redelivery: a delivery that finds a live lease comes back when it ends. */
import { loadStageConfig, STAGE_NAMES } from '../../config/stages';
import { VISIBILITY_TIMEOUT_FACTOR } from '../../lib/constructs/steps-queue';
import { dispatchStep, RetryLaterError } from '../../lambdas/engine/dispatch';
import type { Run } from '../../lambdas/engine/model';
import { planRun } from '../../lambdas/engine/plan';
import { noMetrics, silentLog, type EngineDeps } from '../../lambdas/engine/ports';
import { claimStep, releaseDue } from '../../lambdas/engine/step-machine';
import { settings, terminateEvent } from '../support/builders';
import { FORWARD_ONLY_PLAYBOOKS } from '../support/playbooks';

describe('on AWS', () => {
  it.each(STAGE_NAMES.filter((s) => s !== 'local'))('%s: a step lease runs out before the queue delivers its message again', (stage) => {
    const config = loadStageConfig(stage);
    expect(config.leaseSeconds).toBeLessThan(config.dispatcherTimeoutSeconds * VISIBILITY_TIMEOUT_FACTOR);
  });
});

describe('a delivery that finds the step leased', () => {
  const now = new Date('2026-11-30T23:00:10Z');
  /** A run whose only step another worker claimed 10 s ago with a 30 s lease. */
  function leasedRun(): Run {
    const planned = planRun(terminateEvent({ urgent: true }), FORWARD_ONLY_PLAYBOOKS, new Date('2026-11-30T23:00:00Z'), settings);
    const queued = releaseDue(planned, new Date('2026-11-30T23:00:00Z'), settings).run;
    return claimStep(queued, 'forward-event', new Date('2026-11-30T23:00:00Z'), 30, 'other-worker', settings).run;
  }
  const deps = (run: Run) =>
    ({
      store: { getRun: async () => run, saveRun: async () => {}, appendAudit: async () => {} },
      queue: { send: async () => {}, retryLater: async () => {} },
      invoker: { invoke: async () => ({ ok: true }) },
      actions: { isKnownAction: () => true, restoreRuleFor: () => undefined, priorityOf: () => 'protect' },
      clock: { now: () => now },
      settings,
      log: silentLog,
      metrics: noMetrics,
    }) as unknown as EngineDeps;

  it.each([1, 2])('is handed back until the lease has run out (receive %i), never dropped', async (receiveCount) => {
    const run = leasedRun();
    const message = { runId: run.runId, employeeId: run.employeeId, stepId: 'forward-event' };
    const outcome = dispatchStep(deps(run), message, receiveCount);
    await expect(outcome).rejects.toBeInstanceOf(RetryLaterError);
    await expect(outcome).rejects.toMatchObject({ delaySeconds: 21 });
  });
});
