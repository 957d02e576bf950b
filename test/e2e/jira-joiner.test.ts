/**
 * The whole joiner from a Jira ticket, and the leaver after it, in every system the sample roles name: a New hire
 * ticket moved to Ready for IT is a hire planned from its role, with the plan and role tree commented on the ticket;
 * the ticket's description edited to another role replans the run and updates that comment; Zendesk refusing the
 * agent shows on the ticket in plain words; once an operator retries it the hire makes accounts in Google, Connect,
 * Zendesk, Front and the SCIM app `wiki`, each read back from its emulator, and the ticket moves to Done with the
 * outcome. The employee then leaves: each account is deactivated and read back; the leaver is cancelled: each is
 * restored. A delivery with a bad signature is refused and writes nothing.
 */
import type { Run } from '../../lambdas/engine/model';
import { reportMarker } from '../../lambdas/jira/jira-report';
import { adfDoc } from '../../local/emulators/jira/jira-sample';
import { jiraWebhookBody } from '../../local/emulators/jira/jira-webhook-sender';
import { SAMPLE_CONNECT_INSTANCE_ID } from '../../local/emulators/connect/connect-sample';
import { SAMPLE_SCIM } from '../../local/emulators/scim/scim-sample';
import { freeSeat } from '../support/e2e-runtime';
import { fastPolling } from '../support/fast-playbooks';
import { eventually, operator, postEvent } from '../support/harness';
import { jiraE2e } from '../support/jira-e2e';

let now = Date.parse('2099-01-10T10:00:00Z');
const clock = { now: () => new Date(now) };
const e2e = jiraE2e({ clock, providerClock: clock, roleCacheMs: 0, playbooks: fastPolling });
const { ours, statusOf } = e2e;
beforeAll(() => {
  freeSeat(e2e.rt);
  // Google's Data Transfers of the leaver's Drive complete at once: the test moves the clock, not the transfer.
  e2e.rt.emulators.google.setTransferBehaviour({ delayMs: 0 });
});

const EMPLOYEE_ID = 'E-ALL';
const TICKET = e2e.hire(EMPLOYEE_ID, { firstName: 'Katherine', lastName: 'Johnson', personalEmail: 'katherine@home.example', startDate: '2099-01-20' });

const runOf = async (runId: string): Promise<Run> => (await e2e.rt.engine.store.getRun(EMPLOYEE_ID, runId))!;
const stepIds = (run: Run) => run.steps.map((s) => s.stepId);
/** The run once each step named has succeeded and nothing is running; a step waiting for an operator fails the wait. */
const stepsDone = (runId: string, ids: readonly string[]) =>
  eventually(async () => {
    const run = await runOf(runId);
    const stuck = run.steps.filter((s) => ids.includes(s.stepId) && s.status === 'needs_attention');
    if (stuck.length) throw new Error(stuck.map((s) => `${s.stepId}: ${s.lastError?.message}`).join('\n'));
    return ids.every((id) => run.steps.find((s) => s.stepId === id)?.status === 'succeeded') && e2e.rt.idle() ? run : undefined;
  }, 60_000, ids.join(', '));
/** The ticket's one comment once it says `what`. */
const commentSaying = (key: string, what: string) =>
  eventually(async () => {
    const [c, ...more] = ours(key);
    expect(more).toEqual([]);
    return c?.text.includes(what) ? c : undefined;
  }, 20_000, `"${what}" on ${key}`);

/** What each system has for the employee's address, read from the emulators. */
function accounts(address: string) {
  const { google, connect, zendesk, front, scim } = e2e.rt.emulators;
  const zd = zendesk.userByEmail(address);
  const wiki = scim.app(SAMPLE_SCIM.app);
  const wikiUser = wiki.userByName(address);
  return {
    google: google.user(address) && { ...google.user(address)!, groups: google.groupsOf(address) },
    connect: connect.userByUsername(SAMPLE_CONNECT_INSTANCE_ID, address.split('@')[0]),
    zendesk: zd && { ...zd, groups: zendesk.groupNamesOf(zd.id) },
    front: front.scimUser(address) && { ...front.scimUser(address)!, teams: front.teamsOf(address), inboxes: front.inboxesOf(address) },
    wiki: wikiUser && { ...wikiUser, groups: wiki.groupsOf(String(wikiUser.id)) },
  };
}

let issueKey = '';
let delivery: Record<string, unknown> = {};
let runId = '';
let commentId = '';
let address = '';
/** What the hire made, to compare the restored accounts with. */
let made: ReturnType<typeof accounts>;

describe('the whole joiner from a Jira ticket, in every system, and its leaver', () => {
  it('a delivery with a bad signature is refused with 401 and writes nothing', async () => {
    const { issue, body } = e2e.readyTicket(TICKET);
    issueKey = issue.key;
    delivery = body;
    expect((await e2e.send(body, 'not-the-secret')).status).toBe(401);
    expect((await e2e.send(body, null)).status).toBe(401);
    expect((await operator(e2e.rt, 'GET', `/v1/employees/${EMPLOYEE_ID}`)).status).toBe(404);
    expect(ours(issueKey)).toEqual([]);
  });

  it('the same delivery signed is a hire planned from the support-agent role, its plan and role tree on the ticket', async () => {
    const res = await e2e.send(delivery);
    expect(res.status).toBe(202);
    runId = res.body.runId;
    const planned = stepIds(await runOf(runId));
    expect(planned).toEqual(expect.arrayContaining(['create-user', 'provision-zendesk-user', 'provision-front-teammate']));
    expect(planned.some((id) => id.startsWith('scim-'))).toBe(false);
    const comment = await commentSaying(issueKey, reportMarker(runId));
    commentId = comment.id;
    expect(comment.text).toContain('Role support-agent');
    expect(comment.text).toContain('provision-zendesk-user (zendesk.provisionUser): planned');
    expect(comment.text).toContain('provision-front-teammate (front.provisionTeammate): planned');
    expect(comment.text).toMatch(/Zendesk groups: Support[\s\S]*Front inboxes: Support, Billing/);
  });

  it('the description edited to another role replans the run: the wiki is planned, the comment is the same one, updated', async () => {
    const edit = e2e.rt.emulators.jira.editIssue(issueKey, { description: adfDoc(['Please prepare the accounts.', 'Role: senior-support-agent']) });
    const res = await e2e.send(jiraWebhookBody(e2e.rt.emulators.jira.issue(issueKey)!, 'jira:issue_updated', edit));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ runId, revision: { number: 2 } });
    const run = await runOf(runId);
    expect(run.role?.name).toBe('senior-support-agent');
    expect(run.steps.find((s) => s.stepId === 'scim-wiki-provision')).toMatchObject({ action: 'scim.provisionUser', status: 'pending', params: { app: 'wiki', groups: ['Wiki Editors'] } });
    const comment = await commentSaying(issueKey, 'revision 2');
    expect(comment.id).toBe(commentId);
    expect(comment.text).toContain('Role senior-support-agent');
    expect(comment.text).toContain('scim-wiki-provision (scim.provisionUser): planned');
  });

  it("Zendesk refusing the agent shows on the ticket in Zendesk's words; the other systems' accounts are made", async () => {
    e2e.rt.emulators.zendesk.faults.failNext({ method: 'POST', path: '^/api/v2/users\\.json', count: 1, status: 422, message: 'Email is on the blocklist of this account' });
    now = Date.parse('2099-01-19T08:00:00Z');
    await e2e.rt.sweepNow();
    const comment = await commentSaying(issueKey, 'Needs a change or an operator');
    expect(comment.id).toBe(commentId);
    // A blocklist of the Zendesk account is IT's to change: nothing is asked of HR, and the ticket stays where it is.
    expect(comment.text).toContain('Status: waiting for IT: a step needs an operator; nothing to change on the ticket');
    expect(comment.text).toContain('provision-zendesk-user: ');
    expect(comment.text).toContain('is on the blocklist');
    expect(comment.text).toContain('What to do: IT fixes this in the service');
    expect(statusOf(issueKey)).toBe('Ready for IT');
    const run = await stepsDone(runId, ['create-user', 'provision-front-teammate', 'scim-wiki-provision']);
    address = run.employee.email!;
    expect(accounts(address).zendesk).toBeUndefined();
  });

  it('retried by an operator, the hire ends with an account in Google, Connect, Zendesk, Front and the wiki, each read back; the ticket is Done', async () => {
    const retry = await operator(e2e.rt, 'POST', `/v1/runs/${runId}/steps/provision-zendesk-user/retry`, { reason: 'blocklist entry removed' });
    expect(retry.status).toBe(200);
    await stepsDone(runId, ['provision-zendesk-user']);
    // The first day: whatever the hire keeps for it runs, and the run ends.
    now = Date.parse('2099-01-20T09:00:00Z');
    await e2e.rt.sweepNow();
    await eventually(async () => ((await runOf(runId)).status === 'completed' ? true : undefined), 60_000, 'the hire completed');

    made = accounts(address);
    expect(made.google).toMatchObject({ suspended: false, includeInGlobalAddressList: true, name: { givenName: 'Katherine', familyName: 'Johnson' } });
    expect(made.google?.groups).toContain('all-staff@example.com');
    expect(made.google?.extra.externalIds).toEqual([{ type: 'organization', value: EMPLOYEE_ID }]);
    expect(made.connect).toMatchObject({ username: address.split('@')[0] });
    expect(made.zendesk).toMatchObject({ role: 'agent', external_id: EMPLOYEE_ID, suspended: false, groups: ['Support'] });
    expect(made.front).toMatchObject({ externalId: EMPLOYEE_ID, active: true, teams: ['Support'], inboxes: ['Support', 'Billing'] });
    expect(made.wiki).toMatchObject({ externalId: EMPLOYEE_ID, active: true, groups: ['Wiki Editors'] });

    const comment = await commentSaying(issueKey, 'Outcome');
    expect(comment.id).toBe(commentId);
    expect(comment.text).toContain('Status: done');
    expect(comment.text).not.toContain('Needs a change or an operator');
    await eventually(async () => statusOf(issueKey) === 'Done' || undefined, 20_000, `${issueKey} moved to Done`);
  }, 120_000);

  it('the employee leaves: each account is deactivated and read back; the leaver cancelled, each is restored', async () => {
    now = Date.parse('2099-01-25T10:00:00Z');
    const leave = await postEvent(e2e.rt, {
      eventId: 'all-leave',
      type: 'terminate',
      urgent: true,
      effectiveDate: '2099-01-25',
      employee: { id: EMPLOYEE_ID, firstName: 'Katherine', lastName: 'Johnson', email: address, managerEmail: 'grace.hopper@example.com', role: 'senior-support-agent', timezone: 'Europe/Berlin' },
    });
    expect(leave.status).toBe(202);
    const leaverSteps = stepIds(await runOf(leave.body.runId));
    const deactivations = ['suspend-zendesk-user', 'deactivate-front-teammate', 'scim-wiki-deactivate'];
    expect(leaverSteps).toEqual(expect.arrayContaining(deactivations));
    await stepsDone(leave.body.runId, deactivations);

    // Google: signed out everywhere, hidden from the directory and out of its groups at the cut-off (the account itself
    // is suspended at the end of the playbook's grace period, after the handovers); Connect: the agent removed.
    const gone = accounts(address);
    expect(gone.google).toMatchObject({ lastSignOutAt: '2099-01-25T10:00:00.000Z', includeInGlobalAddressList: false, groups: [] });
    expect(gone.connect).toBeUndefined();
    expect(gone.zendesk).toMatchObject({ suspended: true, groups: [] });
    expect(gone.front).toMatchObject({ active: false, teams: [], inboxes: [] });
    expect(e2e.rt.emulators.front.teammate(`alt:email:${address}`)).toMatchObject({ is_blocked: true });
    expect(gone.wiki).toMatchObject({ active: false, groups: [] });

    const cancel = await postEvent(e2e.rt, { eventId: 'all-leave-cancel', type: 'cancel', cancels: 'all-leave' });
    expect(cancel.status).toBe(202);
    const restores = ['restore-hide-from-directory', 'restore-remove-from-groups', 'restore-remove-connect-agent', 'restore-suspend-zendesk-user', 'restore-deactivate-front-teammate', 'restore-scim-wiki-deactivate'];
    expect(stepIds(await runOf(cancel.body.runId))).toEqual(expect.arrayContaining(restores));
    await stepsDone(cancel.body.runId, restores);
    const back = accounts(address);
    expect(back.google).toMatchObject({ suspended: false, includeInGlobalAddressList: true, groups: made.google!.groups });
    expect(back.connect).toMatchObject({ username: made.connect!.username, routingProfileId: made.connect!.routingProfileId });
    expect(back.zendesk).toMatchObject({ suspended: false, role: 'agent', external_id: EMPLOYEE_ID, groups: ['Support'] });
    expect(back.front).toMatchObject({ active: true, externalId: EMPLOYEE_ID, teams: ['Support'], inboxes: ['Support', 'Billing'] });
    expect(e2e.rt.emulators.front.teammate(`alt:email:${address}`)).toMatchObject({ is_blocked: false });
    expect(back.wiki).toMatchObject({ active: true, externalId: EMPLOYEE_ID, groups: ['Wiki Editors'] });
  }, 180_000);
});
