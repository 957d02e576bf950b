/**
 * Drive API v3 shared drives: drives.list (with useDomainAdminAccess and the organizerCount / memberCount queries an
 * admin may run), and a shared drive's members through permissions.list/get/create/update with supportsAllDrives,
 * with Drive's shapes and errors. Role `organizer` is the Manager of the Drive UI.
 */
import { createHash } from 'node:crypto';
import { readLocalAccessToken } from '../../credentials/google-local-token';
import type { EmulatorRequest, EmulatorRoute } from '../server';
import { fail, GoogleApiError, TokenRefused } from './errors';
import { api, isJson, ok, readJson, str } from './http';
import type { SharedDrivePermissionRecord, SharedDriveRecord, UserRecord, WorkspaceStore } from './state';

const DRIVES = '/drive/v3/drives';
const PERMISSIONS = '/drive/v3/files/:fileId/permissions';
const ROLES: SharedDrivePermissionRecord['role'][] = ['organizer', 'fileOrganizer', 'writer', 'commenter', 'reader'];

/** Drive's own wording for what it refuses here. */
const driveFail = {
  fileNotFound: (id: string) => new GoogleApiError(404, `File not found: ${id}.`, 'notFound', { location: 'fileId', locationType: 'parameter' }),
  permissionNotFound: (id: string) => new GoogleApiError(404, `Permission not found: ${id}.`, 'notFound', { location: 'permissionId', locationType: 'parameter' }),
  notAdmin: () => new GoogleApiError(403, 'The user does not have sufficient administrator privileges to perform this action.', 'insufficientAdministratorPrivileges'),
  queryNeedsAdmin: () => new GoogleApiError(403, 'The query requires administrator credentials.', 'queryRequiresAdminCredentials'),
  invalidQuery: () => new GoogleApiError(400, 'Invalid query', 'invalid', { location: 'q', locationType: 'parameter' }),
  noSuchAccount: (email: string) =>
    new GoogleApiError(400, `Bad Request. User message: "No Google account is associated with ${email}."`, 'invalidSharingRequest', { location: 'permission.emailAddress', locationType: 'other' }),
};

/** Shared drive ids are 19 characters starting 0A. */
export function insertSharedDrive(store: WorkspaceStore, input: { name: string; organizers?: string[]; members?: { email: string; role: SharedDrivePermissionRecord['role'] }[] }): SharedDriveRecord {
  const id = `0A${createHash('sha256').update(`${store.state.customerId}/drive/${store.next()}`).digest('base64url').slice(0, 17)}`;
  const drive: SharedDriveRecord = { id, name: input.name, createdTime: store.isoNow(), hidden: false, permissions: [] };
  for (const email of input.organizers ?? []) addPermission(store, drive, email, 'organizer');
  for (const m of input.members ?? []) addPermission(store, drive, m.email, m.role);
  (store.state.sharedDrives ??= []).push(drive);
  return drive;
}

/** A member by address (a user or a group of the domain): its permission id is the account's id, as Drive's is stable per account. */
function addPermission(store: WorkspaceStore, drive: SharedDriveRecord, email: string, role: SharedDrivePermissionRecord['role']): SharedDrivePermissionRecord {
  const user = store.findUser(email);
  const group = user ? undefined : store.findGroup(email);
  if (!user && !group) throw driveFail.noSuchAccount(email);
  const id = user?.id ?? group!.id;
  const existing = drive.permissions.find((p) => p.id === id);
  // Sharing with a member again gives them the new role, as the Drive UI does.
  if (existing) {
    existing.role = role;
    return existing;
  }
  const permission: SharedDrivePermissionRecord = { id, type: user ? 'user' : 'group', emailAddress: user?.primaryEmail ?? group!.email, role };
  drive.permissions.push(permission);
  return permission;
}

function permissionResource(store: WorkspaceStore, p: SharedDrivePermissionRecord) {
  const user = p.type === 'user' ? store.findUser(p.id) : undefined;
  return {
    kind: 'drive#permission',
    id: p.id,
    type: p.type,
    emailAddress: p.emailAddress,
    role: p.role,
    displayName: user ? `${user.name.givenName} ${user.name.familyName}` : (store.findGroup(p.id)?.name ?? p.emailAddress),
    deleted: false,
    pendingOwner: false,
    permissionDetails: [{ permissionType: 'member', role: p.role, inherited: false }],
  };
}

function driveResource(d: SharedDriveRecord) {
  return {
    kind: 'drive#drive',
    id: d.id,
    name: d.name,
    createdTime: d.createdTime,
    hidden: d.hidden,
    restrictions: { adminManagedRestrictions: false, copyRequiresWriterPermission: false, domainUsersOnly: false, driveMembersOnly: false, sharingFoldersRequiresOrganizerPermission: false },
  };
}

/** The user a call acts as, from its token; a suspended or unknown one is refused as Google's token endpoint would. */
function caller(store: WorkspaceStore, req: EmulatorRequest): UserRecord {
  const claims = readLocalAccessToken((req.headers.authorization ?? '').replace(/^Bearer\s+/i, ''));
  if (!claims) throw fail.invalidCredentials();
  const user = store.state.users.find((u) => u.primaryEmail === claims.sub.toLowerCase());
  if (!user || user.suspended) throw new TokenRefused('Invalid email or User ID');
  return user;
}

const flag = (query: URLSearchParams, name: string) => query.get(name) === 'true';

/** Query terms of drives.list: memberCount, organizerCount (admin only), name, hidden; joined by `and`. */
function driveFilter(q: string, admin: boolean): (d: SharedDriveRecord) => boolean {
  const tests: ((d: SharedDriveRecord) => boolean)[] = [];
  const compare = (a: number, op: string, b: number) => ({ '=': a === b, '!=': a !== b, '<': a < b, '<=': a <= b, '>': a > b, '>=': a >= b })[op] ?? false;
  for (const clause of q.trim() ? q.trim().split(/\s+and\s+/i) : []) {
    const count = /^(memberCount|organizerCount)\s*(=|!=|<=|>=|<|>)\s*(\d+)$/.exec(clause.trim());
    const name = /^name\s+(contains|=)\s+'([^']*)'$/.exec(clause.trim());
    const hidden = /^hidden\s*=\s*(true|false)$/.exec(clause.trim());
    if (count) {
      if (!admin) throw driveFail.queryNeedsAdmin();
      const [, field, op, n] = count;
      tests.push((d) => compare(field === 'memberCount' ? d.permissions.length : d.permissions.filter((p) => p.role === 'organizer').length, op, Number(n)));
    } else if (name) {
      const [, op, text] = name;
      tests.push((d) => (op === 'contains' ? d.name.toLowerCase().includes(text.toLowerCase()) : d.name === text));
    } else if (hidden) tests.push((d) => d.hidden === (hidden[1] === 'true'));
    else throw driveFail.invalidQuery();
  }
  return (d) => tests.every((t) => t(d));
}

/** Drive's page tokens are opaque; pageSize is coerced into range rather than refused. */
function page<T>(items: T[], query: URLSearchParams, defaultSize: number, maxSize: number): { items: T[]; nextPageToken?: string } {
  const raw = query.get('pageSize');
  const size = raw ? Math.min(Math.max(Number(raw) || defaultSize, 1), maxSize) : defaultSize;
  const token = query.get('pageToken');
  let offset = 0;
  if (token) {
    const decoded = /^drives:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
    if (!decoded) throw fail.invalidValue('pageToken');
    offset = Number(decoded[1]);
  }
  const next = offset + size;
  return { items: items.slice(offset, next), ...(next < items.length ? { nextPageToken: Buffer.from(`drives:${next}`).toString('base64url') } : {}) };
}

export function sharedDriveRoutes(store: WorkspaceStore): EmulatorRoute[] {
  const drives = () => (store.state.sharedDrives ??= []);
  /**
   * The shared drive a permissions call names, as the caller may see it: without supportsAllDrives Drive does not look
   * in shared drives at all; with useDomainAdminAccess an admin sees every one; otherwise only a member does.
   */
  const driveFor = (req: EmulatorRequest): SharedDriveRecord => {
    const me = caller(store, req);
    const id = req.params[0];
    const drive = drives().find((d) => d.id === id);
    if (!drive || !flag(req.query, 'supportsAllDrives')) throw driveFail.fileNotFound(id);
    if (flag(req.query, 'useDomainAdminAccess')) {
      if (!me.isAdmin) throw driveFail.notAdmin();
      return drive;
    }
    if (!drive.permissions.some((p) => p.id === me.id)) throw driveFail.fileNotFound(id);
    return drive;
  };
  return [
    api('GET', DRIVES, (req) => {
      const me = caller(store, req);
      const admin = flag(req.query, 'useDomainAdminAccess');
      if (admin && !me.isAdmin) throw driveFail.notAdmin();
      const visible = drives()
        .filter((d) => admin || d.permissions.some((p) => p.id === me.id))
        .filter(driveFilter(req.query.get('q') ?? '', admin));
      const { items, nextPageToken } = page(visible, req.query, 10, 100);
      return ok({ kind: 'drive#driveList', drives: items.map(driveResource), ...(nextPageToken ? { nextPageToken } : {}) });
    }),
    api('GET', PERMISSIONS, (req) => {
      const drive = driveFor(req);
      const { items, nextPageToken } = page(drive.permissions, req.query, 100, 100);
      return ok({ kind: 'drive#permissionList', permissions: items.map((p) => permissionResource(store, p)), ...(nextPageToken ? { nextPageToken } : {}) });
    }),
    api('GET', `${PERMISSIONS}/:permissionId`, (req) => {
      const drive = driveFor(req);
      const permission = drive.permissions.find((p) => p.id === req.params[1]);
      if (!permission) throw driveFail.permissionNotFound(req.params[1]);
      return ok(permissionResource(store, permission));
    }),
    api('POST', PERMISSIONS, (req) => {
      const drive = driveFor(req);
      const body = readJson(req);
      const type = str(body.type);
      const role = str(body.role) as SharedDrivePermissionRecord['role'] | undefined;
      const email = str(body.emailAddress)?.toLowerCase();
      if (!type) throw fail.required('permission.type');
      if (!role) throw fail.required('permission.role');
      if (!ROLES.includes(role)) throw new GoogleApiError(400, 'The provided role is not valid.', 'invalid', { location: 'permission.role', locationType: 'other' });
      if (type !== 'user' && type !== 'group') throw new GoogleApiError(400, 'Shared drive members must be users or groups.', 'invalidSharingRequest');
      if (!email) throw fail.required('permission.emailAddress');
      return ok(permissionResource(store, addPermission(store, drive, email, role)));
    }),
    api('PATCH', `${PERMISSIONS}/:permissionId`, (req) => {
      const drive = driveFor(req);
      const permission = drive.permissions.find((p) => p.id === req.params[1]);
      if (!permission) throw driveFail.permissionNotFound(req.params[1]);
      const body = readJson(req);
      const role = str(body.role) as SharedDrivePermissionRecord['role'] | undefined;
      if (role !== undefined && !ROLES.includes(role)) throw new GoogleApiError(400, 'The provided role is not valid.', 'invalid', { location: 'permission.role', locationType: 'other' });
      if (isJson(body) && Object.keys(body).some((k) => k !== 'role')) throw new GoogleApiError(403, 'The resource body includes fields which are not directly writable.', 'fieldNotWritable');
      if (role) permission.role = role;
      return ok(permissionResource(store, permission));
    }),
  ];
}
