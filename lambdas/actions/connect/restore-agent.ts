/** Undoes connect.removeAgent: recreates the Amazon Connect agent from its snapshot, with the same routing, security, hierarchy and phone settings. */
import * as z from '../../shared/zod';
import { connectAgentSnapshotSchema, restoreAgent } from '../../providers/connect/agent';
import { connectErrorToProviderFailure } from '../../providers/connect/connect-errors';
import { defineAction, provider, ProviderError } from '../define-action';
import { connectAccount } from './connect-account';

export const restoreConnectAgent = defineAction({
  name: 'connect.restoreAgent',
  account: connectAccount(),
  params: z.strictObject({
    /** connect.removeAgent's result: `removed` is null when there was no agent to remove. */
    result: z.nullish(z.object({ removed: z.nullish(z.object({ agent: connectAgentSnapshotSchema })) })),
  }),
  async run(ctx, { result }) {
    const snapshot = result?.removed?.agent;
    if (!snapshot) return { ok: true, note: 'nothing to restore: the run removed no Connect agent' };
    const { client, instanceId } = provider(ctx, 'connect');
    try {
      // restoreAgent reads the agent back and throws (retryable) when it does not match the snapshot.
      const out = await restoreAgent(client, instanceId, snapshot);
      return { ok: true, note: out.note, result: { restored: { agent: { userId: out.userId, username: snapshot.username, created: out.created } } } };
    } catch (err) {
      const failure = connectErrorToProviderFailure(err);
      throw new ProviderError(failure.message, failure.retryable, failure.providerAnswer);
    }
  },
});
