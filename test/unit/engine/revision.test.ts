/** How a revised request's plan is merged into its run: done kept, waiting replanned, new added, unwanted cancelled. */
import { mergeRevision } from '../../../lambdas/engine/revision';
import type { Run, Step } from '../../../lambdas/engine/model';

const step = (stepId: string, status: Step['status'], params: Record<string, unknown> = {}, more: Partial<Step> = {}): Step => ({
  stepId,
  action: `google.${stepId.replace(/-/g, '')}`,
  params,
  status,
  dueAt: '2027-01-03T08:00:00.000Z',
  after: [],
  attempts: status === 'pending' ? 0 : 1,
  ...more,
});

const run = (steps: Step[]): Run => ({ steps } as unknown as Run);

describe('mergeRevision', () => {
  const current = run([
    step('create-user', 'succeeded', { orgUnit: '/Support' }),
    step('add-groups', 'pending', { groups: ['support@example.com'] }),
    step('share-calendars', 'needs_attention', { calendars: ['a'] }, { alertId: 'alert-1', lastError: { message: 'boom' } as Step['lastError'], retries: 1 }),
    step('create-connect-agent', 'running', { routingProfile: 'Basic' }),
    step('old-pending', 'pending'),
    step('old-done', 'succeeded'),
    step('old-failed', 'needs_attention', {}, { alertId: 'alert-2' }),
  ]);
  const fresh = run([
    step('create-user', 'pending', { orgUnit: '/Support/Senior' }),
    step('add-groups', 'pending', { groups: ['support@example.com', 'seniors@example.com'] }),
    step('share-calendars', 'pending', { calendars: ['a', 'b'] }),
    step('create-connect-agent', 'pending', { routingProfile: 'Senior' }),
    step('assign-license', 'pending', { sku: 'x' }),
  ]);
  const out = mergeRevision(current, fresh, '2026-12-05T00:00:00.000Z');

  it('keeps what ran or runs, replans what waits, adds what is new and cancels what waited and is no longer wanted', () => {
    expect(out).toMatchObject({
      added: ['assign-license'],
      replanned: ['add-groups', 'share-calendars'],
      cancelled: ['old-pending', 'old-failed'],
      kept: ['create-user', 'create-connect-agent', 'old-done'],
    });
  });

  it('a kept step keeps its own form; a replanned one takes the new plan, its retries count carried, its alert and error gone', () => {
    const by = new Map(out.steps.map((s) => [s.stepId, s]));
    expect(by.get('create-user')).toMatchObject({ status: 'succeeded', params: { orgUnit: '/Support' } });
    expect(by.get('create-connect-agent')).toMatchObject({ status: 'running', params: { routingProfile: 'Basic' } });
    expect(by.get('add-groups')).toMatchObject({ status: 'pending', params: { groups: ['support@example.com', 'seniors@example.com'] } });
    expect(by.get('share-calendars')).toEqual(step('share-calendars', 'pending', { calendars: ['a', 'b'] }, { retries: 1 }));
  });

  it('a cancelled step says why and drops its alert; a step done but no longer wanted says it is left to undo by hand', () => {
    const by = new Map(out.steps.map((s) => [s.stepId, s]));
    expect(by.get('old-failed')).toMatchObject({ status: 'cancelled', note: 'no longer in the revised request', finishedAt: '2026-12-05T00:00:00.000Z' });
    expect(by.get('old-failed')?.alertId).toBeUndefined();
    expect(by.get('old-done')).toMatchObject({ status: 'succeeded', note: expect.stringContaining('undo by hand') });
  });
});
