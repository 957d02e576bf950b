/**
 * A hire proposed from outside HR (a chat command) with minimal data: first name, last name and the person's own
 * email. It goes through the normal intake (validation, binding, rehire and duplicate rules) and always waits for an
 * approver; the proposal itself never starts anything. What follows an accepted proposal (a member task) hangs on
 * `ProposalDeps.proposals.onAccepted`.
 */
import { buildFollowUpAlert } from './alerts';
import { derivedEmployeeId } from './hire-import';
import { parseLifecycleEvent } from './event-schema';
import { intake, type IntakeResult } from './intake';
import type { HireProposalMark, PlannedEvent, Run } from './model';
import type { EngineDeps } from './ports';
import { addDays } from './time';
import { baseUsername, UsernameError } from './username';
import { sha256Hex } from '../shared/sha256';
import { errorFields } from '../shared/log-fields';

/** What a proposer gives: the person's names and own address, who proposed them, and the source's id of the request. */
export interface HireProposal extends HireProposalMark {
  firstName: string;
  lastName: string;
  email: string;
  /** When the proposal was made (ISO): the first day counts from it, so a repeat of it is the same event. Default: now. */
  proposedAt?: string;
}

/** The fields a proposal has, as a proposer names them. */
export type ProposalField = 'firstName' | 'lastName' | 'email';

/** Runs right after a proposal is accepted (its run written, or found written by an earlier delivery): must be idempotent. */
export type ProposalAccepted = (deps: EngineDeps, run: Run) => Promise<void>;

export interface ProposalSettings {
  /** Days after the proposal that the first day falls on. */
  startInDays: number;
  /** The proposed hire's time zone. */
  timezone: string;
  /** The role a proposed hire is planned from, if the stage gives newcomers one. */
  role?: string;
  /**
   * Told of every accepted proposal, in order; a failure is logged and thrown to the proposer's caller (the proposal's
   * run stays recorded), so the proposal is made again later and the follow-ups run again. The member task goes here
   * when the stage has member tasks (`proposalFollowUps`, lambdas/openproject/member-tasks.ts).
   */
  onAccepted?: readonly ProposalAccepted[];
}

export type ProposalDeps = EngineDeps & { proposals?: Partial<ProposalSettings> };

export const DEFAULT_PROPOSAL_SETTINGS = { startInDays: 7, timezone: 'UTC' } as const;

export type ProposalResult =
  | { outcome: 'proposed'; run: Run }
  /** The same proposal again (the same reference): the run the first made. */
  | { outcome: 'duplicate'; run: Run }
  /** A field the proposer gave is not usable; nothing was written. */
  | { outcome: 'invalid'; field: ProposalField; message: string }
  /** The intake refused it (a conflict with a run in progress, another account on record, the catalog unreadable). */
  | { outcome: 'refused'; message: string };

const FIELD_OF_PATH: Record<string, ProposalField> = {
  'employee.firstName': 'firstName',
  'employee.lastName': 'lastName',
  'employee.personalEmail': 'email',
  'employee.id': 'email',
};

/** The event id of a proposal: one per source reference, so the same message twice is one event. */
export const proposalEventId = (p: Pick<HireProposal, 'source' | 'reference'>): string => `${p.source}-${sha256Hex(p.reference).slice(0, 24)}`;

/** The hire event a proposal makes: the given email is the person's own (the welcome link goes there); the company address comes from the username rules. */
export function proposalEvent(p: HireProposal, settings: Pick<ProposalSettings, 'startInDays' | 'timezone' | 'role'>, now: Date): PlannedEvent {
  const day = (p.proposedAt ?? now.toISOString()).slice(0, 10);
  const email = p.email.trim();
  return {
    eventId: proposalEventId(p),
    type: 'hire',
    effectiveDate: addDays(day, settings.startInDays),
    urgent: false,
    employee: {
      id: derivedEmployeeId(email),
      firstName: p.firstName,
      lastName: p.lastName,
      personalEmail: email,
      timezone: settings.timezone,
      ...(settings.role ? { role: settings.role } : {}),
    },
  };
}

/** Checks the proposer's fields as the intake and the username rules will, naming the first field that is wrong. */
export function checkProposal(p: HireProposal, settings: Pick<ProposalSettings, 'startInDays' | 'timezone' | 'role'>, now: Date): { ok: true; event: PlannedEvent; canonical: string } | { ok: false; field: ProposalField; message: string } {
  const event = proposalEvent(p, settings, now);
  const parsed = parseLifecycleEvent(event, now);
  if (!parsed.ok) {
    const issue = parsed.issues.find((i) => FIELD_OF_PATH[i.path]) ?? parsed.issues[0];
    const field = FIELD_OF_PATH[issue.path];
    if (!field) throw new Error(`proposal setting refused by the event schema: ${issue.path}: ${issue.message}`);
    return { ok: false, field, message: issue.message };
  }
  try {
    baseUsername({ firstName: p.firstName, lastName: p.lastName, personalEmail: p.email });
  } catch (err) {
    if (err instanceof UsernameError) return { ok: false, field: FIELD_OF_PATH[err.field] ?? 'lastName', message: err.message };
    throw err;
  }
  return { ok: true, event: parsed.event as PlannedEvent, canonical: parsed.canonical };
}

/** Proposes a hire: recorded once per reference, held for approval, never started here. Throws when a follow-up fails (see `accepted`). */
export async function proposeHire(deps: ProposalDeps, proposal: HireProposal): Promise<ProposalResult> {
  const settings = { ...DEFAULT_PROPOSAL_SETTINGS, ...deps.proposals };
  const checked = checkProposal(proposal, settings, deps.clock.now());
  if (!checked.ok) return { outcome: 'invalid', field: checked.field, message: checked.message };
  const mark: HireProposalMark = { source: proposal.source, proposedBy: proposal.proposedBy, reference: proposal.reference };
  const result: IntakeResult = await intake(deps, checked.event, checked.canonical, { proposal: mark });
  switch (result.outcome) {
    case 'created':
    case 'duplicate':
      await accepted(deps, settings.onAccepted ?? [], result.run);
      return { outcome: result.outcome === 'created' ? 'proposed' : 'duplicate', run: result.run };
    case 'rejected':
      return FIELD_OF_PATH[result.path] ? { outcome: 'invalid', field: FIELD_OF_PATH[result.path], message: result.message } : { outcome: 'refused', message: `${result.path}: ${result.message}` };
    default:
      return { outcome: 'refused', message: result.message };
  }
}

/**
 * Whether a follow-up's failure may pass on a later try: one that says so (a claim held by another call), a provider's
 * 429 or 5xx, or no answer at all. A provider's other refusal (a 4xx: a wrong project or type, a token without the
 * right) comes again on every try.
 */
export function followUpWorthRetrying(err: unknown): boolean {
  const e = err as { retryable?: unknown; status?: unknown };
  if (typeof e?.retryable === 'boolean') return e.retryable;
  if (typeof e?.status === 'number') return e.status === 429 || e.status >= 500;
  return true;
}

/**
 * The follow-ups, in order. One that fails and may pass later is logged and its error passed up: the proposal's run
 * stays recorded, and the caller does not count the proposal as answered, so it proposes again (the same reference:
 * `duplicate`) and the follow-ups, each idempotent, run again. One that fails for good raises an operator alert and the
 * proposal stands answered: a refusal that comes on every try would otherwise hold the caller (the Matrix bot, every
 * room of it) at that command for ever.
 */
async function accepted(deps: EngineDeps, hooks: readonly ProposalAccepted[], run: Run): Promise<void> {
  for (const hook of hooks) {
    try {
      await hook(deps, run);
    } catch (err) {
      const ids = { runId: run.runId, employeeId: run.employeeId, ...errorFields(err) };
      if (followUpWorthRetrying(err)) {
        deps.log.error('proposal follow-up failed: tried again with the proposal', ids);
        throw err;
      }
      const alert = buildFollowUpAlert(run, err instanceof Error ? err.message : String(err), deps.clock.now().toISOString());
      if (await deps.store.putAlert(alert)) await deps.alerts.publish(alert);
      deps.log.error('proposal follow-up failed for good: operator alert raised', { ...ids, alertId: alert.alertId });
    }
  }
}
