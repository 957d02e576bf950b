/** The Connect emulator's records and request bodies as zod schemas: state read from disk and bodies off the wire are both untrusted. */
import { z } from 'zod';

/** Connect's own nested shapes, stored as the API spells them so they round-trip unchanged. */
export const phoneConfigSchema = z.object({
  PhoneType: z.enum(['SOFT_PHONE', 'DESK_PHONE']).optional(),
  AutoAccept: z.boolean().optional(),
  AfterContactWorkTimeLimit: z.number().int().min(0).optional(),
  DeskPhoneNumber: z.string().optional(),
  PersistentConnection: z.boolean().optional(),
});
export type PhoneConfig = z.infer<typeof phoneConfigSchema>;

export const identityInfoSchema = z.object({
  FirstName: z.string().max(100).optional(),
  LastName: z.string().max(100).optional(),
  Email: z.string().optional(),
  SecondaryEmail: z.string().optional(),
  Mobile: z.string().optional(),
});
export type IdentityInfo = z.infer<typeof identityInfoSchema>;

const tagsSchema = z.record(z.string(), z.string());

/** How the instance authenticates agents; it decides whether CreateUser takes a Password. */
export const identityManagementTypeSchema = z.enum(['SAML', 'CONNECT_MANAGED', 'EXISTING_DIRECTORY']);
export type IdentityManagementType = z.infer<typeof identityManagementTypeSchema>;

export const userRecordSchema = z.object({
  id: z.string(),
  username: z.string(),
  identityInfo: identityInfoSchema.optional(),
  phoneConfig: phoneConfigSchema,
  directoryUserId: z.string().optional(),
  securityProfileIds: z.array(z.string()),
  routingProfileId: z.string(),
  hierarchyGroupId: z.string().optional(),
  tags: tagsSchema,
  /** Epoch milliseconds; the wire carries epoch seconds. */
  lastModifiedTime: z.number(),
});
export type UserRecord = z.infer<typeof userRecordSchema>;

export const routingProfileRecordSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  defaultOutboundQueueId: z.string(),
  mediaConcurrencies: z.array(z.object({ Channel: z.enum(['VOICE', 'CHAT', 'TASK', 'EMAIL']), Concurrency: z.number().int() })),
  isDefault: z.boolean(),
  lastModifiedTime: z.number(),
});
export type RoutingProfileRecord = z.infer<typeof routingProfileRecordSchema>;

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
  parentId: z.string().optional(),
  /** 1 for a top-level group; Connect allows five levels. */
  level: z.number().int().min(1).max(5),
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
});
export type InstanceRecord = z.infer<typeof instanceRecordSchema>;

export const connectEmulatorStateSchema = z.object({
  version: z.literal(1),
  instances: z.array(instanceRecordSchema),
});
export type ConnectEmulatorState = z.infer<typeof connectEmulatorStateSchema>;

// Request bodies. Members the emulator does not model (AutoAcceptConfigs, ...) are accepted and dropped.

export const createUserBodySchema = z.object({
  Username: z.string().min(1).max(64),
  Password: z.string().optional(),
  IdentityInfo: identityInfoSchema.optional(),
  PhoneConfig: phoneConfigSchema.optional(),
  DirectoryUserId: z.string().optional(),
  SecurityProfileIds: z.array(z.string()).min(1).max(10),
  RoutingProfileId: z.string().min(1),
  HierarchyGroupId: z.string().min(1).optional(),
  Tags: tagsSchema.optional(),
});
export type CreateUserBody = z.infer<typeof createUserBodySchema>;

export const updateRoutingProfileBodySchema = z.object({ RoutingProfileId: z.string().min(1) });
export const updateSecurityProfilesBodySchema = z.object({ SecurityProfileIds: z.array(z.string()).min(1).max(10) });
/** No HierarchyGroupId removes the user from the hierarchy, as in the real API. */
export const updateHierarchyBodySchema = z.object({ HierarchyGroupId: z.string().min(1).optional() });
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
  FieldName: z.string().optional(),
  Value: z.string().optional(),
  ComparisonType: z.enum(['STARTS_WITH', 'CONTAINS', 'EXACT']).optional(),
});

export const userSearchCriteriaSchema: z.ZodType<UserSearchCriteria> = z.lazy(() =>
  z.object({
    OrConditions: z.array(userSearchCriteriaSchema).optional(),
    AndConditions: z.array(userSearchCriteriaSchema).optional(),
    StringCondition: stringConditionSchema.optional(),
    HierarchyGroupCondition: z
      .object({ Value: z.string().optional(), HierarchyGroupMatchType: z.enum(['EXACT', 'WITH_CHILD_GROUPS']).optional() })
      .optional(),
    ListCondition: z.unknown().optional(),
  }),
);

export const searchUsersBodySchema = z.object({
  InstanceId: z.string().min(1),
  NextToken: z.string().optional(),
  MaxResults: z.number().int().optional(),
  SearchFilter: z.unknown().optional(),
  SearchCriteria: userSearchCriteriaSchema.optional(),
});
export type SearchUsersBody = z.infer<typeof searchUsersBodySchema>;
