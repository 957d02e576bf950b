/** What each system's planner of role steps is given, and the readings of a diff they share. Pure. */
import type { SingleDiff } from '../diff';
import type { Grant } from '../resolve';

/** What a connector's planner is given: the diff, and the two ways to plan a step. */
export interface StepPlanner {
  /** New access, on the effective date. */
  add(id: string, action: string, params: Record<string, unknown>): void;
  /** Old access, after the grace period; after the add step `afterId` when that is planned. */
  remove(id: string, action: string, params: Record<string, unknown>, afterId?: string): void;
}

export const values = (grants: Grant[]) => grants.map((g) => g.value);
export const newValue = (d: SingleDiff | undefined) => d?.changed?.to?.value;
export const oldValue = (d: SingleDiff | undefined) => d?.changed?.from?.value;

