/**
 * Takes the leaver's Amazon Connect agent offline so no new contact reaches them: PutUserStatus with the instance's
 * Offline status, recording the status they were in. An agent on a contact gets Offline as their next status: Connect
 * routes them nothing new and lets the contact run to its end (connect.removeAgent waits for it).
 */
import * as z from '../../shared/zod';
import { findUserByUsername, isNotFound } from '../../providers/connect/agent';
import { currentUserData, liveContacts, offlineStatus, putUserStatus, statusIdOfArn } from '../../providers/connect/agent-status';
import { ConnectCallError, connectErrorToProviderFailure, ConnectVerificationError } from '../../providers/connect/connect-errors';
import { ProviderError } from '../../providers/provider-error';
import { defineAction } from '../define-action';
import { deferredByBudget } from '../budget-deferral';
import { asConnectStep } from '../../providers/connect/connect-budget';
import { checkedAgent, connectAccount, connectUsername, connectFor } from './connect-account';

/** The status the agent was in before, which connect.restoreAgentStatus puts back. */
export const previousAgentStatusSchema = z.object({
  statusId: z.string().check(z.minLength(1)),
  statusName: z.string(),
});
export type PreviousAgentStatus = z.infer<typeof previousAgentStatusSchema>;

export const setAgentOffline = defineAction({
  name: 'connect.setAgentOffline',
  account: connectAccount({ removes: true }),
  params: z.strictObject({ username: z._default(z.enum(['email', 'localPart']), 'localPart') }),
  run: (ctx, params, request, checked) => asConnectStep(request, async () => {
    const { client, instanceId } = connectFor(ctx, request);
    const username = connectUsername({ ...request, params });
    // An earlier attempt that set Offline and then failed handed back the status it found: Connect now shows Offline.
    const earlier = previousAgentStatusSchema.safeParse(request.progress?.previous);
    let previous: PreviousAgentStatus | undefined = earlier.success ? earlier.data : undefined;
    try {
      // The account check has just found the agent (ListUsers, DescribeUser): its id saves a second ListUsers.
      // It found none (null): there is none to look for again.
      const found = checked === null ? undefined : (checkedAgent(checked) ?? (await findUserByUsername(client, instanceId, username)));
      if (!found?.Id) return { ok: true, note: `no Connect agent ${username} in instance ${instanceId}: nothing to take offline`, result: { offline: null } };
      const userId = found.Id;
      const where = `Connect agent ${username} (user ${userId}) in instance ${instanceId}`;
      const offline = await offlineStatus(client, instanceId);
      const before = await currentUserData(client, instanceId, userId);
      // Connect lists only agents logged in to the Contact Control Panel: one who is not has no status to change and no contact can reach them.
      if (!before) {
        return { ok: true, note: `${where} is not logged in: no contact can reach them, no status to change`, result: { offline: { userId, username, loggedIn: false } } };
      }
      const statusId = statusIdOfArn(before.Status?.StatusArn);
      if (statusId === offline.id && !before.NextStatus) {
        return { ok: true, note: `${where} is already ${offline.name}`, result: { offline: { userId, username, loggedIn: true, statusId: offline.id, nextStatus: false, liveContacts: 0 }, ...(previous ? { previous } : {}) } };
      }
      if (!previous && statusId && statusId !== offline.id) previous = { statusId, statusName: before.Status?.StatusName ?? statusId };

      try {
        await putUserStatus(client, instanceId, userId, offline);
      } catch (err) {
        // The user was deleted since GetCurrentUserData (the removal ran meanwhile): no agent is left to route anything to.
        if (isNotFound(err instanceof ConnectCallError ? err.cause : err)) return { ok: true, note: `${where}: agent already removed: nothing to take offline`, result: { offline: null } };
        throw err;
      }

      const after = await currentUserData(client, instanceId, userId);
      const live = liveContacts(after);
      const nowOffline = !after || statusIdOfArn(after.Status?.StatusArn) === offline.id;
      const nextOffline = !nowOffline && after?.NextStatus === offline.name;
      if (!nowOffline && !nextOffline) {
        throw new ConnectVerificationError(`${where} is still ${after?.Status?.StatusName ?? 'in another status'} with next status ${after?.NextStatus ?? 'none'} after PutUserStatus ${offline.name}`);
      }
      const was = previous ? ` (was ${previous.statusName})` : '';
      const note = nowOffline
        ? `${where} set ${offline.name}${was}: Connect routes them no new contact`
        : `${where} gets ${offline.name} as next status${was}: Connect routes them no new contact, and it takes effect once their contacts are cleared (${live.length} live now)`;
      return {
        ok: true,
        note,
        result: { offline: { userId, username, loggedIn: true, statusId: offline.id, nextStatus: nextOffline, liveContacts: live.length }, ...(previous ? { previous } : {}) },
      };
    } catch (err) {
      const progress = previous ? { previous } : undefined;
      // The budget's line is longer than the step can wait: it comes back when its turn is due, keeping the status it found.
      const deferred = deferredByBudget(err, ctx.clock.now(), { ...request.progress, ...progress }, `taking Connect agent ${username} offline`);
      if (deferred) return deferred;
      if (err instanceof ProviderError) throw progress ? new ProviderError(err.message, err.retryable, err.providerAnswer, progress) : err;
      const failure = connectErrorToProviderFailure(err);
      throw new ProviderError(failure.message, failure.retryable, failure.providerAnswer, progress);
    }
  }),
});
