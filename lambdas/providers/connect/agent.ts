/**
 * Amazon Connect agents for the leaver and restore steps: find by username, snapshot, remove with a
 * read-back, recreate from a snapshot. Username is the local part of the company email
 * (ada.lovelace@example.com → ada.lovelace) in the sample instance; callers pass whichever form theirs uses.
 */
import {
  CreateUserCommand,
  DeleteUserCommand,
  DescribeUserCommand,
  paginateListUsers,
  UpdateUserHierarchyCommand,
  UpdateUserIdentityInfoCommand,
  UpdateUserPhoneConfigCommand,
  UpdateUserRoutingProfileCommand,
  UpdateUserSecurityProfilesCommand,
  type ConnectClient,
  type User,
  type UserSummary,
} from '@aws-sdk/client-connect';
import * as z from '../../shared/zod';
import { ConnectCallError, ConnectVerificationError } from './connect-errors';

/** Everything restoreAgent needs to put an agent back as it was; JSON-safe (no undefined values) for the table. */
export const connectAgentSnapshotSchema = z.object({
  userId: z.string().check(z.minLength(1)),
  username: z.string().check(z.minLength(1)),
  routingProfileId: z.string().check(z.minLength(1)),
  securityProfileIds: z.array(z.string().check(z.minLength(1))).check(z.minLength(1)),
  hierarchyGroupId: z.optional(z.string().check(z.minLength(1))),
  /** Connect's own shapes, so they go back to CreateUser unchanged. */
  phoneConfig: z.object({
    PhoneType: z.optional(z.enum(['SOFT_PHONE', 'DESK_PHONE'])),
    AutoAccept: z.optional(z.boolean()),
    AfterContactWorkTimeLimit: z.optional(z.number().check(z.int(), z.gte(0))),
    DeskPhoneNumber: z.optional(z.string()),
    PersistentConnection: z.optional(z.boolean()),
  }),
  identityInfo: z.object({
    FirstName: z.optional(z.string()),
    LastName: z.optional(z.string()),
    Email: z.optional(z.string()),
    SecondaryEmail: z.optional(z.string()),
    Mobile: z.optional(z.string()),
  }),
  directoryUserId: z.optional(z.string()),
  tags: z.optional(z.record(z.string(), z.string())),
});
export type ConnectAgentSnapshot = z.infer<typeof connectAgentSnapshotSchema>;

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

export interface RestoreAgentResult {
  /** false when a user with the username already existed and was set back to the snapshot instead. */
  created: boolean;
  /** Connect gives a recreated user a new id; this is the current one. */
  userId: string;
  note: string;
}

export interface RestoreAgentOptions {
  /** Needed only on instances where Connect manages passwords; SAML instances refuse one. */
  password?: string;
}

const isNotFound = (err: unknown) => (err as { name?: unknown } | null)?.name === 'ResourceNotFoundException';
const isDuplicate = (err: unknown) => (err as { name?: unknown } | null)?.name === 'DuplicateResourceException';

async function call<T>(operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw new ConnectCallError(operation, err);
  }
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
  const exact = await call(`ListUsers looking for ${username} in instance ${instanceId}`, async () => {
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
  return call(`DescribeUser ${userId} in instance ${instanceId}`, async () => {
    try {
      return (await client.send(new DescribeUserCommand({ InstanceId: instanceId, UserId: userId }))).User;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  });
}

/** The agent as restoreAgent needs it, or undefined when the user does not exist. */
export async function snapshotAgent(client: ConnectClient, instanceId: string, userId: string): Promise<ConnectAgentSnapshot | undefined> {
  const user = await describeAgent(client, instanceId, userId);
  if (!user) return undefined;
  const parsed = connectAgentSnapshotSchema.safeParse(
    withoutUndefined({
      userId: user.Id,
      username: user.Username,
      routingProfileId: user.RoutingProfileId,
      securityProfileIds: user.SecurityProfileIds,
      hierarchyGroupId: user.HierarchyGroupId,
      phoneConfig: withoutUndefined({ ...user.PhoneConfig }),
      identityInfo: withoutUndefined({ ...user.IdentityInfo }),
      directoryUserId: user.DirectoryUserId,
      tags: user.Tags && Object.keys(user.Tags).length > 0 ? { ...user.Tags } : undefined,
    }),
  );
  // A snapshot that could not restore the agent must stop the removal before anything is deleted.
  if (!parsed.success) {
    throw new Error(`Connect user ${userId} in instance ${instanceId} cannot be snapshotted: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}

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
  await call(`DeleteUser ${username} (user ${userId}) in instance ${instanceId}`, async () => {
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

/** What differs between the agent now and the snapshot, in words for the note. */
function differences(current: ConnectAgentSnapshot, wanted: ConnectAgentSnapshot): string[] {
  const out: string[] = [];
  if (current.routingProfileId !== wanted.routingProfileId) out.push('routing profile');
  const have = new Set(current.securityProfileIds);
  if (have.size !== new Set(wanted.securityProfileIds).size || wanted.securityProfileIds.some((id) => !have.has(id))) out.push('security profiles');
  if (current.hierarchyGroupId !== wanted.hierarchyGroupId) out.push('hierarchy group');
  const phone = wanted.phoneConfig as Record<string, unknown>;
  const phoneNow = current.phoneConfig as Record<string, unknown>;
  if (Object.keys(phone).some((k) => phone[k] !== phoneNow[k])) out.push('phone config');
  const identity = wanted.identityInfo as Record<string, unknown>;
  const identityNow = current.identityInfo as Record<string, unknown>;
  if (Object.keys(identity).some((k) => identity[k] !== identityNow[k])) out.push('identity info');
  return out;
}

/** Sets an existing user's profiles, hierarchy, phone and identity to the snapshot's; only what differs is sent. */
async function alignAgent(client: ConnectClient, instanceId: string, current: ConnectAgentSnapshot, wanted: ConnectAgentSnapshot): Promise<string[]> {
  const changed = differences(current, wanted);
  const ids = { InstanceId: instanceId, UserId: current.userId };
  const where = `${wanted.username} (user ${current.userId}) in instance ${instanceId}`;
  if (changed.includes('routing profile')) {
    await call(`UpdateUserRoutingProfile ${where}`, () => client.send(new UpdateUserRoutingProfileCommand({ ...ids, RoutingProfileId: wanted.routingProfileId })));
  }
  if (changed.includes('security profiles')) {
    await call(`UpdateUserSecurityProfiles ${where}`, () => client.send(new UpdateUserSecurityProfilesCommand({ ...ids, SecurityProfileIds: wanted.securityProfileIds })));
  }
  if (changed.includes('hierarchy group')) {
    // No HierarchyGroupId takes the user out of the hierarchy, which is what a snapshot without one recorded.
    await call(`UpdateUserHierarchy ${where}`, () => client.send(new UpdateUserHierarchyCommand({ ...ids, HierarchyGroupId: wanted.hierarchyGroupId })));
  }
  if (changed.includes('phone config')) {
    await call(`UpdateUserPhoneConfig ${where}`, () => client.send(new UpdateUserPhoneConfigCommand({ ...ids, PhoneConfig: wanted.phoneConfig })));
  }
  if (changed.includes('identity info')) {
    await call(`UpdateUserIdentityInfo ${where}`, () => client.send(new UpdateUserIdentityInfoCommand({ ...ids, IdentityInfo: wanted.identityInfo })));
  }
  return changed;
}

/**
 * Puts an agent back from a snapshot: CreateUser with the recorded profiles, or, when a user with
 * that username exists, updates it to them. Reads the user back and throws if it does not match.
 * Tags are set only on creation.
 */
export async function restoreAgent(client: ConnectClient, instanceId: string, snapshot: ConnectAgentSnapshot, options: RestoreAgentOptions = {}): Promise<RestoreAgentResult> {
  // The snapshot usually comes back off the table, so it is checked like any other input.
  const wanted = connectAgentSnapshotSchema.parse(snapshot);
  let existing = await findUserByUsername(client, instanceId, wanted.username);
  let createdId: string | undefined;
  if (!existing?.Id) {
    createdId = await call(`CreateUser ${wanted.username} in instance ${instanceId}`, async () => {
      try {
        const out = await client.send(
          new CreateUserCommand({
            InstanceId: instanceId,
            Username: wanted.username,
            Password: options.password,
            IdentityInfo: wanted.identityInfo,
            PhoneConfig: wanted.phoneConfig,
            DirectoryUserId: wanted.directoryUserId,
            SecurityProfileIds: wanted.securityProfileIds,
            RoutingProfileId: wanted.routingProfileId,
            HierarchyGroupId: wanted.hierarchyGroupId,
            Tags: wanted.tags,
          }),
        );
        return out.UserId;
      } catch (err) {
        // Created by someone else since we looked: update that user instead.
        if (isDuplicate(err)) return undefined;
        throw err;
      }
    });
    if (!createdId) existing = await findUserByUsername(client, instanceId, wanted.username);
  }

  const userId = createdId ?? existing?.Id;
  if (!userId) throw new ConnectVerificationError(`Connect agent ${wanted.username} in instance ${instanceId} neither could be created nor was found`);

  let changed: string[] = [];
  if (!createdId) {
    const current = await snapshotAgent(client, instanceId, userId);
    if (!current) throw new ConnectVerificationError(`Connect agent ${wanted.username} (user ${userId}) in instance ${instanceId} vanished while being restored`);
    changed = await alignAgent(client, instanceId, current, wanted);
  }

  const after = await snapshotAgent(client, instanceId, userId);
  const left = after ? differences(after, wanted) : ['the user itself'];
  if (left.length > 0) {
    throw new ConnectVerificationError(`Connect agent ${wanted.username} (user ${userId}) in instance ${instanceId} does not match the snapshot after restore: ${left.join(', ')} differ`);
  }
  const note = createdId
    ? `recreated Connect agent ${wanted.username} as user ${userId} (was ${wanted.userId}) with the recorded routing profile, security profiles and hierarchy`
    : changed.length > 0
      ? `Connect agent ${wanted.username} already existed (user ${userId}); set back to the snapshot: ${changed.join(', ')}`
      : `Connect agent ${wanted.username} already existed (user ${userId}) and matched the snapshot`;
  return { created: Boolean(createdId), userId, note };
}
