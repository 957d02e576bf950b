/** Drive API v3 files.list as the impersonated user: the files a user owns, so a Data Transfer can be read back. */
import { createHash } from 'node:crypto';
import { readLocalAccessToken } from '../../credentials/google-local-token';
import type { EmulatorRequest, EmulatorRoute } from '../server';
import { fail, TokenRefused } from './errors';
import { api, ok } from './http';
import type { DriveFileRecord, UserRecord, WorkspaceStore } from './state';

const FILES = '/drive/v3/files';

/** Every scope that lets a token call files.list. */
const LIST_SCOPES = new Set(
  ['drive', 'drive.readonly', 'drive.metadata', 'drive.metadata.readonly', 'drive.file', 'drive.appdata', 'drive.photos.readonly', 'drive.meet.readonly'].map(
    (s) => `https://www.googleapis.com/auth/${s}`,
  ),
);

const KINDS = [
  { word: 'Document', mimeType: 'application/vnd.google-apps.document' },
  { word: 'Spreadsheet', mimeType: 'application/vnd.google-apps.spreadsheet' },
  { word: 'Slides', mimeType: 'application/vnd.google-apps.presentation' },
  { word: 'Scan', mimeType: 'application/pdf' },
];

/** Gives a user `count` new files in their My Drive, shared with others or private. */
export function addDriveFiles(store: WorkspaceStore, owner: UserRecord, count: number, shared: boolean): void {
  for (let i = 0; i < count; i++) {
    const n = store.next();
    const kind = KINDS[n % KINDS.length];
    store.state.files.push({
      // Drive ids are 33 URL-safe characters starting with 1.
      id: `1${createHash('sha256').update(`${store.state.customerId}/file/${n}`).digest('base64url').slice(0, 32)}`,
      name: `${kind.word} ${n} (${shared ? 'shared' : 'private'})`,
      mimeType: kind.mimeType,
      ownerId: owner.id,
      shared,
      trashed: false,
      createdTime: store.isoNow(),
    });
  }
}

export function driveCounts(store: WorkspaceStore, userId: string): { driveFiles: number; privateDriveFiles: number } {
  const owned = store.state.files.filter((f) => f.ownerId === userId && !f.trashed);
  return { driveFiles: owned.filter((f) => f.shared).length, privateDriveFiles: owned.filter((f) => !f.shared).length };
}

/**
 * The user a call acts as, from its token. A token naming nobody is refused; one naming a user Google would
 * not let the service account impersonate gets the token endpoint's refusal.
 */
function caller(store: WorkspaceStore, req: EmulatorRequest): UserRecord {
  const bearer = (req.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
  const claims = readLocalAccessToken(bearer);
  if (!claims) throw fail.invalidCredentials();
  const email = claims.sub.toLowerCase();
  const user = store.state.users.find((u) => u.primaryEmail === email);
  if (!user) {
    const deleted = store.state.deletedUsers.some((u) => u.primaryEmail === email);
    throw new TokenRefused(deleted ? 'The account has been deleted' : 'Invalid email or User ID');
  }
  if (user.suspended) throw new TokenRefused('Invalid email or User ID');
  if (!claims.scopes.some((s) => LIST_SCOPES.has(s))) throw fail.insufficientScopes();
  return user;
}

/** The q forms supported, joined by `and`: `'me' in owners`, `'<email>' in owners`, `trashed = true|false`. Others are refused. */
function fileFilter(store: WorkspaceStore, me: UserRecord, q: string): (f: DriveFileRecord) => boolean {
  const tests: ((f: DriveFileRecord) => boolean)[] = [];
  for (const clause of q.trim() ? q.trim().split(/\s+and\s+/i) : []) {
    const owner = /^'([^']+)'\s+in\s+owners$/i.exec(clause.trim());
    const trashed = /^trashed\s*=\s*(true|false)$/i.exec(clause.trim());
    if (owner) {
      const key = owner[1] === 'me' ? me.id : store.findUser(owner[1])?.id;
      tests.push((f) => f.ownerId === key);
    } else if (trashed) {
      const want = trashed[1].toLowerCase() === 'true';
      tests.push((f) => f.trashed === want);
    } else throw fail.invalidValue('q');
  }
  return (f) => tests.every((t) => t(f));
}

function pageSize(query: URLSearchParams): number {
  const raw = query.get('pageSize');
  if (raw === null || raw === '') return 100;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw fail.invalidValue('pageSize');
  // Drive coerces a larger page size to its maximum instead of refusing it.
  return Math.min(n, 1000);
}

function pageOffset(query: URLSearchParams): number {
  const token = query.get('pageToken');
  if (!token) return 0;
  const decoded = /^files:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!decoded) throw fail.invalidValue('pageToken');
  return Number(decoded[1]);
}

export function driveRoutes(store: WorkspaceStore): EmulatorRoute[] {
  return [
    api('GET', FILES, (req) => {
      const me = caller(store, req);
      // Only the owner's own files are visible: the emulator does not model sharing with other users.
      const visible = store.state.files.filter((f) => f.ownerId === me.id).filter(fileFilter(store, me, req.query.get('q') ?? ''));
      const size = pageSize(req.query);
      const offset = pageOffset(req.query);
      const files = visible.slice(offset, offset + size).map((f) => ({ kind: 'drive#file', id: f.id, name: f.name, mimeType: f.mimeType }));
      const next = offset + size < visible.length ? Buffer.from(`files:${offset + size}`).toString('base64url') : undefined;
      // `fields` is not applied: like the rest of the emulator, it answers with the whole resource.
      return ok({ kind: 'drive#fileList', incompleteSearch: false, files, ...(next ? { nextPageToken: next } : {}) });
    }),
  ];
}
