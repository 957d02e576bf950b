/**
 * A restart of a runtime whose workers all live in one process (the local runtime): whatever step the stopped
 * process was running has no worker any more, so it runs again at once instead of after its lease and the
 * queue's visibility timeout. Never used on AWS, where another worker may hold a live lease.
 */
import type { EngineDeps, StepMessage } from './ports';
import { updateRun } from './run-updates';
import { releaseAbandoned } from './step-machine';

const ACTOR = 'restart';

/** Queues the message's step again if it was left running; answers whether it was, so its message can be delivered now. */
export async function releaseAbandonedStep(deps: EngineDeps, message: StepMessage): Promise<boolean> {
  const run = await deps.store.getRun(message.employeeId, message.runId);
  if (!run?.steps.some((s) => s.stepId === message.stepId && s.status === 'running')) return false;
  const { changed } = await updateRun(
    deps,
    message.employeeId,
    message.runId,
    (current) => {
      const next = releaseAbandoned(current, message.stepId, deps.clock.now(), deps.settings);
      const audit = next === current ? [] : [{ stepId: message.stepId, actor: ACTOR, change: 'the process running it stopped; queued again at the restart', from: 'running', to: 'queued' }];
      return { run: next, audit, value: null };
    },
    run,
  );
  if (changed) deps.log.info('step left running by a stopped process queued again', { runId: message.runId, stepId: message.stepId, employeeId: message.employeeId });
  return changed;
}
