/**
 * Planning a restore: when HR cancels a termination, every removal that already ran is undone from
 * what it recorded. Pure: the catalog tells which action undoes which, and in what order.
 */
import type { Step } from './model';

export interface RestoreRule {
  /** The action that undoes this one; it gets `{ result }`, what the removal recorded. */
  restoredBy: string;
  /** Restores run in phases: an account must exist again, then be active, before the rest. */
  phase: number;
}

/** A result records nothing to undo when it removed nothing and kept no previous state. */
function recordsSomething(result: Record<string, unknown> | undefined): result is Record<string, unknown> {
  if (!result) return false;
  const removed = result.removed;
  const hasRemoved = removed !== undefined && removed !== null && !(typeof removed === 'object' && Object.values(removed).every((v) => v === null || (Array.isArray(v) && v.length === 0)));
  return hasRemoved || result.previous !== undefined || result.delegate !== undefined;
}

export function planRestoreSteps(done: Step[], rules: (action: string) => RestoreRule | undefined, nowIso: string): Step[] {
  const planned = done
    .filter((s) => s.status === 'succeeded' && recordsSomething(s.result))
    .map((s) => ({ source: s, rule: rules(s.action) }))
    .filter((x): x is { source: Step; rule: RestoreRule } => x.rule !== undefined);
  return planned.map(({ source, rule }) => ({
    stepId: `restore-${source.stepId}`,
    action: rule.restoredBy,
    params: { result: source.result },
    status: 'pending',
    dueAt: nowIso,
    after: planned.filter((o) => o.rule.phase < rule.phase).map((o) => `restore-${o.source.stepId}`),
    attempts: 0,
  }));
}
