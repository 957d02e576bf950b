/**
 * The member task poll (docs/openproject.md#polling-without-webhooks), for a stage whose OpenProject cannot send
 * webhooks: each turn reads the member tasks updated since the stored position (`pollMemberTasks`), handles each as a
 * delivery would be handled (`memberTaskChanged`, idempotent: it re-reads the task, so a task both delivered and polled
 * is handled alike), and then moves the position on. The position is kept in the lifecycle table and written only
 * over the value the turn read (compare and set), so two overlapping turns never move it back; a turn that fails
 * (OpenProject down, a task that cannot be handled) leaves it where it was, and the next turn reads the same tasks again.
 */
import type { Clock, EngineLog } from '../engine/ports';
import { errorFields } from '../shared/log-fields';
import { pollMemberTasks, type MemberTaskDeps, type TaskOutcome } from './member-tasks';

/** Where the poll is: the newest `updatedAt` (OpenProject's own time) of the tasks handled so far. */
export interface MemberTaskPollStore {
  /** The stored position; undefined before the first turn. */
  position(): Promise<string | undefined>;
  /**
   * Saves `next` only while the stored position is still `previous` (undefined: none stored yet). False when another
   * turn moved it meanwhile: this turn's value is not written, and the position never goes back.
   */
  savePosition(next: string, previous: string | undefined, savedAt: string): Promise<boolean>;
}

/** The same contract in memory, for unit tests. */
export class MemoryMemberTaskPollStore implements MemberTaskPollStore {
  stored?: string;
  async position() {
    return this.stored;
  }
  async savePosition(next: string, previous: string | undefined) {
    if (this.stored !== previous) return false;
    this.stored = next;
    return true;
  }
}

/** A first turn (no position stored) reads the tasks updated this far back: a task scheduled just before the poll was set up is not missed. */
export const FIRST_POLL_LOOKBACK_MS = 86_400_000;

export interface MemberTaskPollDeps {
  memberTasks: MemberTaskDeps;
  store: MemberTaskPollStore;
  clock: Clock;
  log: EngineLog;
}

export interface MemberTaskPollTurn {
  since: string;
  next: string;
  /** Whether the position moved (false: nothing newer, or another turn moved it first). */
  saved: boolean;
  outcomes: TaskOutcome[];
}

/** One turn of the poll. Throws (the position unmoved) when OpenProject or a task's handling fails. */
export async function memberTaskPollTurn(deps: MemberTaskPollDeps): Promise<MemberTaskPollTurn> {
  const stored = await deps.store.position();
  const since = stored ?? new Date(deps.clock.now().getTime() - FIRST_POLL_LOOKBACK_MS).toISOString();
  let polled: Awaited<ReturnType<typeof pollMemberTasks>>;
  try {
    polled = await pollMemberTasks(deps.memberTasks, since);
  } catch (err) {
    deps.log.warn('member task poll failed: position kept', { since, ...errorFields(err) });
    throw err;
  }
  const saved = polled.next > since ? await deps.store.savePosition(polled.next, stored, deps.clock.now().toISOString()) : false;
  const acted = polled.outcomes.filter((o) => o.outcome !== 'ignored');
  deps.log.info('member task poll', { since, next: polled.next, saved, tasks: polled.outcomes.length, acted: acted.length });
  return { since, next: polled.next, saved, outcomes: polled.outcomes };
}
