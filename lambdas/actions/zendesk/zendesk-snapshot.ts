/** A Zendesk user as zendesk.restoreUser needs it back: taken by zendesk.suspendUser before it changes anything. */
import * as z from '../../shared/zod';
import type { ZendeskClient, ZendeskUser } from '../../providers/zendesk/zendesk-client';
import type { ZendeskReferences } from '../../providers/zendesk/references';

export const zendeskUserSnapshotSchema = z.object({
  userId: z.number(),
  email: z.nullable(z.string()),
  role: z.enum(['end-user', 'agent', 'admin']),
  customRoleId: z.nullable(z.number()),
  /** Whether it was suspended before the leaver's step: a restore does not unsuspend a user suspended by hand. */
  suspended: z.boolean(),
  groups: z.array(z.object({ groupId: z.number(), name: z.string(), default: z.boolean() })),
  /** The open tickets reassigned from the user to the stage's leaver group (they stay there on a restore). */
  ticketIds: z.array(z.number()),
});
export type ZendeskUserSnapshot = z.infer<typeof zendeskUserSnapshotSchema>;

/** The user's role, custom role, suspension and group memberships now. */
export async function snapshotUser(client: ZendeskClient, refs: ZendeskReferences, user: ZendeskUser): Promise<ZendeskUserSnapshot> {
  const memberships = await client.userMemberships(user.id);
  const groups = await Promise.all(memberships.map(async (m) => ({ groupId: m.group_id, name: await refs.groupName(m.group_id), default: m.default })));
  return { userId: user.id, email: user.email, role: user.role, customRoleId: user.custom_role_id ?? null, suspended: user.suspended, groups, ticketIds: [] };
}

/** What a mover's zendesk.updateUser found before it changed anything. */
export const zendeskPreviousSchema = z.object({
  role: z.string(),
  customRoleId: z.nullable(z.number()),
  /** Group names, for the operator. */
  groups: z.array(z.string()),
  /** The same groups by id (missing in what older runs recorded). */
  groupIds: z.optional(z.array(z.number())),
});

const roleSchema = z.enum(['end-user', 'agent', 'admin']);
const groupRefSchema = z.object({ groupId: z.number(), name: z.string() });

/** What a mover's zendesk.updateUser changed from the user's previous state: zendesk.restoreRole puts it back. */
export const zendeskUndoSchema = z.object({
  userId: z.number(),
  role: z.optional(z.object({ from: roleSchema, to: roleSchema })),
  customRoleId: z.optional(z.object({ from: z.nullable(z.number()), to: z.nullable(z.number()) })),
  /** Groups the mover joined that they were not in before. */
  added: z.array(groupRefSchema),
  /** Groups they were in before and left. */
  removed: z.array(groupRefSchema),
  /** When the step finished its changes (ISO 8601; missing in older records): a membership made later is not its. */
  finishedAt: z.optional(z.string()),
});
export type ZendeskUndo = z.infer<typeof zendeskUndoSchema>;
