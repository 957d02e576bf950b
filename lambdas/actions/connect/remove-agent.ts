/** Removes the leaver's Amazon Connect agent, recording its routing, security, hierarchy and phone settings first. */
import * as z from '../../shared/zod';
import { connectAgentSnapshotSchema, removeAgent, type ConnectAgentSnapshot } from '../../providers/connect/agent';
import { connectErrorToProviderFailure } from '../../providers/connect/connect-errors';
import { defineAction, provider, ProviderError } from '../define-action';
import type { ActionRequest } from '../../engine/ports';
import { connectAccount } from './connect-account';

/** Connect usernames are the local part of the company address unless the playbook says otherwise. */
function usernameOf(request: ActionRequest, from: 'email' | 'localPart'): string {
  const email = request.employee.email;
  if (!email) throw new ProviderError(`employee ${request.employee.id} has no email in the HR event: no Connect username to look for`, false);
  return from === 'email' ? email.toLowerCase() : email.split('@')[0].toLowerCase();
}

export const removeConnectAgent = defineAction({
  name: 'connect.removeAgent',
  account: connectAccount({ removes: true }),
  params: z.strictObject({ username: z._default(z.enum(['email', 'localPart']), 'localPart') }),
  async run(ctx, params, request) {
    const { client, instanceId } = provider(ctx, 'connect');
    const username = usernameOf(request, params.username);
    // A snapshot taken by an earlier attempt that failed after it: the agent may be gone already.
    const earlier = connectAgentSnapshotSchema.safeParse(request.progress?.snapshot);
    let taken: ConnectAgentSnapshot | undefined;
    try {
      const out = await removeAgent(client, instanceId, username, { recordSnapshot: (s) => void (taken = s) });
      const snapshot = out.snapshot ?? (earlier.success ? earlier.data : undefined);
      return { ok: true, ...(out.removed ? { accountState: 'deleted' as const } : {}), note: out.note, result: { removed: snapshot ? { agent: snapshot } : null } };
    } catch (err) {
      const failure = connectErrorToProviderFailure(err);
      const snapshot = taken ?? (earlier.success ? earlier.data : undefined);
      throw new ProviderError(failure.message, failure.retryable, failure.providerAnswer, snapshot ? { snapshot } : undefined);
    }
  },
});
