/** Test builders: events and runs with sensible defaults, overridable per case. */
import type { PlannedEvent } from '../../lambdas/engine/model';
import type { ActionRequest, EngineSettings } from '../../lambdas/engine/ports';

export const settings: EngineSettings = { dueShards: 4, requeueAfterSeconds: 120, leaseSeconds: 30, retryBaseSeconds: 2, maxReceiveCount: 4 };

/**
 * A date `days` from today (UTC), for tests against the system clock: the API accepts effective dates only
 * within a window around the server's date, so a fixed "far ahead" date would expire.
 */
export function daysFromToday(days: number): string {
  return new Date(Date.now() + days * 24 * 3600 * 1000).toISOString().slice(0, 10);
}

/** The HR body of the example, as JSON-ready data. */
export function hrBody(overrides: Record<string, unknown> = {}) {
  return {
    eventId: 'hr-7781',
    type: 'terminate',
    effectiveDate: '2026-11-30',
    urgent: false,
    employee: {
      id: 'E100',
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada.lovelace@example.com',
      personalEmail: 'ada@home.example',
      managerEmail: 'grace.hopper@example.com',
      role: 'support-agent',
      timezone: 'Europe/Berlin',
    },
    ...overrides,
  };
}

/** The same example as a parsed event, for the engine's pure functions. */
export function terminateEvent(overrides: Partial<PlannedEvent> = {}): PlannedEvent {
  const { personalEmail: _p, role: _r, ...employee } = hrBody().employee;
  return { ...(hrBody() as Omit<PlannedEvent, 'employee'>), employee, ...overrides } as PlannedEvent;
}

/** The dispatcher's request to forward.event for an urgent leaver: the action tests' common request. */
export const forwardEventRequest = (): ActionRequest => ({
  action: 'forward.event',
  runId: 'run-1',
  stepId: 'forward-event',
  eventId: 'hr-7781',
  eventType: 'terminate',
  effectiveDate: '2026-11-30',
  urgent: true,
  attempt: 1,
  priority: 'housekeeping',
  employee: { id: 'E100', firstName: 'Ada', timezone: 'Europe/Berlin' },
  params: {},
});
