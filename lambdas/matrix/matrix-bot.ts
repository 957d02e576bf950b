/**
 * The bot's handling of one /sync answer: the commands typed in its rooms by senders whose power level there reaches the
 * stage's setting, each handled once (by its event id), each answered in the command's thread. A sender below the level
 * is ignored and logged by ids and level only; no log line carries a message's text.
 */
import type { MatrixSettings } from '../../config/matrix';
import { searchEmployees } from '../engine/employee-search';
import { derivedEmployeeId } from '../engine/hire-import';
import type { Run } from '../engine/model';
import type { EngineLog } from '../engine/ports';
import { proposeHire, type ProposalAccepted, type ProposalDeps, type ProposalResult, type ProposalSettings } from '../engine/proposals';
import { errorFields } from '../shared/log-fields';
import { sha256Hex } from '../shared/sha256';
import { MatrixCallError, type MatrixApi, type MessagesPage, type SyncEvent, type SyncResponse } from '../providers/matrix/matrix-client';
import type { MatrixBotStore, ThreadRef } from './bot-store';
import { COMMAND_FIELDS, HELP_TEXT, parseCommand, type Command } from './commands';
import { powerLevelOf } from './power-levels';

export interface MatrixBotDeps {
  /** The engine, with the stage's proposal settings (first day, time zone, role, what follows an accepted proposal). */
  engine: ProposalDeps;
  api: MatrixApi;
  store: MatrixBotStore;
  settings: Pick<MatrixSettings, 'userId' | 'rooms' | 'powerLevel'>;
  log: EngineLog;
  /** How a limited sync's gap is read back: events a /messages page asks for, and the most pages one room reads. */
  backfill?: { pageSize?: number; maxPages?: number };
}

/** The events one /messages page asks for while reading a limited sync's gap. */
export const BACKFILL_PAGE_SIZE = 100;
/** The most pages a room's gap is read back in one turn (with the sync's own 500, 2,500 events between two syncs). */
export const BACKFILL_MAX_PAGES = 20;
/**
 * How far the homeserver's clock (origin_server_ts) may stand behind ours: reading a gap back stops at an event older
 * than the previous sync, less this, whatever `to` did.
 */
export const GAP_CLOCK_TOLERANCE_MS = 5 * 60_000;

export interface HandleSyncOptions {
  /** The position this sync started from: a limited room's gap is read back to it (the `to` of /messages). */
  since?: string;
  /**
   * When the sync that gave `since` was asked for (ISO): everything in a gap was said after it. Reading a gap back stops
   * at an event older than this less GAP_CLOCK_TOLERANCE_MS, also where the homeserver does not honour `to`.
   */
  sinceAt?: string;
  /** Called before each command (the loop renews its lease there); false stops the handling before that command. */
  beforeEach?: () => Promise<boolean>;
}

/** The proposal settings of the stage's bot, with what follows an accepted proposal (proposalFollowUps). */
export function matrixProposalSettings(settings: Pick<MatrixSettings, 'startInDays' | 'timezone' | 'role'>, onAccepted: readonly ProposalAccepted[]): ProposalSettings {
  return { startInDays: settings.startInDays, timezone: settings.timezone, ...(settings.role ? { role: settings.role } : {}), onAccepted };
}

/** What a run's status means to the person who proposed it. */
export const RUN_STATUS_WORDS: Record<Run['status'], string> = {
  awaiting_approval: 'awaiting approval',
  scheduled: 'approved, planned: nothing due yet',
  in_progress: 'in progress',
  completed: 'done: the accounts are ready',
  needs_attention: 'waiting for IT: a step needs an operator',
  cancelled: 'cancelled',
  rejected: 'rejected by an approver',
  quarantined: 'held by the mass-change guard',
};

/** The content of a reply in the thread of `rootEventId`, quoting `replyTo` for clients without threads. */
export function threadReply(text: string, rootEventId: string, replyTo: string): Record<string, unknown> {
  return {
    msgtype: 'm.notice',
    body: text,
    'm.relates_to': { rel_type: 'm.thread', event_id: rootEventId, is_falling_back: true, 'm.in_reply_to': { event_id: replyTo } },
  };
}

/** A transaction id from what a message answers: sending the same answer again is the same event on the homeserver. */
export const txnIdFor = (...parts: string[]): string => `lc${sha256Hex(parts.join('\n')).slice(0, 32)}`;

/** The thread a message belongs to: the root it names, or the message itself (it starts a thread). */
export function threadRootOf(event: Pick<SyncEvent, 'event_id' | 'content'>): string {
  const rel = event.content['m.relates_to'] as { rel_type?: unknown; event_id?: unknown } | undefined;
  return rel?.rel_type === 'm.thread' && typeof rel.event_id === 'string' ? rel.event_id : event.event_id;
}

const who = (run: Run) => [run.employee.firstName, run.employee.lastName].filter(Boolean).join(' ');

/** The reply to an `!on` by its outcome. */
export function proposalReply(result: ProposalResult): string {
  switch (result.outcome) {
    case 'proposed':
    case 'duplicate': {
      const run = result.run;
      const state = run.status === 'awaiting_approval' ? 'It awaits approval (its member task set to scheduled where the stage has member tasks, else an approver in the console): nothing is made before.' : `Its run is ${RUN_STATUS_WORDS[run.status]}.`;
      return `Proposed the hire of ${who(run)} (employee ${run.employeeId}, first day ${run.effectiveDate}, run ${run.runId}). ${state} I will answer in this thread when the accounts are ready.`;
    }
    case 'invalid':
      return `Not proposed: ${COMMAND_FIELDS[result.field]}: ${result.message}. Nothing was written.`;
    case 'refused':
      return `Not proposed: ${result.message}`;
  }
}

export class MatrixBot {
  /** The configured rooms by id, once joined. */
  private rooms = new Set<string>();

  constructor(private readonly deps: MatrixBotDeps) {}

  /** Joins every configured room (an alias resolves to its id). */
  async start(): Promise<string[]> {
    this.rooms = new Set();
    for (const room of this.deps.settings.rooms) this.rooms.add(await this.deps.api.join(room));
    return [...this.rooms];
  }

  /**
   * Handles the commands of one sync answer, in order: for a room whose timeline is `limited`, first what the answer
   * left out (read back through /messages, oldest first), then the answer's own events. Throws on a homeserver failure
   * worth a retry, at once: the sync position is not saved then. A /messages refusal that will not change leaves the gap
   * unread (logged) and the answer's own events are handled. A command failing for another reason (a system it needs,
   * such as OpenProject for a proposal's member task, does not answer) is left for the next turn, and the commands
   * after it are still handled: one system's outage does not silence the room. The first such failure is thrown once
   * the answer is done, so the position stays before that command. Answers 'stopped' when `beforeEach` refused a
   * command (the lease was lost): the commands from there on are left to whoever holds the lease.
   */
  async handleSync(sync: SyncResponse, options: HandleSyncOptions = {}): Promise<'handled' | 'stopped'> {
    let held: { error: unknown } | undefined;
    for (const [roomId, room] of Object.entries(sync.rooms?.join ?? {})) {
      if (!this.rooms.has(roomId)) continue;
      const missed = room.timeline?.limited ? await this.missedEvents(roomId, room.timeline.prev_batch, options.since, options.sinceAt) : [];
      for (const event of [...missed, ...(room.timeline?.events ?? [])]) {
        const command = this.commandOf(event);
        if (!command) continue;
        if (options.beforeEach && !(await options.beforeEach())) return 'stopped';
        try {
          await this.handleOne(roomId, event, command);
        } catch (err) {
          // The homeserver failing would fail the commands after this one too.
          if (err instanceof MatrixCallError) throw err;
          this.deps.log.warn('matrix command held for the next turn', { roomId, eventId: event.event_id, command: command.kind, ...errorFields(err) });
          held ??= { error: err };
        }
      }
    }
    if (held) throw held.error;
    return 'handled';
  }

  /** The command a timeline event carries: a message by someone else whose text starts with a command word. */
  private commandOf(event: SyncEvent): Command | undefined {
    if (event.type !== 'm.room.message' || event.sender === this.deps.settings.userId) return undefined;
    const text = event.content.body;
    return typeof text === 'string' ? parseCommand(text) : undefined;
  }

  /**
   * What a limited sync left out of a room, oldest first: pages of /messages from the timeline's prev_batch backwards,
   * up to the position the sync started from (`to`), until a page without `end` (an empty page with one is not the end:
   * the server may have filtered its events out). Paging also stops at an event older than the previous sync (`sinceAt`
   * less GAP_CLOCK_TOLERANCE_MS: a homeserver that ignores `to` reads on into history), or after `maxPages`, logging
   * what was left unread. A command already handled is passed over, not taken for the gap's end: a command held for a
   * later turn (its system down) comes before commands handled after it. Only a position with no time to bound the gap
   * stops at a handled command, as its one bound besides `to`. A refusal
   * that will not change on a retry (403, a `to` the server does not take) leaves the rest of the gap unread, logged by
   * room and code; a failure worth a retry is thrown.
   */
  private async missedEvents(roomId: string, prevBatch: string | undefined, since: string | undefined, sinceAt: string | undefined): Promise<SyncEvent[]> {
    const { api, store, log } = this.deps;
    const pageSize = this.deps.backfill?.pageSize ?? BACKFILL_PAGE_SIZE;
    const maxPages = this.deps.backfill?.maxPages ?? BACKFILL_MAX_PAGES;
    if (!prevBatch) {
      log.error('matrix sync answer limited without prev_batch: earlier messages in the room are not read', { roomId });
      return [];
    }
    const sinceMs = sinceAt ? Date.parse(sinceAt) : NaN;
    const notBefore = Number.isNaN(sinceMs) ? undefined : sinceMs - GAP_CLOCK_TOLERANCE_MS;
    const newestFirst: SyncEvent[] = [];
    let from: string | undefined = prevBatch;
    let pages = 0;
    read: while (from) {
      if (pages >= maxPages) {
        log.error('matrix sync gap not read whole: older messages in the room are left unread', { roomId, pages, events: newestFirst.length });
        break;
      }
      let page: MessagesPage;
      try {
        page = await api.messages(roomId, { from, dir: 'b', limit: pageSize, ...(since ? { to: since } : {}) });
      } catch (err) {
        if (!(err instanceof MatrixCallError) || err.retryable) throw err;
        log.error('matrix sync gap not read: the homeserver refused /messages, earlier messages in the room are left unread', { roomId, status: err.status ?? 0, code: err.code, pages, events: newestFirst.length });
        break;
      }
      pages += 1;
      // An event stamped before the previous sync is skipped, not taken for the gap's end: its stamp is its sender's
      // server's clock, which may be slow. A page of nothing but such events is past the gap (a homeserver that ignored `to`).
      const older = (event: SyncEvent) => notBefore !== undefined && typeof event.origin_server_ts === 'number' && event.origin_server_ts < notBefore;
      if (page.chunk.length && page.chunk.every(older)) {
        log.warn('matrix sync gap read back past the previous sync: paging stopped at a page of older events', { roomId, eventId: page.chunk[0].event_id, pages });
        break read;
      }
      for (const event of page.chunk) {
        if (older(event)) {
          log.warn('matrix sync gap: an event stamped before the previous sync skipped', { roomId, eventId: event.event_id, pages });
          continue;
        }
        if (this.commandOf(event) && (await store.handledCommand(event.event_id))) {
          if (notBefore === undefined) break read;
          continue;
        }
        newestFirst.push(event);
      }
      from = page.end;
    }
    log.info('matrix sync answer limited: the gap read back', { roomId, pages, events: newestFirst.length });
    return newestFirst.reverse();
  }

  /**
   * One command; a homeserver refusal that will not change on a retry (the bot may no longer post in the room, the
   * room's state is forbidden to it) is recorded and logged, and the commands after it are still handled: only a
   * failure worth retrying keeps the position, so the whole answer is read again.
   */
  private async handleOne(roomId: string, event: SyncEvent, command: Command): Promise<void> {
    try {
      await this.handleCommand(roomId, event, command);
    } catch (err) {
      if (!(err instanceof MatrixCallError) || err.retryable) throw err;
      const ids = { roomId, eventId: event.event_id };
      this.deps.log.error('matrix command not answered: the homeserver refused', { ...ids, command: command.kind, status: err.status ?? 0, code: err.code ?? '' });
      await this.deps.store.recordCommand({ ...ids, command: command.kind, outcome: `failed:${err.code ?? err.status ?? 'refused'}`, handledAt: this.now() });
    }
  }

  private async handleCommand(roomId: string, event: SyncEvent, command: Command): Promise<void> {
    const { store, api, log, settings } = this.deps;
    const ids = { roomId, eventId: event.event_id };
    if (await store.handledCommand(event.event_id)) {
      log.info('matrix command already handled', ids);
      return;
    }
    const powerLevel = powerLevelOf(await api.powerLevels(roomId), event.sender);
    if (powerLevel < settings.powerLevel) {
      log.warn('matrix command ignored: sender below the power level', { ...ids, powerLevel, required: settings.powerLevel });
      await store.recordCommand({ ...ids, command: command.kind, outcome: 'ignored', handledAt: this.now() });
      return;
    }
    const root = threadRootOf(event);
    const answer = await this.answer(roomId, event, root, command);
    await api.send(roomId, 'm.room.message', txnIdFor(roomId, event.event_id), threadReply(answer.text, root, event.event_id));
    await store.recordCommand({ ...ids, command: command.kind, outcome: answer.outcome, ...(answer.runId ? { runId: answer.runId } : {}), handledAt: this.now() });
    log.info('matrix command answered', { ...ids, command: command.kind, outcome: answer.outcome, ...(answer.runId ? { runId: answer.runId } : {}) });
  }

  private async answer(roomId: string, event: SyncEvent, root: string, command: Command): Promise<{ text: string; outcome: string; runId?: string }> {
    switch (command.kind) {
      case 'help':
        return { text: HELP_TEXT, outcome: 'help' };
      case 'invalid':
        return { text: `Not done: ${command.message}`, outcome: command.field ? `invalid:${command.field}` : 'unknown-command' };
      case 'status':
        return { text: await this.status(command.query), outcome: 'status' };
      case 'on': {
        const result = await proposeHire(this.deps.engine, {
          firstName: command.firstName,
          lastName: command.lastName,
          email: command.email,
          proposedBy: event.sender,
          source: 'matrix',
          reference: event.event_id,
          proposedAt: new Date(event.origin_server_ts).toISOString(),
        });
        if (result.outcome === 'proposed' || result.outcome === 'duplicate') {
          const ref: ThreadRef = { runId: result.run.runId, roomId, rootEventId: root, commandEventId: event.event_id };
          // Kept before the reply: a run approved and done at once still finds where to say so.
          await this.deps.store.putThread(ref);
          return { text: proposalReply(result), outcome: result.outcome, runId: result.run.runId };
        }
        return { text: proposalReply(result), outcome: result.outcome === 'invalid' ? `invalid:${result.field}` : result.outcome };
      }
    }
  }

  /**
   * What the engine knows of the hires proposed in Matrix that a name or email finds: each one's runs from a proposal
   * and their status. A chat room is no operator's console: people never proposed here are not shown, nor addresses.
   */
  async status(query: string): Promise<string> {
    const engine = this.deps.engine;
    const email = query.includes('@');
    let hits = email ? await searchEmployees(engine, derivedEmployeeId(query), 5) : [];
    if (!hits.length) hits = await searchEmployees(engine, query, 5);
    const lines: string[] = [];
    for (const hit of hits) {
      const runs = (await engine.store.listRuns(hit.id)).filter((r) => r.proposal?.source === 'matrix').sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, 3);
      if (!runs.length) continue;
      lines.push(`${[hit.firstName, hit.lastName].filter(Boolean).join(' ')} (proposed here):`);
      for (const run of runs) lines.push(`  ${run.type} run ${run.runId}, ${run.effectiveDate}: ${RUN_STATUS_WORDS[run.status]}`);
    }
    return lines.length ? lines.join('\n') : `No hire proposed here is known by "${query}".`;
  }

  private now(): string {
    return this.deps.engine.clock.now().toISOString();
  }
}
