/**
 * Zendesk end to end with the default playbook and the sample role catalog: a support agent's hire gives them a
 * Zendesk agent bound to their employee id in the Support group; their urgent termination hands their open tickets
 * to the stage's leaver group, takes them out of every group and suspends them; a cancel restores the user. A move to
 * another Zendesk role, cancelled within the grace period, gets the user's custom role and groups back.
 */
import { loadStageConfig } from '../../config/stages';
import { SAMPLE_NOTION } from '../../local/emulators/notion/notion-sample';
import { postEvent } from '../support/harness';
import { useE2eRuntime } from '../support/e2e-runtime';

const EMPLOYEE = { id: 'E-ZD', firstName: 'Zoe', lastName: 'Desk', personalEmail: 'zoe@home.example', managerEmail: 'grace.hopper@example.com', role: 'support-agent', timezone: 'Europe/Berlin' };
const LEAVER_GROUP = loadStageConfig('local').zendesk!.leaverTicketGroup;

describe('Zendesk, end to end', () => {
  let now = Date.parse('2099-01-10T10:00:00Z');
  const { rt, stepDone } = useE2eRuntime(() => now, EMPLOYEE.id);

  let address = '';
  let userId = 0;

  it('a support agent’s hire makes a Zendesk agent bound to the employee id, in Support, read back', async () => {
    const res = await postEvent(rt(), { eventId: 'zd-hire', type: 'hire', effectiveDate: '2099-01-20', employee: EMPLOYEE });
    expect(res.status).toBe(202);
    expect(res.body.steps.map((s: { stepId: string }) => s.stepId)).toContain('provision-zendesk-user');
    now = Date.parse('2099-01-19T08:00:00Z');
    await rt().sweepNow();
    const { run, step } = await stepDone(res.body.runId, 'provision-zendesk-user');
    address = run.employee.email!;
    const user = rt().emulators.zendesk.userByEmail(address)!;
    userId = user.id;
    expect(user).toMatchObject({ name: 'Zoe Desk', role: 'agent', external_id: EMPLOYEE.id, suspended: false });
    expect(rt().emulators.zendesk.groupNamesOf(user.id)).toEqual(['Support']);
    expect(step.result).toMatchObject({ created: { userId: user.id, role: 'agent', groups: ['Support'] } });
    expect(step.account).toEqual({ system: 'zendesk', address, accountId: String(user.id), state: 'active', boundBy: 'created' });
  });

  it('the leaver: open tickets to the leaver group, out of every group, suspended; a cancel restores the user', async () => {
    const support = rt().emulators.zendesk.groupByName('Support')!.id;
    const open = [1, 2].map((i) => rt().emulators.zendesk.addTicket({ subject: `question ${i}`, status: 'open', assigneeId: userId, groupId: support }).id);
    now = Date.parse('2099-01-25T10:00:00Z');
    const { personalEmail: _p, ...employee } = EMPLOYEE;
    const res = await postEvent(rt(), { eventId: 'zd-leave', type: 'terminate', urgent: true, effectiveDate: '2099-01-25', employee: { ...employee, email: address } });
    expect(res.status).toBe(202);
    const { step } = await stepDone(res.body.runId, 'suspend-zendesk-user');
    const z = rt().emulators.zendesk;
    expect(z.user(userId)).toMatchObject({ suspended: true });
    expect(z.groupNamesOf(userId)).toEqual([]);
    const triage = z.groupByName(LEAVER_GROUP)!.id;
    for (const id of open) expect(z.ticket(id)).toMatchObject({ group_id: triage, assignee_id: null });
    expect(step.result).toMatchObject({ removed: { user: { userId, suspended: false, groups: [{ name: 'Support' }], ticketIds: open }, tickets: { group: LEAVER_GROUP } } });

    const cancel = await postEvent(rt(), { eventId: 'zd-leave-cancel', type: 'cancel', cancels: 'zd-leave' });
    expect(cancel.status).toBe(202);
    expect(cancel.body.steps.map((s: { stepId: string }) => s.stepId)).toContain('restore-suspend-zendesk-user');
    const restored = await stepDone(cancel.body.runId, 'restore-suspend-zendesk-user');
    expect(z.user(userId)).toMatchObject({ suspended: false, role: 'agent', external_id: EMPLOYEE.id });
    expect(z.groupNamesOf(userId)).toEqual(['Support']);
    // The tickets stay with the group they were handed to, and the restore says so.
    for (const id of open) expect(z.ticket(id)).toMatchObject({ group_id: triage, assignee_id: null });
    expect(restored.step.note).toMatch(new RegExp(`2 open tickets handed to group ${LEAVER_GROUP} .* stay there`));
  }, 120_000);

  it('a mover’s Zendesk change (a custom role, Tier 2) is put back when HR cancels the move within the grace period', async () => {
    // A role beside support-agent: Tier 2 and a custom role instead of Support, so the move also has removals still to come.
    rt().emulators.notion.addPage(SAMPLE_NOTION.rolesDataSourceId, {
      values: { Name: 'zendesk-escalations', Parent: [SAMPLE_NOTION.pages.employee], 'Zendesk role': 'agent', 'Zendesk custom role': 'Light agent', 'Zendesk groups': ['Tier 2'] },
    });
    const z = rt().emulators.zendesk;
    now = Date.parse('2099-02-01T10:00:00Z');
    const { personalEmail: _p, ...employee } = EMPLOYEE;
    const move = await postEvent(rt(), { eventId: 'zd-move', type: 'role_change', effectiveDate: '2099-02-02', employee: { ...employee, email: address, role: 'zendesk-escalations' } });
    expect(move.status).toBe(202);
    now = Date.parse('2099-02-02T10:00:00Z');
    await rt().sweepNow();
    const { step } = await stepDone(move.body.runId, 'update-zendesk-user');
    expect(z.groupNamesOf(userId).sort()).toEqual(['Support', 'Tier 2']);
    expect(z.user(userId)?.custom_role_id).not.toBeNull();
    expect(step.result).toMatchObject({ undo: { userId, customRoleId: { from: null }, added: [{ name: 'Tier 2' }], removed: [] } });

    const cancel = await postEvent(rt(), { eventId: 'zd-move-cancel', type: 'cancel', cancels: 'zd-move' });
    expect(cancel.status).toBe(202);
    expect(cancel.body.steps.map((s: { stepId: string }) => s.stepId)).toContain('restore-update-zendesk-user');
    const restored = await stepDone(cancel.body.runId, 'restore-update-zendesk-user');
    expect(z.groupNamesOf(userId)).toEqual(['Support']);
    expect(z.user(userId)).toMatchObject({ role: 'agent', custom_role_id: null });
    expect(restored.step.note).toMatch(/custom role; out of Tier 2/);
  }, 120_000);
});
