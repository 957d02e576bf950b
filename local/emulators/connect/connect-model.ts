/** The Connect emulator's records and request bodies as zod schemas: state read from disk and bodies off the wire are both untrusted. */
import * as z from '../../../lambdas/shared/zod';

/** Connect's own nested shapes, stored as the API spells them so they round-trip unchanged. */
export const phoneConfigSchema = z.object({
  PhoneType: z.optional(z.enum(['SOFT_PHONE', 'DESK_PHONE'])),
  AutoAccept: z.optional(z.boolean()),
  AfterContactWorkTimeLimit: z.optional(z.number().check(z.int(), z.gte(0))),
  DeskPhoneNumber: z.optional(z.string()),
  PersistentConnection: z.optional(z.boolean()),
});
export type PhoneConfig = z.infer<typeof phoneConfigSchema>;

export const identityInfoSchema = z.object({
  FirstName: z.optional(z.string().check(z.maxLength(100))),
  LastName: z.optional(z.string().check(z.maxLength(100))),
  Email: z.optional(z.string()),
  SecondaryEmail: z.optional(z.string()),
  Mobile: z.optional(z.string()),
});
export type IdentityInfo = z.infer<typeof identityInfoSchema>;

const tagsSchema = z.record(z.string(), z.string());

/** How the instance authenticates agents; it decides whether CreateUser takes a Password. */
export const identityManagementTypeSchema = z.enum(['SAML', 'CONNECT_MANAGED', 'EXISTING_DIRECTORY']);
export type IdentityManagementType = z.infer<typeof identityManagementTypeSchema>;

/** Connect's agent status types: ROUTABLE (Available), OFFLINE (the one Offline status) and CUSTOM (Lunch, Training, ...). */
export const agentStatusTypeSchema = z.enum(['ROUTABLE', 'CUSTOM', 'OFFLINE']);
export type AgentStatusType = z.infer<typeof agentStatusTypeSchema>;

/** The states GetCurrentUserData reports for a contact of an agent (the SDK's ContactState). */
export const contactStateSchema = z.enum(['INCOMING', 'PENDING', 'CONNECTING', 'CONNECTED', 'CONNECTED_ONHOLD', 'MISSED', 'ERROR', 'ENDED', 'REJECTED']);
export type ContactState = z.infer<typeof contactStateSchema>;

export const channelSchema = z.enum(['VOICE', 'CHAT', 'TASK', 'EMAIL']);
export type Channel = z.infer<typeof channelSchema>;

/** A contact an agent holds, as the real-time user data shows it. */
export const agentContactRecordSchema = z.object({
  contactId: z.string(),
  channel: channelSchema,
  initiationMethod: z.string(),
  state: contactStateSchema,
  /** Epoch milliseconds, as every time in the records. */
  stateStart: z.number(),
  connectedAt: z.optional(z.number()),
});
export type AgentContactRecord = z.infer<typeof agentContactRecordSchema>;

/** An agent logged in to the Contact Control Panel: their status, the status set for after their contacts, their contacts. */
export const presenceRecordSchema = z.object({
  statusId: z.string(),
  statusStart: z.number(),
  /** Set by PutUserStatus while the agent handles a contact: it takes effect once their last contact is cleared. */
  nextStatusId: z.optional(z.string()),
  contacts: z.array(agentContactRecordSchema),
});
export type PresenceRecord = z.infer<typeof presenceRecordSchema>;

export const agentStatusRecordSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  type: agentStatusTypeSchema,
  lastModifiedTime: z.number(),
});
export type AgentStatusRecord = z.infer<typeof agentStatusRecordSchema>;

export const userRecordSchema = z.object({
  id: z.string(),
  username: z.string(),
  identityInfo: z.optional(identityInfoSchema),
  phoneConfig: phoneConfigSchema,
  directoryUserId: z.optional(z.string()),
  securityProfileIds: z.array(z.string()),
  routingProfileId: z.string(),
  hierarchyGroupId: z.optional(z.string()),
  tags: tagsSchema,
  /** Epoch milliseconds; the wire carries epoch seconds. */
  lastModifiedTime: z.number(),
  /** Present while the agent is logged in to the Contact Control Panel; a state saved before it existed has none. */
  presence: z.optional(presenceRecordSchema),
});
export type UserRecord = z.infer<typeof userRecordSchema>;

export const routingProfileRecordSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  defaultOutboundQueueId: z.string(),
  mediaConcurrencies: z.array(z.object({ Channel: z.enum(['VOICE', 'CHAT', 'TASK', 'EMAIL']), Concurrency: z.number().check(z.int()) })),
  isDefault: z.boolean(),
  lastModifiedTime: z.number(),
  /** The queues the profile serves, per channel (AssociateRoutingProfileQueues); absent in a state saved before queues were modelled. */
  queueConfigs: z.optional(z.array(z.object({ queueId: z.string(), channel: channelSchema, priority: z.number().check(z.int()), delay: z.number().check(z.int()) }))),
});
export type RoutingProfileRecord = z.infer<typeof routingProfileRecordSchema>;

/** A queue of the instance; STANDARD queues are the ones routing profiles serve, AGENT queues each agent's own. */
export const queueRecordSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  queueType: z.enum(['STANDARD', 'AGENT']),
  lastModifiedTime: z.number(),
});
export type QueueRecord = z.infer<typeof queueRecordSchema>;

export const securityProfileRecordSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  lastModifiedTime: z.number(),
});
export type SecurityProfileRecord = z.infer<typeof securityProfileRecordSchema>;

export const hierarchyGroupRecordSchema = z.object({
  id: z.string(),
  name: z.string(),
  parentId: z.optional(z.string()),
  /** 1 for a top-level group; Connect allows five levels. */
  level: z.number().check(z.int(), z.gte(1), z.lte(5)),
  lastModifiedTime: z.number(),
});
export type HierarchyGroupRecord = z.infer<typeof hierarchyGroupRecordSchema>;

export const instanceRecordSchema = z.object({
  id: z.string(),
  alias: z.string(),
  identityManagementType: identityManagementTypeSchema,
  /** Level ids, index 0 = level one: Connect names each hierarchy level with its own id. */
  hierarchyLevelIds: z.array(z.string()),
  users: z.array(userRecordSchema),
  routingProfiles: z.array(routingProfileRecordSchema),
  securityProfiles: z.array(securityProfileRecordSchema),
  hierarchyGroups: z.array(hierarchyGroupRecordSchema),
  /** Absent in a state saved before agent statuses were modelled: the instance then gets Connect's default two. */
  agentStatuses: z.optional(z.array(agentStatusRecordSchema)),
  /** Absent in a state saved before queues were modelled: none. */
  queues: z.optional(z.array(queueRecordSchema)),
});
export type InstanceRecord = z.infer<typeof instanceRecordSchema>;

export const connectEmulatorStateSchema = z.object({
  version: z.literal(1),
  instances: z.array(instanceRecordSchema),
});
export type ConnectEmulatorState = z.infer<typeof connectEmulatorStateSchema>;

// Request bodies. Members the emulator does not model (AutoAcceptConfigs, ...) are accepted and dropped.

export const createUserBodySchema = z.object({
  Username: z.string().check(z.minLength(1), z.maxLength(64)),
  Password: z.optional(z.string()),
  IdentityInfo: z.optional(identityInfoSchema),
  PhoneConfig: z.optional(phoneConfigSchema),
  DirectoryUserId: z.optional(z.string()),
  SecurityProfileIds: z.array(z.string()).check(z.minLength(1), z.maxLength(10)),
  RoutingProfileId: z.string().check(z.minLength(1)),
  HierarchyGroupId: z.optional(z.string().check(z.minLength(1))),
  Tags: z.optional(tagsSchema),
});
export type CreateUserBody = z.infer<typeof createUserBodySchema>;

export const updateRoutingProfileBodySchema = z.object({ RoutingProfileId: z.string().check(z.minLength(1)) });
export const updateSecurityProfilesBodySchema = z.object({ SecurityProfileIds: z.array(z.string()).check(z.minLength(1), z.maxLength(10)) });
/** No HierarchyGroupId removes the user from the hierarchy, as in the real API. */
export const updateHierarchyBodySchema = z.object({ HierarchyGroupId: z.optional(z.string().check(z.minLength(1))) });
export const updatePhoneConfigBodySchema = z.object({ PhoneConfig: phoneConfigSchema });
export const updateIdentityInfoBodySchema = z.object({ IdentityInfo: identityInfoSchema });

export interface StringCondition {
  FieldName?: string;
  Value?: string;
  ComparisonType?: 'STARTS_WITH' | 'CONTAINS' | 'EXACT';
}

export interface UserSearchCriteria {
  OrConditions?: UserSearchCriteria[];
  AndConditions?: UserSearchCriteria[];
  StringCondition?: StringCondition;
  HierarchyGroupCondition?: { Value?: string; HierarchyGroupMatchType?: 'EXACT' | 'WITH_CHILD_GROUPS' };
  ListCondition?: unknown;
}

const stringConditionSchema = z.object({
  FieldName: z.optional(z.string()),
  Value: z.optional(z.string()),
  ComparisonType: z.optional(z.enum(['STARTS_WITH', 'CONTAINS', 'EXACT'])),
});

export const userSearchCriteriaSchema: z.ZodMiniType<UserSearchCriteria> = z.lazy(() =>
  z.object({
    OrConditions: z.optional(z.array(userSearchCriteriaSchema)),
    AndConditions: z.optional(z.array(userSearchCriteriaSchema)),
    StringCondition: z.optional(stringConditionSchema),
    HierarchyGroupCondition: z.optional(
      z.object({ Value: z.optional(z.string()), HierarchyGroupMatchType: z.optional(z.enum(['EXACT', 'WITH_CHILD_GROUPS'])) }),
    ),
    ListCondition: z.optional(z.unknown()),
  }),
);

export const searchUsersBodySchema = z.object({
  InstanceId: z.string().check(z.minLength(1)),
  NextToken: z.optional(z.string()),
  MaxResults: z.optional(z.number().check(z.int())),
  SearchFilter: z.optional(z.unknown()),
  SearchCriteria: z.optional(userSearchCriteriaSchema),
});
export type SearchUsersBody = z.infer<typeof searchUsersBodySchema>;

/** TagResource: POST /tags/{resourceArn}. */
export const tagResourceBodySchema = z.object({ tags: tagsSchema });

/** PutUserStatus: PUT /users/{InstanceId}/{UserId}/status. */
export const putUserStatusBodySchema = z.object({ AgentStatusId: z.string().check(z.minLength(1)) });

/** GetCurrentUserData: POST /metrics/userdata/{InstanceId}; at most one of Agents, Queues, RoutingProfiles, UserHierarchyGroups. */
export const getCurrentUserDataBodySchema = z.object({
  Filters: z.object({
    Agents: z.optional(z.array(z.string()).check(z.minLength(1), z.maxLength(100))),
    Queues: z.optional(z.array(z.string()).check(z.minLength(1), z.maxLength(100))),
    RoutingProfiles: z.optional(z.array(z.string()).check(z.minLength(1), z.maxLength(100))),
    UserHierarchyGroups: z.optional(z.array(z.string()).check(z.minLength(1), z.maxLength(1))),
    ContactFilter: z.optional(z.object({ ContactStates: z.optional(z.array(contactStateSchema).check(z.maxLength(9))) })),
  }),
  NextToken: z.optional(z.string()),
  MaxResults: z.optional(z.number().check(z.int())),
});
export type GetCurrentUserDataBody = z.infer<typeof getCurrentUserDataBodySchema>;
