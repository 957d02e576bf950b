/**
 * An in-memory Amazon Connect: instances with users, routing profiles, security profiles and a
 * user hierarchy, answering the user-management operations in the shapes the real SDK parses.
 */
import { randomUUID } from 'node:crypto';
import { FaultInjector } from '../faults';
import { ConnectThrottle } from './connect-throttle';
import { ConnectApiError, connectErrorShape, type ConnectErrorName } from './connect-errors';
import {
  type AgentContactRecord,
  type AgentStatusRecord,
  type AgentStatusType,
  type Channel,
  type GetCurrentUserDataBody,
  connectEmulatorStateSchema,
  type ConnectEmulatorState,
  type CreateUserBody,
  type HierarchyGroupRecord,
  type IdentityInfo,
  type IdentityManagementType,
  type InstanceRecord,
  type PhoneConfig,
  type QueueRecord,
  type RoutingProfileRecord,
  type SearchUsersBody,
  type SecurityProfileRecord,
  type UserRecord,
  type UserSearchCriteria,
} from './connect-model';

export interface ConnectEmulatorOptions {
  region?: string;
  accountId?: string;
  /** Clock for LastModifiedTime; tests pass a fixed one. */
  now?: () => number;
  newId?: () => string;
}

export interface PageRequest {
  nextToken?: string;
  maxResults?: number;
}

/**
 * What Connect answers when a request names a routing profile, security profile or hierarchy group
 * that does not exist. Not verified against a live instance (the SDK model allows both this and
 * InvalidParameterException); kept in one place so it can be changed once it is.
 */
export const MISSING_REFERENCE_ERROR: ConnectErrorName = 'ResourceNotFoundException';

/** The page-size limits of the real operations. */
const MAX_RESULTS = { list: 1000, search: 100, userData: 100 } as const;

/** Every instance has these two statuses from its creation; admins add custom ones. */
const DEFAULT_AGENT_STATUSES = [
  { name: 'Available', type: 'ROUTABLE', description: 'Agent is available to receive contacts' },
  { name: 'Offline', type: 'OFFLINE', description: 'Agent is offline and cannot receive contacts' },
] as const;
const DEFAULT_MAX_RESULTS = 100;

const USERNAME_PATTERN = /^[a-zA-Z0-9_\-.@]+$/;
/** Connect-managed and directory instances allow 20 characters; SAML instances 64. */
const NON_SAML_USERNAME_MAX = 20;
const DEFAULT_PHONE_CONFIG: PhoneConfig = { PhoneType: 'SOFT_PHONE', AutoAccept: false, AfterContactWorkTimeLimit: 0 };

interface InstanceState {
  id: string;
  alias: string;
  identityManagementType: IdentityManagementType;
  hierarchyLevelIds: string[];
  users: Map<string, UserRecord>;
  routingProfiles: Map<string, RoutingProfileRecord>;
  securityProfiles: Map<string, SecurityProfileRecord>;
  hierarchyGroups: Map<string, HierarchyGroupRecord>;
  agentStatuses: Map<string, AgentStatusRecord>;
  queues: Map<string, QueueRecord>;
}

const byId = <T extends { id: string }>(items: T[]) => new Map(items.map((item) => [item.id, structuredClone(item)]));

function fail(name: ConnectErrorName, message: string): never {
  throw new ConnectApiError(name, message);
}

/** Opaque page tokens that name the last key returned, so a delete between pages skips no one. */
function encodeToken(afterKey: string): string {
  return Buffer.from(JSON.stringify({ after: afterKey }), 'utf8').toString('base64url');
}

function decodeToken(token: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof parsed.after === 'string') return parsed.after;
  } catch {
    // falls through to the error below
  }
  return fail('InvalidParameterException', 'Invalid NextToken provided.');
}

function paginate<T>(items: T[], keyOf: (item: T) => string, page: PageRequest, limit: number): { page: T[]; nextToken?: string } {
  const max = page.maxResults ?? DEFAULT_MAX_RESULTS;
  if (!Number.isInteger(max) || max < 1 || max > limit) {
    fail('InvalidParameterException', `1 validation error detected: Value '${page.maxResults}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and ${limit}`);
  }
  const after = page.nextToken ? decodeToken(page.nextToken) : undefined;
  const sorted = [...items].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  const rest = after === undefined ? sorted : sorted.filter((item) => keyOf(item) > after);
  const out = rest.slice(0, max);
  return { page: out, nextToken: rest.length > max ? encodeToken(keyOf(out[out.length - 1])) : undefined };
}

const seconds = (ms: number) => ms / 1000;
const nameKey = (item: { name: string; id: string }) => `${item.name}\u0000${item.id}`;

export class ConnectEmulator {
  readonly region: string;
  readonly accountId: string;
  /** Fault rules and the per-minute quota for every Connect route. */
  readonly faults: FaultInjector;
  /** Connect's per-API throttling (rate and burst per API), off unless a test or benchmark sets it. */
  readonly throttle: ConnectThrottle;
  private readonly now: () => number;
  private readonly newId: () => string;
  private readonly instances = new Map<string, InstanceState>();

  constructor(options: ConnectEmulatorOptions = {}) {
    this.region = options.region ?? 'eu-central-1';
    this.accountId = options.accountId ?? '123456789012';
    this.now = options.now ?? Date.now;
    this.newId = options.newId ?? randomUUID;
    this.faults = new FaultInjector('connect', connectErrorShape, this.now);
    this.throttle = new ConnectThrottle(this.now);
  }

  // ---- setup (seeding and tests; not reachable over HTTP, like the admin console) ----

  /** A new instance, with Connect's two default agent statuses (Available, Offline); `statusIds` fixes their ids. */
  addInstance(input: { id: string; alias: string; identityManagementType?: IdentityManagementType; statusIds?: { available?: string; offline?: string } }): void {
    if (this.instances.has(input.id)) throw new Error(`Connect instance ${input.id} already exists`);
    this.instances.set(input.id, {
      agentStatuses: this.defaultAgentStatuses(input.statusIds),
      id: input.id,
      alias: input.alias,
      identityManagementType: input.identityManagementType ?? 'SAML',
      hierarchyLevelIds: [],
      users: new Map(),
      routingProfiles: new Map(),
      securityProfiles: new Map(),
      hierarchyGroups: new Map(),
      queues: new Map(),
    });
  }

  /** A standard queue (setup, as in the console; CreateQueue is not among the served calls). */
  addQueue(instanceId: string, input: { id?: string; name: string; description?: string }): QueueRecord {
    const inst = this.instance(instanceId);
    const record: QueueRecord = { id: input.id ?? this.newId(), name: input.name, description: input.description ?? input.name, queueType: 'STANDARD', lastModifiedTime: this.now() };
    inst.queues.set(record.id, record);
    return structuredClone(record);
  }

  /** Makes a routing profile serve queues (setup, as AssociateRoutingProfileQueues would): each on a channel, default VOICE, priority 1, no delay. */
  associateRoutingProfileQueues(instanceId: string, routingProfileId: string, queues: { queueId: string; channel?: Channel; priority?: number; delay?: number }[]): void {
    const inst = this.instance(instanceId);
    const profile = inst.routingProfiles.get(routingProfileId) ?? fail('ResourceNotFoundException', `RoutingProfile not found: ${routingProfileId}`);
    for (const q of queues) {
      if (!inst.queues.has(q.queueId)) throw new Error(`Connect instance ${instanceId} has no queue ${q.queueId}`);
      const config = { queueId: q.queueId, channel: q.channel ?? 'VOICE', priority: q.priority ?? 1, delay: q.delay ?? 0 };
      profile.queueConfigs = [...(profile.queueConfigs ?? []).filter((c) => !(c.queueId === config.queueId && c.channel === config.channel)), config];
    }
    profile.lastModifiedTime = this.now();
  }

  addRoutingProfile(
    instanceId: string,
    input: { id?: string; name: string; description?: string; isDefault?: boolean; mediaConcurrencies?: RoutingProfileRecord['mediaConcurrencies'] },
  ): RoutingProfileRecord {
    const inst = this.instance(instanceId);
    const record: RoutingProfileRecord = {
      id: input.id ?? this.newId(),
      name: input.name,
      description: input.description ?? input.name,
      defaultOutboundQueueId: this.newId(),
      mediaConcurrencies: input.mediaConcurrencies ?? [{ Channel: 'VOICE', Concurrency: 1 }],
      isDefault: input.isDefault ?? false,
      lastModifiedTime: this.now(),
    };
    inst.routingProfiles.set(record.id, record);
    return structuredClone(record);
  }

  /** Deletes an instance, as an admin removing it in the console would (DeleteInstance is not among the served calls). */
  removeInstance(instanceId: string): void {
    this.instance(instanceId);
    this.instances.delete(instanceId);
  }

  /** Deletes a routing or security profile by id (setup and tests, as in the console). */
  removeProfile(instanceId: string, kind: 'routing profile' | 'security profile', id: string): void {
    const inst = this.instance(instanceId);
    const map = kind === 'routing profile' ? inst.routingProfiles : inst.securityProfiles;
    if (!map.delete(id)) throw new Error(`Connect instance ${instanceId} has no ${kind} ${id}`);
  }

  /** A custom agent status (Lunch, Training): not routable, as in Connect. An instance has one Offline and no other. */
  addAgentStatus(instanceId: string, input: { id?: string; name: string; description?: string; type?: Exclude<AgentStatusType, 'OFFLINE'> }): AgentStatusRecord {
    const inst = this.instance(instanceId);
    if ([...inst.agentStatuses.values()].some((s) => s.name === input.name)) throw new Error(`Connect instance ${instanceId} already has an agent status named ${input.name}`);
    const record: AgentStatusRecord = { id: input.id ?? this.newId(), name: input.name, description: input.description ?? input.name, type: input.type ?? 'CUSTOM', lastModifiedTime: this.now() };
    inst.agentStatuses.set(record.id, record);
    return structuredClone(record);
  }

  // ---- the agent's desk (the Contact Control Panel and the routing engine; tests drive them, not reachable over HTTP) ----

  /** The agent logs in to the Contact Control Panel, in the named status (default: the routable Available). */
  logIn(instanceId: string, userId: string, statusName = 'Available'): void {
    const inst = this.instance(instanceId);
    const user = this.userIn(inst, userId);
    const status = [...inst.agentStatuses.values()].find((s) => s.name === statusName);
    if (!status) throw new Error(`Connect instance ${instanceId} has no agent status named ${statusName}`);
    user.presence = { statusId: status.id, statusStart: this.now(), contacts: [] };
  }

  /** Routes a new contact to the agent, as Connect's routing would: only to a logged-in agent in a routable status, with no next status set and a free slot on the channel. */
  routeContact(instanceId: string, userId: string, input: { channel?: Channel; contactId?: string } = {}): string {
    const inst = this.instance(instanceId);
    const user = this.userIn(inst, userId);
    const channel = input.channel ?? 'VOICE';
    const why = this.notRoutable(inst, user, channel);
    if (why) throw new Error(`no contact can reach Connect agent ${user.username}: ${why}`);
    const contactId = input.contactId ?? this.newId();
    const at = this.now();
    user.presence!.contacts.push({ contactId, channel, initiationMethod: 'INBOUND', state: 'CONNECTED', stateStart: at, connectedAt: at });
    return contactId;
  }

  /** Why no new contact on the channel can reach the agent, or undefined when one can. */
  private notRoutable(inst: InstanceState, user: UserRecord, channel: Channel): string | undefined {
    const presence = user.presence;
    if (!presence) return 'not logged in';
    const status = inst.agentStatuses.get(presence.statusId);
    if (status?.type !== 'ROUTABLE') return `in status ${status?.name ?? presence.statusId}`;
    if (presence.nextStatusId) return `next status ${inst.agentStatuses.get(presence.nextStatusId)?.name ?? presence.nextStatusId} set`;
    const max = this.maxSlots(inst, user)[channel] ?? 0;
    const active = presence.contacts.filter((c) => c.channel === channel).length;
    return active < max ? undefined : `no free ${channel} slot`;
  }

  /** Whether Connect would route a new contact on the channel to the agent now (tests read it). */
  canRoute(instanceId: string, userId: string, channel: Channel = 'VOICE'): boolean {
    const inst = this.instance(instanceId);
    return this.notRoutable(inst, this.userIn(inst, userId), channel) === undefined;
  }

  /** The customer hangs up: the contact is ENDED and the agent is in after-contact work until it is cleared. */
  endContact(instanceId: string, contactId: string): void {
    const { contact } = this.contactIn(this.instance(instanceId), contactId);
    contact.state = 'ENDED';
    contact.stateStart = this.now();
  }

  /** The agent clears the contact (after-contact work done); with none left, a next status set meanwhile takes effect. */
  clearContact(instanceId: string, contactId: string): void {
    const { user } = this.contactIn(this.instance(instanceId), contactId);
    const presence = user.presence!;
    presence.contacts = presence.contacts.filter((c) => c.contactId !== contactId);
    if (presence.contacts.length === 0 && presence.nextStatusId) {
      presence.statusId = presence.nextStatusId;
      presence.statusStart = this.now();
      presence.nextStatusId = undefined;
    }
  }

  addSecurityProfile(instanceId: string, input: { id?: string; name: string; description?: string }): SecurityProfileRecord {
    const inst = this.instance(instanceId);
    const record: SecurityProfileRecord = { id: input.id ?? this.newId(), name: input.name, description: input.description ?? input.name, lastModifiedTime: this.now() };
    inst.securityProfiles.set(record.id, record);
    return structuredClone(record);
  }

  addHierarchyGroup(instanceId: string, input: { id?: string; name: string; parentId?: string }): HierarchyGroupRecord {
    const inst = this.instance(instanceId);
    const parent = input.parentId ? inst.hierarchyGroups.get(input.parentId) : undefined;
    if (input.parentId && !parent) throw new Error(`hierarchy group ${input.parentId} does not exist in ${instanceId}`);
    const level = parent ? parent.level + 1 : 1;
    if (level > 5) throw new Error('Connect allows five hierarchy levels');
    while (inst.hierarchyLevelIds.length < level) inst.hierarchyLevelIds.push(this.newId());
    const record: HierarchyGroupRecord = { id: input.id ?? this.newId(), name: input.name, parentId: parent?.id, level, lastModifiedTime: this.now() };
    inst.hierarchyGroups.set(record.id, record);
    return structuredClone(record);
  }

  // ---- reads for tests: the stored state, not the wire shape ----

  user(instanceId: string, userId: string): UserRecord | undefined {
    const user = this.instances.get(instanceId)?.users.get(userId);
    return user && structuredClone(user);
  }

  userByUsername(instanceId: string, username: string): UserRecord | undefined {
    const user = [...(this.instances.get(instanceId)?.users.values() ?? [])].find((u) => u.username === username);
    return user && structuredClone(user);
  }

  // ---- the emulated operations; each throws ConnectApiError as the service would answer ----

  createUser(instanceId: string, body: CreateUserBody, options: { id?: string } = {}): { UserId: string; UserArn: string } {
    const inst = this.instance(instanceId);
    this.checkUsername(inst, body.Username);
    if (inst.identityManagementType === 'CONNECT_MANAGED') {
      if (!body.Password) fail('InvalidRequestException', 'Required parameter missing: Password');
      if (!/^(?=.*[a-z])(?=.*[A-Z])(?=.*\d).{8,64}$/.test(body.Password)) {
        fail('InvalidParameterException', 'Password must be 8-64 characters with an uppercase letter, a lowercase letter and a number.');
      }
    } else if (body.Password !== undefined) {
      fail('InvalidRequestException', `Password is not allowed for an instance using ${inst.identityManagementType} identity management.`);
    }
    if (inst.identityManagementType === 'SAML' && body.DirectoryUserId !== undefined) {
      fail('InvalidRequestException', 'DirectoryUserId is not allowed for an instance using SAML identity management.');
    }
    this.checkRoutingProfile(inst, body.RoutingProfileId);
    const securityProfileIds = this.checkSecurityProfiles(inst, body.SecurityProfileIds);
    if (body.HierarchyGroupId !== undefined) this.checkHierarchyGroup(inst, body.HierarchyGroupId);
    const phoneConfig = this.checkPhoneConfig({ ...DEFAULT_PHONE_CONFIG, ...body.PhoneConfig });
    if ([...inst.users.values()].some((u) => u.username === body.Username)) {
      fail('DuplicateResourceException', `User with username ${body.Username} already exists.`);
    }
    const id = options.id ?? this.newId();
    inst.users.set(id, {
      id,
      username: body.Username,
      identityInfo: body.IdentityInfo,
      phoneConfig,
      directoryUserId: body.DirectoryUserId,
      securityProfileIds,
      routingProfileId: body.RoutingProfileId,
      hierarchyGroupId: body.HierarchyGroupId,
      tags: body.Tags ?? {},
      lastModifiedTime: this.now(),
    });
    return { UserId: id, UserArn: this.arn(inst, 'agent', id) };
  }

  /** TagResource on an agent: tags are merged; `aws:` keys are Amazon's own and refused, as the service does. */
  tagResource(resourceArn: string, tags: Record<string, string>): void {
    const m = /^arn:aws:connect:[^:]+:\d{12}:instance\/([^/]+)\/agent\/([^/]+)$/.exec(resourceArn);
    if (!m) fail('InvalidParameterException', `The resource ARN is not valid: ${resourceArn}`);
    const inst = this.instance(m[1]);
    const user = this.userIn(inst, m[2]);
    const keys = Object.keys(tags);
    if (keys.length === 0) fail('InvalidParameterException', 'tags must have at least 1 entry');
    if (keys.some((k) => k.toLowerCase().startsWith('aws:'))) fail('InvalidParameterException', 'Tag keys starting with aws: are reserved.');
    if (Object.keys({ ...user.tags, ...tags }).length > 50) fail('InvalidParameterException', 'A resource can have at most 50 tags.');
    user.tags = { ...user.tags, ...tags };
    user.lastModifiedTime = this.now();
  }

  describeUser(instanceId: string, userId: string) {
    const inst = this.instance(instanceId);
    return { User: this.userWire(inst, this.userIn(inst, userId)) };
  }

  deleteUser(instanceId: string, userId: string): void {
    const inst = this.instance(instanceId);
    this.userIn(inst, userId);
    inst.users.delete(userId);
  }

  listUsers(instanceId: string, page: PageRequest) {
    const inst = this.instance(instanceId);
    const out = paginate([...inst.users.values()], (u) => u.username, page, MAX_RESULTS.list);
    return {
      UserSummaryList: out.page.map((u) => ({
        Id: u.id,
        Arn: this.arn(inst, 'agent', u.id),
        Username: u.username,
        LastModifiedTime: seconds(u.lastModifiedTime),
        LastModifiedRegion: this.region,
      })),
      NextToken: out.nextToken,
    };
  }

  searchUsers(body: SearchUsersBody) {
    const inst = this.instance(body.InstanceId);
    const matches = [...inst.users.values()].filter((u) => !body.SearchCriteria || this.matches(inst, u, body.SearchCriteria));
    const out = paginate(matches, (u) => u.username, { nextToken: body.NextToken, maxResults: body.MaxResults }, MAX_RESULTS.search);
    return {
      Users: out.page.map((u) => ({
        Arn: this.arn(inst, 'agent', u.id),
        DirectoryUserId: u.directoryUserId,
        HierarchyGroupId: u.hierarchyGroupId,
        Id: u.id,
        IdentityInfo: u.identityInfo && { FirstName: u.identityInfo.FirstName, LastName: u.identityInfo.LastName },
        PhoneConfig: { ...u.phoneConfig },
        RoutingProfileId: u.routingProfileId,
        SecurityProfileIds: [...u.securityProfileIds],
        Tags: { ...u.tags },
        Username: u.username,
      })),
      NextToken: out.nextToken,
      ApproximateTotalCount: matches.length,
    };
  }

  updateUserRoutingProfile(instanceId: string, userId: string, routingProfileId: string): void {
    const inst = this.instance(instanceId);
    const user = this.userIn(inst, userId);
    this.checkRoutingProfile(inst, routingProfileId);
    user.routingProfileId = routingProfileId;
    user.lastModifiedTime = this.now();
  }

  updateUserSecurityProfiles(instanceId: string, userId: string, securityProfileIds: string[]): void {
    const inst = this.instance(instanceId);
    const user = this.userIn(inst, userId);
    user.securityProfileIds = this.checkSecurityProfiles(inst, securityProfileIds);
    user.lastModifiedTime = this.now();
  }

  updateUserHierarchy(instanceId: string, userId: string, hierarchyGroupId: string | undefined): void {
    const inst = this.instance(instanceId);
    const user = this.userIn(inst, userId);
    if (hierarchyGroupId !== undefined) this.checkHierarchyGroup(inst, hierarchyGroupId);
    user.hierarchyGroupId = hierarchyGroupId;
    user.lastModifiedTime = this.now();
  }

  /** Members left out keep their value; a PhoneType change to DESK_PHONE needs a number. */
  updateUserPhoneConfig(instanceId: string, userId: string, phoneConfig: PhoneConfig): void {
    const inst = this.instance(instanceId);
    const user = this.userIn(inst, userId);
    user.phoneConfig = this.checkPhoneConfig({ ...user.phoneConfig, ...phoneConfig });
    user.lastModifiedTime = this.now();
  }

  /** The identity info is replaced as a whole. */
  updateUserIdentityInfo(instanceId: string, userId: string, identityInfo: IdentityInfo): void {
    const inst = this.instance(instanceId);
    const user = this.userIn(inst, userId);
    user.identityInfo = { ...identityInfo };
    user.lastModifiedTime = this.now();
  }

  /** ListAgentStatuses: the instance's agent statuses, optionally of the given types only. */
  listAgentStatuses(instanceId: string, page: PageRequest, types: string[] = []) {
    const inst = this.instance(instanceId);
    const bad = types.find((t) => !['ROUTABLE', 'CUSTOM', 'OFFLINE'].includes(t));
    if (bad !== undefined) {
      fail('InvalidParameterException', `1 validation error detected: Value '[${bad}]' at 'agentStatusTypes' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [ROUTABLE, CUSTOM, OFFLINE]]`);
    }
    const wanted = [...inst.agentStatuses.values()].filter((s) => types.length === 0 || types.includes(s.type));
    const out = paginate(wanted, nameKey, page, MAX_RESULTS.list);
    return {
      AgentStatusSummaryList: out.page.map((s) => ({ Id: s.id, Arn: this.arn(inst, 'agent-state', s.id), Name: s.name, Type: s.type, LastModifiedTime: seconds(s.lastModifiedTime), LastModifiedRegion: this.region })),
      NextToken: out.nextToken,
    };
  }

  /**
   * PutUserStatus. An agent handling a contact (one still in their list, after-contact work included) keeps their
   * status and gets it as their next status, which takes effect once their last contact is cleared; setting the
   * status they are in clears a next status. An agent not logged in has no status to change: accepted, nothing
   * changes (not verified against a live instance).
   */
  putUserStatus(instanceId: string, userId: string, agentStatusId: string): void {
    const inst = this.instance(instanceId);
    const user = this.userIn(inst, userId);
    const status = inst.agentStatuses.get(agentStatusId) ?? fail('ResourceNotFoundException', `AgentStatus not found: ${agentStatusId}`);
    const presence = user.presence;
    if (!presence) return;
    if (presence.contacts.length > 0) {
      presence.nextStatusId = status.id === presence.statusId ? undefined : status.id;
      return;
    }
    if (presence.statusId !== status.id) {
      presence.statusId = status.id;
      presence.statusStart = this.now();
    }
    presence.nextStatusId = undefined;
  }

  /**
   * GetCurrentUserData: the real-time data of the logged-in agents the one filter names (agents or routing profiles).
   * An agent id that names no user, like one not logged in, is simply not in the list (not verified against a live instance).
   */
  getCurrentUserData(instanceId: string, body: GetCurrentUserDataBody) {
    const inst = this.instance(instanceId);
    const { Agents, Queues, RoutingProfiles, UserHierarchyGroups, ContactFilter } = body.Filters;
    const given = [Agents, Queues, RoutingProfiles, UserHierarchyGroups].filter((f) => f !== undefined).length;
    if (given !== 1) fail('InvalidParameterException', 'Exactly one filter must be passed from queues, routing profiles, agents, and user hierarchy groups.');
    if (Queues || UserHierarchyGroups) fail('InvalidParameterException', 'Queue and user hierarchy group filters are not supported by this emulator.');
    const last = (idOrArn: string) => idOrArn.split('/').pop() ?? idOrArn;
    const agents = Agents?.map(last);
    const profiles = RoutingProfiles?.map(last);
    const states = ContactFilter?.ContactStates;
    const matches = [...inst.users.values()].filter(
      (u) =>
        u.presence !== undefined &&
        (!agents || agents.includes(u.id)) &&
        (!profiles || profiles.includes(u.routingProfileId)) &&
        (!states?.length || u.presence.contacts.some((c) => states.includes(c.state))),
    );
    const out = paginate(matches, (u) => u.id, { nextToken: body.NextToken, maxResults: body.MaxResults }, MAX_RESULTS.userData);
    return { UserDataList: out.page.map((u) => this.userDataWire(inst, u)), NextToken: out.nextToken, ApproximateTotalCount: matches.length };
  }

  describeInstance(instanceId: string) {
    const inst = this.instance(instanceId);
    return {
      Instance: {
        Id: inst.id,
        Arn: `arn:aws:connect:${this.region}:${this.accountId}:instance/${inst.id}`,
        IdentityManagementType: inst.identityManagementType,
        InstanceAlias: inst.alias,
        ServiceRole: `arn:aws:iam::${this.accountId}:role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect_${inst.id.slice(0, 8)}`,
        InstanceStatus: 'ACTIVE',
        InboundCallsEnabled: true,
        OutboundCallsEnabled: true,
        InstanceAccessUrl: `https://${inst.alias}.my.connect.aws`,
        Tags: {},
      },
    };
  }

  listRoutingProfiles(instanceId: string, page: PageRequest) {
    const inst = this.instance(instanceId);
    const out = paginate([...inst.routingProfiles.values()], nameKey, page, MAX_RESULTS.list);
    return { RoutingProfileSummaryList: out.page.map((p) => this.summary(inst, 'routing-profile', p)), NextToken: out.nextToken };
  }

  listQueues(instanceId: string, page: PageRequest, queueTypes: string[] = []) {
    const inst = this.instance(instanceId);
    const bad = queueTypes.find((t) => t !== 'STANDARD' && t !== 'AGENT');
    if (bad) fail('InvalidParameterException', `1 validation error detected: Value '[${bad}]' at 'queueTypes' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [AGENT, STANDARD]]`);
    const queues = [...inst.queues.values()].filter((q) => !queueTypes.length || queueTypes.includes(q.queueType));
    const out = paginate(queues, nameKey, page, MAX_RESULTS.list);
    return {
      QueueSummaryList: out.page.map((q) => ({ Id: q.id, Arn: this.queueArn(inst, q.id), Name: q.name, QueueType: q.queueType, LastModifiedTime: seconds(q.lastModifiedTime), LastModifiedRegion: this.region })),
      NextToken: out.nextToken,
    };
  }

  listRoutingProfileQueues(instanceId: string, routingProfileId: string, page: PageRequest) {
    const inst = this.instance(instanceId);
    const p = inst.routingProfiles.get(routingProfileId) ?? fail('ResourceNotFoundException', `RoutingProfile not found: ${routingProfileId}`);
    const configs = (p.queueConfigs ?? []).map((c) => ({ ...c, name: inst.queues.get(c.queueId)?.name ?? c.queueId }));
    const out = paginate(configs, (c) => `${c.name}\u0000${c.queueId}\u0000${c.channel}`, page, MAX_RESULTS.search);
    return {
      RoutingProfileQueueConfigSummaryList: out.page.map((c) => ({ QueueId: c.queueId, QueueArn: this.queueArn(inst, c.queueId), QueueName: c.name, Priority: c.priority, Delay: c.delay, Channel: c.channel })),
      NextToken: out.nextToken,
      LastModifiedTime: seconds(p.lastModifiedTime),
      LastModifiedRegion: this.region,
    };
  }

  describeRoutingProfile(instanceId: string, routingProfileId: string) {
    const inst = this.instance(instanceId);
    const p = inst.routingProfiles.get(routingProfileId) ?? fail('ResourceNotFoundException', `RoutingProfile not found: ${routingProfileId}`);
    return {
      RoutingProfile: {
        InstanceId: inst.id,
        Name: p.name,
        RoutingProfileArn: this.arn(inst, 'routing-profile', p.id),
        RoutingProfileId: p.id,
        Description: p.description,
        MediaConcurrencies: p.mediaConcurrencies.map((m) => ({ ...m, CrossChannelBehavior: { BehaviorType: 'ROUTE_CURRENT_CHANNEL_ONLY' } })),
        DefaultOutboundQueueId: p.defaultOutboundQueueId,
        Tags: {},
        NumberOfAssociatedQueues: new Set((p.queueConfigs ?? []).map((c) => c.queueId)).size,
        NumberOfAssociatedUsers: [...inst.users.values()].filter((u) => u.routingProfileId === p.id).length,
        AgentAvailabilityTimer: 'TIME_SINCE_LAST_ACTIVITY',
        LastModifiedTime: seconds(p.lastModifiedTime),
        LastModifiedRegion: this.region,
        IsDefault: p.isDefault,
      },
    };
  }

  listSecurityProfiles(instanceId: string, page: PageRequest) {
    const inst = this.instance(instanceId);
    const out = paginate([...inst.securityProfiles.values()], nameKey, page, MAX_RESULTS.list);
    return { SecurityProfileSummaryList: out.page.map((p) => this.summary(inst, 'security-profile', p)), NextToken: out.nextToken };
  }

  listUserHierarchyGroups(instanceId: string, page: PageRequest) {
    const inst = this.instance(instanceId);
    const out = paginate([...inst.hierarchyGroups.values()], nameKey, page, MAX_RESULTS.list);
    return { UserHierarchyGroupSummaryList: out.page.map((g) => this.summary(inst, 'agent-group', g)), NextToken: out.nextToken };
  }

  describeUserHierarchyGroup(instanceId: string, groupId: string) {
    const inst = this.instance(instanceId);
    const group = inst.hierarchyGroups.get(groupId) ?? fail('ResourceNotFoundException', `HierarchyGroup not found: ${groupId}`);
    const path: HierarchyGroupRecord[] = [];
    for (let g: HierarchyGroupRecord | undefined = group; g; g = g.parentId ? inst.hierarchyGroups.get(g.parentId) : undefined) path.unshift(g);
    const levels = ['LevelOne', 'LevelTwo', 'LevelThree', 'LevelFour', 'LevelFive'];
    return {
      HierarchyGroup: {
        ...this.summary(inst, 'agent-group', group),
        LevelId: inst.hierarchyLevelIds[group.level - 1],
        HierarchyPath: Object.fromEntries(path.map((g) => [levels[g.level - 1], this.summary(inst, 'agent-group', g)])),
        Tags: {},
      },
    };
  }

  // ---- persistence ----

  toJSON(): ConnectEmulatorState {
    return {
      version: 1,
      instances: [...this.instances.values()].map(
        (inst): InstanceRecord =>
          structuredClone({
            id: inst.id,
            alias: inst.alias,
            identityManagementType: inst.identityManagementType,
            hierarchyLevelIds: inst.hierarchyLevelIds,
            users: [...inst.users.values()],
            routingProfiles: [...inst.routingProfiles.values()],
            securityProfiles: [...inst.securityProfiles.values()],
            hierarchyGroups: [...inst.hierarchyGroups.values()],
            agentStatuses: [...inst.agentStatuses.values()],
            queues: [...inst.queues.values()],
          }),
      ),
    };
  }

  /** Rebuilds an emulator from `toJSON()` output; the state is validated, since it comes off disk. */
  static fromJSON(state: unknown, options: ConnectEmulatorOptions = {}): ConnectEmulator {
    const parsed = connectEmulatorStateSchema.safeParse(state);
    if (!parsed.success) {
      throw new Error(`Connect emulator state is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    }
    const emulator = new ConnectEmulator(options);
    for (const inst of parsed.data.instances) {
      emulator.instances.set(inst.id, {
        id: inst.id,
        alias: inst.alias,
        identityManagementType: inst.identityManagementType,
        hierarchyLevelIds: [...inst.hierarchyLevelIds],
        users: byId(inst.users),
        routingProfiles: byId(inst.routingProfiles),
        securityProfiles: byId(inst.securityProfiles),
        hierarchyGroups: byId(inst.hierarchyGroups),
        agentStatuses: inst.agentStatuses ? byId(inst.agentStatuses) : emulator.defaultAgentStatuses(),
        queues: byId(inst.queues ?? []),
      });
    }
    return emulator;
  }

  // ---- internals ----

  private instance(instanceIdOrArn: string): InstanceState {
    // The API takes an instance ARN where it takes an id.
    const id = instanceIdOrArn.startsWith('arn:') ? (instanceIdOrArn.split('instance/')[1] ?? '') : instanceIdOrArn;
    return this.instances.get(id) ?? fail('ResourceNotFoundException', `Instance not found: ${instanceIdOrArn}`);
  }

  private defaultAgentStatuses(ids: { available?: string; offline?: string } = {}): Map<string, AgentStatusRecord> {
    const [available, offline] = DEFAULT_AGENT_STATUSES;
    return byId([
      { ...available, id: ids.available ?? this.newId(), lastModifiedTime: this.now() },
      { ...offline, id: ids.offline ?? this.newId(), lastModifiedTime: this.now() },
    ]);
  }

  private contactIn(inst: InstanceState, contactId: string): { user: UserRecord; contact: AgentContactRecord } {
    for (const user of inst.users.values()) {
      const contact = user.presence?.contacts.find((c) => c.contactId === contactId);
      if (contact) return { user, contact };
    }
    throw new Error(`no agent of instance ${inst.id} holds contact ${contactId}`);
  }

  private maxSlots(inst: InstanceState, user: UserRecord): Partial<Record<Channel, number>> {
    const profile = inst.routingProfiles.get(user.routingProfileId);
    return Object.fromEntries((profile?.mediaConcurrencies ?? []).map((m) => [m.Channel, m.Concurrency]));
  }

  private userDataWire(inst: InstanceState, u: UserRecord) {
    const presence = u.presence!;
    const status = inst.agentStatuses.get(presence.statusId);
    const max = this.maxSlots(inst, u);
    const active = Object.fromEntries(Object.keys(max).map((ch) => [ch, presence.contacts.filter((c) => c.channel === ch).length]));
    const routable = status?.type === 'ROUTABLE' && !presence.nextStatusId;
    return {
      User: { Id: u.id, Arn: this.arn(inst, 'agent', u.id) },
      RoutingProfile: { Id: u.routingProfileId, Arn: this.arn(inst, 'routing-profile', u.routingProfileId) },
      HierarchyPath: {},
      Status: { StatusStartTimestamp: seconds(presence.statusStart), StatusArn: this.arn(inst, 'agent-state', presence.statusId), StatusName: status?.name },
      AvailableSlotsByChannel: Object.fromEntries(Object.entries(max).map(([ch, n]) => [ch, routable ? Math.max(0, (n ?? 0) - (active[ch] ?? 0)) : 0])),
      MaxSlotsByChannel: max,
      ActiveSlotsByChannel: active,
      Contacts: presence.contacts.map((c) => ({
        ContactId: c.contactId,
        Channel: c.channel,
        InitiationMethod: c.initiationMethod,
        AgentContactState: c.state,
        StateStartTimestamp: seconds(c.stateStart),
        ...(c.connectedAt !== undefined ? { ConnectedToAgentTimestamp: seconds(c.connectedAt) } : {}),
      })),
      ...(presence.nextStatusId ? { NextStatus: inst.agentStatuses.get(presence.nextStatusId)?.name } : {}),
    };
  }

  private userIn(inst: InstanceState, userId: string): UserRecord {
    return inst.users.get(userId) ?? fail('ResourceNotFoundException', `User not found for id: ${userId}`);
  }

  private checkUsername(inst: InstanceState, username: string): void {
    if (!USERNAME_PATTERN.test(username)) {
      fail('InvalidParameterException', `1 validation error detected: Value at 'username' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9\\_\\-\\.\\@]+`);
    }
    if (inst.identityManagementType !== 'SAML' && username.length > NON_SAML_USERNAME_MAX) {
      fail('InvalidParameterException', `Username must be at most ${NON_SAML_USERNAME_MAX} characters for an instance using ${inst.identityManagementType} identity management.`);
    }
  }

  private checkRoutingProfile(inst: InstanceState, id: string): void {
    if (!inst.routingProfiles.has(id)) fail(MISSING_REFERENCE_ERROR, `RoutingProfile not found: ${id}`);
  }

  private checkSecurityProfiles(inst: InstanceState, ids: string[]): string[] {
    if (ids.length < 1 || ids.length > 10) fail('InvalidParameterException', 'SecurityProfileIds must name between 1 and 10 security profiles.');
    const missing = ids.filter((id) => !inst.securityProfiles.has(id));
    if (missing.length > 0) fail(MISSING_REFERENCE_ERROR, `SecurityProfile not found: ${missing.join(', ')}`);
    return [...new Set(ids)];
  }

  private checkHierarchyGroup(inst: InstanceState, id: string): void {
    if (!inst.hierarchyGroups.has(id)) fail(MISSING_REFERENCE_ERROR, `HierarchyGroup not found: ${id}`);
  }

  private checkPhoneConfig(config: PhoneConfig): PhoneConfig {
    if (config.PhoneType === 'DESK_PHONE' && !config.DeskPhoneNumber) {
      fail('InvalidParameterException', 'DeskPhoneNumber is required when PhoneType is DESK_PHONE.');
    }
    // A soft phone has no desk number; Connect drops it rather than keeping a stale one.
    return config.PhoneType === 'SOFT_PHONE' ? { ...config, DeskPhoneNumber: undefined } : config;
  }

  private matches(inst: InstanceState, user: UserRecord, criteria: UserSearchCriteria): boolean {
    if (criteria.ListCondition !== undefined) fail('InvalidParameterException', 'ListCondition is not supported by this emulator.');
    const checks: boolean[] = [];
    if (criteria.AndConditions) checks.push(criteria.AndConditions.every((c) => this.matches(inst, user, c)));
    if (criteria.OrConditions) checks.push(criteria.OrConditions.some((c) => this.matches(inst, user, c)));
    if (criteria.StringCondition) {
      const { FieldName = '', Value = '', ComparisonType = 'EXACT' } = criteria.StringCondition;
      const candidates = this.searchField(user, FieldName);
      checks.push(
        candidates.some((v) =>
          ComparisonType === 'EXACT' ? v === Value : ComparisonType === 'STARTS_WITH' ? v.toLowerCase().startsWith(Value.toLowerCase()) : v.toLowerCase().includes(Value.toLowerCase()),
        ),
      );
    }
    if (criteria.HierarchyGroupCondition) {
      const { Value = '', HierarchyGroupMatchType = 'EXACT' } = criteria.HierarchyGroupCondition;
      let group = user.hierarchyGroupId ? inst.hierarchyGroups.get(user.hierarchyGroupId) : undefined;
      let hit = group?.id === Value;
      while (!hit && HierarchyGroupMatchType === 'WITH_CHILD_GROUPS' && group?.parentId) {
        group = inst.hierarchyGroups.get(group.parentId);
        hit = group?.id === Value;
      }
      checks.push(hit);
    }
    return checks.every(Boolean);
  }

  private searchField(user: UserRecord, fieldName: string): string[] {
    switch (fieldName.toLowerCase()) {
      case 'username':
        return [user.username];
      case 'firstname':
        return user.identityInfo?.FirstName ? [user.identityInfo.FirstName] : [];
      case 'lastname':
        return user.identityInfo?.LastName ? [user.identityInfo.LastName] : [];
      case 'routingprofileid':
        return [user.routingProfileId];
      case 'securityprofileid':
        return user.securityProfileIds;
      case 'resourceid':
        return [user.id];
      default:
        return fail('InvalidParameterException', `FieldName ${fieldName} is not supported for SearchUsers.`);
    }
  }

  private queueArn(inst: InstanceState, id: string): string {
    return `arn:aws:connect:${this.region}:${this.accountId}:instance/${inst.id}/queue/${id}`;
  }

  private arn(inst: InstanceState, kind: 'agent' | 'routing-profile' | 'security-profile' | 'agent-group' | 'agent-state', id: string): string {
    return `arn:aws:connect:${this.region}:${this.accountId}:instance/${inst.id}/${kind}/${id}`;
  }

  private summary(inst: InstanceState, kind: 'routing-profile' | 'security-profile' | 'agent-group', item: { id: string; name: string; lastModifiedTime: number }) {
    return { Id: item.id, Arn: this.arn(inst, kind, item.id), Name: item.name, LastModifiedTime: seconds(item.lastModifiedTime), LastModifiedRegion: this.region };
  }

  private userWire(inst: InstanceState, u: UserRecord) {
    return {
      Id: u.id,
      Arn: this.arn(inst, 'agent', u.id),
      Username: u.username,
      IdentityInfo: u.identityInfo && { ...u.identityInfo },
      PhoneConfig: { ...u.phoneConfig },
      DirectoryUserId: u.directoryUserId,
      SecurityProfileIds: [...u.securityProfileIds],
      RoutingProfileId: u.routingProfileId,
      HierarchyGroupId: u.hierarchyGroupId,
      Tags: { ...u.tags },
      LastModifiedTime: seconds(u.lastModifiedTime),
      LastModifiedRegion: this.region,
    };
  }
}
