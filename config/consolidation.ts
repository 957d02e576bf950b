/** The stage's consolidation settings (docs/consolidation.md): when every connected system is read and compared, and how many reports are kept. */
import * as z from './zod';

export const DEFAULT_CONSOLIDATION = { enabled: true, scheduleHours: 24, reportsKept: 10 } as const;

export const consolidationSchema = z.strictObject({
  /** Runs on its schedule; false: only when asked (POST /v1/consolidation/run, `lifecycle consolidation run`). */
  enabled: z._default(z.boolean(), DEFAULT_CONSOLIDATION.enabled),
  /** Hours between two scheduled consolidations (daily by default). */
  scheduleHours: z._default(z.int().check(z.gte(1, { error: 'consolidation.scheduleHours must be at least 1' }), z.lte(168, { error: 'consolidation.scheduleHours must be at most 168 (a week)' })), DEFAULT_CONSOLIDATION.scheduleHours),
  /** Reports kept in the table; older ones are deleted when a new one is stored. */
  reportsKept: z._default(z.int().check(z.gte(1, { error: 'consolidation.reportsKept must be at least 1' }), z.lte(100, { error: 'consolidation.reportsKept must be at most 100' })), DEFAULT_CONSOLIDATION.reportsKept),
});
export type ConsolidationSettings = z.infer<typeof consolidationSchema>;
