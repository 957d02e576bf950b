/** The engine's ports: what it needs from the outside, each with an AWS adapter and a local one. */
import type { Playbooks } from '../../config/schema';
import type { LifecycleStore } from '../store/lifecycle-store';
import type { Alert, Employee, EventType, StepError } from './model';
import type { ScheduleSettings } from './step-machine';

/** The body of a steps-queue message: which step of which run to dispatch. */
export interface StepMessage {
  runId: string;
  employeeId: string;
  stepId: string;
}

export interface StepQueue {
  /** Sends step messages, delivered after `delaySeconds` (at most 900, as on SQS). */
  send(messages: StepMessage[], delaySeconds?: number): Promise<void>;
  /** Hides a failed delivery for `delaySeconds` before it is received again (retry backoff). */
  retryLater(receiptHandle: string, delaySeconds: number): Promise<void>;
}

/** What an action receives: the step, its parameters and the employee as the event described them. */
export interface ActionRequest {
  action: string;
  runId: string;
  stepId: string;
  eventId: string;
  eventType: EventType;
  effectiveDate: string;
  urgent: boolean;
  attempt: number;
  employee: Employee;
  params: Record<string, unknown>;
  /** Set when an earlier attempt answered "not yet": what it asked to be handed back. */
  progress?: Record<string, unknown>;
}

export type ActionResponse =
  | {
      ok: true;
      result?: Record<string, unknown>;
      note?: string;
      providerAnswer?: string;
      /** "Not yet, check again at this time" (a transfer in progress): not a failure, not done. */
      checkAgainAt?: string;
      progress?: Record<string, unknown>;
    }
  | { ok: false; error: StepError };

export interface ActionInvoker {
  invoke(request: ActionRequest): Promise<ActionResponse>;
}

export interface AlertPublisher {
  publish(alert: Alert): Promise<void>;
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
  retryBaseSeconds: number;
  maxReceiveCount: number;
}

export interface EngineDeps {
  store: LifecycleStore;
  queue: StepQueue;
  invoker: ActionInvoker;
  alerts: AlertPublisher;
  clock: Clock;
  settings: EngineSettings;
  playbooks: Playbooks;
  log: EngineLog;
  metrics: EngineMetrics;
}

export const systemClock: Clock = { now: () => new Date() };
export const silentLog: EngineLog = { info: () => {}, warn: () => {}, error: () => {} };
export const noMetrics: EngineMetrics = { stepSucceeded: () => {}, stepFailed: () => {} };
