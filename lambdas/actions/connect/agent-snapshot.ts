/** An Amazon Connect agent as connect.restoreAgent needs it to put the agent back: taken before connect.removeAgent deletes it. */
import type { ConnectClient, User } from '@aws-sdk/client-connect';
import * as z from '../../shared/zod';
import { describeAgent } from '../../providers/connect/agent';

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

export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** The agent as restoreAgent needs it, or undefined when the user does not exist; `described`: DescribeUser's answer for it, already read. */
export async function snapshotAgent(client: ConnectClient, instanceId: string, userId: string, described?: User): Promise<ConnectAgentSnapshot | undefined> {
  // A DescribeUser of this very user made moments before in the same step (the account check's) is not asked again.
  const user = described?.Id === userId ? described : await describeAgent(client, instanceId, userId);
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
