/** zendesk.suspendUser and zendesk.restoreUser against the Zendesk emulator through the fetch client. */
import { restoreZendeskUser } from '../../../../lambdas/actions/zendesk/restore-user';
import { suspendZendeskUser } from '../../../../lambdas/actions/zendesk/suspend-user';
import { runAction } from '../../../../lambdas/actions/run-action';
import type { ActionRequest } from '../../../../lambdas/engine/ports';
import type { ActionContext } from '../../../../lambdas/actions/define-action';
import { DEFAULT_ACCOUNT_POLICY } from '../../../../lambdas/actions/account-policy';
import { ZendeskClient } from '../../../../lambdas/providers/zendesk/zendesk-client';
import { LOCAL_ZENDESK_EMAIL, LOCAL_ZENDESK_TOKEN } from '../../../../local/emulators/zendesk/zendesk-emulator';
import { expectFailure as failure, expectOk as ok } from '../../../support/google-emulator';
import { useZendeskTestBed, zendeskRequest, type ZendeskTestBed } from '../../../support/zendesk-emulator';

const currentBed = useZendeskTestBed();
let bed: ZendeskTestBed;
beforeEach(() => {
  bed = currentBed();
});

const suspend = (overrides: Partial<ActionRequest> = {}, ctx = bed.ctx) => runAction(suspendZendeskUser, ctx, zendeskRequest('zendesk.suspendUser', { jobPollMs: 10 }, overrides));
const restore = (result: unknown) => runAction(restoreZendeskUser, bed.ctx, zendeskRequest('zendesk.restoreUser', { result }, { eventType: 'cancel' }));
const ada = () => bed.emulator.userByEmail('ada.lovelace@example.com')!;
const triage = () => bed.emulator.groupByName('Triage')!.id;

describe('zendesk.suspendUser', () => {
  it('hands the open tickets to the leaver group unassigned, takes the user out of every group and suspends it, recording all', async () => {
    const before = bed.emulator.ticketsAssignedTo(ada().id);
    const open = before.filter((t) => t.status !== 'solved').map((t) => t.id);
    const res = ok(await suspend());
    expect(ada()).toMatchObject({ suspended: true });
    expect(bed.emulator.groupNamesOf(ada().id)).toEqual([]);
    for (const id of open) expect(bed.emulator.ticket(id)).toMatchObject({ group_id: triage(), assignee_id: null });
    // A solved ticket stays as it was.
    expect(bed.emulator.ticketsAssignedTo(ada().id).map((t) => t.status)).toEqual(['solved']);
    expect(res.result).toEqual({
      removed: {
        user: { userId: ada().id, email: 'ada.lovelace@example.com', role: 'agent', customRoleId: null, suspended: false, groups: [{ groupId: bed.emulator.groupByName('Support')!.id, name: 'Support', default: true }], ticketIds: open },
        tickets: { ids: open, groupId: triage(), group: 'Triage' },
      },
    });
    expect(res.note).toMatch(/2 open tickets .* handed to group Triage unassigned/);
    expect(res.account).toMatchObject({ system: 'zendesk', state: 'suspended', boundBy: 'binding' });
  });

  it('follows a bulk update job that is still queued when first asked', async () => {
    bed.emulator.jobDelayMs = 50;
    ok(await suspend());
    expect(bed.emulator.ticketsAssignedTo(ada().id).filter((t) => t.status !== 'solved')).toEqual([]);
  });

  it('hands over more than 100 open tickets in batches of 100, paging through the search', async () => {
    for (let i = 0; i < 130; i++) bed.emulator.addTicket({ subject: `t${i}`, status: 'new', assigneeId: ada().id });
    const res = ok(await suspend());
    expect((res.result as { removed: { tickets: { ids: number[] } } }).removed.tickets.ids).toHaveLength(132);
    expect(bed.emulator.ticketsAssignedTo(ada().id).filter((t) => t.status !== 'solved')).toEqual([]);
  });

  it('reads the moved tickets back by id, not by Search, which answers them as they were for a while after the change', async () => {
    bed.emulator.searchLagMs = 60_000;
    const res = ok(await suspend());
    const moved = (res.result as { removed: { tickets: { ids: number[] } } }).removed.tickets.ids;
    expect(moved).toHaveLength(2);
    // Search still finds them with Ada; the tickets themselves are with Triage.
    expect((await bed.client.openTicketsAssignedTo(ada().id)).map((t) => t.id).sort()).toEqual([...moved].sort());
    for (const id of moved) expect(bed.emulator.ticket(id)).toMatchObject({ group_id: triage(), assignee_id: null });
    // A retry while Search lags moves nothing again: each hit is read by id first.
    bed.emulator.updateUser(ada().id, { suspended: false });
    const again = ok(await suspend());
    expect(again.note).toMatch(/no open ticket/);
  });

  it('a second run is already done, with nothing more to record', async () => {
    ok(await suspend());
    const again = ok(await suspend());
    expect(again.note).toMatch(/already suspended, in no group, with no open ticket/);
  });

  it('no user bound to the employee or at their address: nothing to suspend', async () => {
    const res = ok(await suspend({ employee: { id: 'E300', firstName: 'No', email: 'nobody@example.com', timezone: 'Europe/Berlin' } }));
    expect(res).toMatchObject({ result: { removed: null } });
    expect(res.note).toMatch(/nothing to suspend/);
  });

  it('refuses the user of another employee at the address, changing nothing', async () => {
    const error = failure(await suspend({ employee: { id: 'E999', firstName: 'Eve', email: 'ada.lovelace@example.com', timezone: 'Europe/Berlin' } }));
    expect(error).toMatchObject({ retryable: false, hold: 'bound_elsewhere' });
    expect(ada()).toMatchObject({ suspended: false });
    expect(bed.emulator.groupNamesOf(ada().id)).toEqual(['Support']);
  });

  it.each([[undefined], ['Gone']])('a leaver ticket group that is %s holds the step with nothing changed', async (group) => {
    const error = failure(await suspend({}, bed.withLeaverGroup(group)));
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(group ? /zendesk.leaverTicketGroup "Gone" is not a Zendesk group/ : /names no zendesk.leaverTicketGroup/);
    expect(ada()).toMatchObject({ suspended: false });
    expect(bed.emulator.ticketsAssignedTo(ada().id)).toHaveLength(3);
  });

  it('a 5xx halfway is retryable and keeps the snapshot; the retry finishes with the snapshot taken before', async () => {
    bed.emulator.faults.failNext({ method: 'DELETE', path: '^/api/v2/group_memberships/', count: 1, status: 500 });
    const error = failure(await suspend());
    expect(error.retryable).toBe(true);
    expect(error.progress).toMatchObject({ snapshot: { suspended: false, groups: [{ name: 'Support' }] } });
    const res = ok(await suspend({ progress: error.progress }));
    expect((res.result as { removed: { user: { groups: unknown[] } } }).removed.user.groups).toHaveLength(1);
    expect(ada()).toMatchObject({ suspended: true });
  });

  it('a ticket moved on from the leaver group between tries (a routing trigger, an agent) does not fail the retry', async () => {
    bed.emulator.faults.failNext({ method: 'DELETE', path: '^/api/v2/group_memberships/', count: 1, status: 500 });
    const error = failure(await suspend());
    const [routed] = (error.progress as { snapshot: { ticketIds: number[] } }).snapshot.ticketIds;
    const support = bed.emulator.groupByName('Support')!.id;
    await bed.client.updateManyTickets([routed], { group_id: support });
    await bed.client.listCustomRoles();
    expect(bed.emulator.ticket(routed)).toMatchObject({ group_id: support, assignee_id: null });
    const res = ok(await suspend({ progress: error.progress }));
    expect(res.note).toMatch(/suspended/);
    expect(bed.emulator.ticket(routed)).toMatchObject({ group_id: support });
  });

  it.each([
    [429, true],
    [400, false],
  ])('a %s on the ticket search is retryable: %s', async (status, retryable) => {
    bed.emulator.faults.failNext({ method: 'GET', path: '^/api/v2/search', count: 1, status, retryAfterSeconds: status === 429 ? 60 : undefined });
    expect(failure(await suspend())).toMatchObject({ retryable });
  });

  it('a step that would wait for the rate limit longer than it may stops in time, retryable, with its snapshot for the next try', async () => {
    // Few requests left in the account's minute: every request waits (here 100 ms), and the step may wait 450 ms in all.
    bed.emulator.faults.setQuota(1000);
    const careful = new ZendeskClient({ baseUrl: bed.url, email: LOCAL_ZENDESK_EMAIL, token: async () => LOCAL_ZENDESK_TOKEN, requestsPerMinute: 100_000, slowDownBelow: 10_000, maxInlineWaitMs: 100, waitBudgetMs: 450 });
    const slow: ActionContext = { ...bed.ctx, providers: { zendesk: () => ({ client: careful, leaverTicketGroup: 'Triage' }) } };
    const error = failure(await suspend({}, slow));
    expect(error).toMatchObject({ retryable: true, message: expect.stringMatching(/of the 450 ms it may spend waiting/) });
    expect(error.progress).toMatchObject({ snapshot: { suspended: false, groups: [{ name: 'Support' }] } });
    // The next try, its own wait budget, records the groups the user had before the first.
    bed.emulator.faults.setQuota(undefined);
    const res = ok(await suspend({ progress: error.progress }));
    expect((res.result as { removed: { user: { groups: { name: string }[] } } }).removed.user.groups.map((g) => g.name)).toEqual(['Support']);
  });

  it('the per-minute rate limit answers 429 with Retry-After, which the step reports as retryable', async () => {
    bed.emulator.faults.setQuota(3);
    const error = failure(await suspend());
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/429 Number of allowed API requests per minute exceeded \(Retry-After \d+ s\)/);
  });
});

describe('zendesk.restoreUser', () => {
  it('after a cancel: unsuspended and back in its groups; the handed-over tickets stay with the group, and the note says so', async () => {
    const done = ok(await suspend());
    const res = ok(await restore(done.result));
    expect(ada()).toMatchObject({ suspended: false, role: 'agent' });
    expect(bed.emulator.groupNamesOf(ada().id)).toEqual(['Support']);
    expect(res.note).toMatch(/unsuspended, back in Support; the 2 open tickets handed to group Triage .* stay there/);
    expect(bed.emulator.ticketsAssignedTo(ada().id).map((t) => t.status)).toEqual(['solved']);
    // Already restored: a second run changes nothing and still reads it back.
    ok(await restore(done.result));
  });

  it('a user suspended before the leaver step stays suspended', async () => {
    bed.emulator.updateUser(ada().id, { suspended: true });
    const done = ok(await suspend());
    const res = ok(await restore(done.result));
    expect(ada()).toMatchObject({ suspended: true });
    expect(res.note).toMatch(/left suspended as it was before/);
  });

  it('nothing removed: nothing to restore', async () => {
    expect(ok(await restore({ removed: null })).note).toMatch(/nothing to restore/);
  });

  it('refuses, not retryable and adopting nothing, a user unbound since the leaver step, though the stage adopts unbound users', async () => {
    const removed = ok(await suspend()).result;
    bed.emulator.updateUser(ada().id, { external_id: null });
    const adopting = { ...bed.ctx, accountPolicy: () => ({ ...DEFAULT_ACCOUNT_POLICY, adoptUnbound: { domains: ['example.com'], orgUnits: [] } }) };
    const error = failure(await runAction(restoreZendeskUser, adopting, zendeskRequest('zendesk.restoreUser', { result: removed }, { eventType: 'cancel' })));
    expect(error).toMatchObject({ retryable: false, hold: 'bound_elsewhere' });
    expect(ada()).toMatchObject({ suspended: true, external_id: null });
  });

  it('nothing recorded: no look at Zendesk at all', async () => {
    bed.emulator.faults.failNext({ path: '^/api/v2/users', count: 10, status: 500 });
    expect(ok(await restore({ removed: null })).note).toMatch(/nothing to restore/);
  });

  it('a group deleted since is named, the rest restored', async () => {
    const done = ok(await suspend());
    bed.emulator.deleteGroup(bed.emulator.groupByName('Support')!.id);
    const res = ok(await restore(done.result));
    expect(res.note).toMatch(/group Support no longer exists/);
    expect(ada()).toMatchObject({ suspended: false });
  });
});
