/**
 * Reading Amazon Connect users: find one by username, describe one, and every call's failure as a ConnectCallError.
 * What to do with an agent (snapshot, remove, restore) is decided by the actions in lambdas/actions/connect/.
 */
import { DescribeUserCommand, paginateListUsers, type ConnectClient, type User, type UserSummary } from '@aws-sdk/client-connect';
import { ConnectCallError } from './connect-errors';
import { cacheOwnerOf } from './container-cache';

export const isNotFound = (err: unknown) => (err as { name?: unknown } | null)?.name === 'ResourceNotFoundException';
export const isDuplicate = (err: unknown) => (err as { name?: unknown } | null)?.name === 'DuplicateResourceException';

/** Runs one Connect call; its failure comes out as a ConnectCallError saying what we were doing. */
export async function callConnect<T>(operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw new ConnectCallError(operation, err);
  }
}

/**
 * The user with this username among `users`, or undefined. An exact match wins; otherwise a single match that differs
 * only in case is taken (a leaver whose agent is "Ada.Lovelace" must not be reported as having none), and two such
 * matches are refused rather than guessed between.
 */
function pickByUsername(users: readonly UserSummary[], username: string, instanceId: string): UserSummary | undefined {
  const exact = users.find((u) => u.Username === username);
  if (exact) return exact;
  const folded = username.toLowerCase();
  const sameButCase = users.filter((u) => u.Username?.toLowerCase() === folded);
  if (sameButCase.length > 1) {
    throw new Error(`Connect instance ${instanceId} has ${sameButCase.length} users named ${username} apart from case (${sameButCase.map((u) => u.Username).join(', ')}): not guessing which`);
  }
  return sameButCase[0];
}

async function listUsers(client: ConnectClient, instanceId: string, what: string): Promise<UserSummary[]> {
  return callConnect(`ListUsers ${what} in instance ${instanceId}`, async () => {
    const users: UserSummary[] = [];
    for await (const page of paginateListUsers({ client, pageSize: 1000 }, { InstanceId: instanceId })) users.push(...(page.UserSummaryList ?? []));
    return users;
  });
}

/**
 * The user with this username, or undefined, from the instance's users as ListUsers reads them now. ListUsers rather
 * than SearchUsers: it reads the users themselves, while a search index may lag a user just created or deleted.
 */
export async function findUserByUsername(client: ConnectClient, instanceId: string, username: string): Promise<UserSummary | undefined> {
  return pickByUsername(await listUsers(client, instanceId, `looking for ${username}`), username, instanceId);
}

/** How long a container answers a username from the users it last listed; a miss always lists again. */
export const USER_INDEX_TTL_MS = 60_000;

interface UserIndex {
  read: Promise<UserSummary[]>;
  startedAt: number;
}

/** The users each container last listed, per instance; `pending`: a read under way. */
const userIndexes = new WeakMap<ConnectClient, Map<string, { last?: UserIndex; pending?: UserIndex }>>();

/** The instance's users as read by a ListUsers that started at `since` or later (joined when one is under way), else a new one. */
function usersListedSince(client: ConnectClient, instanceId: string, since: number, now: () => number): Promise<UserSummary[]> {
  const owner = cacheOwnerOf(client);
  let byInstance = userIndexes.get(owner);
  if (!byInstance) userIndexes.set(owner, (byInstance = new Map()));
  let slot = byInstance.get(instanceId);
  if (!slot) byInstance.set(instanceId, (slot = {}));
  if (slot.pending && slot.pending.startedAt >= since) return slot.pending.read;
  const index: UserIndex = { read: listUsers(client, instanceId, 'of every user'), startedAt: now() };
  const s = slot;
  s.pending = index;
  index.read.then(
    () => {
      if (!s.last || s.last.startedAt <= index.startedAt) s.last = index;
      if (s.pending === index) s.pending = undefined;
    },
    () => {
      if (s.pending === index) s.pending = undefined;
    },
  );
  return index.read;
}

/**
 * The user with this username as the container's recent list of users names it: one ListUsers serves every leaver of
 * a layoff for USER_INDEX_TTL_MS. Only a hit is taken from a list read earlier, and the caller confirms it
 * (`confirmed`: DescribeUser shows that user, by that username); a miss, or a hit not confirmed, lists the users again
 * (joining a ListUsers begun since this call, not before), so a user created or deleted since is never missed.
 */
export async function findUserByUsernameCached<T>(
  client: ConnectClient,
  instanceId: string,
  username: string,
  confirm: (found: UserSummary) => Promise<T | undefined>,
  now: () => number = Date.now,
): Promise<{ found: UserSummary; confirmed: T } | undefined> {
  const asked = now();
  const slot = userIndexes.get(cacheOwnerOf(client))?.get(instanceId);
  // The last list while it is recent, else one under way (newer than the last): a hit is confirmed, so either will do.
  const recent = slot?.last && asked - slot.last.startedAt < USER_INDEX_TTL_MS ? slot.last : slot?.pending;
  if (recent) {
    const hit = pickByUsername(await recent.read, username, instanceId);
    const confirmed = hit?.Id ? await confirm(hit) : undefined;
    if (hit && confirmed !== undefined) return { found: hit, confirmed };
  }
  const fresh = pickByUsername(await usersListedSince(client, instanceId, asked, now), username, instanceId);
  if (!fresh?.Id) return undefined;
  const confirmed = await confirm(fresh);
  return confirmed === undefined ? undefined : { found: fresh, confirmed };
}

/** DescribeUser, with "no such user" as undefined rather than an error. */
export async function describeAgent(client: ConnectClient, instanceId: string, userId: string): Promise<User | undefined> {
  return callConnect(`DescribeUser ${userId} in instance ${instanceId}`, async () => {
    try {
      return (await client.send(new DescribeUserCommand({ InstanceId: instanceId, UserId: userId }))).User;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  });
}
