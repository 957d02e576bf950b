/**
 * Before the cut-off removes the leaver's Amazon Connect agent, finds the queues only they serve: queues of their
 * routing profile that no other user's routing profile has. A queue cannot be handed to a person (Connect routes a
 * queue to every agent whose routing profile lists it), so when there are any the step stops for an operator, naming
 * each queue, before the agent goes; the removal waits for it (retried once fixed, or skipped by the operator).
 */
import { DescribeUserCommand, paginateListRoutingProfileQueues, paginateSearchUsers, type ConnectClient } from '@aws-sdk/client-connect';
import * as z from '../../shared/zod';
import { callConnect, findUserByUsername } from '../../providers/connect/agent';
import { asConnectStep } from '../../providers/connect/connect-budget';
import { connectErrorToProviderFailure } from '../../providers/connect/connect-errors';
import { ProviderError } from '../../providers/provider-error';
import { deferredByBudget } from '../budget-deferral';
import { defineAction } from '../define-action';
import { checkedAgentDescription, connectAccount, connectFor, connectUsername } from './connect-account';

interface Queue {
  queueId: string;
  name: string;
  channels: string[];
}

/** The queues a routing profile serves, each once with the channels it serves it on. */
async function queuesOf(client: ConnectClient, instanceId: string, routingProfileId: string): Promise<Map<string, Queue>> {
  return callConnect(`ListRoutingProfileQueues of routing profile ${routingProfileId} in instance ${instanceId}`, async () => {
    const queues = new Map<string, Queue>();
    for await (const page of paginateListRoutingProfileQueues({ client, pageSize: 100 }, { InstanceId: instanceId, RoutingProfileId: routingProfileId })) {
      for (const c of page.RoutingProfileQueueConfigSummaryList ?? []) {
        const q = queues.get(c.QueueId!) ?? { queueId: c.QueueId!, name: c.QueueName ?? c.QueueId!, channels: [] };
        if (c.Channel && !q.channels.includes(c.Channel)) q.channels.push(c.Channel);
        queues.set(q.queueId, q);
      }
    }
    return queues;
  });
}

/** The routing profile of every user of the instance but this one (SearchUsers answers it with each user). */
async function otherUsersProfiles(client: ConnectClient, instanceId: string, exceptUserId: string): Promise<Set<string>> {
  return callConnect(`SearchUsers in instance ${instanceId}`, async () => {
    const profiles = new Set<string>();
    for await (const page of paginateSearchUsers({ client, pageSize: 100 }, { InstanceId: instanceId })) {
      for (const u of page.Users ?? []) if (u.Id !== exceptUserId && u.RoutingProfileId) profiles.add(u.RoutingProfileId);
    }
    return profiles;
  });
}

export const checkSoleServedQueues = defineAction({
  name: 'connect.checkSoleServedQueues',
  account: connectAccount({ removes: true }),
  params: z.strictObject({ username: z._default(z.enum(['email', 'localPart']), 'localPart') }),
  run: (ctx, params, request, checked) =>
    asConnectStep(request, async () => {
      const { client, instanceId } = connectFor(ctx, request);
      const username = connectUsername({ ...request, params });
      try {
        let agent = checkedAgentDescription(checked);
        if (!agent && checked !== null) {
          const found = await findUserByUsername(client, instanceId, username);
          if (found?.Id) agent = (await callConnect(`DescribeUser ${found.Id}`, () => client.send(new DescribeUserCommand({ InstanceId: instanceId, UserId: found.Id })))).User;
        }
        if (!agent?.Id || !agent.RoutingProfileId) return { ok: true, note: `no Connect agent ${username} in instance ${instanceId}: no queue to look at`, result: { queues: 0, soleServed: [] } };
        const mine = await queuesOf(client, instanceId, agent.RoutingProfileId);
        const others = await otherUsersProfiles(client, instanceId, agent.Id);
        // Another user on the same routing profile serves every one of its queues.
        const served = new Set<string>();
        if (!others.has(agent.RoutingProfileId)) {
          for (const profile of others) for (const id of (await queuesOf(client, instanceId, profile)).keys()) served.add(id);
        }
        const sole = others.has(agent.RoutingProfileId) ? [] : [...mine.values()].filter((q) => !served.has(q.queueId));
        if (sole.length) {
          const named = sole.map((q) => `${q.name} (${q.queueId}, ${q.channels.join('/')})`).join(', ');
          throw new ProviderError(
            `Connect agent ${username} is the only one serving ${sole.length} queue(s): ${named}. No other agent's routing profile has them, so their contacts would wait unanswered once the agent is removed. ` +
              'Add each queue to another routing profile in use (or route its contacts elsewhere), then retry this step; or skip it to remove the agent anyway.',
            false,
            // No provider answer: the alert shows the message, which names each queue and what to do.
            undefined,
            { soleServed: sole },
          );
        }
        return {
          ok: true,
          note: mine.size ? `each of the ${mine.size} queue(s) of Connect agent ${username}'s routing profile is served by another agent too` : `Connect agent ${username}'s routing profile serves no queue`,
          result: { queues: mine.size, soleServed: [] },
        };
      } catch (err) {
        const deferred = deferredByBudget(err, ctx.clock.now(), request.progress, `looking at the queues of Connect agent ${username}`);
        if (deferred) return deferred;
        if (err instanceof ProviderError) throw err;
        const failure = connectErrorToProviderFailure(err);
        throw new ProviderError(failure.message, failure.retryable, failure.providerAnswer);
      }
    }),
});
