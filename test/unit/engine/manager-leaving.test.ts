/** The dispatcher tells a handover step when the leaver's manager is leaving too: a termination run of their own in progress. */
import { dispatchStep } from '../../../lambdas/engine/dispatch';
import { managerLeaving } from '../../../lambdas/engine/manager-leaving';
import type { Run } from '../../../lambdas/engine/model';
import { terminateEvent } from '../../support/builders';
import { memoryEngine, type MemoryEngine } from '../../support/memory-engine';
import { accept, queuedLeaver } from './engine-fixtures';

const GRACE = 'grace.hopper@example.com';
/** Grace, Ada's manager, leaving in the same layoff. */
const graceLeaves = (engine: MemoryEngine) =>
  accept(engine, terminateEvent({ eventId: 'hr-grace', employee: { id: 'E200', firstName: 'Grace', lastName: 'Hopper', email: GRACE, timezone: 'Europe/Berlin' } }));

describe('managerLeaving', () => {
  it("names the manager's termination run in progress, for a handover step only", async () => {
    const engine = memoryEngine();
    const grace = await graceLeaves(engine);
    const ada = await accept(engine, terminateEvent());
    expect(await managerLeaving(engine.deps, ada, 'google.handOverGroups')).toEqual({ managerLeaving: { employeeId: 'E200', runId: grace.runId, effectiveDate: '2026-11-30' } });
    expect(await managerLeaving(engine.deps, ada, 'google.handOverSharedDrives')).toHaveProperty('managerLeaving');
    expect(await managerLeaving(engine.deps, ada, 'google.removeFromGroups')).toEqual({});
  });

  it('says nothing when the manager has no termination in progress, or the leaver has no manager', async () => {
    const engine = memoryEngine();
    const grace = await graceLeaves(engine);
    const ada = await accept(engine, terminateEvent());
    // A manager whose termination was cancelled (or completed: then Google shows them suspended) is not leaving.
    const stored = (await engine.store.getRun('E200', grace.runId))!;
    await engine.store.saveRun({ ...stored, status: 'cancelled', version: stored.version + 1 } as Run);
    expect(await managerLeaving(engine.deps, ada, 'google.handOverGroups')).toEqual({});
    expect(await managerLeaving(engine.deps, { ...ada, employee: { ...ada.employee, managerEmail: undefined } }, 'google.handOverGroups')).toEqual({});
  });

  it('the dispatcher passes it in the handover step\'s request', async () => {
    const engine = memoryEngine();
    const grace = await graceLeaves(engine);
    const { run, message } = await queuedLeaver(engine);
    const stored = (await engine.store.getRun('E100', run.runId))!;
    const steps = stored.steps.map((s) => (s.stepId === message.stepId ? { ...s, action: 'google.handOverGroups' } : s));
    await engine.store.saveRun({ ...stored, steps, version: stored.version + 1 } as Run);
    await dispatchStep(engine.deps, message, 1);
    expect(engine.invoker.calls.map((c) => [c.action, c.managerLeaving])).toEqual([['google.handOverGroups', { employeeId: 'E200', runId: grace.runId, effectiveDate: '2026-11-30' }]]);
  });
});
