/** Removes the leaver's Amazon Connect agent, recording its routing, security, hierarchy and phone settings first. */
import * as z from '../../shared/zod';
import { DeleteUserCommand, type ConnectClient } from '@aws-sdk/client-connect';
import { callConnect, findUserByUsername, describeAgent, isNotFound } from '../../providers/connect/agent';
import { ConnectVerificationError } from '../../providers/connect/connect-errors';
import { connectAgentSnapshotSchema, snapshotAgent, type ConnectAgentSnapshot } from './agent-snapshot';
import { connectErrorToProviderFailure } from '../../providers/connect/connect-errors';
import { defineAction, provider } from '../define-action';
import { ProviderError } from '../../providers/provider-error';
import type { ActionRequest } from '../../engine/ports';
import { connectAccount } from './connect-account';

export interface RemoveAgentResult {
  removed: boolean;
  snapshot?: ConnectAgentSnapshot;
  note: string;
}

export interface RemoveAgentOptions {
  /**
   * Called with the snapshot before DeleteUser; if it throws, nothing is deleted. Persist the
   * snapshot here: if the delete or its read-back then fails, the result that carries it never
   * arrives, and a retry finds no user left to snapshot.
   */
  recordSnapshot?: (snapshot: ConnectAgentSnapshot) => Promise<void> | void;
  /** Reads after DeleteUser before concluding the user is still there. */
  verifyAttempts?: number;
  verifyDelayMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Deletes the agent, idempotently: no such user is a success with nothing removed. The snapshot is
 * taken (and handed to `recordSnapshot`) before DeleteUser; afterwards DescribeUser must answer
 * ResourceNotFoundException or this throws a (retryable) ConnectVerificationError.
 */
export async function removeAgent(client: ConnectClient, instanceId: string, username: string, options: RemoveAgentOptions = {}): Promise<RemoveAgentResult> {
  const nothing: RemoveAgentResult = { removed: false, note: `no Connect agent ${username} in instance ${instanceId}: nothing to remove` };
  const found = await findUserByUsername(client, instanceId, username);
  if (!found?.Id) return nothing;
  const userId = found.Id;
  const snapshot = await snapshotAgent(client, instanceId, userId);
  if (!snapshot) return nothing; // deleted between the list and the read

  await options.recordSnapshot?.(snapshot);
  await callConnect(`DeleteUser ${username} (user ${userId}) in instance ${instanceId}`, async () => {
    try {
      await client.send(new DeleteUserCommand({ InstanceId: instanceId, UserId: userId }));
    } catch (err) {
      // Someone else deleted it first: the read-back below still decides.
      if (!isNotFound(err)) throw err;
    }
  });

  const attempts = Math.max(1, options.verifyAttempts ?? 3);
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    if (!(await describeAgent(client, instanceId, userId))) {
      return { removed: true, snapshot, note: `deleted Connect agent ${username} (user ${userId}); DescribeUser now answers ResourceNotFoundException` };
    }
    if (attempt < attempts) await sleep(options.verifyDelayMs ?? 500);
  }
  throw new ConnectVerificationError(`Connect agent ${username} (user ${userId}) in instance ${instanceId} is still there after DeleteUser`, snapshot);
}


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
