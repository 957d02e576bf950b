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
  /** The groups the user is a group admin (subadmin) of. */
  subadmin?: string[];
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
  /** The files app's `max_quota` in bytes: a larger quota is refused (102); absent, no maximum. */
  maxQuota?: number;
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

/**
 * A quota as Nextcloud's `Util::computerFileSize` reads it: a number is bytes; else a number and a unit among b, k, kb,
 * m, mb, g, gb, t, tb, p, pb (1024s; "5 GiB" ends in "b", so Nextcloud reads it as 5 bytes); undefined where Nextcloud
 * answers `false` (an invalid quota).
 */
export function parseSize(value: string): number | undefined {
  const v = value.toLowerCase();
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v);
  const unit = /([kmgtp]?b?)$/.exec(v)?.[1] ?? '';
  const factors: Record<string, number> = { b: 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, t: 1024 ** 4, tb: 1024 ** 4, p: 1024 ** 5, pb: 1024 ** 5 };
  if (!(unit in factors)) return undefined;
  // PHP's (float) cast: the leading number, 0 when none.
  const leading = Number(/^\s*(\d+(\.\d+)?)/.exec(v)?.[1] ?? 0);
  return Math.round(leading * factors[unit]);
}

/** Nextcloud's `Util::humanFileSize`: what editUser stores for a quota (one decimal from MB up, none for KB). */
export function humanFileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  let n = Math.round(bytes / 1024);
  if (n < 1024) return `${n} KB`;
  for (const unit of ['MB', 'GB', 'TB']) {
    n = Math.round((n / 1024) * 10) / 10;
    if (n < 1024) return `${n} ${unit}`;
  }
  return `${Math.round((n / 1024) * 10) / 10} PB`;
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

  constructor(
    state?: NextcloudState,
    private readonly now: () => number = Date.now,
  ) {
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

  /** The user of this id, whatever its case (Nextcloud's database backend looks a user id up by `uid_lower`). */
  user(id: string): NextcloudUserRecord | undefined {
    return this.state.users.find((u) => u.id === id) ?? this.state.users.find((u) => u.id.toLowerCase() === id.toLowerCase());
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
      // Nextcloud keeps the sign-in in seconds: lastLoginTimestamp is that, lastLogin that times 1000.
      firstLoginTimestamp: u.lastLogin ? Math.floor(u.lastLogin / 1000) : 0,
      lastLoginTimestamp: Math.floor(u.lastLogin / 1000),
      lastLogin: Math.floor(u.lastLogin / 1000) * 1000,
      backend: 'Database',
      subadmin: [...(u.subadmin ?? [])],
      quota: quota < 0 ? { free: 1e12, used, total: 1e12, relative: 0, quota } : { free: quota - used, used, total: quota, relative: 0, quota },
      email: u.email,
      additional_mail: [],
      displayname: u.displayname,
      'display-name': u.displayname,
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

  /**
   * The user, or the endpoint's failure: getUser throws OCSNotFoundException (code 404, "User does not exist"); editUser
   * and the user's groups RESPOND_NOT_FOUND (998, no message); the group and enable/disable endpoints their own codes.
   */
  private must(id: string, code = NOT_FOUND): NextcloudUserRecord {
    const u = this.user(id);
    if (!u) throw new OcsFailure(code, code === 404 ? 'User does not exist' : '');
    return u;
  }

  /** A group membership change's checks, in Nextcloud's order: the group named (101), existing (102), the user (103). */
  private membership(req: EmulatorRequest, id: string): { groupid: string; u: NextcloudUserRecord } {
    const groupid = str(body(req).groupid);
    if (!groupid) throw new OcsFailure(101, '');
    if (!this.state.groups.includes(groupid)) throw new OcsFailure(102, '');
    return { groupid, u: this.must(id, 103) };
  }

  /** editUser's `quota` key: 'none', 'default', or a size stored as humanFileSize writes it (102 when not one, or past max_quota). */
  private mustOther(req: EmulatorRequest, id: string): NextcloudUserRecord {
    const u = this.must(id, 101);
    if (u.id.toLowerCase() === (this.signedIn(req) ?? '').toLowerCase()) throw new OcsFailure(101, '');
    return u;
  }

  private setQuota(u: NextcloudUserRecord, value: string): void {
    if (value === 'none' || value === 'default') {
      u.quota = value;
      return;
    }
    const bytes = parseSize(value);
    if (bytes === undefined) throw new OcsFailure(102, `Invalid quota value ${value}`);
    if (bytes === -1) {
      u.quota = 'none';
      return;
    }
    if (this.state.maxQuota !== undefined && bytes > this.state.maxQuota) throw new OcsFailure(102, `Invalid quota value. ${value} is exceeding the maximum quota`);
    u.quota = parseSize(humanFileSize(bytes))!;
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
          // getUsers answers array_keys of an array keyed by user id: PHP makes a decimal id an integer key, so JSON a number.
          return { users: hits.slice(offset, limit === undefined ? undefined : offset + limit).map(phpArrayKey) };
        },
      },
      {
        // Before users/{userid}, as Nextcloud's routes are: each user's data keyed by id; PHP's empty array `[]` when none.
        method: 'GET',
        path: /^users\/details$/,
        handle: (req) => {
          const search = (req.query.get('search') ?? '').toLowerCase();
          const limit = req.query.get('limit') ? Number(req.query.get('limit')) : undefined;
          const offset = Number(req.query.get('offset') ?? 0) || 0;
          const hits = this.state.users.filter((u) => !search || u.id.toLowerCase().includes(search) || u.displayname.toLowerCase().includes(search) || (u.email ?? '').toLowerCase().includes(search)).sort((a, b) => (a.id < b.id ? -1 : 1));
          const page = hits.slice(offset, limit === undefined ? undefined : offset + limit);
          return { users: page.length ? Object.fromEntries(page.map((u) => [u.id, this.userData(u)])) : [] };
        },
      },
      {
        method: 'POST',
        path: /^users$/,
        handle: (req) => {
          const b = body(req);
          const userid = str(b.userid);
          const groups = (Array.isArray(b.groups) ? b.groups : b.groups ? [b.groups] : []) as string[];
          if (!userid || !/^[a-zA-Z0-9 _.@\-']+$/.test(userid) || userid.length > 64) throw new OcsFailure(101, 'Invalid user id');
          if (this.user(userid)) throw new OcsFailure(102, 'User already exists');
          for (const g of groups) if (!this.state.groups.includes(g)) throw new OcsFailure(104, `Group ${g} does not exist`);
          const password = str(b.password);
          const email = str(b.email);
          if (!password && !email) throw new OcsFailure(108, 'To send a password link to the user an email address is required.');
          const quota = str(b.quota);
          // As addUser does it: the user, its groups and display name first; then the quota (whose failure, 102, leaves
          // the user made, with no email and no welcome mail); then the email and the mail.
          const record = this.addUser({ id: userid, email: null, displayname: str(b.displayName) || userid, groups, passwordSet: Boolean(password) });
          if (quota) this.setQuota(record, quota);
          record.email = email || null;
          if (email) this.state.welcomeMails.push(userid);
          return { id: userid };
        },
      },
      { method: 'GET', path: new RegExp(`^users/${U}$`), handle: (_req, m) => this.userData(this.must(m[0], 404)) },
      {
        method: 'PUT',
        path: new RegExp(`^users/${U}$`),
        handle: (req, m) => {
          // A user that does not exist is 998 (Nextcloud 17 on; before, 997); a key editUser does not know is 113.
          const u = this.must(m[0]);
          const b = body(req);
          const key = str(b.key);
          const value = str(b.value);
          if (key === 'quota') this.setQuota(u, value);
          else if (key === 'email') u.email = value || null;
          else if (key === 'displayname' || key === 'display') u.displayname = value;
          else throw new OcsFailure(113, '');
          return [];
        },
      },
      // setEnabled: no such user, or the signed-in admin itself, is 101.
      { method: 'PUT', path: new RegExp(`^users/${U}/disable$`), handle: (req, m) => ((this.mustOther(req, m[0]).enabled = false), []) },
      { method: 'PUT', path: new RegExp(`^users/${U}/enable$`), handle: (req, m) => ((this.mustOther(req, m[0]).enabled = true), []) },
      { method: 'GET', path: new RegExp(`^users/${U}/groups$`), handle: (_req, m) => ({ groups: [...this.must(m[0]).groups] }) },
      {
        method: 'POST',
        path: new RegExp(`^users/${U}/groups$`),
        handle: (req, m) => {
          const { groupid, u } = this.membership(req, m[0]);
          if (!u.groups.includes(groupid)) u.groups.push(groupid);
          return [];
        },
      },
      {
        method: 'DELETE',
        path: new RegExp(`^users/${U}/groups$`),
        handle: (req, m) => {
          const { groupid, u } = this.membership(req, m[0]);
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

  /** The admin the Basic auth header signs in, when its app password is right. */
  private signedIn(req: EmulatorRequest): string | undefined {
    const header = String(req.headers.authorization ?? '');
    if (!header.startsWith('Basic ')) return undefined;
    const [user, ...rest] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
    return this.state.appPasswords[user] !== undefined && this.state.appPasswords[user] === rest.join(':') ? user : undefined;
  }

  private authorised(req: EmulatorRequest): boolean {
    return this.signedIn(req) !== undefined;
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

  /** JSON with `format=json`, or with no format and an Accept naming application/json; XML otherwise, as Nextcloud answers. */
  private ocs(req: EmulatorRequest): EmulatorResponse {
    const format = req.query.get('format') ?? (String(req.headers.accept ?? '').includes('application/json') ? 'json' : 'xml');
    const res = this.ocsJson(req);
    return format === 'json' ? { ...res, headers: { 'Content-Type': 'application/json; charset=utf-8' } } : { ...res, body: ocsXml(res.body), headers: { 'Content-Type': 'application/xml; charset=utf-8' } };
  }

  private ocsJson(req: EmulatorRequest): EmulatorResponse {
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
          // At the emulator's clock (a test's), or at `{"at": "<ISO time>"}`.
          const at = req.body ? Date.parse(String((JSON.parse(req.body) as { at?: unknown }).at ?? '')) : NaN;
          u.lastLogin = Number.isFinite(at) ? at : this.now();
          return { status: 200, body: { id: u.id, lastLogin: u.lastLogin } };
        },
      },
    ];
  }
}

/** A string as PHP keeps it as an array key: a decimal integer without leading zeros (in range) becomes an int. */
export function phpArrayKey(id: string): string | number {
  return /^(0|-?[1-9]\d*)$/.test(id) && Number.isSafeInteger(Number(id)) ? Number(id) : id;
}

/** The envelope as BaseResponse::toXML writes it: list items as `<element>`, null empty, true "1", false "". */
function ocsXml(body: unknown): string {
  const write = (value: unknown, indent: string): string =>
    Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => {
        const tag = /^\d+$/.test(k) ? 'element' : k;
        if (v !== null && typeof v === 'object') {
          const inner = write(v, `${indent} `);
          return inner ? `${indent}<${tag}>\n${inner}${indent}</${tag}>\n` : `${indent}<${tag}/>\n`;
        }
        const text = v === null || v === false ? '' : v === true ? '1' : String(v).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
        return text ? `${indent}<${tag}>${text}</${tag}>\n` : `${indent}<${tag}/>\n`;
      })
      .join('');
  return `<?xml version="1.0"?>\n${write(body, '')}`;
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
