/** The engine's ports: what it needs from the outside, each with an AWS adapter and a local one. */
import type { MassChangeSettings, Playbooks } from '../../config/schema';
import type { LifecycleStore } from '../store/lifecycle-store';
import type { RawRole } from '../roles/role-model';
import type { KnownReferences } from '../roles/resolve';
import type { AccountConfirmation, Alert, BoundAccount, Employee, Run, RunStatus, RunType, StepError } from './model';
import type { ScheduleSettings } from './step-machine';
import type { RestoreRule } from './restore';
import type { PriorityClass } from '../../config/priority';
import type { MailRetentionMethod } from '../../config/mail-retention';

/** The body of a steps-queue message: which step of which run to dispatch. */
export interface StepMessage {
  runId: string;
  employeeId: string;
  stepId: string;
  /** The step's priority class: which queue carries the message (absent on a message sent before: DEFAULT_PRIORITY). */
  priority?: PriorityClass;
  /**
   * Failed receives of the earlier copies of this message: a delivery the dispatcher had no time for is handed back
   * as a fresh copy (so the hand-back spends no receive), and the copy carries the failures it must still count.
   */
  priorReceives?: number;
}

export interface StepQueue {
  /** Sends step messages, delivered after `delaySeconds` (at most 900, as on SQS). */
  send(messages: StepMessage[], delaySeconds?: number): Promise<void>;
  /** Hides a failed delivery for `delaySeconds` before it is received again (retry backoff), on the queue it came from. */
  retryLater(receiptHandle: string, delaySeconds: number, from?: DeliverySource): Promise<void>;
}

/** Where a delivery came from, for the queue that holds it: the record's queue ARN, else the message's class names its queue. */
export interface DeliverySource {
  /** The SQS record's `eventSourceARN`: the queue the message was received from. */
  queueArn?: string;
  /** The message's own class: its queue when the ARN is absent or names no known queue. */
  priority?: PriorityClass;
}

/** What an action receives: the step, its parameters and the employee as the event described them. */
export interface ActionRequest {
  action: string;
  runId: string;
  stepId: string;
  eventId: string;
  eventType: RunType;
  effectiveDate: string;
  urgent: boolean;
  attempt: number;
  /**
   * The step's priority class (the dispatcher always sets it): a provider budget spends its tokens on `lockout` first.
   * Absent only in a request made by hand; read it as DEFAULT_PRIORITY (config/priority.ts).
   */
  priority?: PriorityClass;
  employee: Employee;
  params: Record<string, unknown>;
  /** Set when an earlier attempt answered "not yet": what it asked to be handed back. */
  progress?: Record<string, unknown>;
  /**
   * How many times an operator retried the step (absent: never). Progress survives a retry; an action whose progress
   * holds a clock (connect.removeAgent's wait) compares this to start it again after an operator's retry.
   */
  retries?: number;
  /**
   * The role the run was planned from, rendered, and what it leaves to do by hand; for a leaver, the role they held (heldRole).
   * `mailRetention`: the role's `Mail retention` (google.retainMail keeps the mail so in place of the stage's setting).
   */
  role?: { name: string; text?: string; manualTasks: string[]; mailRetention?: MailRetentionMethod };
  /** The operators' confirmations of accounts this run may act on (adopt an unbound one, act on a protected one). */
  confirmedAccounts?: Pick<AccountConfirmation, 'system' | 'account' | 'confirms'>[];
  /** Where the run's other steps stand, for an action that reports on the run (the joiner summary). */
  runSteps?: { stepId: string; action: string; status: string; dueAt?: string; note?: string; error?: string }[];
  /**
   * For a handover step: the manager (employee.managerEmail) is leaving too, with a termination run of their own in
   * progress. Google cannot tell: their lockout may not have run yet, and they stay unsuspended until day +30.
   */
  managerLeaving?: { employeeId: string; runId: string; effectiveDate: string };
}

export type ActionResponse =
  | {
      ok: true;
      result?: Record<string, unknown>;
      note?: string;
      providerAnswer?: string;
      /** "Not yet, check again at this time" (a transfer in progress): not a failure, not done. */
      checkAgainAt?: string;
      /** The company address an account was made with (a joiner's derived address): the run's later steps act on it. */
      employeeEmail?: string;
      /** The account the step acted on, bound to the employee id, as the step found it (set by the account check). */
      account?: BoundAccount;
      /** The account's state after the step, when the step changed it (suspended, deleted, active again). */
      accountState?: BoundAccount['state'];
      progress?: Record<string, unknown>;
    }
  | { ok: false; error: StepError };

/** What the engine knows of the action catalog: which actions exist, and which action undoes which. */
export interface ActionCatalog {
  /** True for an action the catalog lists: a step naming another goes to an operator unrun. */
  isKnownAction(name: string): boolean;
  /** How a removal is undone on a cancel or a rehire; undefined when it is not undone. */
  restoreRuleFor(action: string): RestoreRule | undefined;
  /** The priority class of an action, which a step keeps unless its playbook step overrides it. */
  priorityOf(action: string): PriorityClass;
}

export interface ActionInvoker {
  invoke(request: ActionRequest): Promise<ActionResponse>;
}

export interface AlertPublisher {
  publish(alert: Alert): Promise<void>;
}

/**
 * A one-off wake-up for a step that must run at an exact local time: at `at` the run's due steps
 * are released for that run alone, instead of waiting for the next sweep.
 */
export interface Wake {
  /** Deterministic from the run and step: the same step always names the same wake. */
  name: string;
  /** The instant, ISO UTC. */
  at: string;
  /** The employee's IANA zone, in which `localDateTime` is written. */
  timezone: string;
  /** The same instant as wall-clock time in `timezone`: YYYY-MM-DDTHH:MM:SS. */
  localDateTime: string;
  employeeId: string;
  runId: string;
}

export interface StepWakes {
  /** Schedules a wake; a wake of the same name already there is 'exists', not an error. */
  schedule(wake: Wake): Promise<'scheduled' | 'exists'>;
  /** Removes a wake; one already gone (fired, or never made) is fine. */
  cancel(name: string): Promise<void>;
}

export interface Clock {
  now(): Date;
}

export interface EngineLog {
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}

export interface EngineMetrics {
  stepSucceeded(action: string, dueToDoneMs: number): void;
  stepFailed(action: string): void;
}

export interface EngineSettings extends ScheduleSettings {
  leaseSeconds: number;
  /** Hires wait for an operator's approval (the stage's approveHires). */
  approveHires?: boolean;
  /** Rehires wait for approval unless this is false (the stage's approveRehires). */
  approveRehires?: boolean;
  /** A hire whose personal email differs from the one on record waits for approval unless this is false. */
  approvePersonalEmailChanges?: boolean;
  /** What holds such a change, as a revision's approval reason names it; unset, the stage setting approvePersonalEmailChanges. */
  personalEmailChangeRule?: string;
  /** Days a mover keeps what only the old role granted (the stage's moverGraceDays; default 7). */
  moverGraceDays?: number;
  /** Days before a non-urgent leaver's last day that a playbook step marked `notice` is due (the stage's leaverNoticeDays; default 3, 0: none). */
  leaverNoticeDays?: number;
  /** The mass-change guard (the stage's massChange); unset, its defaults apply. */
  massChange?: MassChangeSettings;
  retryBaseSeconds: number;
  maxReceiveCount: number;
  /** The action functions' timeout (the stage's actionTimeoutSeconds): the longest one invoke can take. Default 30. */
  actionTimeoutSeconds?: number;
}

export interface EngineDeps {
  store: LifecycleStore;
  queue: StepQueue;
  invoker: ActionInvoker;
  /** The action catalog, given by the composition root (the engine does not import the actions). */
  actions: ActionCatalog;
  alerts: AlertPublisher;
  clock: Clock;
  settings: EngineSettings;
  playbooks: Playbooks;
  log: EngineLog;
  metrics: EngineMetrics;
  /** Exact-time wakes; without them exact-time steps run at the next sweep. */
  wakes?: StepWakes;
  /** The role catalog a hire or role change is planned from; without it an event naming a role is refused. */
  roles?: RoleSource;
  /** Told of a run that has ended or has a step newly waiting for an operator (the Jira write-back); unset, nobody is. */
  reports?: RunReports;
}

/** What a written change did to a run that someone following it is told of. */
export interface RunNotice {
  /** The run ended with this change: completed, cancelled or rejected. */
  settled?: Extract<RunStatus, 'completed' | 'cancelled' | 'rejected'>;
  /** Steps that came to need an operator with this change. */
  needsAttention: string[];
  /**
   * Steps that left the operator's hands with this change: a step needing one that was retried, skipped, cancelled or
   * replanned away, and a step retried earlier that has now settled (succeeded).
   */
  cleared?: string[];
  /** The run waiting for approval was approved with this change, by this actor (the audit trail's name). */
  approvedBy?: string;
}

/**
 * Told of a run once its change is written (never before): best effort, so a failure is the reporter's to log and never
 * fails, repeats or retries the change. The same on AWS (each function that settles runs) and locally.
 */
export interface RunReports {
  runChanged(run: Run, notice: RunNotice): Promise<void>;
}

/** The role catalog (Notion on AWS and locally, through its emulator) and, where readable, what exists in the providers. */
export interface RoleSource {
  catalog: {
    /** Every role page, parsed; throws when the catalog cannot be read. */
    load(): Promise<RawRole[]>;
    /** Forgets a cached copy, so the next load reads the catalog again. */
    invalidate?(): void;
  };
  /** The groups, profiles and units that exist, to check a role's references; unset, they are not checked. */
  knownReferences?(): Promise<KnownReferences>;
}

/** Engine dependencies a platform provides: all but the action catalog, which the composition root adds. */
export type PlatformDeps = Omit<EngineDeps, 'actions'>;

export const systemClock: Clock = { now: () => new Date() };
export const silentLog: EngineLog = { info: () => {}, warn: () => {}, error: () => {} };
export const noMetrics: EngineMetrics = { stepSucceeded: () => {}, stepFailed: () => {} };
