/** Ready-made HR events for trying the system: one employee, any of the planned event types. */
import type { CancelEvent, Employee, PlannedEvent, PlannedEventType } from '../../lambdas/engine/model';
import { localDate } from '../../lambdas/engine/time';

export const SAMPLE_TYPES = ['hire', 'role_change', 'terminate'] as const satisfies readonly PlannedEventType[];
export type SampleType = (typeof SAMPLE_TYPES)[number];

export const SAMPLE_EMPLOYEE: Omit<Employee, 'id'> = {
  firstName: 'Ada',
  lastName: 'Lovelace',
  email: 'ada.lovelace@example.com',
  personalEmail: 'ada@home.example',
  managerEmail: 'grace.hopper@example.com',
  role: 'support-agent',
  timezone: 'Europe/Berlin',
};

export interface SampleOptions {
  employeeId?: string;
  /** YYYY-MM-DD; by default today where the employee is. */
  effectiveDate?: string;
  urgent?: boolean;
  eventId?: string;
}

/** A default event id unique per call, so a second `send --sample` plans a new run instead of replaying the first. */
export const defaultEventId = (type: string, now: Date) => `cli-${type}-${now.getTime()}`;

export function sampleEvent(type: SampleType, options: SampleOptions, now: Date): PlannedEvent {
  return {
    eventId: options.eventId ?? defaultEventId(type, now),
    type,
    // The engine reads effectiveDate as a calendar day in the employee's zone, so "today" is theirs, not this machine's.
    effectiveDate: options.effectiveDate ?? localDate(now, SAMPLE_EMPLOYEE.timezone),
    urgent: options.urgent ?? false,
    employee: { id: options.employeeId ?? 'E100', ...SAMPLE_EMPLOYEE },
  };
}

/** Withdraws an earlier event; like the samples it gets a fresh id per call, derived from the one it cancels. */
export function cancelEvent(cancels: string, now: Date): CancelEvent {
  return { eventId: `cancel-${cancels}-${now.getTime()}`, type: 'cancel', cancels };
}
