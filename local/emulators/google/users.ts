/** Directory API users: insert, get, list with query, update/patch, delete, undelete and signOut, with Google's validation and errors. */
import type { EmulatorRoute } from '../server';
import { DRIVE_AND_DOCS_APPLICATION_ID } from './catalog';
import { fail, GoogleApiError } from './errors';
import { api, compact, isJson, noContent, ok, paginate, readJson, str, type Json } from './http';
import { applyArchive, autoAssignLicense, seatsUsed } from './licensing';
import { sha256, type DeletedUserRecord, type UserRecord, type WorkspaceStore } from './state';
import { aliasDomainAddresses } from './domains';

const USERS = '/admin/directory/v1/users';
/** How long Google keeps a deleted user for users.undelete. */
export const UNDELETE_WINDOW_MS = 20 * 24 * 3600 * 1000;

/** Writable fields the emulator does not model but stores and returns as given. */
const PASS_THROUGH = [
  'addresses', 'emails', 'externalIds', 'gender', 'ims', 'keywords', 'languages', 'locations', 'notes',
  'organizations', 'phones', 'posixAccounts', 'recoveryEmail', 'recoveryPhone', 'relations', 'sshPublicKeys', 'websites',
];

/**
 * The pass-through fields that hold a list of objects. users.patch "is unable to clear fields that contain repeated
 * objects (addresses, phones, etc). Use the update method instead." (users.patch reference,
 * developers.google.com/admin-sdk/directory/reference/rest/v1/users/patch): Google answers 200 and keeps them, a null
 * or an empty list alike (GAM-team/GAM#480, googleapis/google-api-java-client#1017), so only a read-back shows it.
 */
const REPEATED = new Set(['addresses', 'emails', 'externalIds', 'ims', 'keywords', 'languages', 'locations', 'organizations', 'phones', 'posixAccounts', 'relations', 'sshPublicKeys', 'websites']);

/** How a write reads its body: insert and update clear what is null (update "supports patch semantics"), patch cannot clear lists. */
type WriteMethod = 'insert' | 'update' | 'patch';

/** A value patch cannot clear: a list (an empty list is a clear too), or an object holding one (a custom schema with a multi-valued field). */
function holdsList(value: unknown): boolean {
  if (Array.isArray(value)) return true;
  return isJson(value) && Object.values(value).some(holdsList);
}

/** What a patch's null leaves of a value: the lists in it (patch cannot clear them), or nothing. */
function patchClear(value: unknown): unknown {
  if (Array.isArray(value)) return value;
  if (!isJson(value)) return undefined;
  const kept = Object.fromEntries(Object.entries(value).flatMap(([k, v]) => { const left = patchClear(v); return left === undefined ? [] : [[k, left]]; }));
  return Object.keys(kept).length ? kept : undefined;
}

/** The recovery channels, which an empty string clears. */
const RECOVERY = new Set(['recoveryEmail', 'recoveryPhone']);

const isClear = (value: unknown) => value === null || (Array.isArray(value) && value.length === 0);

/**
 * Until Google has finished making an account created by users.insert, writes naming it are refused: 412
 * conditionNotMet "User creation is not complete." (users.insert reference: "Mutate calls immediately following
 * user creation might sometimes fail as the user isn't fully created due to propagation delay in our backends. Check
 * the error details for the "User creation is not complete" message"; the 412 and its exact text as users.update and
 * users.delete answer it are quoted by Apps Script and Python code calling the Directory API).
 */
export function creationPending(store: WorkspaceStore, u: UserRecord): boolean {
  return u.creationCompletesAt !== undefined && store.now() < u.creationCompletesAt;
}

function refuseWhileCreating(store: WorkspaceStore, u: UserRecord): UserRecord {
  if (creationPending(store, u)) throw fail.conditionNotMet('User creation is not complete.');
  return u;
}

const BOOLEAN_FIELDS = ['suspended', 'archived', 'includeInGlobalAddressList', 'changePasswordAtNextLogin'] as const;

export type Projection = 'basic' | 'full' | 'custom';

/** The user resource as users.get returns it; customSchemas only with projection full or custom, as in Google. */
export function userResource(store: WorkspaceStore, u: UserRecord, projection: Projection = 'basic', customFieldMask?: string): Json {
  const schemas =
    projection === 'full'
      ? u.customSchemas
      : projection === 'custom' && u.customSchemas
        ? Object.fromEntries(Object.entries(u.customSchemas).filter(([name]) => (customFieldMask ?? '').split(',').includes(name)))
        : undefined;
  const body = compact({
    kind: 'admin#directory#user',
    id: u.id,
    primaryEmail: u.primaryEmail,
    name: { givenName: u.name.givenName, familyName: u.name.familyName, fullName: `${u.name.givenName} ${u.name.familyName}`.trim() },
    isAdmin: u.isAdmin,
    isDelegatedAdmin: u.isDelegatedAdmin ?? false,
    // Google reports the epoch for a user who never signed in.
    lastLoginTime: u.lastLoginTime ?? '1970-01-01T00:00:00.000Z',
    creationTime: u.creationTime,
    agreedToTerms: true,
    suspended: u.suspended,
    suspensionReason: u.suspended ? u.suspensionReason : undefined,
    archived: u.archived,
    changePasswordAtNextLogin: u.changePasswordAtNextLogin,
    ipWhitelisted: false,
    emails: [{ address: u.primaryEmail, primary: true }, ...u.aliases.map((address) => ({ address }))],
    aliases: u.aliases,
    // The user's addresses on the tenant's domain aliases (domains.ts).
    nonEditableAliases: aliasDomainAddresses(store, u),
    customerId: store.state.customerId,
    orgUnitPath: u.orgUnitPath,
    isMailboxSetup: true,
    isEnrolledIn2Sv: u.isEnrolledIn2Sv,
    isEnforcedIn2Sv: u.isEnforcedIn2Sv,
    includeInGlobalAddressList: u.includeInGlobalAddressList,
    ...u.extra,
    customSchemas: schemas && Object.keys(schemas).length ? schemas : undefined,
    // Emulator-only read-back of users.signOut (Google exposes no such field).
    lastSignOutAt: u.lastSignOutAt,
  });
  return { ...body, etag: store.etag(body) };
}

function projectionOf(query: URLSearchParams): Projection {
  const p = (query.get('projection') ?? 'basic').toLowerCase();
  if (p !== 'basic' && p !== 'full' && p !== 'custom') throw fail.invalid(`Invalid value for projection: ${p}`);
  return p;
}

function requireName(value: unknown, which: 'GivenName' | 'FamilyName'): string {
  if (typeof value !== 'string' || !value.trim() || value.length > 60) throw fail.invalid(`Invalid Given/Family Name: ${which}`);
  return value;
}

/** Applies a write with patch semantics (absent: kept, null: cleared; a patch keeps lists), validating like Google. */
function applyUserWrite(store: WorkspaceStore, u: UserRecord, body: Json, method: WriteMethod): void {
  const inserting = method === 'insert';
  if ('primaryEmail' in body) {
    const email = str(body.primaryEmail)?.toLowerCase();
    if (!email || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) throw fail.invalid('Invalid Input: primary_user_email');
    if (!store.inDomain(email)) throw fail.notFound('domain');
    if (email !== u.primaryEmail) {
      const holder = store.findUser(email) ?? store.findGroup(email);
      if (holder && holder.id !== u.id) throw fail.duplicate();
      // A renamed user keeps the old address as an alias, as Workspace does.
      if (!inserting) u.aliases = [...u.aliases.filter((a) => a !== email), u.primaryEmail];
      else u.aliases = u.aliases.filter((a) => a !== email);
      u.primaryEmail = email;
    }
  }
  if (isJson(body.name)) {
    if ('givenName' in body.name) u.name.givenName = requireName(body.name.givenName, 'GivenName');
    if ('familyName' in body.name) u.name.familyName = requireName(body.name.familyName, 'FamilyName');
  }
  if ('password' in body) {
    const password = str(body.password);
    // Hashed passwords (hashFunction set) arrive as digests; only clear text has Google's 8..100 rule.
    if (!password || (!body.hashFunction && (password.length < 8 || password.length > 100))) throw fail.invalid('Invalid Password');
    u.passwordSha256 = sha256(password);
  }
  for (const field of BOOLEAN_FIELDS) {
    if (!(field in body) || body[field] === null) continue;
    if (typeof body[field] !== 'boolean') throw fail.invalid(`Invalid Input: ${field}`);
  }
  if (typeof body.suspended === 'boolean') {
    if (body.suspended && !u.suspended) u.suspensionReason = 'ADMIN';
    if (!body.suspended) u.suspensionReason = undefined;
    u.suspended = body.suspended;
  }
  if (typeof body.archived === 'boolean') u.archived = body.archived;
  if (typeof body.includeInGlobalAddressList === 'boolean') u.includeInGlobalAddressList = body.includeInGlobalAddressList;
  if (typeof body.changePasswordAtNextLogin === 'boolean') u.changePasswordAtNextLogin = body.changePasswordAtNextLogin;
  if ('orgUnitPath' in body && body.orgUnitPath !== null) {
    const path = str(body.orgUnitPath);
    const ou = path?.startsWith('/') ? store.findOrgUnit(path) : undefined;
    if (!ou) throw fail.invalid('Invalid Input: INVALID_OU_ID');
    u.orgUnitPath = ou.path;
  }
  if ('customSchemas' in body) {
    if (body.customSchemas === null) u.customSchemas = method === 'patch' ? (patchClear(u.customSchemas) as UserRecord['customSchemas']) : undefined;
    else if (isJson(body.customSchemas)) {
      // Per schema, a field left out is kept and a field set to null is cleared; a schema set to null is cleared whole.
      // A patch cannot clear a multi-valued field (a list of objects, like phones): it keeps it, as Google does.
      const merged = { ...(u.customSchemas ?? {}) };
      for (const [schema, fields] of Object.entries(body.customSchemas)) {
        if (fields === null) {
          const left = method === 'patch' ? patchClear(merged[schema]) : undefined;
          if (isJson(left)) merged[schema] = left;
          else delete merged[schema];
        } else if (isJson(fields)) {
          const next = { ...(merged[schema] ?? {}) };
          for (const [field, value] of Object.entries(fields)) {
            if (method === 'patch' && isClear(value) && holdsList(next[field])) continue;
            if (value === null) delete next[field];
            else next[field] = value;
          }
          // A schema with no field left is no longer on the profile.
          if (Object.keys(next).length) merged[schema] = next;
          else delete merged[schema];
        } else throw fail.invalid('Invalid Input: custom_schema');
      }
      u.customSchemas = Object.keys(merged).length ? merged : undefined;
    }
  }
  // An empty string clears a recovery channel (what the Admin console and GAM send); a value must be well formed.
  // UNCONFIRMED wording: Google refuses a recovery phone not in E.164 ("+16506661212", the users resource reference)
  // with 400 invalid; the message here is the emulator's own, and the actions do not rely on it.
  if (str(body.recoveryPhone) && !/^\+[1-9]\d{1,14}$/.test(str(body.recoveryPhone)!)) throw fail.invalid('Invalid Input: recovery_phone');
  if (str(body.recoveryEmail) && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(str(body.recoveryEmail)!)) throw fail.invalid('Invalid Input: recovery_email');
  for (const field of PASS_THROUGH) {
    if (!(field in body)) continue;
    if (method === 'patch' && REPEATED.has(field) && isClear(body[field])) continue;
    if (body[field] === null || (RECOVERY.has(field) && body[field] === '')) delete u.extra[field];
    else u.extra[field] = body[field];
  }
}

/** users.insert: the one path that creates users, used by the API and by the seed helpers alike. */
export function insertUser(store: WorkspaceStore, body: Json): UserRecord {
  const name = isJson(body.name) ? body.name : {};
  if (!str(body.primaryEmail)) throw fail.invalid('Invalid Input: primary_user_email');
  const user: UserRecord = {
    id: store.newUserId(),
    primaryEmail: '',
    aliases: [],
    name: { givenName: requireName(name.givenName, 'GivenName'), familyName: requireName(name.familyName, 'FamilyName') },
    suspended: false,
    archived: false,
    orgUnitPath: '/',
    isAdmin: false,
    includeInGlobalAddressList: true,
    isEnrolledIn2Sv: false,
    isEnforcedIn2Sv: false,
    changePasswordAtNextLogin: false,
    extra: {},
    creationTime: store.isoNow(),
  };
  if (!('password' in body)) throw fail.invalid('Invalid Password');
  applyUserWrite(store, user, body, 'insert');
  store.state.users.push(user);
  autoAssignLicense(store, user);
  return user;
}

/**
 * Deletes a user as Workspace does: memberships, tokens, app passwords, backup codes and licenses go at once;
 * the account itself (its mail settings and Drive files with it) is kept 20 days for users.undelete, outside
 * the directory (its address is free for a new user meanwhile) and moved to the top-level org unit.
 */
function deleteUser(store: WorkspaceStore, u: UserRecord): void {
  const s = store.state;
  s.users = s.users.filter((x) => x.id !== u.id);
  s.members = s.members.filter((m) => m.id !== u.id);
  s.tokens = s.tokens.filter((t) => t.userId !== u.id);
  s.asps = s.asps.filter((a) => a.userId !== u.id);
  s.verificationCodes = s.verificationCodes.filter((c) => c.userId !== u.id);
  // The seats are free at once; which licenses the user held is kept with it, since users.undelete needs them again.
  const licenses = s.licenses.filter((l) => l.userId === u.id).map(({ productId, skuId }) => ({ productId, skuId }));
  s.licenses = s.licenses.filter((l) => l.userId !== u.id);
  s.deletedUsers.push({ ...u, orgUnitPath: '/', deletionTime: store.isoNow(), licenses });
}

/** Drops the deleted users whose 20 days are over, with their data. Returns whether any went, so the caller saves. */
export function purgeDeletedUsers(store: WorkspaceStore): boolean {
  const s = store.state;
  const cutoff = store.now() - UNDELETE_WINDOW_MS;
  const expired = new Set(s.deletedUsers.filter((u) => Date.parse(u.deletionTime) <= cutoff).map((u) => u.id));
  if (!expired.size) return false;
  s.deletedUsers = s.deletedUsers.filter((u) => !expired.has(u.id));
  s.files = s.files.filter((f) => !expired.has(f.ownerId));
  for (const id of expired) delete s.gmail[id];
  return true;
}

/** users.undelete: the key must be the deleted user's id; its addresses must still be free. */
function undeleteUser(store: WorkspaceStore, key: string, body: Json): void {
  const s = store.state;
  if (s.users.some((u) => u.id === key)) throw fail.conditionNotMet('User is not deleted and cannot be undeleted.');
  const deleted = s.deletedUsers.find((u) => u.id === key);
  if (!deleted) throw fail.notFound('userKey');
  if ([deleted.primaryEmail, ...deleted.aliases].some((a) => store.addressTaken(a))) throw fail.duplicate();
  const path = str(body.orgUnitPath) ?? '/';
  const ou = path.startsWith('/') ? store.findOrgUnit(path) : undefined;
  if (!ou) throw fail.invalid('Invalid Input: INVALID_OU_ID');
  // "You can't restore a user if you don't have an available user license for the service or edition that was
  // previously assigned to the user" (support.google.com/a/answer/1397578). No source gives the API's own wording;
  // GAMADV-XTD3's undelete expects limitExceeded beside the other refusals, so that is the reason given here. The
  // status 412 is a guess (no source; Google's usual status for limitExceeded is 403); the action goes by the reason.
  const held = deleted.licenses ?? [];
  const noSeat = held.some((l) => {
    const sku = s.skus.find((k) => k.productId === l.productId && k.skuId === l.skuId);
    return !sku || seatsUsed(store, sku) >= sku.seats;
  });
  if (noSeat) {
    throw new GoogleApiError(412, "You can't restore a user if you don't have an available user license.", 'limitExceeded');
  }
  const { deletionTime: _deleted, licenses: _licenses, ...user } = deleted;
  user.orgUnitPath = ou.path;
  // Google brings an account back suspended when it was suspended at deletion or its Drive was transferred away.
  const driveTransferred = s.transfers.some(
    (t) => t.oldOwnerUserId === user.id && t.status === 'completed' && t.applications.some((a) => a.applicationId === DRIVE_AND_DOCS_APPLICATION_ID),
  );
  if (driveTransferred && !user.suspended) {
    user.suspended = true;
    user.suspensionReason = 'ADMIN';
  }
  s.deletedUsers = s.deletedUsers.filter((u) => u.id !== key);
  s.users.push(user);
  // Back with the licenses it held (their seats were checked above), then what automatic licensing gives its org unit.
  for (const l of held) s.licenses.push({ productId: l.productId, skuId: l.skuId, userId: user.id });
  autoAssignLicense(store, user);
}

/** One clause of the users.list query language: field, operator (':' contains / prefix*, '=' equals), value. */
interface Clause {
  field: string;
  op: ':' | '=' | '';
  value: string;
}

function parseQuery(query: string): Clause[] {
  const clauses: Clause[] = [];
  const re = /(?:([A-Za-z.]+)([:=]))?(?:'([^']*)'|"([^"]*)"|(\S+))/g;
  for (const m of query.matchAll(re)) {
    clauses.push({ field: m[1] ?? '', op: (m[2] as ':' | '=' | undefined) ?? '', value: m[3] ?? m[4] ?? m[5] ?? '' });
  }
  return clauses;
}

function textMatches(actual: string, clause: Clause): boolean {
  const a = actual.toLowerCase();
  const v = clause.value.toLowerCase();
  if (clause.op === '=') return a === v;
  if (v.endsWith('*')) return a.startsWith(v.slice(0, -1));
  return a.includes(v);
}

function managerOf(u: UserRecord): string | undefined {
  const relations = Array.isArray(u.extra.relations) ? u.extra.relations : [];
  const manager = relations.find((r): r is Json => isJson(r) && r.type === 'manager');
  return manager ? str(manager.value)?.toLowerCase() : undefined;
}

function matchesClause(u: UserRecord, c: Clause): boolean {
  const emails = [u.primaryEmail, ...u.aliases];
  switch (c.field) {
    case '':
      return [u.name.givenName, u.name.familyName, ...emails].some((x) => textMatches(x, { ...c, op: ':' }));
    case 'email':
      return emails.some((e) => textMatches(e, c));
    case 'givenName':
      return textMatches(u.name.givenName, c);
    case 'familyName':
      return textMatches(u.name.familyName, c);
    case 'name':
      return textMatches(`${u.name.givenName} ${u.name.familyName}`, c);
    case 'orgUnitPath': {
      // Matches the unit and every unit below it.
      const target = c.value.replace(/\/+$/, '').toLowerCase() || '/';
      const path = u.orgUnitPath.toLowerCase();
      return target === '/' || path === target || path.startsWith(`${target}/`);
    }
    case 'isSuspended':
      return String(u.suspended) === c.value.toLowerCase();
    case 'isAdmin':
      return String(u.isAdmin) === c.value.toLowerCase();
    case 'isArchived':
      return String(u.archived) === c.value.toLowerCase();
    case 'isEnrolledIn2Sv':
      return String(u.isEnrolledIn2Sv) === c.value.toLowerCase();
    case 'directManager':
    case 'manager':
      return managerOf(u) === c.value.toLowerCase();
    case 'externalId': {
      // Matches the value of any of the user's externalIds, exactly (Google's "externalId:" is an exact match).
      const ids = Array.isArray(u.extra.externalIds) ? u.extra.externalIds : [];
      return ids.some((x) => isJson(x) && str(x.value)?.toLowerCase() === c.value.toLowerCase());
    }
    default:
      throw fail.invalid('Invalid Input: query');
  }
}

function listUsers(store: WorkspaceStore, query: URLSearchParams): Json {
  const customer = query.get('customer');
  const domain = query.get('domain');
  if (!customer && !domain) throw fail.badRequest();
  if (customer) store.requireCustomer(customer);
  if (domain && domain.toLowerCase() !== store.state.domain) throw fail.forbidden();
  const clauses = parseQuery(query.get('query') ?? '');
  const orderBy = query.get('orderBy') ?? 'email';
  const key = (u: UserRecord) => (orderBy === 'givenName' ? u.name.givenName : orderBy === 'familyName' ? u.name.familyName : u.primaryEmail).toLowerCase();
  // showDeleted lists the deleted users still held for undelete, and only them.
  const source: (UserRecord | DeletedUserRecord)[] = query.get('showDeleted') === 'true' ? store.state.deletedUsers : store.state.users;
  const matching = source
    .filter((u) => (!domain || u.primaryEmail.endsWith(`@${domain.toLowerCase()}`)) && clauses.every((c) => matchesClause(u, c)))
    .sort((a, b) => key(a).localeCompare(key(b)) * (query.get('sortOrder') === 'DESCENDING' ? -1 : 1));
  const { page, nextPageToken } = paginate(matching, query, 100, 500);
  const projection = projectionOf(query);
  const users = page.map((u) => {
    const resource = userResource(store, u, projection, query.get('customFieldMask') ?? undefined);
    return 'deletionTime' in u ? { ...resource, deletionTime: u.deletionTime } : resource;
  });
  return compact({ kind: 'admin#directory#users', etag: store.etag(users), users, nextPageToken });
}

export function userRoutes(store: WorkspaceStore): EmulatorRoute[] {
  const get = (key: string, query: URLSearchParams) => {
    // An address of a domain the customer does not own is not Google's to show: 403, as Workspace answers.
    if (key.includes('@') && !store.inDomain(key)) throw fail.forbidden();
    const user = store.findUser(key);
    // By id, a user still held for undelete is not "not found" but deleted.
    if (!user && store.state.deletedUsers.some((u) => u.id === key)) throw fail.conditionNotMet('User is deleted.');
    if (!user) throw fail.notFound('userKey');
    return ok(userResource(store, user, projectionOf(query), query.get('customFieldMask') ?? undefined));
  };
  const update = (key: string, body: Json, method: 'update' | 'patch') => {
    const user = refuseWhileCreating(store, store.requireUser(key));
    // Validate on a copy so a rejected write leaves the user untouched.
    const draft: UserRecord = structuredClone(user);
    applyUserWrite(store, draft, body, method);
    // Archiving turns the edition's license into its Archived User license (and back): refused before anything changes.
    const relicense = applyArchive(store, user, Boolean(draft.archived));
    Object.assign(user, draft);
    relicense?.();
    return ok(userResource(store, user, 'full'));
  };
  return [
    api('POST', USERS, (req) => {
      const user = insertUser(store, readJson(req));
      const delay = store.state.settings.creationDelayMs ?? 0;
      if (delay > 0) user.creationCompletesAt = store.now() + delay;
      return ok(userResource(store, user, 'full'));
    }),
    api('GET', USERS, (req) => ok(listUsers(store, req.query))),
    api('GET', `${USERS}/:userKey`, (req) => get(req.params[0], req.query)),
    api('PUT', `${USERS}/:userKey`, (req) => update(req.params[0], readJson(req), 'update')),
    api('PATCH', `${USERS}/:userKey`, (req) => update(req.params[0], readJson(req), 'patch')),
    api('DELETE', `${USERS}/:userKey`, (req) => {
      deleteUser(store, refuseWhileCreating(store, store.requireUser(req.params[0])));
      return noContent();
    }),
    api('POST', `${USERS}/:userKey/undelete`, (req) => {
      undeleteUser(store, req.params[0], readJson(req));
      return noContent();
    }),
    api('POST', `${USERS}/:userKey/signOut`, (req) => {
      refuseWhileCreating(store, store.requireUser(req.params[0])).lastSignOutAt = store.isoNow();
      return noContent();
    }),
  ];
}
