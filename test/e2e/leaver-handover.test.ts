/**
 * Sole-owner handover end to end with the default playbook: a leaver who alone manages a shared drive and alone owns a
 * group has both handed to the manager before the cut-off, read back through the emulators; a Connect queue only the
 * leaver serves reaches an operator before the cut-off, and the agent's removal waits for them. A group still alone owned
 * at the cut-off keeps the leaver until an operator acts; a manager leaving in the same layoff is handed nothing.
 */
import type { Alert, Run } from '../../lambdas/engine/model';
import { sweep } from '../../lambdas/engine/sweep';
import { SAMPLE_CONNECT } from '../../local/emulators/connect/connect-sample';
import { LOCAL_CONNECT_INSTANCE_ID } from '../../local/emulators/provider-emulators';
import type { Runtime } from '../../local/runtime';
import { hrBody } from '../support/builders';
import { fastPolling } from '../support/fast-playbooks';
import { providerClockFollowing } from '../support/manual-clock';
import { eventually, operator, postEvent, start } from '../support/harness';

const ADA = 'ada.lovelace@example.com';
const GRACE = 'grace.hopper@example.com';
const GROUP = 'analytical-engine@example.com';
// The last working day is 30 November (Berlin): the handover is due at its start, the cut-off at its end.
const LAST_DAY = '2026-11-30';
const HANDOVER_DUE = '2026-11-29T23:00:00.000Z';
const CUTOFF = '2026-11-30T23:00:00.000Z';

describe('sole-owner handover before the cut-off', () => {
  let rt: Runtime;
  let now = Date.parse('2026-11-30T08:00:00Z');
  const alerts: Alert[] = [];

  beforeEach(async () => {
    now = Date.parse('2026-11-30T08:00:00Z');
    alerts.length = 0;
    const clock = { now: () => new Date(now) };
    rt = await start({ playbooks: fastPolling, clock, providerClock: providerClockFollowing(clock), onAlert: (a) => alerts.push(a) });
  });
  afterEach(async () => {
    await rt.stop();
  });

  const runOf = async (runId: string): Promise<Run> => (await rt.engine.store.getRun('E100', runId))!;
  const step = (run: Run, id: string) => run.steps.find((s) => s.stepId === id)!;
  const settledWhere = (runId: string, pred: (run: Run) => boolean, what: string) =>
    eventually(async () => {
      const run = await runOf(runId);
      return pred(run) && rt.idle() ? run : undefined;
    }, 30_000, what);

  it('hands the shared drive and the group the leaver alone manages to the manager before the cut-off removes the leaver, and reads both back', async () => {
    const google = rt.emulators.google;
    const drive = google.seedSharedDrive({ name: 'Analytical Engine notes', organizers: [ADA], members: [{ email: 'alan.turing@example.com', role: 'writer' }] });
    expect(google.membersOf(GROUP).filter((m) => m.role === 'OWNER')).toEqual([{ email: ADA, role: 'OWNER' }]);
    const rota = google.seedCalendar({ summary: 'Engine rota', owner: ADA });

    const res = await postEvent(rt, hrBody({ eventId: 'handover-1', effectiveDate: LAST_DAY }));
    expect(res.status).toBe(202);
    const planned = await runOf(res.body.runId);
    for (const id of ['handover-shared-drives', 'handover-groups', 'handover-calendars', 'handover-meetings', 'check-sole-served-queues']) expect(step(planned, id).dueAt).toBe(HANDOVER_DUE);
    expect(step(planned, 'remove-from-groups').dueAt).toBe(CUTOFF);

    // The day before the cut-off: the handover runs; nothing of the cut-off does.
    await sweep(rt.engine);
    const handed = await settledWhere(
      res.body.runId,
      (run) => ['handover-shared-drives', 'handover-groups', 'handover-calendars', 'handover-meetings', 'check-sole-served-queues'].every((id) => step(run, id).status === 'succeeded'),
      'the handover steps',
    );
    expect(step(handed, 'remove-from-groups').status).toBe('pending');
    expect(step(handed, 'sign-out').status).toBe('pending');
    expect(step(handed, 'handover-shared-drives').result).toEqual({ handedOver: [{ driveId: drive, name: 'Analytical Engine notes', to: GRACE }], to: GRACE, as: 'manager' });
    expect(step(handed, 'handover-groups').result).toEqual({ handedOver: [{ groupKey: GROUP, to: GRACE }], to: GRACE, as: 'manager' });
    // Read back through the emulator: Grace manages the drive and owns the group, beside Ada, who still has access.
    expect(google.sharedDriveMembers(drive)).toEqual(expect.arrayContaining([{ email: ADA, role: 'organizer' }, { email: GRACE, role: 'organizer' }]));
    expect(google.membersOf(GROUP)).toEqual(expect.arrayContaining([{ email: ADA, role: 'OWNER' }, { email: GRACE, role: 'OWNER' }]));
    expect(google.calendarAcl(rota)).toContainEqual({ id: `user:${GRACE}`, role: 'owner', scope: { type: 'user', value: GRACE } });
    // Ada's 8 upcoming meetings with guests are Grace's to run, read back on Ada's calendar; her private and solo events are not moved.
    expect(step(handed, 'handover-meetings').result).toMatchObject({ to: GRACE, as: 'manager', meetingsHandedOver: 8, meetingsLeft: 0, notMoved: { private: 1, solo: 1, started: 0 }, verified: 'meetings read back' });
    expect(google.user(ADA)).toMatchObject({ calendarEvents: 4, driveFiles: 42 });

    // The cut-off: Ada leaves the group, which keeps its new owner.
    now = Date.parse(CUTOFF) + 1000;
    await sweep(rt.engine);
    const cut = await settledWhere(res.body.runId, (run) => ['remove-from-groups', 'remove-connect-agent', 'sign-out'].every((id) => step(run, id).status === 'succeeded'), 'the cut-off');
    expect(google.membersOf(GROUP).filter((m) => m.role === 'OWNER')).toEqual([{ email: GRACE, role: 'OWNER' }]);
    expect(google.groupsOf(ADA)).toEqual([]);
    expect(step(cut, 'handover-groups').finishedAt! <= step(cut, 'remove-from-groups').startedAt!).toBe(true);
    expect(step(cut, 'handover-shared-drives').finishedAt! < CUTOFF).toBe(true);
    // The audit trail has the handover before the removal.
    const audit = await rt.engine.store.listAudit('E100');
    const firstOf = (stepId: string) => audit.findIndex((a) => a.stepId === stepId && /succeeded/.test(a.change));
    expect(firstOf('handover-groups')).toBeGreaterThanOrEqual(0);
    expect(firstOf('handover-groups')).toBeLessThan(firstOf('remove-from-groups'));
    expect(alerts).toEqual([]);
  }, 90_000);

  it('an urgent leaver is locked out first, and still leaves the group only after it is handed over', async () => {
    const res = await postEvent(rt, hrBody({ eventId: 'handover-urgent', effectiveDate: LAST_DAY, urgent: true }));
    expect(res.status).toBe(202);
    const done = await settledWhere(res.body.runId, (run) => ['remove-from-groups', 'sign-out', 'handover-groups'].every((id) => step(run, id).status === 'succeeded'), 'the cut-off');
    expect(step(done, 'remove-from-groups').after).toEqual(['handover-groups']);
    expect(step(done, 'handover-groups').finishedAt! <= step(done, 'remove-from-groups').startedAt!).toBe(true);
    expect(rt.emulators.google.membersOf(GROUP).filter((m) => m.role === 'OWNER')).toEqual([{ email: GRACE, role: 'OWNER' }]);
  }, 90_000);

  it('a group the leaver still alone owns at the cut-off keeps them: the other memberships go, an operator is alerted, and a retry once it has another owner removes them', async () => {
    const google = rt.emulators.google;
    const res = await postEvent(rt, hrBody({ eventId: 'handover-skipped', effectiveDate: LAST_DAY }));
    expect(res.status).toBe(202);
    // An operator skips the group handover before it is due: nothing hands the group over.
    expect((await operator(rt, 'POST', `/v1/runs/${res.body.runId}/steps/handover-groups/skip`)).status).toBe(200);
    // The rest of the handover, due already, settles first: the meetings' transfer is looked at again until done.
    await settledWhere(res.body.runId, (run) => step(run, 'handover-meetings').status === 'succeeded', 'the meetings handover');

    now = Date.parse(CUTOFF) + 1000;
    await sweep(rt.engine);
    const held = await settledWhere(res.body.runId, (run) => step(run, 'remove-from-groups').status === 'needs_attention', 'the group removal to stop');
    expect(step(held, 'sign-out').status).toBe('succeeded');
    expect(google.groupsOf(ADA)).toEqual([GROUP]);
    expect(google.membersOf(GROUP).filter((m) => m.role === 'OWNER')).toEqual([{ email: ADA, role: 'OWNER' }]);
    const alert = await eventually(async () => alerts.find((a) => a.stepId === 'remove-from-groups'), 10_000, 'the alert');
    expect(alert.message).toContain(`${ADA} is left in 1 group(s) because they are its only owner: ${GROUP}`);
    expect(alert.message).toContain('Make someone else an owner of each, then retry this step');

    // Someone else is made an owner, and the operator retries: Ada leaves, and every group she left is recorded.
    google.addMember(GROUP, GRACE, 'OWNER');
    expect((await operator(rt, 'POST', `/v1/runs/${res.body.runId}/steps/remove-from-groups/retry`)).status).toBe(200);
    const done = await settledWhere(res.body.runId, (run) => step(run, 'remove-from-groups').status === 'succeeded', 'the group removal');
    expect(google.groupsOf(ADA)).toEqual([]);
    const removed = (step(done, 'remove-from-groups').result as { removed: { groups: { groupKey: string; role: string }[] } }).removed.groups;
    expect(removed).toContainEqual({ groupKey: GROUP, role: 'OWNER' });
    expect(removed.length).toBeGreaterThan(1);
  }, 90_000);

  it('a manager leaving in the same layoff is given nothing: the handover is held for an operator naming their termination', async () => {
    const google = rt.emulators.google;
    const drive = google.seedSharedDrive({ name: 'Analytical Engine notes', organizers: [ADA] });
    // Grace, Ada's manager, leaves a week later: Google still shows her as an active account.
    const graceEmployee = { id: 'E200', firstName: 'Grace', lastName: 'Hopper', email: GRACE, timezone: 'Europe/Berlin', role: 'support-agent' };
    const grace = await postEvent(rt, hrBody({ eventId: 'handover-grace', effectiveDate: '2026-12-07', employee: graceEmployee }));
    expect(grace.status).toBe(202);
    const res = await postEvent(rt, hrBody({ eventId: 'handover-3', effectiveDate: LAST_DAY }));
    expect(res.status).toBe(202);

    await sweep(rt.engine);
    const held = await settledWhere(
      res.body.runId,
      (run) => ['handover-shared-drives', 'handover-groups'].every((id) => step(run, id).status === 'needs_attention'),
      'the handover steps to stop',
    );
    expect(step(held, 'handover-groups').hold).toBe('beneficiary');
    const alert = await eventually(async () => alerts.find((a) => a.runId === res.body.runId && a.stepId === 'handover-shared-drives'), 10_000, 'the alert');
    expect(alert.message).toContain(`managerEmail ${GRACE} is leaving too (employee E200, termination run ${grace.body.runId}, effective 2026-12-07)`);
    expect(google.sharedDriveMembers(drive)).toEqual([{ email: ADA, role: 'organizer' }]);
    expect(google.membersOf(GROUP).filter((m) => m.role === 'OWNER')).toEqual([{ email: ADA, role: 'OWNER' }]);
  }, 90_000);

  it('a queue only the leaver serves reaches an operator before the cut-off, and the agent is removed only once the operator has dealt with it', async () => {
    const connect = rt.emulators.connect;
    const vip = connect.addQueue(LOCAL_CONNECT_INSTANCE_ID, { name: 'VIP' });
    connect.associateRoutingProfileQueues(LOCAL_CONNECT_INSTANCE_ID, SAMPLE_CONNECT.routingProfiles.supportTier1, [{ queueId: vip.id }]);

    const res = await postEvent(rt, hrBody({ eventId: 'handover-2', effectiveDate: LAST_DAY }));
    await sweep(rt.engine);
    const held = await settledWhere(res.body.runId, (run) => step(run, 'check-sole-served-queues').status === 'needs_attention', 'the queue check to stop');
    expect(held.status).toBe('needs_attention');
    // The alert, with the queue named, is raised the day before the cut-off.
    const alert = await eventually(async () => alerts.find((a) => a.stepId === 'check-sole-served-queues'), 10_000, 'the alert');
    expect(alert.message).toContain(`VIP (${vip.id}, VOICE)`);
    expect(alert.raisedAt < CUTOFF).toBe(true);
    const listed = await operator(rt, 'GET', '/v1/alerts?status=open');
    expect(listed.body.alerts.map((a: Alert) => a.stepId)).toContain('check-sole-served-queues');

    // The cut-off comes: the lockout runs, the agent goes offline, but is not removed while the queue is unresolved.
    now = Date.parse(CUTOFF) + 1000;
    await sweep(rt.engine);
    const cut = await settledWhere(res.body.runId, (run) => ['sign-out', 'connect-agent-offline', 'remove-from-groups'].every((id) => step(run, id).status === 'succeeded'), 'the cut-off');
    expect(step(cut, 'remove-connect-agent').status).toBe('pending');
    expect(connect.user(LOCAL_CONNECT_INSTANCE_ID, SAMPLE_CONNECT.users.adaLovelace)).toBeDefined();

    // The operator gives the queue to another routing profile and retries: the check passes, the agent goes.
    connect.associateRoutingProfileQueues(LOCAL_CONNECT_INSTANCE_ID, SAMPLE_CONNECT.routingProfiles.supportTier2, [{ queueId: vip.id }]);
    expect((await operator(rt, 'POST', `/v1/runs/${res.body.runId}/steps/check-sole-served-queues/retry`)).status).toBe(200);
    const removed = await settledWhere(res.body.runId, (run) => step(run, 'remove-connect-agent').status === 'succeeded', 'the agent removal');
    expect(step(removed, 'check-sole-served-queues').finishedAt! <= step(removed, 'remove-connect-agent').startedAt!).toBe(true);
    expect(connect.user(LOCAL_CONNECT_INSTANCE_ID, SAMPLE_CONNECT.users.adaLovelace)).toBeUndefined();
  }, 90_000);
});
