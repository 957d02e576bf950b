/** The lifecycle domain: event types, run and step statuses, and the shapes stored for them. */
import type { GrantField, RoleError } from '../roles/role-model';
import type { ResolvedRole } from '../roles/resolve';
import type { RoleDiff } from '../roles/diff';
import type { PriorityClass } from '../../config/priority';

export const EVENT_TYPES = ['hire', 'role_change', 'terminate', 'cancel'] as const;
export type EventType = (typeof EVENT_TYPES)[number];
/** Event types that plan a run from a playbook. */
export type PlannedEventType = Exclude<EventType, 'cancel'>;
/**
 * What a run can be: an event's, or `revoke`, the access of one person in one system taken away (an account unused too
 * long, a consolidation fix; lambdas/engine/system-revoke.ts). No HR event is of that type: the engine plans it itself.
 */
export const RUN_TYPES = [...EVENT_TYPES, 'revoke'] as const;
export type RunType = (typeof RUN_TYPES)[number];

/** What a revoke run takes away and why: one account in one system. */
export interface RevokeScope {
  system: string;
  accountId: string;
  email?: string;
  reason: 'inactivity' | 'consolidation';
  /** In plain words (`unused for 120 days in google`): the approval's reason and the notice say it. */
  detail: string;
  /** Who or what asked for it: an operator, or `inactivity-check`. */
  requestedBy: string;
  /** For an inactivity revoke: when the person and their manager were told, and at which addresses. */
  noticeSentAt?: string;
  noticeTo?: string[];
  /**
   * When a check took the sending of the notice on itself (a version-checked write before the mail): another check at
   * the same time (the schedule and an operator's run now) sees it and sends nothing. A claim older than
   * NOTICE_CLAIM_STALE_MS (its check died) is taken over; the mail's own look for one already sent covers that case.
   */
  noticeClaimedAt?: string;
  /**
   * For a revoke that does not wait for an approver but must not act before its notice (inactivity with `approve:
   * false`): held awaiting approval until the notice is sent, then released by the system with its steps due these
   * many days after `noticeSentAt`. Cleared once released.
   */
  releaseAfterNoticeDays?: number;
}

export const RUN_STATUSES = ['awaiting_approval', 'scheduled', 'in_progress', 'completed', 'needs_attention', 'cancelled', 'rejected', 'quarantined'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
/** Run statuses in which no step moves: the run waits for an operator (an approval, the mass-change quarantine), or ended without running. */
export const HELD_RUN_STATUSES: readonly RunStatus[] = ['cancelled', 'awaiting_approval', 'rejected', 'quarantined'];

export const STEP_STATUSES = ['pending', 'queued', 'running', 'succeeded', 'needs_attention', 'skipped', 'cancelled'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

/** Step statuses from which a step never moves by itself. */
export const FINAL_STEP_STATUSES: readonly StepStatus[] = ['succeeded', 'skipped', 'cancelled'];
/** Steps an operator may skip (in a run not held): not yet run, or waiting for an operator. */
export const SKIPPABLE_STEP_STATUSES: readonly StepStatus[] = ['pending', 'queued', 'needs_attention'];
/** Step statuses that let a dependent step start. */
export const DONE_STEP_STATUSES: readonly StepStatus[] = ['succeeded', 'skipped'];
/** Step statuses of a step still on its way: not yet run, waiting in the queue, or running now. */
export const IN_FLIGHT_STEP_STATUSES: readonly StepStatus[] = ['pending', 'queued', 'running'];
/** True while a step is on its way (see IN_FLIGHT_STEP_STATUSES). */
export const isInFlight = (status: string): boolean => (IN_FLIGHT_STEP_STATUSES as readonly string[]).includes(status);

export interface Employee {
  id: string;
  firstName: string;
  lastName?: string;
  email?: string;
  personalEmail?: string;
  managerEmail?: string;
  role?: string;
  timezone: string;
}

/** A hire, role change or termination: plans a run from its playbook. */
export interface PlannedEvent {
  eventId: string;
  type: PlannedEventType;
  effectiveDate: string;
  urgent: boolean;
  employee: Employee;
}

/** Withdraws an earlier event: its steps not yet run are cancelled. */
export interface CancelEvent {
  eventId: string;
  type: 'cancel';
  cancels: string;
  effectiveDate?: string;
  employee?: Employee;
}

export type LifecycleEvent = PlannedEvent | CancelEvent;

/**
 * Why a step waits for an operator about whose account it is, not because a provider failed:
 * - `bound_elsewhere`: the account carries another employee's id; no confirmation can override it.
 * - `unbound`: the account carries no employee id (made before this system); an operator may adopt it.
 * - `address_mismatch`: the employee's bound account is another one than the address the event names.
 * - `protected`: a super admin, delegated admin, protected org unit or listed address; an operator may confirm it.
 * - `beneficiary`: the manager the event names may not receive the leaver's mail or data.
 */
export const ACCOUNT_HOLDS = ['bound_elsewhere', 'unbound', 'address_mismatch', 'protected', 'beneficiary'] as const;
export type AccountHold = (typeof ACCOUNT_HOLDS)[number];

/** The systems whose accounts a run acts on and binds to the employee id. */
export const ACCOUNT_SYSTEMS = ['google', 'connect', 'zendesk', 'scim', 'front', 'nextcloud', 'openproject'] as const;
export type AccountSystem = (typeof ACCOUNT_SYSTEMS)[number];

/** An account as a step found (or made) it: bound to the employee id, with its state then. */
export interface BoundAccount {
  system: AccountSystem;
  /** The address (Google) or username (Connect) the account answers to. */
  address: string;
  /** The provider's own id of the account. */
  accountId?: string;
  state: 'active' | 'suspended' | 'deleted';
  /** How it came to be bound: made by a run, found carrying the id, or adopted (by an operator or a stage rule). */
  boundBy: 'created' | 'binding' | 'adopted';
}

/** The account a held step waits about. */
export interface HeldAccount {
  system: AccountSystem;
  account: string;
}

/** An operator's explicit go-ahead on one account of one run: adopt it (unbound) or act on it although it is protected. */
export interface AccountConfirmation {
  system: AccountSystem;
  account: string;
  confirms: 'adopt' | 'protected';
  by: string;
  at: string;
}

export interface StepError {
  message: string;
  retryable: boolean;
  /** Set when the step waits for an operator about whose account it is (never retryable). */
  hold?: AccountHold;
  /** The account it waits about: an operator's confirmation must name this one. */
  heldAccount?: HeldAccount;
  /** What the provider answered (status and body excerpt), for the audit trail and the alert. */
  providerAnswer?: string;
  /** Handed to the next attempt: what this one learnt before failing (e.g. a snapshot of what it removed). */
  progress?: Record<string, unknown>;
}

export interface Step {
  stepId: string;
  action: string;
  params: Record<string, unknown>;
  status: StepStatus;
  dueAt: string;
  after: string[];
  attempts: number;
  /**
   * Its priority class: the catalog's class of its action, or the playbook step's override. Across all runs a step of a
   * higher class is taken before one of a lower class. Absent on a step stored before steps carried one: it is read
   * as its action's class in the catalog (updateRun fills it in), DEFAULT_PRIORITY only for an action the catalog lacks.
   */
  priority?: PriorityClass;
  /** Runs at its exact time (a wake of its own), not at the first sweep after it. */
  exactTime?: true;
  queuedAt?: string;
  leaseUntil?: string;
  /** Which claim holds the lease: a result from a worker whose lease was taken over is discarded. */
  leaseToken?: string;
  /** The operator alert raised when the step went to needs_attention. */
  alertId?: string;
  /** How many times an operator retried the step: each retry starts a new failure episode, with an alert of its own. */
  retries?: number;
  /**
   * How many times a revision of the request planned the step again after it had been tried or cancelled: each is a new
   * failure episode (its attempts count from zero again), with alerts of its own.
   */
  replans?: number;
  /** What the last attempt failed with: kept while the step waits for a retry or an operator, cleared by a success. */
  lastError?: StepError;
  startedAt?: string;
  finishedAt?: string;
  result?: Record<string, unknown>;
  /** What a long-running action (a transfer) needs to check on itself next time. */
  progress?: Record<string, unknown>;
  note?: string;
  /** Planned from the run's role (not from the playbook): grants or removes what the role calls for. */
  fromRole?: true;
  /** Why the step waits for an operator about the account, while it does. */
  hold?: AccountHold;
  /** Which account it waits about, while it does. */
  heldAccount?: HeldAccount;
  /** The account the step acted on, as it found it. */
  account?: BoundAccount;
  /** Planned from the role to take access away (a mover's old groups, license, agent): counts for the mass-change guard. */
  removes?: true;
}

export interface Run {
  runId: string;
  employeeId: string;
  eventId: string;
  type: RunType;
  status: RunStatus;
  effectiveDate: string;
  urgent: boolean;
  steps: Step[];
  version: number;
  createdAt: string;
  updatedAt: string;
  /** Set only while some step waits for a time: the sparse due index reads these. */
  dueAt?: string;
  /** Which of the due index's shards (0..dueShards-1) the run sits on; the store formats it as its key. */
  dueShard?: number;
  /** The employee as the event described them: actions act on this, not on later HR data. */
  employee: Employee;
  /** For a cancel run: the run it cancelled. */
  cancelsRunId?: string;
  /** For a revoke run: the one account it takes access from, and why. */
  revoke?: RevokeScope;
  /** What whoever reads the run must know and do by hand: for a cancel, what its restore cannot give back (a reset password). */
  notes?: string[];
  /** For the hire of a former employee: the termination run whose removals it restores. */
  restoresRunId?: string;
  /** A run that waits for an operator's approval before any step runs, and what was decided. */
  approval?: Approval;
  /** For a hire or role change naming a role: the role as resolved when the run was planned. */
  role?: RunRole;
  /** For a hire: the personal email on record before it, when the event changed it (the welcome link goes to the new one). */
  personalEmailWas?: string;
  /** Operators' confirmations of accounts the run's steps may act on (adoption, protected accounts). */
  accountConfirmations?: AccountConfirmation[];
  /** For a run the mass-change guard counted: its place in the window, and whether it was held and what was decided. */
  massChange?: MassChangeMark;
  /**
   * For a run whose event a person sent from the console (`POST /v1/operator/events`), not the HR system: who sent it,
   * named as the audit trail names operators (a person's email or user name, a machine as `client:<id>`). Absent for HR's events.
   */
  sentBy?: string;
  /**
   * The sender's stable subject (the token's `sub`), when their token carried one: the four-eyes check compares it, since
   * one person's name differs between an ID token (their email) and an access token (their user name).
   */
  sentBySubject?: string;
  /** For a request revised while its run was going (an edited Jira ticket): which revision it is now, and its body's hash. */
  revision?: { number: number; bodyHash: string; revisedAt: string };
  /**
   * For a request whose source says when it last changed (a Jira ticket's `updated`): that time (ISO UTC) of the request
   * the run has now. A delivery of an older state of the source is ignored (deliveries are not ordered).
   */
  sourceUpdatedAt?: string;
  /** For a proposed hire specified in a member task (docs/openproject.md#member-tasks): the OpenProject work package. */
  memberTask?: MemberTaskMark;
  /**
   * While a member task is being opened for the run: the claim of the call opening it, so two calls at once make one
   * work package. Cleared when the task is recorded; a claim older than a few minutes (its call died) is taken over.
   */
  memberTaskOpening?: { claim: string; at: string };
  /** For a hire proposed from outside HR (a chat command): who proposed it and where; such a run always waits for approval. */
  proposal?: HireProposalMark;
}

/** The member task of a run, and how the run's handling of it stands. */
export interface MemberTaskMark {
  system: 'openproject';
  workPackageId: number;
  /**
   * The task's last status change handled (its journal's id, or its lockVersion when the journal shows none): claimed
   * before anything is written, so one handling acts on it however often it is delivered; `done` once handled.
   */
  handled?: { change: string; at: string; done?: boolean };
  /**
   * The task changed the personal email (where the welcome and credentials go): its author cannot approve that
   * themselves, so the task approves nothing while the run waits for an approver in the console or API.
   */
  emailHeld?: { by: string; from?: string; to?: string; at: string };
  /**
   * The personal address the task may approve without a second person: the proposal's (recorded when the task is
   * opened), then the one an approver in the console or API approved last (recorded by that approval, which also ends
   * `emailHeld`). Any other address on the run (written from the task, whether or not the handling that wrote it
   * lived to hold the run) waits for such an approver.
   */
  approvedEmail?: string;
}

/** Where a proposed hire came from: the proposer as the source names them, and the source's own reference (a chat message's id). */
export interface HireProposalMark {
  source: 'matrix';
  proposedBy: string;
  reference: string;
}

/** How the approval reason and the audit trail name a proposal's source. */
export const PROPOSAL_SOURCE_NAMES: Record<HireProposalMark['source'], string> = { matrix: 'Matrix' };

/** How the mass-change guard saw a run that takes access away. */
export interface MassChangeMark {
  /** Start of the fixed window (ISO) the run was counted in. */
  windowStart: string;
  /** Its place among the runs counted in that window (1 = first). */
  ordinal: number;
  /** The runs counted in the window before, which count against the same threshold. */
  previousWindowCount: number;
  threshold: number;
  windowMinutes: number;
  /** Held past the threshold: in quarantine until an operator releases or rejects the batch. */
  held: boolean;
  decision?: 'released' | 'rejected';
  decidedBy?: string;
  decidedAt?: string;
  reason?: string;
}

/** The role a run was planned from, kept on the run so an auditor (and the next role change) sees what it granted. */
export interface RunRole {
  name: string;
  /** Absent while the role cannot be resolved. */
  resolved?: ResolvedRole;
  /** The rendered tree: which role grants what. */
  text?: string;
  /** For a role change: the role the employee held, from the run that granted it (absent when none is on record). */
  previous?: { name: string; runId: string };
  /** For a leaver: the run that granted the role held, whose grants the leaver's cut-off revokes. */
  grantedByRunId?: string;
  /** Why the role cannot be planned from: while set, the run waits in needs_attention and no step runs. */
  errors?: RoleError[];
  /** The operator alert raised for those errors. */
  alertId?: string;
  /** How many times the plan was made: 1 at intake, one more per operator replan. */
  planned: number;
}

export interface Approval {
  /** Why it waits: the stage's setting, or the role's. */
  requiredBy: string;
  /** The hash of the plan (every step, its action, parameters, due time and order, and the employee) an approval approves. */
  planHash: string;
  decision?: 'approved' | 'rejected';
  decidedBy?: string;
  decidedAt?: string;
  reason?: string;
}

/** How the audit trail words a termination cancelled by the employee's rehire: the leaving happened, what was left of it did not. */
export const REHIRE_CANCEL = 'run cancelled by the rehire of event ';

export interface AuditEntry {
  at: string;
  employeeId: string;
  runId: string;
  stepId?: string;
  actor: string;
  change: string;
  from?: string;
  to?: string;
  detail?: Record<string, unknown>;
}

export interface Alert {
  alertId: string;
  raisedAt: string;
  employeeId: string;
  runId: string;
  stepId: string;
  action: string;
  attempts: number;
  providerAnswer: string;
  message: string;
  whatToDo: string;
  status: 'open' | 'resolved';
  /** When it was resolved: an operator's retry or skip, a revision, or the end of its run. */
  resolvedAt?: string;
  /** Why, when the engine resolved it without an operator acting on the step (its run was cancelled or rejected). */
  resolution?: string;
}

/** A step due soon, as GET /v1/upcoming lists it (lambdas/engine/upcoming.ts). */
export interface UpcomingStep {
  employeeId: string;
  employeeName?: string;
  /** The employee's IANA time zone, so a step can be shown in their day as well as the reader's. */
  timezone: string;
  runId: string;
  type: string;
  stepId: string;
  action: string;
  dueAt: string;
  status: string;
}

/** One step of the plan an event would make (POST /v1/events/preview). */
export interface PreviewStep {
  stepId: string;
  action: string;
  dueAt: string;
  after: string[];
  params: Record<string, unknown>;
  fromRole?: true;
  removes?: true;
  exactTime?: true;
}

export interface EventPreview {
  type: Run['type'];
  employeeId: string;
  /** The run the event would create (its id follows from the event id). */
  runId: string;
  /** The status the run would start in: scheduled, awaiting_approval, or needs_attention when its role cannot be planned from. */
  status: RunStatus;
  steps: PreviewStep[];
  /** Why the run would wait for an approval before anything runs. */
  approvalRequiredBy?: string;
  /** For a hire or mover naming a role: the role as resolved now (what it grants), or why it cannot be planned from. */
  role?: { name: string; resolved?: ResolvedRole; text?: string; errors?: RoleError[]; previous?: { name: string; runId: string } };
  /** For a mover: the access added, removed and kept, between the role held (its run) and the new one. */
  diff?: RoleDiff;
  /** The same for display, as GET /v1/runs/{runId} shows it: plain lists and the grace date (lambdas/engine/mover-diff.ts). */
  moverDiff?: MoverDiffView;
  /** A rehire: the termination whose removals it restores. */
  restoresRunId?: string;
  /** A cancel: the run it cancels. */
  cancelsRunId?: string;
  /** Earlier terminations, none started, that this termination would cancel. */
  supersedesRunIds?: string[];
  /** For a termination: the employee's hire or role change runs still going that it would stop (engine.md). */
  stopsRunIds?: string[];
  notes?: string[];
}

/** One piece of access in a mover's diff: which grant field, its value, and the role that grants (for a removal: granted) it. */
export interface AccessItem {
  /** The grant field (`googleGroups`, `googleOrgUnit`, …), as roles.md names them. */
  field: GrantField;
  /** Its label, as the role tree shows it (`Google groups`). */
  label: string;
  /** `single`: one value per role (an org unit); `list`: one of several (a group); `map`: one custom schema field. */
  kind: 'single' | 'list' | 'map';
  /** For a `map` item: the `schema.field` key. */
  key?: string;
  /** A string, or a custom schema field's JSON value. */
  value: unknown;
  grantedBy: string;
  /** For kept access: the role that granted it before, when another than now. */
  previouslyGrantedBy?: string;
}

/** A mover's diff as the console shows it (GET /v1/runs/{runId} `moverDiff`, built in lambdas/engine/mover-diff.ts). */
export interface MoverDiffView {
  /** The role held before, as the run names it; absent when no earlier role is on record. */
  from?: string;
  /** The run that granted the role held before. */
  fromRunId?: string;
  to: string;
  /** False when no earlier role is on record (or its run cannot be read): everything is listed as added, nothing as removed. */
  previousKnown: boolean;
  /** Why the previous role is unknown, in plain words, when it is. */
  note?: string;
  added: AccessItem[];
  removed: AccessItem[];
  kept: AccessItem[];
  /** When the removals are due: the earliest removal step's due time, or, with none planned, when they would be. */
  removalsDueAt: string;
  /** That day in the employee's time zone (YYYY-MM-DD): the grace date. */
  graceDate: string;
}

/** One run as GET /v1/runs/{runId} answers it: for a role change, with the mover's diff. */
export type RunView = Run & { moverDiff?: MoverDiffView };
