/**
 * Planning a restore: when HR cancels a termination, or hires the leaver back, every removal that
 * already ran is undone from what it recorded. Pure: the catalog tells which action undoes which,
 * in what order, and whether a rehire wants it back.
 */
import type { Run, Step } from './model';

export interface RestoreRule {
  /** The action that undoes this one; it gets `{ result }`, what the removal recorded. */
  restoredBy: string;
  /** Restores run in phases: an account must exist again, then be active, before the rest. */
  phase: number;
  /**
   * The phase for what this removal recorded, when it depends on it: an archived account must be unarchived in
   * phase 1, while a Vault hold released gives the person nothing back and goes last, so its failure holds back nothing.
   */
  phaseFor?: (result: Record<string, unknown>) => number;
  /**
   * Whether a rehire puts it back too. A cancel undoes everything (the termination was a mistake);
   * a rehire comes back after a real departure, and some of what was removed must stay removed.
   */
  onRehire: boolean;
}

export type RestoreReason = 'cancel' | 'rehire';

/** A result records nothing to undo when it removed nothing and kept no previous state. */
function recordsSomething(result: Record<string, unknown> | undefined): result is Record<string, unknown> {
  if (!result) return false;
  const removed = result.removed;
  const hasRemoved = removed !== undefined && removed !== null && !(typeof removed === 'object' && Object.values(removed).every((v) => v === null || (Array.isArray(v) && v.length === 0)));
  return hasRemoved || result.previous !== undefined || result.delegate !== undefined;
}

const restoreIdOf = (source: Step) => `restore-${source.stepId}`;

/**
 * One restore step per removal that ran and recorded something. Phases order them; removals undone
 * by the same action (a delegation changed at the cut-off and removed at day +30) are undone in the
 * reverse order they were made, so the earlier state is the one left in place.
 */
export function planRestoreSteps(done: Step[], rules: (action: string) => RestoreRule | undefined, dueAt: string, reason: RestoreReason = 'cancel'): Step[] {
  const planned = done
    .filter((s) => s.status === 'succeeded' && recordsSomething(s.result))
    .map((s) => ({ source: s, rule: rules(s.action) }))
    .filter((x): x is { source: Step; rule: RestoreRule } => x.rule !== undefined && (reason === 'cancel' || x.rule.onRehire))
    .map(({ source, rule }) => ({ source, rule: rule.phaseFor ? { ...rule, phase: rule.phaseFor(source.result ?? {}) } : rule }));
  const finished = (s: Step) => s.finishedAt ?? s.dueAt;
  return planned.map(({ source, rule }) => ({
    stepId: restoreIdOf(source),
    action: rule.restoredBy,
    params: { result: source.result },
    status: 'pending',
    dueAt,
    after: planned
      .filter(
        (o) =>
          o.rule.phase < rule.phase ||
          (o.rule.restoredBy === rule.restoredBy && o.source !== source && (finished(o.source) > finished(source) || (finished(o.source) === finished(source) && o.source.stepId > source.stepId))),
      )
      .map((o) => restoreIdOf(o.source)),
    attempts: 0,
  }));
}

/**
 * What a restore cannot give back, by the action that took it: the reset password is gone (only its
 * replacement was set, and no one keeps that), so the employee needs a new one handed over.
 */
const NOT_RESTORABLE: Record<string, (source: Step) => string> = {
  'google.resetPassword': (source) =>
    `the password reset by step ${source.stepId} cannot be given back: the old one is not kept. Hand the employee a new password (reset it in the Google Admin console and pass it on), or they stay locked out`,
};

/** What the cancelled run's steps did that no restore step can undo, one note each, for the cancel run and its summary. */
export function restoreNotes(done: Step[]): string[] {
  return done.filter((s) => s.status === 'succeeded' && NOT_RESTORABLE[s.action]).map((s) => NOT_RESTORABLE[s.action](s));
}

/**
 * The employee's hire or role change made after `cancelled` (a role change) that still stands: not cancelled, not
 * rejected, not undone by a cancel. Undoing the cancelled role change's steps then could take back what that later run
 * gave (a group both roles give, left by the restore) or give back what it took, so they are not undone; see
 * supersededRestoreNote. Any system's mover restore is kept back so, in this one place.
 */
export function laterRoleRun(runs: readonly Run[], cancelled: Run): Run | undefined {
  if (cancelled.type !== 'role_change') return undefined;
  const undone = new Set(runs.map((r) => r.cancelsRunId).filter((id): id is string => id !== undefined));
  return runs
    .filter((r) => r.runId !== cancelled.runId && (r.type === 'hire' || r.type === 'role_change') && r.createdAt > cancelled.createdAt)
    .filter((r) => !undone.has(r.runId) && r.status !== 'cancelled' && r.status !== 'rejected')
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
    .at(-1);
}

/** The cancel run's note for the restores it does not plan because a later hire or role change stands. */
export function supersededRestoreNote(later: Run, skipped: readonly Step[]): string {
  const what = skipped.map((s) => `step ${s.stepId.replace(/^restore-/, '')} (${s.action} would undo it)`).join(', ');
  return `not undone: ${what}. The employee's ${later.type === 'hire' ? 'hire' : 'role change'} of run ${later.runId} (event ${later.eventId}) came after the cancelled role change and stands: undoing it could take back what that run gave. Put back by hand what the later role does not give, if anything`;
}
