/**
 * Reading Amazon Connect users: find one by username, describe one, and every call's failure as a ConnectCallError.
 * What to do with an agent (snapshot, remove, restore) is decided by the actions in lambdas/actions/connect/.
 */
import { DescribeUserCommand, paginateListUsers, type ConnectClient, type User, type UserSummary } from '@aws-sdk/client-connect';
import { ConnectCallError } from './connect-errors';

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
 * The user with this username, or undefined. An exact match wins; otherwise a single match that
 * differs only in case is taken (a leaver whose agent is "Ada.Lovelace" must not be reported as
 * having none), and two such matches are refused rather than guessed between. ListUsers rather
 * than SearchUsers: it reads the users themselves, while a search index may lag a user just
 * created or deleted.
 */
export async function findUserByUsername(client: ConnectClient, instanceId: string, username: string): Promise<UserSummary | undefined> {
  const folded = username.toLowerCase();
  const sameButCase: UserSummary[] = [];
  const exact = await callConnect(`ListUsers looking for ${username} in instance ${instanceId}`, async () => {
    for await (const page of paginateListUsers({ client, pageSize: 1000 }, { InstanceId: instanceId })) {
      for (const user of page.UserSummaryList ?? []) {
        if (user.Username === username) return user;
        if (user.Username?.toLowerCase() === folded) sameButCase.push(user);
      }
    }
    return undefined;
  });
  if (exact) return exact;
  if (sameButCase.length > 1) {
    throw new Error(`Connect instance ${instanceId} has ${sameButCase.length} users named ${username} apart from case (${sameButCase.map((u) => u.Username).join(', ')}): not guessing which`);
  }
  return sameButCase[0];
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
