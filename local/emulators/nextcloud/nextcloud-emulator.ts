/**
 * An in-memory Nextcloud server: users, groups and files, answering the OCS Provisioning API at its real paths (both
 * `/ocs/v1.php/cloud/...` and `/ocs/v2.php/cloud/...`, the `ocs.meta` envelope in JSON, v1's HTTP 200 with the failure
 * in `statuscode`, v2's mapped HTTP statuses) and WebDAV PROPFIND/GET under `/remote.php/dav/files/{user}/`, behind
 * Basic auth (an admin's app password), fault injection and a per-minute quota answering 429 with Retry-After.
 * Control routes under /_emulator/nextcloud/ (faults, quota, files, sign-ins).
 */
import { FaultInjector, type ErrorShape } from '../faults';
import type { EmulatorRequest, EmulatorResponse, EmulatorRoute } from '../server';

/** The admin user and app password of the local server (`npm start`); the stage's local defaults name the same. */
export const LOCAL_NEXTCLOUD_ADMIN = 'admin';
export const LOCAL_NEXTCLOUD_APP_PASSWORD = 'local-nextcloud-app-password';

export interface NextcloudUserRecord {
  id: string;
  email: string | null;
  displayname: string;
  enabled: boolean;
  groups: string[];
  /** 'none', 'default', or bytes. */
  quota: 'none' | 'default' | number;
  /** ms since the epoch; 0 when never signed in. */
  lastLogin: number;
  /** Whether a password was set (true), or a welcome mail with a link to set one was sent (false). */
  passwordSet: boolean;
}

export interface NextcloudState {
  users: NextcloudUserRecord[];
  groups: string[];
  /** `{owner}/{path}` → the file's text. */
  files: Record<string, string>;
  /** App passwords by admin user. */
  appPasswords: Record<string, string>;
  /** Welcome mails sent (user ids), for tests. */
  welcomeMails: string[];
}

/** An OCS failure: the statuscode and message the controller throws. */
class OcsFailure extends Error {
  constructor(
    readonly statuscode: number,
    message: string,
  ) {
    super(message);
  }
}

const UNAUTHORISED = 997;
const NOT_FOUND = 998;
const SERVER_ERROR = 996;

/** "5 GB" → bytes, as Nextcloud's computerFileSize reads it; undefined when not a size. */
export function parseSize(value: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgtp]?)i?b?\s*$/i.exec(value);
  if (!m) return undefined;
  return Math.round(Number(m[1]) * 1024 ** ' kmgtp'.indexOf((m[2] || ' ').toLowerCase()));
}

function body(req: EmulatorRequest): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const type = String(req.headers['content-type'] ?? '');
  if (type.includes('application/json') && req.body) {
    for (const [k, v] of Object.entries(JSON.parse(req.body) as Record<string, unknown>)) out[k] = Array.isArray(v) ? v.map(String) : String(v);
  } else {
    for (const [k, v] of new URLSearchParams(req.body ?? '')) {
      if (k.endsWith('[]')) ((out[k.slice(0, -2)] ??= []) as string[]).push(v);
      else out[k] = v;
    }
  }
  // Nextcloud reads parameters from the query string too.
  req.query.forEach((v, k) => {
    if (!(k in out) && k !== 'format') out[k] = v;
  });
  return out;
}

const str = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';

export class NextcloudEmulator {
  readonly state: NextcloudState;
  readonly faults: FaultInjector;

  constructor(state?: NextcloudState, now: () => number = Date.now) {
    this.state = state ?? { users: [], groups: ['admin'], files: {}, appPasswords: { [LOCAL_NEXTCLOUD_ADMIN]: LOCAL_NEXTCLOUD_APP_PASSWORD }, welcomeMails: [] };
    this.faults = new FaultInjector('nextcloud', ocsFaultShape, now);
    if (!this.user(LOCAL_NEXTCLOUD_ADMIN)) this.addUser({ id: LOCAL_NEXTCLOUD_ADMIN, email: 'admin@example.com', displayname: 'Nextcloud Admin', groups: ['admin'] });
  }

  static fromJSON(state: NextcloudState, now?: () => number): NextcloudEmulator {
    return new NextcloudEmulator(state, now);
  }

  toJSON(): NextcloudState {
    return this.state;
  }

  user(id: string): NextcloudUserRecord | undefined {
    return this.state.users.find((u) => u.id === id);
  }

  addGroup(id: string): void {
    if (!this.state.groups.includes(id)) this.state.groups.push(id);
  }

  addUser(user: Partial<NextcloudUserRecord> & { id: string }): NextcloudUserRecord {
    const record: NextcloudUserRecord = { email: null, displayname: user.id, enabled: true, groups: [], quota: 'default', lastLogin: 0, passwordSet: true, ...user };
    for (const g of record.groups) this.addGroup(g);
    this.state.users.push(record);
    return record;
  }

  putFile(owner: string, path: string, content: string): void {
    this.state.files[`${owner}/${path.split('/').filter(Boolean).join('/')}`] = content;
  }

  /** The user as GET /cloud/users/{userid} answers it. */
  userData(u: NextcloudUserRecord) {
    const used = 0;
    const quota = u.quota === 'none' || u.quota === 'default' ? -3 : u.quota;
    return {
      enabled: u.enabled,
      storageLocation: `/var/www/html/data/${u.id}`,
      id: u.id,
      lastLogin: u.lastLogin,
      backend: 'Database',
      subadmin: [],
      quota: quota < 0 ? { free: 1e12, used, total: 1e12, relative: 0, quota } : { free: quota - used, used, total: quota, relative: 0, quota },
      email: u.email,
      displayname: u.displayname,
      phone: '',
      address: '',
      website: '',
      twitter: '',
      groups: [...u.groups],
      language: 'en',
      locale: '',
      backendCapabilities: { setDisplayName: true, setPassword: true },
    };
  }

  // ---- the OCS controllers ----

  private must(id: string, code = NOT_FOUND): NextcloudUserRecord {
    const u = this.user(id);
    if (!u) throw new OcsFailure(code, code === NOT_FOUND ? 'User does not exist' : '');
    return u;
  }

  private setQuota(u: NextcloudUserRecord, value: string, code: number): void {
    if (value === 'none' || value === 'default') u.quota = value;
    else {
      const bytes = /^\d+(\.\d+)?$/.test(value) ? Number(value) : parseSize(value);
      if (bytes === undefined) throw new OcsFailure(code, `Invalid quota value: ${value}`);
      u.quota = bytes === -1 ? 'none' : bytes;
    }
  }

  private ocsRoutes(): { method: string; path: RegExp; handle: (req: EmulatorRequest, m: string[]) => unknown }[] {
    const U = '([^/]+)';
    return [
      {
        method: 'GET',
        path: /^users$/,
        handle: (req) => {
          const search = (req.query.get('search') ?? '').toLowerCase();
          const limit = req.query.get('limit') ? Number(req.query.get('limit')) : undefined;
          const offset = Number(req.query.get('offset') ?? 0) || 0;
          const hits = this.state.users.filter((u) => !search || u.id.toLowerCase().includes(search) || u.displayname.toLowerCase().includes(search) || (u.email ?? '').toLowerCase().includes(search)).map((u) => u.id).sort();
          return { users: hits.slice(offset, limit === undefined ? undefined : offset + limit) };
        },
      },
      {
        method: 'POST',
        path: /^users$/,
        handle: (req) => {
          const b = body(req);
          const userid = str(b.userid);
          const groups = (Array.isArray(b.groups) ? b.groups : b.groups ? [b.groups] : []) as string[];
          if (!userid || !/^[a-zA-Z0-9 _.@\-']+$/.test(userid)) throw new OcsFailure(101, 'Invalid user id');
          if (this.user(userid)) throw new OcsFailure(102, 'User already exists');
          for (const g of groups) if (!this.state.groups.includes(g)) throw new OcsFailure(104, `Group ${g} does not exist`);
          const password = str(b.password);
          const email = str(b.email);
          if (!password && !email) throw new OcsFailure(108, 'To send a password link to the user an email address is required.');
          const quota = str(b.quota);
          const record = this.addUser({ id: userid, email: email || null, displayname: str(b.displayName) || userid, groups, passwordSet: Boolean(password) });
          if (quota) {
            try {
              this.setQuota(record, quota, 101);
            } catch (err) {
              this.state.users = this.state.users.filter((u) => u !== record);
              throw err;
            }
          }
          if (email) this.state.welcomeMails.push(userid);
          return { id: userid };
        },
      },
      {
        // GET /cloud/users/details: a page of users with their details, keyed by id (Nextcloud 14+), as consolidation reads them.
        method: 'GET',
        path: /^users\/details$/,
        handle: (req) => {
          const search = (req.query.get('search') ?? '').toLowerCase();
          const limit = req.query.get('limit') ? Number(req.query.get('limit')) : undefined;
          const offset = Number(req.query.get('offset') ?? 0) || 0;
          const hits = this.state.users.filter((u) => !search || u.id.toLowerCase().includes(search) || u.displayname.toLowerCase().includes(search) || (u.email ?? '').toLowerCase().includes(search)).sort((a, b) => a.id.localeCompare(b.id));
          const page = hits.slice(offset, limit === undefined ? undefined : offset + limit);
          // PHP encodes an empty associative array as a list: an empty page answers `"users": []`.
          return { users: page.length ? Object.fromEntries(page.map((u) => [u.id, this.userData(u)])) : [] };
        },
      },
      { method: 'GET', path: new RegExp(`^users/${U}$`), handle: (_req, m) => this.userData(this.must(m[0])) },
      {
        method: 'PUT',
        path: new RegExp(`^users/${U}$`),
        handle: (req, m) => {
          const u = this.must(m[0], UNAUTHORISED);
          const b = body(req);
          const key = str(b.key);
          const value = str(b.value);
          if (key === 'quota') this.setQuota(u, value, 102);
          else if (key === 'email') u.email = value || null;
          else if (key === 'displayname' || key === 'display') u.displayname = value;
          else throw new OcsFailure(UNAUTHORISED, '');
          return [];
        },
      },
      { method: 'PUT', path: new RegExp(`^users/${U}/disable$`), handle: (_req, m) => ((this.must(m[0], 101).enabled = false), []) },
      { method: 'PUT', path: new RegExp(`^users/${U}/enable$`), handle: (_req, m) => ((this.must(m[0], 101).enabled = true), []) },
      { method: 'GET', path: new RegExp(`^users/${U}/groups$`), handle: (_req, m) => ({ groups: [...this.must(m[0]).groups] }) },
      {
        method: 'POST',
        path: new RegExp(`^users/${U}/groups$`),
        handle: (req, m) => {
          const groupid = str(body(req).groupid);
          if (!groupid) throw new OcsFailure(101, '');
          if (!this.state.groups.includes(groupid)) throw new OcsFailure(102, '');
          const u = this.must(m[0], 103);
          if (!u.groups.includes(groupid)) u.groups.push(groupid);
          return [];
        },
      },
      {
        method: 'DELETE',
        path: new RegExp(`^users/${U}/groups$`),
        handle: (req, m) => {
          const groupid = str(body(req).groupid);
          if (!groupid) throw new OcsFailure(101, '');
          if (!this.state.groups.includes(groupid)) throw new OcsFailure(102, '');
          const u = this.must(m[0], 103);
          if (u.id === LOCAL_NEXTCLOUD_ADMIN && groupid === 'admin') throw new OcsFailure(105, 'Cannot remove yourself from the admin group');
          u.groups = u.groups.filter((g) => g !== groupid);
          return [];
        },
      },
      {
        method: 'GET',
        path: /^groups$/,
        handle: (req) => {
          const search = (req.query.get('search') ?? '').toLowerCase();
          const limit = req.query.get('limit') ? Number(req.query.get('limit')) : undefined;
          const offset = Number(req.query.get('offset') ?? 0) || 0;
          const hits = this.state.groups.filter((g) => g.toLowerCase().includes(search)).sort();
          return { groups: hits.slice(offset, limit === undefined ? undefined : offset + limit) };
        },
      },
    ];
  }

  private authorised(req: EmulatorRequest): boolean {
    const header = String(req.headers.authorization ?? '');
    if (!header.startsWith('Basic ')) return false;
    const [user, ...rest] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
    return this.state.appPasswords[user] !== undefined && this.state.appPasswords[user] === rest.join(':');
  }

  /** The HTTP routes: OCS v1 and v2, WebDAV, and the control routes. */
  routes(): EmulatorRoute[] {
    const ocs: EmulatorRoute = {
      method: 'ANY',
      pattern: /^\/ocs\/v([12])\.php\/cloud\/(.+)$/,
      handle: (req) => this.ocs(req),
    };
    const methods = ['GET', 'POST', 'PUT', 'DELETE'].map((method) => ({ ...ocs, method }));
    const dav = ['PROPFIND', 'GET'].map((method) => ({ method, pattern: /^\/remote\.php\/dav\/files\/([^/]+)(\/.*)?$/, handle: (req: EmulatorRequest) => this.dav(req) }));
    return [...this.faults.controlRoutes(), ...this.controlRoutes(), ...this.faults.wrap([...methods, ...dav])];
  }

  private ocs(req: EmulatorRequest): EmulatorResponse {
    const m = /^\/ocs\/v([12])\.php\/cloud\/(.+)$/.exec(req.path)!;
    const v2 = m[1] === '2';
    const path = m[2].replace(/\/+$/, '');
    try {
      if (!this.authorised(req)) throw new OcsFailure(UNAUTHORISED, 'Current user is not logged in');
      for (const r of this.ocsRoutes()) {
        if (r.method !== req.method) continue;
        const hit = r.path.exec(path);
        if (hit) return ocsOk(v2, r.handle(req, hit.slice(1).map(decodeURIComponent)));
      }
      return { status: 404, body: ocsEnvelope('failure', NOT_FOUND, 'Invalid query, please check the syntax. API specifications are here: http://www.freedesktop.org/wiki/Specifications/open-collaboration-services.', []) };
    } catch (err) {
      if (err instanceof OcsFailure) return ocsFail(v2, err.statuscode, err.message);
      return ocsFail(v2, SERVER_ERROR, 'Internal Server Error');
    }
  }

  private dav(req: EmulatorRequest): EmulatorResponse {
    if (!this.authorised(req)) return davError(401, 'Sabre\\DAV\\Exception\\NotAuthenticated', 'No public access to this resource., Username or password was incorrect');
    const m = /^\/remote\.php\/dav\/files\/([^/]+)(\/.*)?$/.exec(req.path)!;
    const owner = decodeURIComponent(m[1]);
    const rel = (m[2] ?? '/').split('/').filter(Boolean).map(decodeURIComponent).join('/');
    if (!this.user(owner)) return davError(404, 'Sabre\\DAV\\Exception\\NotFound', `Principal with name ${owner} not found`);
    const key = rel ? `${owner}/${rel}` : owner;
    const file = this.state.files[key];
    const children = Object.keys(this.state.files).filter((k) => k.startsWith(`${key}/`));
    if (file === undefined && !children.length && rel) return davError(404, 'Sabre\\DAV\\Exception\\NotFound', `File with name ${rel} could not be located`);
    if (req.method === 'GET') {
      if (file === undefined) return davError(501, 'Sabre\\DAV\\Exception\\NotImplemented', 'GET is only implemented on File objects');
      return { status: 200, body: file, headers: { 'Content-Type': 'text/csv' } };
    }
    const href = (p: string) => `/remote.php/dav/files/${encodeURIComponent(owner)}/${p.split('/').filter(Boolean).map(encodeURIComponent).join('/')}`;
    const entry = (p: string, collection: boolean, size?: number) =>
      `<d:response><d:href>${href(p)}${collection ? '/' : ''}</d:href><d:propstat><d:prop>${collection ? '<d:resourcetype><d:collection/></d:resourcetype>' : `<d:resourcetype/><d:getcontentlength>${size}</d:getcontentlength>`}</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>`;
    const responses: string[] = [];
    if (file !== undefined) responses.push(entry(rel, false, Buffer.byteLength(file)));
    else {
      responses.push(entry(rel, true));
      if (String(req.headers.depth ?? '1') !== '0') {
        const seen = new Set<string>();
        for (const k of children) {
          const rest = k.slice(key.length + 1).split('/');
          const child = rel ? `${rel}/${rest[0]}` : rest[0];
          if (seen.has(child)) continue;
          seen.add(child);
          responses.push(rest.length > 1 ? entry(child, true) : entry(child, false, Buffer.byteLength(this.state.files[k])));
        }
      }
    }
    return { status: 207, body: `<?xml version="1.0"?>\n<d:multistatus xmlns:d="DAV:" xmlns:s="http://sabredav.org/ns" xmlns:oc="http://owncloud.org/ns">${responses.join('')}</d:multistatus>`, headers: { 'Content-Type': 'application/xml; charset=utf-8' } };
  }

  private controlRoutes(): EmulatorRoute[] {
    return [
      { method: 'GET', pattern: /^\/_emulator\/nextcloud\/state$/, handle: () => ({ status: 200, body: { users: this.state.users, groups: this.state.groups, files: Object.keys(this.state.files), welcomeMails: this.state.welcomeMails } }) },
      {
        method: 'POST',
        pattern: /^\/_emulator\/nextcloud\/files$/,
        handle: (req) => {
          const { owner, path, content } = JSON.parse(req.body || '{}') as { owner?: string; path?: string; content?: string };
          if (!owner || !path || typeof content !== 'string') return { status: 400, body: { error: 'owner, path and content are required' } };
          this.putFile(owner, path, content);
          return { status: 200, body: { owner, path } };
        },
      },
      {
        method: 'POST',
        pattern: /^\/_emulator\/nextcloud\/users\/([^/]+)\/login$/,
        handle: (req) => {
          const u = this.user(req.params[0]);
          if (!u) return { status: 404, body: { error: 'no such user' } };
          u.lastLogin = Date.now();
          return { status: 200, body: { id: u.id, lastLogin: u.lastLogin } };
        },
      },
    ];
  }
}

function ocsEnvelope(status: 'ok' | 'failure', statuscode: number, message: string, data: unknown) {
  return { ocs: { meta: { status, statuscode, message, totalitems: '', itemsperpage: '' }, data } };
}

function ocsOk(v2: boolean, data: unknown): EmulatorResponse {
  return { status: 200, body: ocsEnvelope('ok', v2 ? 200 : 100, 'OK', data) };
}

/** v1 answers HTTP 200 (401 for 997) with the code in the envelope; v2 maps the code to an HTTP status (V2Response). */
export function ocsHttpStatus(v2: boolean, statuscode: number): number {
  if (statuscode === UNAUTHORISED) return 401;
  if (!v2) return 200;
  if (statuscode === NOT_FOUND) return 404;
  if (statuscode === SERVER_ERROR || statuscode === 999) return 500;
  if (statuscode < 200 || statuscode > 600) return 400;
  return statuscode;
}

function ocsFail(v2: boolean, statuscode: number, message: string): EmulatorResponse {
  return { status: ocsHttpStatus(v2, statuscode), body: ocsEnvelope('failure', statuscode, message, []) };
}

/** An injected fault or the quota's 429, as OCS answers it on v2 (the HTTP status in the envelope's statuscode). */
const ocsFaultShape: ErrorShape = (status, message) => ({ status, body: ocsEnvelope('failure', status, message, []) });

function davError(status: number, exception: string, message: string): EmulatorResponse {
  return {
    status,
    body: `<?xml version="1.0" encoding="utf-8"?>\n<d:error xmlns:d="DAV:" xmlns:s="http://sabredav.org/ns">\n  <s:exception>${exception}</s:exception>\n  <s:message>${message}</s:message>\n</d:error>`,
    headers: { 'Content-Type': 'application/xml; charset=utf-8' },
  };
}
