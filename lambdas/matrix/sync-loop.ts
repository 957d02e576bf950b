/**
 * The bot's long-poll loop, thin: take the lease, /sync from the saved position, handle the commands, save next_batch.
 * A failure leaves the position where it was, so the same answer comes again and its handled commands are skipped by
 * their event ids: a restart neither misses nor repeats a command. The same loop runs under `npm start` and, on AWS,
 * for most of a scheduled Lambda's timeout (docs/matrix.md).
 */
import type { EngineLog } from '../engine/ports';
import { errorFields } from '../shared/log-fields';
import { matrixCallError, type MatrixApi } from '../providers/matrix/matrix-client';
import type { MatrixBotStore } from './bot-store';
import type { MatrixBot } from './matrix-bot';
import { sendPendingReports } from './matrix-report';

export interface SyncLoopOptions {
  bot: Pick<MatrixBot, 'start' | 'handleSync'>;
  api: Pick<MatrixApi, 'sync' | 'send'>;
  store: MatrixBotStore;
  /** This loop's name in the lease (a process or invocation id). */
  holder: string;
  /** How long one /sync waits on the homeserver. */
  syncTimeoutMs: number;
  now: () => Date;
  /** True once the loop must end (a stop, the Lambda's time running out); checked between syncs. */
  stopping: () => boolean;
  /** Aborts a /sync in flight at a stop. */
  signal?: AbortSignal;
  log: EngineLog;
  sleep?: (ms: number) => Promise<void>;
  /** What a loop that finds the lease held does: wait and try again (npm start), or end (a scheduled invocation). Default wait. */
  whenLeaseHeld?: 'wait' | 'stop';
}

/** Longest wait after a failure that names none. */
export const MAX_BACKOFF_MS = 30_000;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The lease outlives one sync and its handling by a margin; a loop that stops without releasing it frees it after this. */
export const leaseMs = (syncTimeoutMs: number) => syncTimeoutMs + 60_000;

/** Takes or renews the lease: at the start of a turn and again before each command, so a long turn keeps it. */
function takeLease(o: SyncLoopOptions): Promise<boolean> {
  const at = o.now();
  return o.store.acquireLease(o.holder, at.toISOString(), new Date(at.getTime() + leaseMs(o.syncTimeoutMs)).toISOString());
}

/**
 * One turn: renew the lease, send the queued thread replies, sync, handle, save the position. The first sync of all (no
 * position) only records where the room stands: what was said before the bot's first start is not taken for new commands.
 * The lease is renewed before each command: a turn of many commands (each a proposal, maybe a member task) keeps it as
 * long as it works. A renewal refused (another loop took the lease after it ran out) ends the turn at once, without
 * handling the rest or saving the position: the new holder reads the same sync and skips what was handled.
 */
export async function syncOnce(o: SyncLoopOptions): Promise<'synced' | 'lease-held' | 'lease-lost'> {
  if (!(await takeLease(o))) return 'lease-held';
  await sendPendingReports(o.api, o.store, o.log);
  const saved = await o.store.savedSyncPosition();
  const since = saved?.nextBatch;
  const sinceAt = saved?.syncedAt ?? saved?.savedAt;
  // Kept with the new position: whatever comes after it was said later than this (the next limited sync's gap bound).
  const askedAt = o.now().toISOString();
  const sync = await o.api.sync(since, since ? o.syncTimeoutMs : 0, o.signal);
  if (since && (await o.bot.handleSync(sync, { since, ...(sinceAt ? { sinceAt } : {}), beforeEach: () => takeLease(o) })) === 'stopped') {
    o.log.warn('matrix sync turn stopped: the lease passed to another loop', { holder: o.holder });
    return 'lease-lost';
  }
  if (!(await o.store.saveSyncPosition(sync.next_batch, o.holder, o.now().toISOString(), askedAt))) {
    // The lease ran out while this turn handled its commands: the other holder repeats them, each skipped by its event id.
    o.log.warn('matrix sync position not saved: the lease passed to another loop', { holder: o.holder });
  }
  return 'synced';
}

/** Runs turns until `stopping()`; joins the rooms first (again after a failure). Releases the lease at the end. */
export async function runSyncLoop(o: SyncLoopOptions): Promise<void> {
  const sleep = o.sleep ?? defaultSleep;
  let started = false;
  let failures = 0;
  try {
    while (!o.stopping()) {
      try {
        if (!started) {
          // A loop that would end on a held lease finds out before it joins anything.
          if (o.whenLeaseHeld === 'stop' && !(await takeLease(o))) {
            o.log.info('matrix sync lease held by another loop', { holder: o.holder });
            return;
          }
          const rooms = await o.bot.start();
          o.log.info('matrix bot joined its rooms', { rooms });
          started = true;
        }
        const turn = await syncOnce(o);
        failures = 0;
        if (turn !== 'synced') {
          if (turn === 'lease-held') o.log.info('matrix sync lease held by another loop', { holder: o.holder });
          if (o.whenLeaseHeld === 'stop') return;
          await sleep(Math.min(o.syncTimeoutMs, MAX_BACKOFF_MS));
        }
      } catch (err) {
        if (o.stopping()) break;
        const failure = matrixCallError('sync-loop', err);
        failures += 1;
        const wait = failure.retryAfterMs ?? Math.min(MAX_BACKOFF_MS, 500 * 2 ** Math.min(failures, 6));
        o.log.warn('matrix sync turn failed', { ...errorFields(err), code: failure.code, retryable: failure.retryable, waitMs: wait });
        // A refused join (M_FORBIDDEN, M_NOT_FOUND) is tried again with the rest: an invitation may come later.
        if (err instanceof Error && (err as { call?: string }).call === 'join') started = false;
        await sleep(wait);
      }
    }
  } finally {
    await o.store.releaseLease(o.holder).catch((err: unknown) => o.log.warn('matrix sync lease not released', errorFields(err)));
  }
}
