/** The Google Workspace emulator: owns the tenant state, serves the API modules behind auth, faults and quota, and saves to disk. */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { FaultInjector } from '../faults';
import type { EmulatorRequest, EmulatorResponse, EmulatorRoute } from '../server';
import { GOOGLE_WORKSPACE_PRODUCT_ID, KNOWN_SKUS, SAMPLE_DOMAIN, SKU_BUSINESS_STARTER } from './catalog';
import { deviceRoutes } from './devices';
import { domainRoutes, insertDomainAlias } from './domains';
import { settleTransfers, transferRoutes } from './datatransfer';
import { addDriveFiles, driveCounts, driveRoutes } from './drive';
import { insertSharedDrive, sharedDriveRoutes } from './shared-drives';
import { googleErrorShape, invalidCredentials, loginRequired } from './errors';
import { addCalendarEvents, addInvitation, calendarEventCount, calendarRoutes, insertCalendar, type CalendarSeed } from './calendar';
import { GMAIL_DELEGATE_LIMITS, gmailRoutes, mailView, type MailView } from './gmail';
import { gmailAccessRoutes, imapOf, insertSendAs, popOf } from './gmail-access';
import { insertUserAlias, userAliasRoutes } from './user-aliases';
import { deleteGroup, groupRoutes, insertGroup, insertMember } from './groups';
import { isJson, type Json } from './http';
import { assignLicense, autoLicensingFor, licensingRoutes, seatsUsed } from './licensing';
import { customerRoutes } from './customers';
import { insertOrgUnit, orgUnitRoutes } from './orgunits';
import {
  emptyState,
  type DeletedUserRecord,
  type DeviceRecord,
  type GmailSettings,
  type GoogleState,
  type MemberRole,
  type TransferRecord,
  type UserRecord,
  WorkspaceStore,
} from './state';
import { generateVerificationCodes, securityRoutes } from './user-security';
import { insertUser, purgeDeletedUsers, userRoutes } from './users';
import { scopeRefusal } from './scopes';
import { vaultRoutes } from './vault';
import { DomainWideDelegation, type EmulatedServiceAccountKey } from './oauth-token';
import { ALL_GOOGLE_SCOPES } from '../../../lambdas/providers/google/google-scopes';

export interface GoogleEmulatorOptions {
  /** Primary domain of an empty tenant (ignored when a state is loaded). */
  domain?: string;
  /** Where the tenant lives on disk: loaded if present, saved after every change. */
  filePath?: string;
  now?: () => number;
}

export interface SeedUserInput {
  /** The last sign-in Google reports (users.get lastLoginTime); never when absent. */
  lastLoginTime?: string;
  email: string;
  givenName: string;
  familyName: string;
  password?: string;
  orgUnitPath?: string;
  suspended?: boolean;
  isAdmin?: boolean;
  /** Holds a delegated admin role. */
  isDelegatedAdmin?: boolean;
  /** The HR employee id the account is bound to, as a run binds it: externalIds of type organization. */
  employeeId?: string;
  /** The manager's email, stored as Google stores it: a relation of type manager. */
  manager?: string;
  isEnrolledIn2Sv?: boolean;
  isEnforcedIn2Sv?: boolean;
  customSchemas?: Record<string, Record<string, unknown>>;
  /** Drive files the user owns, shared with others and private. */
  driveFiles?: number;
  privateDriveFiles?: number;
  /** Events the user organizes: a number is that many upcoming meetings (what a Data Transfer moves). */
  calendarEvents?: CalendarSeed;
  /**
   * A Google Workspace license, as a real tenant gives every user with a mailbox: true takes the tenant's default SKU
   * (automatic licensing's for their org unit, else Business Starter; a seat is added when the SKU has none free). Without it, and without
   * automatic licensing, the user has no Gmail: Gmail answers "Mail service not enabled".
   */
  license?: boolean | { productId: string; skuId: string };
}

/** A user as tests read it back: the record, with counts of the Drive files it owns and the Calendar events it organizes. */
export type UserView = UserRecord & { driveFiles: number; privateDriveFiles: number; calendarEvents: number };

const CONTROL = '/_emulator/google';

export class GoogleWorkspaceEmulator {
  readonly faults = new FaultInjector('google', googleErrorShape);
  private readonly store: WorkspaceStore;
  private readonly filePath?: string;
  /** Service accounts, their keys and the tenant's domain-wide delegation, behind the OAuth token endpoint. */
  readonly delegation: DomainWideDelegation;
  private sampleKey?: EmulatedServiceAccountKey;

  constructor(options: GoogleEmulatorOptions = {}, state?: GoogleState) {
    this.filePath = options.filePath;
    const loaded = !state && options.filePath && existsSync(options.filePath) ? readState(options.filePath, options.now ?? Date.now) : undefined;
    this.store = new WorkspaceStore(state ?? loaded ?? emptyState(options.domain ?? SAMPLE_DOMAIN), options.now ?? Date.now);
    this.delegation = new DomainWideDelegation((email) => this.store.findUser(email) !== undefined, options.now);
  }

  static fromJSON(json: unknown, options: GoogleEmulatorOptions = {}): GoogleWorkspaceEmulator {
    return new GoogleWorkspaceEmulator(options, parseState(json, options.now ?? Date.now));
  }

  toJSON(): GoogleState {
    return structuredClone(this.store.state);
  }

  get isEmpty(): boolean {
    return this.store.state.users.length === 0;
  }

  get domain(): string {
    return this.store.state.domain;
  }

  get customerId(): string {
    return this.store.state.customerId;
  }

  save(): void {
    if (!this.filePath) return;
    mkdirSync(dirname(this.filePath), { recursive: true });
    // Write then rename, so a crash mid-write never leaves half a tenant behind.
    const tmp = `${this.filePath}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.store.state, null, 2));
    renameSync(tmp, this.filePath);
  }

  /** The API routes behind auth, faults and quota, then the fault and emulator control routes. */
  routes(): EmulatorRoute[] {
    const store = this.store;
    const apiRoutes = [
      ...userRoutes(store),
      ...securityRoutes(store),
      ...orgUnitRoutes(store),
      ...customerRoutes(store),
      ...groupRoutes(store),
      ...deviceRoutes(store),
      ...licensingRoutes(store),
      ...transferRoutes(store),
      ...gmailRoutes(store),
      ...gmailAccessRoutes(store),
      ...userAliasRoutes(store),
      ...driveRoutes(store),
      ...sharedDriveRoutes(store),
      ...calendarRoutes(store),
      ...domainRoutes(store),
      ...vaultRoutes(store),
    ];
    const served = this.faults.wrap(apiRoutes).map((route) => ({ ...route, handle: (req: EmulatorRequest) => this.serve(route, req) }));
    return [...served, ...this.delegation.routes(), ...this.faults.controlRoutes(), ...this.controlRoutes()];
  }

  /**
   * The JSON key of the tenant's sample service account, every scope the actions use delegated to it: made on first
   * use (a key pair costs a few milliseconds) and kept in memory only, so a restart issues a new one.
   */
  serviceAccountKey(): EmulatedServiceAccountKey {
    if (!this.sampleKey) {
      this.sampleKey = this.delegation.createServiceAccount('account-lifecycle');
      this.delegation.grant(this.sampleKey.client_id, ALL_GOOGLE_SCOPES);
    }
    return this.sampleKey;
  }

  private async serve(route: EmulatorRoute, req: EmulatorRequest): Promise<EmulatorResponse> {
    // Any bearer token is accepted; a missing one is refused as Google refuses it, before faults and quota count the call.
    const auth = req.headers.authorization;
    if (!auth) return loginRequired();
    if (!/^Bearer\s+\S+/i.test(auth)) return invalidCredentials();
    // Google checks the token's scopes before the call counts against quota or meets a fault.
    const refused = scopeRefusal(req);
    if (refused) return refused;
    const settled = this.settle();
    const out = await route.handle(req);
    if (settled || (req.method !== 'GET' && out.status < 400)) this.save();
    return out;
  }

  private controlRoutes(): EmulatorRoute[] {
    return [
      { method: 'GET', pattern: new RegExp(`^${CONTROL}/state$`), handle: () => ({ status: 200, body: this.settled().toJSON() }) },
      // As the Cloud console's key download: what the local deployment check signs its token requests with.
      { method: 'GET', pattern: new RegExp(`^${CONTROL}/service-account-key$`), handle: () => ({ status: 200, body: this.serviceAccountKey() }) },
      // For a person trying the system locally: the mail the tenant sent out, newest first, with its text (and links).
      { method: 'GET', pattern: new RegExp(`^${CONTROL}/mail$`), handle: (req) => ({ status: 200, body: { messages: this.sentMail(req.query.get('to') ?? undefined) } }) },
      {
        method: 'POST',
        pattern: new RegExp(`^${CONTROL}/transfers$`),
        handle: (req) => {
          const body: unknown = JSON.parse(req.body || '{}');
          const opts = isJson(body) ? body : {};
          this.setTransferBehaviour({
            delayMs: typeof opts.delayMs === 'number' ? opts.delayMs : undefined,
            movesNothing: typeof opts.movesNothing === 'boolean' ? opts.movesNothing : undefined,
          });
          return { status: 200, body: this.store.state.settings };
        },
      },
      // Gmail's delegate limits and the tenant's domain aliases, for a person trying the system locally.
      {
        method: 'POST',
        pattern: new RegExp(`^${CONTROL}/delegate-limits$`),
        handle: (req) => {
          const body: unknown = JSON.parse(req.body || '{}');
          const opts = isJson(body) ? body : {};
          const limit = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined);
          for (const field of ['delegatesPerMailbox', 'delegatorsPerUser']) {
            if (field in opts && limit(opts[field]) === undefined) return { status: 400, body: { error: `${field} must be a whole number, 0 or more` } };
          }
          this.setDelegateLimits({ delegatesPerMailbox: limit(opts.delegatesPerMailbox), delegatorsPerUser: limit(opts.delegatorsPerUser) });
          return { status: 200, body: this.store.state.settings.delegateLimits };
        },
      },
      {
        method: 'POST',
        pattern: new RegExp(`^${CONTROL}/domain-aliases$`),
        handle: (req) => {
          const body: unknown = JSON.parse(req.body || '{}');
          const name = isJson(body) && typeof body.domainAliasName === 'string' ? body.domainAliasName : undefined;
          if (!name) return { status: 400, body: { error: 'domainAliasName is required' } };
          try {
            this.addDomainAlias(name);
          } catch (err) {
            return { status: 400, body: { error: `domainAliasName ${name}: ${(err as Error).message}` } };
          }
          return { status: 200, body: { domainAliases: this.store.state.domainAliases } };
        },
      },
      // License Manager: how many seats a SKU has ({"skuId": "1010020028", "seats": 3}; productId Google-Apps unless given).
      {
        method: 'POST',
        pattern: new RegExp(`^${CONTROL}/seats$`),
        handle: (req) => {
          const body: unknown = JSON.parse(req.body || '{}');
          const opts = isJson(body) ? body : {};
          const productId = opts.productId ?? 'Google-Apps';
          if (typeof productId !== 'string' || !productId) return { status: 400, body: { error: 'productId: expected a product id such as Google-Apps' } };
          if (typeof opts.skuId !== 'string' || !opts.skuId) return { status: 400, body: { error: 'skuId is required, such as 1010020028' } };
          if (typeof opts.seats !== 'number' || !Number.isInteger(opts.seats) || opts.seats < 0) return { status: 400, body: { error: 'seats must be a whole number, 0 or more' } };
          this.setSkuSeats(productId, opts.skuId, opts.seats);
          return { status: 200, body: this.seats(productId, opts.skuId) };
        },
      },
      // Directory: when a user last signed in, as users.get's lastLoginTime shows it ({"userKey": "ada@example.com",
      // "lastLoginTime": "2026-08-01T09:00:00.000Z"}; null: never). The emulator signs nobody in by itself.
      {
        method: 'POST',
        pattern: new RegExp(`^${CONTROL}/last-login$`),
        handle: (req) => {
          const body: unknown = JSON.parse(req.body || '{}');
          const opts = isJson(body) ? body : {};
          if (typeof opts.userKey !== 'string' || !opts.userKey) return { status: 400, body: { error: 'userKey is required: the user\'s address or id' } };
          const at = opts.lastLoginTime;
          if (at !== null && (typeof at !== 'string' || Number.isNaN(Date.parse(at)))) return { status: 400, body: { error: 'lastLoginTime: expected an ISO 8601 time, or null for never' } };
          if (!this.store.findUser(opts.userKey)) return { status: 404, body: { error: `userKey ${opts.userKey}: no such user` } };
          this.setLastLogin(opts.userKey, at === null ? undefined : new Date(at).toISOString());
          return { status: 200, body: { userKey: opts.userKey, lastLoginTime: at } };
        },
      },
      // Directory: how long users.insert leaves an account "not complete" ({"ms": 20000}; 0 turns it off).
      {
        method: 'POST',
        pattern: new RegExp(`^${CONTROL}/creation-delay$`),
        handle: (req) => {
          const body: unknown = JSON.parse(req.body || '{}');
          const ms = isJson(body) ? body.ms : undefined;
          if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) return { status: 400, body: { error: 'ms: expected a number of milliseconds, 0 or more' } };
          this.setCreationDelay(ms);
          return { status: 200, body: this.store.state.settings };
        },
      },
    ];
  }

  /** Brings the tenant up to the clock: transfers progress, deleted users past their 20 days go. */
  private settle(): boolean {
    const transfers = settleTransfers(this.store);
    const purged = purgeDeletedUsers(this.store);
    return transfers || purged;
  }

  private settled(): this {
    if (this.settle()) this.save();
    return this;
  }

  private depth = 0;

  /** Runs a change and saves once, however many helpers it nests (a seed batch nests dozens). */
  private mutate<T>(change: () => T): T {
    this.depth += 1;
    try {
      return change();
    } finally {
      this.depth -= 1;
      if (this.depth === 0) this.save();
    }
  }

  // ---- Behaviour switches -------------------------------------------------------------------

  /** delayMs: how long a transfer takes (default 2000); movesNothing: complete without moving data (the known trap). */
  setTransferBehaviour(options: { delayMs?: number; movesNothing?: boolean }): void {
    this.mutate(() => {
      const s = this.store.state.settings;
      if (options.delayMs !== undefined) s.transferDelayMs = options.delayMs;
      if (options.movesNothing !== undefined) s.transferMovesNothing = options.movesNothing;
    });
  }

  // ---- Directory: users.insert ----

  /**
   * How long Google is still making an account after users.insert (ms; 0: complete at once, the default): meanwhile
   * writes naming it are refused with "User creation is not complete" (users.insert reference). Applies to users
   * inserted after the call.
   */
  setCreationDelay(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new Error(`creation delay must be 0 or more milliseconds, got ${ms}`);
    this.mutate(() => {
      this.store.state.settings.creationDelayMs = ms;
    });
  }

  /** Turns Workspace's automatic licensing on for the whole tenant (the root org unit) with this SKU, or off everywhere. */
  setAutoLicense(sku: { productId: string; skuId: string } | undefined): void {
    this.mutate(() => {
      this.store.state.settings.autoLicensing = sku ? [{ productId: sku.productId, orgUnitPath: '/', skuId: sku.skuId }] : [];
    });
  }

  /**
   * Automatic licensing of a product for one org unit, as the Admin console's License settings set it: a SKU turns it on
   * (new users there take a seat of it), 'off' turns it off for this unit even when a parent has it on, 'inherit' drops
   * this unit's own setting. It covers the units below by inheritance.
   */
  setAutoLicensing(orgUnitPath: string, productId: string, setting: { skuId: string } | 'off' | 'inherit'): void {
    this.mutate(() => {
      const ou = this.store.findOrgUnit(orgUnitPath);
      if (!ou) throw new Error(`setAutoLicensing: no org unit ${orgUnitPath}`);
      const s = this.store.state.settings;
      const others = (s.autoLicensing ?? []).filter((r) => !(r.productId === productId && r.orgUnitPath.toLowerCase() === ou.path.toLowerCase()));
      s.autoLicensing = setting === 'inherit' ? others : [...others, { productId, orgUnitPath: ou.path, ...(setting === 'off' ? {} : { skuId: setting.skuId }) }];
    });
  }

  // ---- Gmail and domain switches: delegate limits, domain aliases ---------------------------------

  /** Sets the Gmail delegate limits (default GMAIL_DELEGATE_LIMITS, Google's through the API). */
  setDelegateLimits(limits: { delegatesPerMailbox?: number; delegatorsPerUser?: number }): void {
    this.mutate(() => {
      const s = this.store.state.settings;
      const current = s.delegateLimits ?? GMAIL_DELEGATE_LIMITS;
      s.delegateLimits = { delegatesPerMailbox: limits.delegatesPerMailbox ?? current.delegatesPerMailbox, delegatorsPerUser: limits.delegatorsPerUser ?? current.delegatorsPerUser };
    });
  }

  /** Adds a verified domain alias of the primary domain: addresses there are the tenant's own (users get them as nonEditableAliases). */
  addDomainAlias(domainAliasName: string): void {
    this.mutate(() => insertDomainAlias(this.store, domainAliasName));
  }

  /** How many mailboxes delegate to this address: the count Gmail holds against the delegate's limit. */
  delegatorsOf(delegateEmail: string): string[] {
    const email = delegateEmail.toLowerCase();
    return this.store.state.users.filter((u) => this.store.state.gmail[u.id]?.delegates.some((d) => d.delegateEmail === email)).map((u) => u.primaryEmail);
  }

  // ---- Seed helpers: the same validation as the API, without HTTP ----------------------------

  /** Runs many seed calls as one change, saved once at the end (the sample seeds dozens). */
  batch<T>(change: () => T): T {
    return this.mutate(change);
  }

  seedOrgUnit(path: string, description?: string): void {
    this.mutate(() => {
      let parent = '/';
      for (const name of path.split('/').filter(Boolean)) {
        const here = parent === '/' ? `/${name}` : `${parent}/${name}`;
        if (!this.store.findOrgUnit(here)) insertOrgUnit(this.store, name, parent, here === path ? description : undefined);
        parent = here;
      }
    });
  }

  seedUser(input: SeedUserInput): UserRecord {
    return this.mutate(() => {
      const body: Json = {
        primaryEmail: input.email,
        name: { givenName: input.givenName, familyName: input.familyName },
        password: input.password ?? 'Sample-Passw0rd!',
        orgUnitPath: input.orgUnitPath ?? '/',
        suspended: input.suspended ?? false,
      };
      if (input.manager) body.relations = [{ type: 'manager', value: input.manager }];
      if (input.customSchemas) body.customSchemas = input.customSchemas;
      if (input.employeeId) body.externalIds = [{ type: 'organization', value: input.employeeId }];
      const user = insertUser(this.store, body);
      // Fields the API treats as read-only are set directly.
      user.isAdmin = input.isAdmin ?? false;
      user.isDelegatedAdmin = input.isDelegatedAdmin ?? false;
      user.isEnrolledIn2Sv = input.isEnrolledIn2Sv ?? false;
      user.isEnforcedIn2Sv = input.isEnforcedIn2Sv ?? false;
      if (input.lastLoginTime) user.lastLoginTime = input.lastLoginTime;
      addDriveFiles(this.store, user, input.driveFiles ?? 0, true);
      addDriveFiles(this.store, user, input.privateDriveFiles ?? 0, false);
      addCalendarEvents(this.store, user, input.calendarEvents);
      if (input.license) this.seedLicense(user.id, input.license === true ? undefined : input.license);
      return structuredClone(user);
    });
  }

  /**
   * Gives a seeded user a Google Workspace seat (the SKU named, else the one automatic licensing gives their org unit,
   * else Business Starter), adding a seat if none is free.
   */
  private seedLicense(userId: string, named?: { productId: string; skuId: string }): void {
    const user = this.store.requireUser(userId);
    const auto = autoLicensingFor(this.store, GOOGLE_WORKSPACE_PRODUCT_ID, user.orgUnitPath);
    const sku = named ?? (auto ? { productId: auto.productId, skuId: auto.skuId } : { productId: GOOGLE_WORKSPACE_PRODUCT_ID, skuId: SKU_BUSINESS_STARTER });
    // Automatic licensing may have given it one already.
    if (this.store.state.licenses.some((l) => l.userId === userId && l.productId === sku.productId)) return;
    const seats = this.seats(sku.productId, sku.skuId);
    if (!seats || seats.used >= seats.total) this.setSkuSeats(sku.productId, sku.skuId, (seats?.used ?? 0) + 1);
    assignLicense(this.store, sku.productId, sku.skuId, userId);
  }

  seedGroup(input: { email: string; name?: string; description?: string }): { id: string; email: string } {
    return this.mutate(() => {
      const group = insertGroup(this.store, { ...input });
      return { id: group.id, email: group.email };
    });
  }

  /** Deletes a group as an admin would in the console (the product itself never deletes one). */
  removeGroup(groupKey: string): void {
    this.mutate(() => deleteGroup(this.store, groupKey));
  }

  addMember(groupKey: string, email: string, role: MemberRole = 'MEMBER'): void {
    this.mutate(() => insertMember(this.store, groupKey, { email, role }));
  }

  seedToken(userKey: string, token: { clientId: string; displayText: string; scopes?: string[]; nativeApp?: boolean }): void {
    this.mutate(() => {
      const user = this.store.requireUser(userKey);
      this.store.state.tokens.push({ userId: user.id, scopes: [], nativeApp: false, anonymous: false, ...token });
    });
  }

  seedAsp(userKey: string, name: string): number {
    return this.mutate(() => {
      const user = this.store.requireUser(userKey);
      const at = this.store.now();
      const codeId = this.store.next();
      this.store.state.asps.push({ userId: user.id, codeId, name, creationTime: at, lastTimeUsed: at });
      return codeId;
    });
  }

  seedVerificationCodes(userKey: string): void {
    this.mutate(() => generateVerificationCodes(this.store, this.store.requireUser(userKey)));
  }

  seedDevice(userKey: string, device: { model: string; os?: string; type?: string; status?: string }): string {
    return this.mutate(() => {
      const user = this.store.requireUser(userKey);
      const n = this.store.next();
      const record: DeviceRecord = {
        resourceId: `AFiQxQ8${n.toString(36).padStart(10, '0')}`,
        deviceId: `android-${n.toString(16).padStart(12, '0')}`,
        emails: [user.primaryEmail],
        names: [`${user.name.givenName} ${user.name.familyName}`],
        model: device.model,
        os: device.os ?? 'Android 14',
        type: device.type ?? 'ANDROID',
        status: device.status ?? 'APPROVED',
        firstSync: this.store.isoNow(),
        lastSync: this.store.isoNow(),
      };
      this.store.state.devices.push(record);
      return record.resourceId;
    });
  }

  /** Sets how many seats a SKU has; names come from the catalog when Google's ids are used. */
  setSkuSeats(productId: string, skuId: string, seats: number): void {
    this.mutate(() => {
      const existing = this.store.state.skus.find((s) => s.productId === productId && s.skuId === skuId);
      if (existing) existing.seats = seats;
      else {
        const known = KNOWN_SKUS.find((k) => k.productId === productId && k.skuId === skuId);
        this.store.state.skus.push({ productId, skuId, productName: known?.productName ?? productId, skuName: known?.skuName ?? skuId, seats });
      }
    });
  }

  /** A shared drive with its managers (organizers) and other members; returns its id. */
  seedSharedDrive(input: { name: string; organizers?: string[]; members?: { email: string; role: 'fileOrganizer' | 'writer' | 'commenter' | 'reader' }[] }): string {
    return this.mutate(() => insertSharedDrive(this.store, input).id);
  }

  /** A shared drive's members and their roles, for tests. */
  sharedDriveMembers(driveId: string): { email: string; role: string }[] {
    const drive = (this.store.state.sharedDrives ?? []).find((d) => d.id === driveId);
    if (!drive) throw new Error(`no shared drive ${driveId}`);
    return drive.permissions.map((p) => ({ email: p.emailAddress, role: p.role }));
  }

  /** A team (secondary) calendar; returns its id. */
  seedCalendar(input: { summary: string; id?: string; owner?: string }): string {
    return this.mutate(() => insertCalendar(this.store, input).id);
  }

  /** More events a user organizes (see CalendarSeed), dated from the emulator's clock. */
  seedCalendarEvents(email: string, seed: CalendarSeed): void {
    this.mutate(() => addCalendarEvents(this.store, this.store.requireUser(email), seed));
  }

  /** An upcoming meeting `organizer` organizes with these users of the tenant as guests; its event id. */
  seedInvitation(organizer: string, guests: string[], daysFromNow = 1): string {
    return this.mutate(() => addInvitation(this.store, this.store.requireUser(organizer), guests.map((g) => this.store.requireUser(g)), daysFromNow));
  }

  /** The events a user organizes, for tests: id, start, and the rooms still booked. */
  organizedEvents(email: string): { id: string; start: string; resources: number; private: boolean }[] {
    const user = this.store.requireUser(email);
    return this.store.state.events.filter((e) => e.organizerId === user.id).map((e) => ({ id: e.id, start: e.start, resources: e.resources, private: e.private }));
  }

  /** A calendar's access rules, for tests. */
  calendarAcl(calendarId: string): { id: string; role: string; scope: { type: string; value?: string } }[] {
    return structuredClone(this.store.state.calendars.find((c) => c.id === calendarId)?.acl ?? []);
  }

  assignLicense(userKey: string, productId: string, skuId: string): void {
    this.mutate(() => assignLicense(this.store, productId, skuId, userKey));
  }

  seedForwardingAddress(userKey: string, forwardingEmail: string): void {
    this.mutate(() => {
      const email = forwardingEmail.toLowerCase();
      this.gmailSettings(userKey).forwardingAddresses.push({ forwardingEmail: email, verificationStatus: this.store.inDomain(email) ? 'accepted' : 'pending' });
    });
  }

  seedDelegate(userKey: string, delegateEmail: string): void {
    this.mutate(() => this.gmailSettings(userKey).delegates.push({ delegateEmail: delegateEmail.toLowerCase(), verificationStatus: 'accepted' }));
  }

  /** Adds an alias to a user, as users.aliases.insert does. */
  seedAlias(userKey: string, alias: string): void {
    this.mutate(() => void insertUserAlias(this.store, this.store.requireUser(userKey), { alias }));
  }

  /** Sets a user's recovery email and phone, as users.update does. */
  seedRecovery(userKey: string, recovery: { email?: string; phone?: string }): void {
    this.mutate(() => {
      const user = this.store.requireUser(userKey);
      if (recovery.email) user.extra.recoveryEmail = recovery.email;
      if (recovery.phone) user.extra.recoveryPhone = recovery.phone;
    });
  }

  /** Sets a mailbox's POP and IMAP access (what is not named keeps its value). */
  setMailAccess(userKey: string, access: { pop?: { accessWindow: string; disposition?: string }; imap?: { enabled: boolean } }): void {
    this.mutate(() => {
      const s = this.gmailSettings(userKey);
      if (access.pop) s.pop = { ...popOf(s), ...access.pop };
      if (access.imap) s.imap = { ...imapOf(s), ...access.imap };
    });
  }

  /** Adds a send-as address to a mailbox, as users.settings.sendAs.create does. */
  seedSendAs(userKey: string, sendAs: { sendAsEmail: string; displayName?: string; replyToAddress?: string; signature?: string; isDefault?: boolean; treatAsAlias?: boolean }): void {
    this.mutate(() => void insertSendAs(this.store, this.store.requireUser(userKey), { ...sendAs }));
  }

  /** A mailbox's POP, IMAP and send-as settings, for tests. */
  mailAccessOf(userKey: string): { pop: { accessWindow: string; disposition: string }; imap: { enabled: boolean }; sendAs: string[] } {
    const s = this.gmailSettings(userKey);
    return structuredClone({ pop: popOf(s), imap: imapOf(s), sendAs: (s.sendAs ?? []).map((x) => x.sendAsEmail) });
  }

  setVacation(userKey: string, vacation: Record<string, unknown>): void {
    this.mutate(() => {
      this.gmailSettings(userKey).vacation = { enableAutoReply: false, ...vacation };
    });
  }

  private gmailSettings(userKey: string): GmailSettings {
    return this.store.gmailOf(this.store.requireUser(userKey).id);
  }

  /** When the user last signed in (users.get's lastLoginTime); undefined: never. */
  setLastLogin(userKey: string, at: string | undefined): void {
    this.mutate(() => {
      const user = this.store.requireUser(userKey);
      if (at === undefined) delete user.lastLoginTime;
      else user.lastLoginTime = at;
    });
  }

  // ---- Read-back for tests: copies, after bringing transfers up to the clock --------------------

  user(key: string): UserView | undefined {
    const user = this.settled().store.findUser(key);
    return user && { ...structuredClone(user), ...driveCounts(this.store, user.id), calendarEvents: calendarEventCount(this.store, user.id) };
  }

  /** A deleted user still held for users.undelete, by id or address. */
  deletedUser(key: string): DeletedUserRecord | undefined {
    const k = key.toLowerCase();
    const user = this.settled().store.state.deletedUsers.find((u) => u.id === key || u.primaryEmail === k);
    return user && structuredClone(user);
  }

  /** The ids of the Drive files a user owns. */
  driveFilesOf(userKey: string): string[] {
    const user = this.settled().store.requireUser(userKey);
    return this.store.state.files.filter((f) => f.ownerId === user.id).map((f) => f.id);
  }

  groupsOf(userKey: string): string[] {
    const user = this.store.requireUser(userKey);
    const ids = new Set(this.store.state.members.filter((m) => m.id === user.id).map((m) => m.groupId));
    return this.store.state.groups.filter((g) => ids.has(g.id)).map((g) => g.email);
  }

  membersOf(groupKey: string): { email: string; role: MemberRole }[] {
    const group = this.store.requireGroup(groupKey);
    return this.store.state.members.filter((m) => m.groupId === group.id).map((m) => ({ email: m.email, role: m.role }));
  }

  tokensOf(userKey: string): string[] {
    const user = this.store.requireUser(userKey);
    return this.store.state.tokens.filter((t) => t.userId === user.id).map((t) => t.clientId);
  }

  aspsOf(userKey: string): number[] {
    const user = this.store.requireUser(userKey);
    return this.store.state.asps.filter((a) => a.userId === user.id).map((a) => a.codeId);
  }

  verificationCodesOf(userKey: string): string[] {
    const user = this.store.requireUser(userKey);
    return this.store.state.verificationCodes.filter((c) => c.userId === user.id).map((c) => c.code);
  }

  device(resourceId: string): DeviceRecord | undefined {
    const device = this.store.state.devices.find((d) => d.resourceId === resourceId);
    return device && structuredClone(device);
  }

  devicesOf(email: string): DeviceRecord[] {
    return structuredClone(this.store.state.devices.filter((d) => d.emails.includes(email.toLowerCase())));
  }

  licensesOf(userKey: string): { productId: string; skuId: string }[] {
    const user = this.store.requireUser(userKey);
    return this.store.state.licenses.filter((l) => l.userId === user.id).map(({ productId, skuId }) => ({ productId, skuId }));
  }

  seats(productId: string, skuId: string): { total: number; used: number } | undefined {
    const sku = this.store.state.skus.find((s) => s.productId === productId && s.skuId === skuId);
    return sku && { total: sku.seats, used: seatsUsed(this.store, sku) };
  }

  /** Mail sent through the Gmail API, newest first; `to` keeps only the messages to that address. */
  sentMail(to?: string): MailView[] {
    const views = this.store.state.messages.map((m) => mailView(this.store, m)).sort((a, b) => b.internalDate.localeCompare(a.internalDate));
    return to ? views.filter((v) => v.to.includes(to.toLowerCase())) : views;
  }

  gmail(userKey: string): GmailSettings {
    return structuredClone(this.gmailSettings(userKey));
  }

  transfer(id: string): TransferRecord | undefined {
    const transfer = this.settled().store.state.transfers.find((t) => t.id === id);
    return transfer && structuredClone(transfer);
  }
}

function readState(filePath: string, now: () => number): GoogleState {
  try {
    return parseState(JSON.parse(readFileSync(filePath, 'utf8')), now);
  } catch (err) {
    throw new Error(`Google emulator state at ${filePath} cannot be loaded: ${(err as Error).message}`);
  }
}

/**
 * Checks the saved shape before trusting it: a state from another version is refused with a reason, not half-read.
 * `now` is the emulator's clock: records made from an older shape are dated by it.
 */
function parseState(json: unknown, now: () => number): GoogleState {
  if (!isJson(json) || json.version !== 1) throw new Error('not a version 1 Google emulator state');
  const arrays = ['users', 'orgUnits', 'groups', 'members', 'tokens', 'asps', 'verificationCodes', 'devices', 'skus', 'licenses', 'transfers'];
  for (const key of arrays) if (!Array.isArray(json[key])) throw new Error(`state.${key} is not a list`);
  if (typeof json.domain !== 'string' || typeof json.customerId !== 'string' || typeof json.seq !== 'number') throw new Error('state is missing domain, customerId or seq');
  if (!isJson(json.gmail) || !isJson(json.settings)) throw new Error('state is missing gmail or settings');
  const state = structuredClone(json) as unknown as GoogleState;
  state.deletedUsers ??= [];
  state.calendars ??= [];
  state.sharedDrives ??= [];
  state.messages ??= [];
  state.domainAliases ??= [];
  state.matters ??= [];
  // Automatic licensing was one tenant-wide SKU before it was per org unit: the same thing set on the root.
  if (state.settings.autoLicense && !state.settings.autoLicensing) {
    state.settings.autoLicensing = [{ productId: state.settings.autoLicense.productId, orgUnitPath: '/', skuId: state.settings.autoLicense.skuId }];
  }
  delete state.settings.autoLicense;
  if (!Array.isArray(state.files)) materialiseDriveFiles(state, now);
  if (!Array.isArray(state.events)) materialiseCalendarEvents(state, now);
  return state;
}

/**
 * A state saved before Calendar events were records kept a count on each user, all of which a transfer moved:
 * they become that many upcoming meetings on the primary calendar, which a transfer still moves.
 */
function materialiseCalendarEvents(state: GoogleState, now: () => number): void {
  state.events = [];
  const store = new WorkspaceStore(state, now);
  for (const user of [...state.users, ...state.deletedUsers]) {
    const old = user as UserRecord & { calendarEvents?: number };
    addCalendarEvents(store, user, typeof old.calendarEvents === 'number' ? old.calendarEvents : 0);
    delete old.calendarEvents;
  }
}

/** A state saved before Drive files were records kept only counts on each user: turn them into files. */
function materialiseDriveFiles(state: GoogleState, now: () => number): void {
  state.files = [];
  const store = new WorkspaceStore(state, now);
  for (const user of state.users) {
    const counts = user as UserRecord & { driveFiles?: number; privateDriveFiles?: number };
    addDriveFiles(store, user, counts.driveFiles ?? 0, true);
    addDriveFiles(store, user, counts.privateDriveFiles ?? 0, false);
    delete counts.driveFiles;
    delete counts.privateDriveFiles;
  }
}
