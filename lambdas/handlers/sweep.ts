/** EventBridge entry: the sweep of the due index (the rule), or one run's exact-time wake (a Scheduler schedule). */
import { awsEngine } from './engine-deps';
import type { EngineDeps } from '../engine/ports';
import { sweep, type SweepReport } from '../engine/sweep';
import { wakeRun, type WakeReport } from '../engine/wakes';
import * as z from '../shared/zod';
import { withObservability } from './middleware';

const id = z.string().check(z.minLength(1), z.maxLength(128));
/** What a wake's schedule sends: `{ "wake": { "employeeId": "…", "runId": "…" } }`. */
export const wakeInputSchema = z.strictObject({ wake: z.strictObject({ employeeId: id, runId: id }) });
export type WakeInput = z.infer<typeof wakeInputSchema>;

export type SweepHandlerResult = SweepReport | WakeReport | { ignored: string };

const isWake = (event: unknown): boolean => typeof event === 'object' && event !== null && 'wake' in event;

export function createSweepHandler(deps: () => EngineDeps) {
  return withObservability(async (event: unknown): Promise<SweepHandlerResult> => {
    // Anything without a wake is the rule's scheduled event (or a local timer): sweep everything due.
    if (!isWake(event)) return sweep(deps());
    const parsed = wakeInputSchema.safeParse(event);
    if (!parsed.success) {
      // Retrying cannot fix a malformed wake, and the sweep still covers its run.
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ');
      deps().log.warn('ignored a malformed wake', { issues });
      return { ignored: issues };
    }
    return wakeRun(deps(), parsed.data.wake);
  });
}

export const handler = createSweepHandler(awsEngine);
