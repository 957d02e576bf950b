/** Planning the manager's notice before a leaver's last day: N days before at the step's hour, now when late, none when urgent, past or off. */
import { parsePlaybooks, playbooks as defaultPlaybooks } from '../../config/playbooks';
import { loadStageConfig } from '../../config/stages';
import { stageConfigSchema } from '../../config/schema';
import type { Run } from '../../lambdas/engine/model';
import { cutoffAt, planRun } from '../../lambdas/engine/plan';
import { leaverRole } from '../../lambdas/engine/role-planning';
import { engineSettingsFromEnv } from '../../lambdas/shared/settings';
import { resolveRole } from '../../lambdas/roles/resolve';
import { settings, terminateEvent } from '../support/builders';
import { catalogOf, role } from './roles/role-fixtures';

// Ada's last day is Monday 30 November 2026, in Europe/Berlin (UTC+1): the cut-off is 2026-11-30T23:00Z.
const before = new Date('2026-11-23T10:00:00Z');

const playbooks = parsePlaybooks({
  hire: { steps: [] },
  role_change: { steps: [] },
  terminate: {
    steps: [
      { id: 'sign-out', action: 'google.signOut', cutoff: true },
      { id: 'notice', action: 'google.sendLeaverNotice', notice: true, at: '10:00' },
      // A step that waits for the notice goes ahead without it when the notice is not planned.
      { id: 'after-notice', action: 'forward.event', cutoff: true, after: ['notice'] },
    ],
  },
});

const stepOf = (run: Run, id: string) => run.steps.find((s) => s.stepId === id);

describe('the leaver notice planned', () => {
  it('for a non-urgent leaver: three days before the last day by default, at the step’s hour in the leaver’s zone', () => {
    const run = planRun(terminateEvent(), playbooks, before, settings);
    expect(stepOf(run, 'notice')).toMatchObject({ status: 'pending', dueAt: '2026-11-27T09:00:00.000Z', after: [] });
    expect(stepOf(run, 'after-notice')?.after).toEqual(['notice']);
    expect(run.notes).toBeUndefined();
  });

  it('as many days before as the stage says', () => {
    expect(stepOf(planRun(terminateEvent(), playbooks, before, { ...settings, leaverNoticeDays: 5 }), 'notice')?.dueAt).toBe('2026-11-25T09:00:00.000Z');
    expect(stepOf(planRun(terminateEvent(), playbooks, before, { ...settings, leaverNoticeDays: 1 }), 'notice')?.dueAt).toBe('2026-11-29T09:00:00.000Z');
  });

  it('in a zone of its own: 09:00 in New York is 14:00 UTC', () => {
    const event = terminateEvent({ employee: { ...terminateEvent().employee, timezone: 'America/New_York' } });
    expect(stepOf(planRun(event, parsePlaybooks({ ...playbooks, terminate: { steps: [{ id: 'notice', action: 'google.sendLeaverNotice', notice: true }] } }), before, settings), 'notice')?.dueAt).toBe(
      '2026-11-27T14:00:00.000Z',
    );
  });

  it.each([
    ['one day before the last day', '2026-11-29T10:00:00.000Z'],
    ['on the last day itself, before the cut-off', '2026-11-30T22:59:00.000Z'],
  ])('when the last day is closer than the notice period (%s): due at once', (_when, at) => {
    const run = planRun(terminateEvent(), playbooks, new Date(at), settings);
    expect(stepOf(run, 'notice')?.dueAt).toBe(at);
    expect(run.dueAt).toBe(at);
  });

  it('not for an urgent leaver: their access goes now, and nothing waits for the notice', () => {
    const run = planRun(terminateEvent({ urgent: true }), playbooks, before, settings);
    expect(stepOf(run, 'notice')).toBeUndefined();
    expect(stepOf(run, 'after-notice')?.after).toEqual([]);
    expect(run.notes).toBeUndefined();
  });

  it('not once the cut-off has passed, and the run says why', () => {
    const at = cutoffAt(terminateEvent());
    expect(at.toISOString()).toBe('2026-11-30T23:00:00.000Z');
    const run = planRun(terminateEvent(), playbooks, at, settings);
    expect(stepOf(run, 'notice')).toBeUndefined();
    expect(run.notes).toEqual(['no leaver notice to the manager: the cut-off (2026-11-30T23:00:00.000Z) had passed when the event arrived']);
  });

  it('not at all when the stage sets 0 days', () => {
    const run = planRun(terminateEvent(), playbooks, before, { ...settings, leaverNoticeDays: 0 });
    expect(stepOf(run, 'notice')).toBeUndefined();
    expect(run.notes).toBeUndefined();
  });

  it('by the default playbook, from the stage’s setting (3 unless it says otherwise; 0 to 60)', () => {
    const stage = engineSettingsFromEnv(loadStageConfig('dev'));
    expect(stage.leaverNoticeDays).toBe(3);
    const run = planRun(terminateEvent(), defaultPlaybooks, before, stage);
    expect(stepOf(run, 'leaver-notice')).toMatchObject({ action: 'google.sendLeaverNotice', dueAt: '2026-11-27T08:00:00.000Z' });
    expect(stepOf(planRun(terminateEvent(), defaultPlaybooks, before, { ...stage, leaverNoticeDays: 7 }), 'leaver-notice')?.dueAt).toBe('2026-11-23T10:00:00.000Z');
    const dev = loadStageConfig('dev');
    expect(stageConfigSchema.safeParse({ ...dev, leaverNoticeDays: 61 }).success).toBe(false);
    expect(stageConfigSchema.safeParse({ ...dev, leaverNoticeDays: -1 }).success).toBe(false);
    const { leaverNoticeDays: _n, ...unset } = dev;
    expect(stageConfigSchema.parse(unset).leaverNoticeDays).toBe(3);
  });
});

describe('the role a leaver held', () => {
  const catalog = catalogOf([
    role('employee', undefined, { 'Manual tasks': ['Order a laptop'] }),
    role('agent', 'employee', { 'Manual tasks': ['Issue a headset'] }),
  ]);
  const hire = (runId: string, createdAt: string): Run => ({
    ...planRun(terminateEvent({ type: 'hire', eventId: runId }), playbooks, before, settings),
    runId,
    createdAt,
    role: { name: 'agent', resolved: resolveRole(catalog, 'agent').role!, planned: 1 },
  });

  it('is the role of the latest hire or role change, with its manual tasks, inherited ones included', () => {
    const held = leaverRole([hire('r1', '2026-01-01T00:00:00Z')], 'new', 1);
    expect(held).toMatchObject({ name: 'agent', grantedByRunId: 'r1' });
    expect(held && 'resolved' in held ? held.resolved.lists.manualTasks.map((g) => g.value) : undefined).toEqual(['Order a laptop', 'Issue a headset']);
  });

  it('is none for someone hired before the role catalog', () => {
    expect(leaverRole([], 'new', 1)).toBeUndefined();
  });
});
