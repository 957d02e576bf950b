/** A leaver's termination run and audit trail as the engine leaves them: for the attestation's tests. */
import type { AuditEntry, Run, Step } from '../../../lambdas/engine/model';

const step = (stepId: string, action: string, extra: Partial<Step> = {}): Step => ({
  stepId,
  action,
  params: {},
  status: 'succeeded',
  dueAt: '2026-12-04T10:00:00.000Z',
  after: [],
  attempts: 1,
  ...extra,
});

/** The playbook's cut-off steps of the fixture: forward-event is not one, so its skip leaves the record complete. */
export const CUTOFF = new Set(['sign-out', 'remove-from-groups']);

/** sign-out succeeded, remove-from-groups retried by an operator then succeeded, forward-event (not a cut-off step) skipped, suspend-user later. */
export function leaverRun(overrides: Partial<Run> = {}): Run {
  return {
    runId: 'run-term-1',
    employeeId: 'E100',
    eventId: 'hr-term-1',
    type: 'terminate',
    status: 'in_progress',
    effectiveDate: '2026-12-04',
    urgent: true,
    version: 9,
    createdAt: '2026-12-04T10:00:00.000Z',
    updatedAt: '2026-12-04T10:05:00.000Z',
    employee: { id: 'E100', firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', timezone: 'Europe/Berlin' },
    steps: [
      step('sign-out', 'google.signOut', { finishedAt: '2026-12-04T10:00:00.300Z', note: 'signed out of every web and device session', account: { system: 'google', address: 'ada@example.com', state: 'active', boundBy: 'binding' } }),
      step('remove-from-groups', 'google.removeFromGroups', { attempts: 2, retries: 1, finishedAt: '2026-12-04T10:04:00.000Z', result: { removed: [{ group: 'all@example.com', role: 'MEMBER' }] }, note: 'removed from 1 group' }),
      step('forward-event', 'forward.event', { status: 'skipped', finishedAt: '2026-12-04T10:01:00.000Z', note: 'skipped by an operator' }),
      step('suspend-user', 'google.suspendUser', { status: 'pending', dueAt: '2027-01-03T08:00:00.000Z', attempts: 0 }),
    ],
    ...overrides,
  };
}

const at = (iso: string, entry: Omit<AuditEntry, 'at' | 'employeeId' | 'runId'>): AuditEntry => ({ at: iso, employeeId: 'E100', runId: 'run-term-1', ...entry });

export function leaverAudit(): AuditEntry[] {
  return [
    at('2026-12-04T10:00:00.300Z', { stepId: 'sign-out', actor: 'google.signOut', change: 'step succeeded', from: 'running', to: 'succeeded', detail: { note: 'signed out', providerAnswer: 'users.signOut answered 204' } }),
    at('2026-12-04T10:00:30.000Z', { stepId: 'remove-from-groups', actor: 'dead-letter', change: 'failed 4 times and needs an operator', from: 'queued', to: 'needs_attention' }),
    at('2026-12-04T10:01:00.000Z', { stepId: 'forward-event', actor: 'jane@corp.example', change: 'step skipped by an operator: receiver retired, told by phone', from: 'needs_attention', to: 'skipped' }),
    at('2026-12-04T10:03:00.000Z', { stepId: 'remove-from-groups', actor: 'joe@corp.example', change: 'step retried by an operator', from: 'needs_attention', to: 'queued' }),
    at('2026-12-04T10:04:00.000Z', { stepId: 'remove-from-groups', actor: 'google.removeFromGroups', change: 'step succeeded', from: 'running', to: 'succeeded', detail: { providerAnswer: 'groups read back: none' } }),
  ];
}
