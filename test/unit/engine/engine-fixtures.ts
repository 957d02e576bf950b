/** Events and a started leaver for the engine's use-case tests on the in-memory parts. */
import type { LifecycleEvent, Run } from '../../../lambdas/engine/model';
import { intake } from '../../../lambdas/engine/intake';
import type { StepMessage } from '../../../lambdas/engine/ports';
import { terminateEvent } from '../../support/builders';
import type { MemoryEngine } from '../../support/memory-engine';

/** The memory engine's clock starts on 2026-11-30 08:00 UTC: the example leaver's last day. */
export const urgentLeaver = () => terminateEvent({ urgent: true });
export const laterLeaver = () => terminateEvent({ eventId: 'hr-later', effectiveDate: '2026-12-15' });

export async function accept(engine: MemoryEngine, event: LifecycleEvent): Promise<Run> {
  const result = await intake(engine.deps, event, JSON.stringify(event));
  if (result.outcome !== 'created') throw new Error(`intake answered ${result.outcome}: ${JSON.stringify(result)}`);
  return result.run;
}

/** An urgent leaver accepted: its one cut-off step queued, and the message the dispatcher would receive. */
export async function queuedLeaver(engine: MemoryEngine): Promise<{ run: Run; message: StepMessage }> {
  const run = await accept(engine, urgentLeaver());
  const message = engine.queue.sent.at(-1)?.message;
  if (!message) throw new Error('intake queued nothing for an urgent leaver');
  return { run, message };
}
