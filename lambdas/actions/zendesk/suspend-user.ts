/**
 * The leaver's Zendesk user: a snapshot first (role, custom role, groups, suspension), then their open tickets handed
 * to the stage's leaver group unassigned (search, then tickets/update_many, following its job status), their group
 * memberships removed and the user suspended; read back (the tickets by id: Search lags behind a change). The snapshot and the reassigned ticket ids are recorded for
 * zendesk.restoreUser and kept across retries.
 */
import * as z from '../../shared/zod';
import { defineAction } from '../define-action';
import { ProviderError } from '../../providers/provider-error';
import type { ZendeskClient, ZendeskJobStatus } from '../../providers/zendesk/zendesk-client';
import { ZendeskVerificationError } from '../../providers/zendesk/zendesk-errors';
import { zendeskReferences } from '../../providers/zendesk/references';
import { checkedUser, zendeskAccount, zendeskCall, zendeskFor } from './zendesk-account';
import { snapshotUser, zendeskUserSnapshotSchema, type ZendeskUserSnapshot } from './zendesk-snapshot';

/** update_many takes at most 100 ticket ids. */
const UPDATE_MANY_MAX = 100;
const earlierProgress = z.object({ snapshot: zendeskUserSnapshotSchema });
const CLOSED = new Set(['solved', 'closed']);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Follows a job until Zendesk says it completed; a job still running after `polls` looks is for the next try. */
async function followJob(client: ZendeskClient, job: ZendeskJobStatus, polls: number, pollMs: number): Promise<ZendeskJobStatus> {
  let status = job;
  for (let i = 0; i < polls && status.status !== 'completed'; i++) {
    if (status.status === 'failed' || status.status === 'killed') break;
    if (i > 0) await sleep(pollMs);
    status = await client.jobStatus(job.id);
  }
  return status;
}

export const suspendZendeskUser = defineAction({
  name: 'zendesk.suspendUser',
  account: zendeskAccount({ removes: true }),
  params: z.strictObject({
    /** What the role held granted in Zendesk (for the record: every group and the whole user go, whatever it says). */
    granted: z.optional(z.object({ role: z.optional(z.string()), customRole: z.optional(z.string()), groups: z.optional(z.array(z.string())) })),
    /** Looks at the bulk update's job status before the next try is left to finish it. */
    jobPolls: z._default(z.int().check(z.gte(1), z.lte(60)), 10),
    jobPollMs: z._default(z.int().check(z.gte(0), z.lte(5000)), 500),
  }),
  async run(ctx, params, request, checked) {
    const zendesk = zendeskFor(ctx, request);
    const { client } = zendesk;
    const groupName = zendesk.leaverTicketGroup;
    if (!groupName) {
      throw new ProviderError("the stage names no zendesk.leaverTicketGroup (config/stages.ts): the leaver's open tickets have nowhere to go, so nothing was changed", false);
    }
    const user = checkedUser(checked);
    if (!user) return { ok: true, note: `no Zendesk user bound to employee ${request.employee.id} or at their address: nothing to suspend`, result: { removed: null } };
    const earlier = earlierProgress.safeParse(request.progress);
    let snapshot: ZendeskUserSnapshot | undefined = earlier.success ? earlier.data.snapshot : undefined;
    const progress = () => (snapshot ? { snapshot } : undefined);
    return zendeskCall(async () => {
      const refs = zendeskReferences(client);
      // Checked before anything changes: a group that does not exist holds the step with nothing done.
      const leaverGroup = await refs.group(groupName).catch((err: unknown) => {
        throw err instanceof ProviderError ? new ProviderError(`the stage's zendesk.leaverTicketGroup ${JSON.stringify(groupName)} is not a Zendesk group: make it in Zendesk or fix config/stages.ts; nothing was changed`, false) : err;
      });
      snapshot ??= await snapshotUser(client, refs, user);
      const where = `Zendesk user ${user.email ?? ''} (${user.id})`;

      // 1. Their open tickets go to the leaver group, unassigned: a customer's ticket is never left with someone gone.
      // Found by Search, then each read by id: a hit Search still answers as it was before a change is left alone.
      const hits = await client.openTicketsAssignedTo(user.id);
      const open = hits.length ? (await client.showManyTickets(hits.map((t) => t.id))).filter((t) => t.assignee_id === user.id && !CLOSED.has(t.status)) : [];
      const ids = open.map((t) => t.id);
      for (let i = 0; i < ids.length; i += UPDATE_MANY_MAX) {
        const batch = ids.slice(i, i + UPDATE_MANY_MAX);
        snapshot.ticketIds = [...new Set([...snapshot.ticketIds, ...batch])];
        const job = await followJob(client, await client.updateManyTickets(batch, { group_id: leaverGroup.id, assignee_id: null }), params.jobPolls, params.jobPollMs);
        if (job.status !== 'completed') throw new ZendeskVerificationError(`reassigning ${batch.length} open tickets of ${where}: job ${job.id} is ${job.status}${job.message ? ` (${job.message})` : ''}`, progress());
        const failed = (job.results ?? []).filter((r) => r.success === false || r.errors || r.error);
        if (failed.length) throw new ZendeskVerificationError(`reassigning the open tickets of ${where}: ${failed.map((r) => `ticket ${r.id}: ${r.errors ?? r.error ?? r.details ?? r.status}`).join('; ')}`, progress());
      }

      // 2. Out of every group, then suspended.
      const memberships = await client.userMemberships(user.id);
      for (const m of memberships) await client.removeMembership(m.id);
      const current = await client.showUser(user.id);
      if (current && !current.suspended) await client.updateUser(user.id, { suspended: true });

      // Read back: suspended, in no group, and no ticket moved still assigned to them, each read by id (Search is indexed
      // minutes later). Where a ticket went since is not the step's to judge: a routing trigger or an agent may have
      // taken it out of the leaver group (the ids are kept across retries), and one deleted, solved or taken is not theirs.
      const after = await client.showUser(user.id);
      const left = await client.userMemberships(user.id);
      const moved = await client.showManyTickets(snapshot.ticketIds);
      const still = moved.filter((t) => t.assignee_id === user.id);
      const wrong = [
        ...(after?.suspended ? [] : ['not suspended']),
        ...(left.length ? [`still in ${left.length} group${left.length === 1 ? '' : 's'}`] : []),
        ...(still.length ? [`tickets ${still.map((t) => t.id).join(', ')} still assigned to them, not handed to group ${leaverGroup.name}`] : []),
      ];
      if (wrong.length) throw new ZendeskVerificationError(`${where} after the leaver's step: ${wrong.join(', ')}`, progress());

      const nothingDone = snapshot.suspended && snapshot.groups.length === 0 && snapshot.ticketIds.length === 0;
      const tickets = snapshot.ticketIds.length;
      return {
        ok: true as const,
        accountState: 'suspended' as const,
        note: nothingDone
          ? `${where} already suspended, in no group, with no open ticket`
          : `suspended ${where}${snapshot.groups.length ? `, removed from ${snapshot.groups.map((g) => g.name).join(', ')}` : ''}${tickets ? `, ${tickets} open ticket${tickets === 1 ? '' : 's'} (${snapshot.ticketIds.join(', ')}) handed to group ${leaverGroup.name} unassigned` : ', no open ticket'}`,
        result: { removed: { user: snapshot, tickets: { ids: snapshot.ticketIds, groupId: leaverGroup.id, group: leaverGroup.name } } },
      };
    }, progress);
  },
});
