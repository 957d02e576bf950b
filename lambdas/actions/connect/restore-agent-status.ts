/**
 * Undoes connect.setAgentOffline on a cancel: puts the agent back in the status they were in, but only while they are
 * still logged in and still Offline as the leaver run left them. An agent who chose a status since, or logged out,
 * chooses their own: routing contacts to someone who may have left their desk would lose them.
 */
import * as z from '../../shared/zod';
import { findUserByUsername } from '../../providers/connect/agent';
import { currentUserData, offlineStatus, putUserStatus, statusIdOfArn } from '../../providers/connect/agent-status';
import { connectErrorToProviderFailure, ConnectVerificationError } from '../../providers/connect/connect-errors';
import { ProviderError } from '../../providers/provider-error';
import { defineAction } from '../define-action';
import { connectAccount, connectUsername, connectFor } from './connect-account';
import { previousAgentStatusSchema } from './set-agent-offline';

export const restoreAgentStatus = defineAction({
  name: 'connect.restoreAgentStatus',
  account: connectAccount(),
  params: z.strictObject({
    /** connect.setAgentOffline's result: `previous` is absent when the agent was offline or not logged in. */
    result: z.nullish(z.object({ previous: z.nullish(previousAgentStatusSchema), offline: z.nullish(z.object({ username: z.optional(z.string().check(z.minLength(1))) })) })),
  }),
  async run(ctx, { result }, request) {
    const previous = result?.previous;
    if (!previous) return { ok: true, note: 'nothing to restore: the run changed no Connect agent status' };
    const { client, instanceId } = connectFor(ctx, request);
    // The username the offline step acted on (the playbook may name agents by the whole address).
    const username = result?.offline?.username ?? connectUsername(request);
    try {
      const found = await findUserByUsername(client, instanceId, username);
      if (!found?.Id) return { ok: true, note: `no Connect agent ${username} in instance ${instanceId}: no status to put back` };
      const userId = found.Id;
      const where = `Connect agent ${username} (user ${userId}) in instance ${instanceId}`;
      const offline = await offlineStatus(client, instanceId);
      const now = await currentUserData(client, instanceId, userId);
      if (!now) return { ok: true, note: `${where} is not logged in: they choose their status when they log in (was ${previous.statusName})` };
      const statusId = statusIdOfArn(now.Status?.StatusArn);
      const stillOffline = (statusId === offline.id && !now.NextStatus) || now.NextStatus === offline.name;
      if (!stillOffline) return { ok: true, note: `${where} is ${now.Status?.StatusName ?? statusId} now, chosen since the cut-off: left as is (was ${previous.statusName})` };

      await putUserStatus(client, instanceId, userId, { id: previous.statusId, name: previous.statusName });

      const after = await currentUserData(client, instanceId, userId);
      const back = after && (statusIdOfArn(after.Status?.StatusArn) === previous.statusId || after.NextStatus === previous.statusName) && after.NextStatus !== offline.name;
      if (after && !back) throw new ConnectVerificationError(`${where} is ${after.Status?.StatusName ?? 'in another status'} (next ${after.NextStatus ?? 'none'}) after PutUserStatus ${previous.statusName}`);
      return { ok: true, note: `${where} back in ${previous.statusName}`, result: { restored: { userId, username, statusId: previous.statusId, statusName: previous.statusName } } };
    } catch (err) {
      if (err instanceof ProviderError) throw err;
      const failure = connectErrorToProviderFailure(err);
      // A status deleted since (ResourceNotFoundException) is for an operator: no retry brings it back.
      throw new ProviderError(failure.message, failure.retryable, failure.providerAnswer);
    }
  },
});
