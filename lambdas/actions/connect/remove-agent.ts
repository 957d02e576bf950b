/** Removes the leaver's Amazon Connect agent, recording its routing, security, hierarchy and phone settings first. */
import * as z from '../../shared/zod';
import { DeleteUserCommand, type ConnectClient, type User, type UserSummary } from '@aws-sdk/client-connect';
import { callConnect, findUserByUsername, describeAgent, isNotFound } from '../../providers/connect/agent';
import { ConnectVerificationError } from '../../providers/connect/connect-errors';
import { connectAgentSnapshotSchema, snapshotAgent, type ConnectAgentSnapshot } from './agent-snapshot';
import { connectErrorToProviderFailure } from '../../providers/connect/connect-errors';
import { defineAction } from '../define-action';
import { ProviderError } from '../../providers/provider-error';
import type { ActionRequest } from '../../engine/ports';
import { checkedAgent, checkedAgentDescription, connectAccount, connectFor } from './connect-account';
import { currentUserData, liveContacts } from '../../providers/connect/agent-status';
import { deferredByBudget } from '../budget-deferral';
import { asConnectStep } from '../../providers/connect/connect-budget';

/** How long the removal waits, by default, for the agent's last live contact to close before it removes the agent anyway. */
export const DEFAULT_MAX_WAIT_MINUTES = 30;
/** How often, by default, it looks again while it waits. */
export const DEFAULT_WAIT_POLL_SECONDS = 60;

/**
 * What a removal waiting for live contacts hands its next look: when it first found one, and in which of the step's
 * operator retries (`retries`, absent: none). Progress survives an operator's retry; the wait's clock does not.
 */
const waitingSchema = z.object({ since: z.iso.datetime(), contactIds: z.array(z.string()), retries: z.optional(z.int()) });
type Waiting = z.infer<typeof waitingSchema>;

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
  /** The user as the caller just found it by username (ListUsers), so it is not listed twice; null: the caller found none. */
  found?: UserSummary | null;
  /** The user as the caller just described it (DescribeUser), so the snapshot does not describe it again. */
  described?: User;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Deletes the agent, idempotently: no such user is a success with nothing removed. The snapshot is
 * taken (and handed to `recordSnapshot`) before DeleteUser; afterwards DescribeUser must answer
 * ResourceNotFoundException or this throws a (retryable) ConnectVerificationError.
 */
export async function removeAgent(client: ConnectClient, instanceId: string, username: string, options: RemoveAgentOptions = {}): Promise<RemoveAgentResult> {
  const nothing: RemoveAgentResult = { removed: false, note: `no Connect agent ${username} in instance ${instanceId}: nothing to remove` };
  const found = options.found === null ? undefined : (options.found ?? (await findUserByUsername(client, instanceId, username)));
  if (!found?.Id) return nothing;
  const userId = found.Id;
  const snapshot = await snapshotAgent(client, instanceId, userId, options.described);
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
  params: z.strictObject({
    username: z._default(z.enum(['email', 'localPart']), 'localPart'),
    /**
     * How long after its first look finds a live contact the removal waits for the last one to close; then it removes anyway,
     * with a note. The wait starts again at the first look after an operator's retry.
     */
    maxWaitMinutes: z._default(z.int().check(z.gte(0), z.lte(24 * 60)), DEFAULT_MAX_WAIT_MINUTES),
    /** How often it looks again while it waits. */
    pollSeconds: z._default(z.int().check(z.gte(1), z.lte(900)), DEFAULT_WAIT_POLL_SECONDS),
  }),
  run: (ctx, params, request, checked) => asConnectStep(request, async () => {
    const { client, instanceId } = connectFor(ctx, request);
    const username = usernameOf(request, params.username);
    // A snapshot taken by an earlier attempt that failed after it: the agent may be gone already.
    const earlier = connectAgentSnapshotSchema.safeParse(request.progress?.snapshot);
    const waited = waitingSchema.safeParse(request.progress?.waiting);
    let taken: ConnectAgentSnapshot | undefined;
    try {
      // No live call is dropped: while the agent has a customer on the line, the step waits (not a failure) until the deadline.
      let forced: Waiting | undefined;
      // The account check has just found the agent: its id saves a second ListUsers. It found none (null): none to look for.
      const found = earlier.success || checked === null ? undefined : (checkedAgent(checked) ?? (await findUserByUsername(client, instanceId, username)));
      const live = found?.Id ? liveContacts(await currentUserData(client, instanceId, found.Id)) : [];
      if (live.length > 0) {
        const now = ctx.clock.now();
        // The deadline counts from the first look that found a live contact since the step was last retried by an operator:
        // a retry hours later starts a new wait, rather than removing at once an agent on a call.
        const retries = request.retries ?? 0;
        const sameWait = waited.success && (waited.data.retries ?? 0) === retries;
        const waiting: Waiting = {
          since: sameWait ? waited.data.since : now.toISOString(),
          contactIds: live.map((c) => c.ContactId ?? '?'),
          ...(retries ? { retries } : {}),
        };
        const deadline = Date.parse(waiting.since) + params.maxWaitMinutes * 60_000;
        if (now.getTime() < deadline) {
          const checkAgainAt = new Date(Math.min(deadline, now.getTime() + params.pollSeconds * 1000)).toISOString();
          return {
            ok: true,
            checkAgainAt,
            progress: { waiting },
            note: `Connect agent ${username} has ${live.length} live contact${live.length === 1 ? '' : 's'} (${waiting.contactIds.join(', ')}): waiting for ${live.length === 1 ? 'it' : 'them'} to close, until ${new Date(deadline).toISOString()} at the latest`,
          };
        }
        forced = waiting;
      }
      const described = checkedAgentDescription(checked);
      // The check found no agent (null): none is looked for again, so none made since, unchecked, is removed.
      const out = await removeAgent(client, instanceId, username, { recordSnapshot: (s) => void (taken = s), ...(found ? { found } : checked === null && !earlier.success ? { found: null } : {}), ...(described ? { described } : {}) });
      const snapshot = out.snapshot ?? (earlier.success ? earlier.data : undefined);
      const note = forced && out.removed
        ? `${out.note}; removed at the deadline (${params.maxWaitMinutes} min after ${forced.since}) with ${forced.contactIds.length} contact${forced.contactIds.length === 1 ? '' : 's'} still live: ${forced.contactIds.join(', ')}`
        : out.note;
      return {
        ok: true,
        ...(out.removed ? { accountState: 'deleted' as const } : {}),
        note,
        result: { removed: snapshot ? { agent: snapshot } : null, ...(forced && out.removed ? { liveContactsDropped: forced.contactIds } : {}) },
      };
    } catch (err) {
      const snapshot = taken ?? (earlier.success ? earlier.data : undefined);
      // The budget's line is longer than the step can wait: it comes back when its turn is due, keeping the snapshot taken.
      const deferred = deferredByBudget(err, ctx.clock.now(), { ...request.progress, ...(snapshot ? { snapshot } : {}) }, `removing Connect agent ${username}`);
      if (deferred) return deferred;
      const failure = connectErrorToProviderFailure(err);
      throw new ProviderError(failure.message, failure.retryable, failure.providerAnswer, snapshot ? { snapshot } : undefined);
    }
  }),
});
