/** The emulated Workspace tenant as plain JSON (so it saves to disk as is) and the lookups every API module shares. */
import { createHash } from 'node:crypto';
import { fail } from './errors';

export interface UserRecord {
  id: string;
  primaryEmail: string;
  aliases: string[];
  name: { givenName: string; familyName: string };
  /** Only a SHA-256 of the password is kept: the API never returns it and neither may a saved state file. */
  passwordSha256?: string;
  suspended: boolean;
  suspensionReason?: string;
  archived: boolean;
  orgUnitPath: string;
  isAdmin: boolean;
  /** Holds an admin role short of super admin; optional so tenants saved before it load as false. */
  isDelegatedAdmin?: boolean;
  includeInGlobalAddressList: boolean;
  isEnrolledIn2Sv: boolean;
  isEnforcedIn2Sv: boolean;
  changePasswordAtNextLogin: boolean;
  customSchemas?: Record<string, Record<string, unknown>>;
  /** Writable fields the emulator stores as given (relations, organizations, phones, recoveryEmail, ...). */
  extra: Record<string, unknown>;
  creationTime: string;
  lastLoginTime?: string;
  /** Set by users.signOut; not a Google field, so the user resource shows it under this emulator-only name. */
  lastSignOutAt?: string;
  /**
   * Directory only: until this instant (ms since the epoch) Google is still making the account created by users.insert
   * and refuses writes that name it ("User creation is not complete"). Absent on seeded and older users: complete.
   */
  creationCompletesAt?: number;
}

/**
 * A Calendar event the user organizes, with what a Data Transfer of Calendar looks at: when it is, whether it is
 * private, whether anyone else (a guest or a room) is on it, and which calendar holds it.
 */
export interface CalendarEventRecord {
  id: string;
  organizerId: string;
  /** 'primary' is the user's own calendar; 'secondary' a calendar the user made besides it. */
  calendar: 'primary' | 'secondary';
  /** ISO instant the event starts. */
  start: string;
  /** visibility "private". */
  private: boolean;
  /** Guests other than the organizer, and resources (rooms) booked. */
  guests: number;
  resources: number;
  /** Users of the tenant among the guests (by id): the event is on their primary calendars too, as an invitation. */
  guestIds?: string[];
}

/** A user the Directory API deleted: kept 20 days for users.undelete, then gone for good. */
export interface DeletedUserRecord extends UserRecord {
  deletionTime: string;
  /** The licenses the user held when deleted: users.undelete needs a free seat of each (Admin console help 1397578). */
  licenses?: { productId: string; skuId: string }[];
}

/** A Drive file in the owner's My Drive; a Data Transfer hands it to the new owner. */
export interface DriveFileRecord {
  id: string;
  name: string;
  mimeType: string;
  ownerId: string;
  /** Shared with others (moved with PRIVACY_LEVEL SHARED) or private to the owner (PRIVATE). */
  shared: boolean;
  trashed: boolean;
  createdTime: string;
}

/** A member of a shared drive: its id is the user's permission id (Drive uses the account's id), role organizer = Manager. */
export interface SharedDrivePermissionRecord {
  id: string;
  type: 'user' | 'group';
  emailAddress: string;
  role: 'organizer' | 'fileOrganizer' | 'writer' | 'commenter' | 'reader';
}

/** A shared drive of the domain and its members. */
export interface SharedDriveRecord {
  id: string;
  name: string;
  createdTime: string;
  hidden: boolean;
  permissions: SharedDrivePermissionRecord[];
}

export interface OrgUnitRecord {
  id: string;
  path: string;
  name: string;
  description?: string;
  parentPath?: string;
}

export interface GroupRecord {
  id: string;
  email: string;
  name: string;
  description: string;
  aliases: string[];
}

export type MemberRole = 'OWNER' | 'MANAGER' | 'MEMBER';

export interface MemberRecord {
  groupId: string;
  /** The member's user or group id (a generated id for an external address). */
  id: string;
  email: string;
  role: MemberRole;
  type: 'USER' | 'GROUP' | 'EXTERNAL';
}

export interface TokenRecord {
  userId: string;
  clientId: string;
  displayText: string;
  scopes: string[];
  anonymous: boolean;
  nativeApp: boolean;
}

export interface AspRecord {
  userId: string;
  codeId: number;
  name: string;
  creationTime: number;
  lastTimeUsed: number;
}

export interface VerificationCodeRecord {
  userId: string;
  code: string;
}

export interface DeviceRecord {
  resourceId: string;
  deviceId: string;
  emails: string[];
  names: string[];
  model: string;
  os: string;
  type: string;
  status: string;
  firstSync: string;
  lastSync: string;
}

export interface SkuRecord {
  productId: string;
  skuId: string;
  productName: string;
  skuName: string;
  seats: number;
}

export interface LicenseRecord {
  productId: string;
  skuId: string;
  /** Keyed by user id so a renamed user keeps the license, as in Workspace. */
  userId: string;
}

export type TransferStatus = 'new' | 'inProgress' | 'completed' | 'failed';

export interface TransferRecord {
  id: string;
  oldOwnerUserId: string;
  newOwnerUserId: string;
  applications: { applicationId: string; params: { key: string; value: string[] }[] }[];
  status: TransferStatus;
  requestTime: string;
  completesAt: number;
  /** What actually moved, for tests: a "completed" transfer may have moved nothing. */
  moved?: { driveFiles: number; privateDriveFiles: number; calendarEvents: number };
  /** The Calendar events the transfer left with the old owner, by why (past, private, solo, secondary). */
  calendarLeft?: { past: number; private: number; solo: number; secondary: number };
}

/** A Calendar access rule; its id is `<scope type>:<scope value>` (or `default`), as Google forms it. */
export interface CalendarAclRecord {
  id: string;
  role: 'none' | 'freeBusyReader' | 'reader' | 'writer' | 'owner';
  scope: { type: 'default' | 'user' | 'group' | 'domain'; value?: string };
}

/** A secondary (team) calendar and its access rules. */
export interface CalendarRecord {
  id: string;
  summary: string;
  acl: CalendarAclRecord[];
}

export interface GmailSettings {
  vacation: Record<string, unknown>;
  autoForwarding: Record<string, unknown>;
  delegates: { delegateEmail: string; verificationStatus: string }[];
  forwardingAddresses: { forwardingEmail: string; verificationStatus: string }[];
  /** POP access (settings/pop); optional so states saved before it load with Gmail's default (gmail-access.ts). */
  pop?: { accessWindow: string; disposition: string };
  /** IMAP access (settings/imap); optional, as pop. */
  imap?: { enabled: boolean; autoExpunge: boolean; expungeBehavior: string; maxFolderSize: number };
  /** Send-as addresses other than the primary one, which Gmail always lists and derives from the user; optional, as pop. */
  sendAs?: SendAsRecord[];
}

/** A custom "from" address of a mailbox (users.settings.sendAs). */
export interface SendAsRecord {
  sendAsEmail: string;
  displayName: string;
  replyToAddress: string;
  signature: string;
  isDefault: boolean;
  treatAsAlias: boolean;
  /** accepted, or pending until the address's owner follows the verification mail. */
  verificationStatus: string;
}

/** A message in a mailbox, as sent through messages.send: the RFC 822 text is kept as Gmail keeps it (raw). */
export interface MailMessageRecord {
  id: string;
  threadId: string;
  /** The mailbox (user id) that holds it. */
  userId: string;
  labelIds: string[];
  /** The message as stored, base64url. */
  raw: string;
  /** Milliseconds since the epoch, by the emulator's clock: when Gmail accepted it. */
  internalDate: number;
  historyId: string;
}

export interface EmulatorSettings {
  /** How long a data transfer takes to complete, in ms. */
  transferDelayMs: number;
  /** Reproduces the known trap: the transfer reports completed but moved no data. */
  transferMovesNothing: boolean;
  /** Before automatic licensing was per org unit: one SKU for the whole tenant. Read only to migrate a saved state. */
  autoLicense?: { productId: string; skuId: string };
  // ---- Gmail delegation limits (optional: states saved before them load with Google's limits, gmail.ts) ----
  /** How many delegates a mailbox may have, and of how many mailboxes a user may be delegate, through the API. */
  delegateLimits?: { delegatesPerMailbox: number; delegatorsPerUser: number };
  // ---- Directory: users.insert ----
  /**
   * How long after users.insert Google is still making the account (ms): writes naming it are refused meanwhile.
   * Absent or 0: complete at once (Google's delay is only sometimes there; tests switch it on).
   */
  creationDelayMs?: number;
  /**
   * Workspace's automatic licensing, as the Admin console's License settings hold it: per product, per org unit, on
   * (with the SKU a new user takes) or off; an org unit without a setting inherits its parent's.
   */
  autoLicensing?: AutoLicensingRecord[];
}

/** A domain alias of the primary domain (Directory domainAliases): its addresses are the tenant's own, as the primary's. */
export interface DomainAliasRecord {
  domainAliasName: string;
  parentDomainName: string;
  verified: boolean;
  /** Milliseconds since the epoch. */
  creationTime: number;
}

/** One org unit's automatic licensing setting for one product. */
export interface AutoLicensingRecord {
  productId: string;
  orgUnitPath: string;
  /** The SKU automatic licensing gives; absent: turned off for this org unit (and, by inheritance, those below it). */
  skuId?: string;
}

/** A Vault hold: on named accounts or on an org unit, for one corpus. */
export interface HoldRecord {
  holdId: string;
  name: string;
  corpus: string;
  /** By user id, with when each was put on hold. */
  accounts: { accountId: string; holdTime: string }[];
  orgUnit?: { orgUnitId: string; holdTime: string };
  updateTime: string;
}

/** A Vault matter and its holds. */
export interface MatterRecord {
  matterId: string;
  name: string;
  description?: string;
  state: 'OPEN' | 'CLOSED' | 'DELETED';
  holds: HoldRecord[];
}

export interface GoogleState {
  version: 1;
  domain: string;
  customerId: string;
  seq: number;
  users: UserRecord[];
  deletedUsers: DeletedUserRecord[];
  orgUnits: OrgUnitRecord[];
  groups: GroupRecord[];
  members: MemberRecord[];
  tokens: TokenRecord[];
  asps: AspRecord[];
  verificationCodes: VerificationCodeRecord[];
  devices: DeviceRecord[];
  skus: SkuRecord[];
  licenses: LicenseRecord[];
  transfers: TransferRecord[];
  files: DriveFileRecord[];
  /** Shared drives; optional so states saved before them load with none. */
  sharedDrives?: SharedDriveRecord[];
  calendars: CalendarRecord[];
  /** Calendar events users organize (what a Data Transfer of Calendar may move). */
  events: CalendarEventRecord[];
  gmail: Record<string, GmailSettings>;
  /** Mail sent through the Gmail API (each sender's SENT). */
  messages: MailMessageRecord[];
  settings: EmulatorSettings;
  /** Domain aliases of the primary domain; optional so states saved before them load with none. */
  domainAliases?: DomainAliasRecord[];
  /** Google Vault's matters; optional so states saved before Vault load with none. */
  matters?: MatterRecord[];
}

export function emptyState(domain: string, customerId = 'C03az79cb'): GoogleState {
  return {
    version: 1,
    domain,
    customerId,
    seq: 0,
    users: [],
    deletedUsers: [],
    orgUnits: [{ id: 'id:03ph8a2z0000root', path: '/', name: domain }],
    groups: [],
    members: [],
    tokens: [],
    asps: [],
    verificationCodes: [],
    devices: [],
    skus: [],
    licenses: [],
    transfers: [],
    files: [],
    sharedDrives: [],
    calendars: [],
    events: [],
    gmail: {},
    messages: [],
    settings: { transferDelayMs: 2000, transferMovesNothing: false },
    matters: [],
  };
}

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The tenant plus the lookups and id sources the API modules share. */
export class WorkspaceStore {
  constructor(
    public state: GoogleState,
    readonly now: () => number,
  ) {}

  isoNow(): string {
    return new Date(this.now()).toISOString();
  }

  /** A fresh sequence number; ids derive from it so a restored state keeps issuing unique ids. */
  next(): number {
    this.state.seq += 1;
    return this.state.seq;
  }

  /** Workspace user ids are 21-digit numbers. */
  newUserId(): string {
    return (100000000000000000000n + BigInt(this.next())).toString();
  }

  /** Group ids look like 03x8tuzt1zbbgjr: '0' and base-36. */
  newGroupId(): string {
    return `03x8tuzt${this.next().toString(36).padStart(7, '0')}`;
  }

  /** Google etags are quoted opaque strings that change when the resource changes. */
  etag(value: unknown): string {
    const hash = createHash('sha1').update(JSON.stringify(value)).digest('base64url').slice(0, 27);
    return `"${this.state.customerId}/${hash}"`;
  }

  findUser(key: string): UserRecord | undefined {
    const k = key.toLowerCase();
    return this.state.users.find((u) => u.id === key || u.primaryEmail === k || u.aliases.includes(k));
  }

  requireUser(key: string, param = 'userKey'): UserRecord {
    const user = this.findUser(key);
    if (!user) throw fail.notFound(param);
    return user;
  }

  findGroup(key: string): GroupRecord | undefined {
    const k = key.toLowerCase();
    return this.state.groups.find((g) => g.id === key || g.email === k || g.aliases.includes(k));
  }

  requireGroup(key: string): GroupRecord {
    const group = this.findGroup(key);
    if (!group) throw fail.notFound('groupKey');
    return group;
  }

  addressTaken(email: string): boolean {
    return Boolean(this.findUser(email) ?? this.findGroup(email));
  }

  /** True for the primary domain, its subdomains and its domain aliases: the addresses Workspace treats as its own. */
  inDomain(email: string): boolean {
    const domain = email.toLowerCase().split('@')[1] ?? '';
    if ((this.state.domainAliases ?? []).some((a) => a.domainAliasName === domain)) return true;
    return domain === this.state.domain || domain.endsWith(`.${this.state.domain}`);
  }

  /** The Admin SDK takes the customer's id or the my_customer alias; anything else is another tenant. */
  requireCustomer(customerId: string): void {
    if (customerId !== 'my_customer' && customerId !== this.state.customerId) throw fail.forbidden();
  }

  findOrgUnit(pathOrId: string): OrgUnitRecord | undefined {
    if (pathOrId.startsWith('id:')) return this.state.orgUnits.find((o) => o.id === pathOrId);
    const path = `/${pathOrId.replace(/^\/+/, '')}`.replace(/\/+$/, '') || '/';
    return this.state.orgUnits.find((o) => o.path.toLowerCase() === path.toLowerCase());
  }

  gmailOf(userId: string): GmailSettings {
    this.state.gmail[userId] ??= { vacation: { enableAutoReply: false }, autoForwarding: { enabled: false }, delegates: [], forwardingAddresses: [] };
    return this.state.gmail[userId];
  }
}
