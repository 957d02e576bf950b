/**
 * Gmail API: the settings a leaver touches (vacation auto-reply, delegates, forwarding addresses, auto-forwarding;
 * refused once the user is suspended or holds no license that includes Gmail), and messages sent, listed and read in a
 * mailbox (users.messages send/list/get).
 */
import { readLocalAccessToken } from '../../credentials/google-local-token';
import type { EmulatorRequest, EmulatorRoute } from '../server';
import { fail, GoogleApiError, TokenRefused } from './errors';
import { api, compact, noContent, ok, paginate, readJson, str, type Json } from './http';
import { addresses, decodeWords, headerValue, parseMime, plainText, withHeader, type MimePart } from './mime';
import { GOOGLE_WORKSPACE_PRODUCT_ID } from './catalog';
import type { MailMessageRecord, UserRecord, WorkspaceStore } from './state';

const SETTINGS = '/gmail/v1/users/:userId/settings';
/** The emulator cannot read a subject out of a fake token, so a client that says "me" names it in this header. */
export const SUBJECT_HEADER = 'x-emulator-subject';

const VACATION_FIELDS = [
  'enableAutoReply', 'responseSubject', 'responseBodyPlainText', 'responseBodyHtml', 'restrictToContacts', 'restrictToDomain', 'startTime', 'endTime',
];
const DISPOSITIONS = ['leaveInInbox', 'archive', 'trash', 'markRead'];

/**
 * The emulator's default delegate limits (the one place they are set): how many delegates a mailbox may have and of
 * how many mailboxes one user may be delegate, through the API. The Gmail API reference (users.settings.delegates.create)
 * says "in general each user can have up to 25 delegates and up to 10 delegators"; through the API Google stops a
 * mailbox at 10 delegates (GAM-team/GAM#1180, taers232c/GAMADV-XTD3#365: the 11th is refused, and Google support
 * confirmed 10 through the API), which is the figure kept here. Tests set others (setDelegateLimits).
 */
export const GMAIL_DELEGATE_LIMITS = { delegatesPerMailbox: 10, delegatorsPerUser: 10 } as const;

/**
 * The products whose licenses include Gmail: Google Workspace (product Google-Apps, every SKU in catalog.ts). A user
 * holding none has no mail service, and Gmail answers every call on the mailbox 400 failedPrecondition
 * "Mail service not enabled", as it does for a suspended user (the body quoted in WPManageNinja/fluent-smtp#152,
 * levz0r/gmail-tester#57).
 */
const PRODUCTS_WITH_GMAIL = new Set<string>([GOOGLE_WORKSPACE_PRODUCT_ID]);

export function hasMailService(store: WorkspaceStore, user: UserRecord): boolean {
  return !user.suspended && store.state.licenses.some((l) => l.userId === user.id && PRODUCTS_WITH_GMAIL.has(l.productId));
}

/** Users whose mailbox delegates to this user (by any of their addresses): the delegators Gmail counts against the delegate's limit. */
function delegatorsOf(store: WorkspaceStore, email: string): number {
  const user = store.findUser(email);
  const keys = new Set(user ? [user.primaryEmail, ...user.aliases] : [email]);
  return store.state.users.filter((u) => store.state.gmail[u.id]?.delegates.some((d) => keys.has(d.delegateEmail))).length;
}

/**
 * A mailbox's Gmail settings with its delegates named by their current primary address: a delegate is a user, and
 * Gmail lists one renamed since by the new address (the old one is an alias, which delegates calls do not take).
 */
function withCurrentDelegates(store: WorkspaceStore, ownerId: string) {
  const s = store.gmailOf(ownerId);
  for (const d of s.delegates) {
    const user = store.findUser(d.delegateEmail);
    if (user && user.primaryEmail !== d.delegateEmail) d.delegateEmail = user.primaryEmail;
  }
  return s;
}

/** The mailbox a request addresses; a mailbox with no mail service (suspended, or no Gmail license) is failedPrecondition. */
export function mailbox(store: WorkspaceStore, req: EmulatorRequest): UserRecord {
  let key = req.params[0];
  if (key === 'me') {
    const subject = req.headers[SUBJECT_HEADER];
    const value = Array.isArray(subject) ? subject[0] : subject;
    if (!value) {
      throw fail.invalidArgument(`userId "me" needs the X-Emulator-Subject header: the emulator cannot tell the impersonated user from a fake token; pass the user's email as userId`);
    }
    key = value;
  }
  const user = store.findUser(key);
  if (!user) throw fail.gmailNotFound();
  if (!hasMailService(store, user)) throw fail.failedPrecondition('Mail service not enabled');
  return user;
}

function validateVacation(body: Json): Json {
  const out: Json = {};
  for (const field of VACATION_FIELDS) if (field in body && body[field] !== null) out[field] = body[field];
  out.enableAutoReply = body.enableAutoReply === true;
  for (const field of ['startTime', 'endTime']) {
    // int64 milliseconds, sent as strings by the real client.
    if (out[field] !== undefined && !/^\d+$/.test(String(out[field]))) throw fail.invalidArgument(`Invalid value at 'vacation_settings.${field}'`);
    if (out[field] !== undefined) out[field] = String(out[field]);
  }
  if (out.startTime && out.endTime && Number(out.endTime) <= Number(out.startTime)) throw fail.invalidArgument('End time must be after start time.');
  return out;
}

const MESSAGES = '/gmail/v1/users/:userId/messages';
const scope = (s: string) => (s.startsWith('https://') ? s : `https://www.googleapis.com/auth/${s}`);
const SEND_SCOPES = new Set(['gmail.send', 'gmail.compose', 'gmail.modify', 'https://mail.google.com/'].map(scope));
const READ_SCOPES = new Set(['gmail.readonly', 'gmail.modify', 'https://mail.google.com/'].map(scope));
const METADATA_SCOPE = scope('gmail.metadata');
const FORMATS = ['full', 'metadata', 'minimal', 'raw'];

type MailAccess = 'send' | 'list' | 'list-q' | 'read-metadata' | 'read-full';

/**
 * The mailbox a messages call acts on. With a token naming its user (local/credentials/google-local-token.ts) the emulator checks what
 * Google checks: the user may be impersonated, is the mailbox asked for, and the token's scopes allow the call.
 */
function messageMailbox(store: WorkspaceStore, req: EmulatorRequest, access: MailAccess): UserRecord {
  const claims = readLocalAccessToken((req.headers.authorization ?? '').replace(/^Bearer\s+/i, ''));
  if (!claims) return mailbox(store, req);
  const email = claims.sub.toLowerCase();
  const user = store.state.users.find((u) => u.primaryEmail === email);
  if (!user) throw new TokenRefused(store.state.deletedUsers.some((u) => u.primaryEmail === email) ? 'The account has been deleted' : 'Invalid email or User ID');
  if (user.suspended) throw new TokenRefused('Invalid email or User ID');
  if (!hasMailService(store, user)) throw fail.failedPrecondition('Mail service not enabled');
  const asked = req.params[0];
  if (asked !== 'me' && store.findUser(asked)?.id !== user.id) throw fail.forbidden(`Delegation denied for ${email}`);
  const has = (set: Set<string>) => claims.scopes.some((s) => set.has(s));
  const metadataOnly = !has(READ_SCOPES) && claims.scopes.includes(METADATA_SCOPE);
  if (access === 'send' && !has(SEND_SCOPES)) throw fail.insufficientScopes();
  if (access !== 'send' && !has(READ_SCOPES) && !metadataOnly) throw fail.insufficientScopes();
  if (metadataOnly && access === 'list-q') throw fail.forbidden("Metadata scope does not support 'q' parameter");
  if (metadataOnly && access === 'read-full') throw fail.forbidden("Metadata scope doesn't allow format FULL");
  return user;
}

const decodeRaw = (raw: string) => Buffer.from(raw.replace(/\s+/g, ''), raw.includes('+') || raw.includes('/') ? 'base64' : 'base64url').toString('utf8');

/** Gmail checks the recipients and sets From to the sending mailbox, Message-ID and Date when missing. */
function acceptOutgoing(store: WorkspaceStore, sender: UserRecord, raw: unknown, id: string): string {
  if (typeof raw !== 'string' || !raw.trim()) throw fail.invalidArgument("'raw' RFC822 payload message string or uploading message via /upload/* URL required");
  let text = decodeRaw(raw);
  const headers = parseMime(text).headers;
  const recipients: string[] = [];
  for (const name of ['To', 'Cc', 'Bcc']) {
    const list = addresses(headerValue(headers, name));
    if (!list) throw fail.invalidArgument(`Invalid ${name} header`);
    recipients.push(...list);
  }
  if (recipients.length === 0) throw fail.invalidArgument('Recipient address required');
  // Not a send-as alias of the mailbox: Gmail sends as the mailbox itself.
  const from = addresses(headerValue(headers, 'From'));
  if (!from || from.length !== 1 || from[0] !== sender.primaryEmail) text = withHeader(text, 'From', sender.primaryEmail);
  if (!headerValue(headers, 'Message-ID')) text = withHeader(text, 'Message-ID', `<CAemu${id}@mail.gmail.com>`);
  if (!headerValue(headers, 'Date')) text = withHeader(text, 'Date', new Date(store.now()).toUTCString());
  return Buffer.from(text, 'utf8').toString('base64url');
}

const parsed = (m: MailMessageRecord) => parseMime(Buffer.from(m.raw, 'base64url').toString('utf8'));
const snippetOf = (part: MimePart) => plainText(part).replace(/\s+/g, ' ').trim().slice(0, 200);

/** Gmail's payload: a part tree with decoded headers and base64url bodies (headers only, for metadata). */
function payload(part: MimePart, partId: string, withBodies: boolean, only?: string[]): Json {
  const headers = part.headers
    .filter((h) => !only || only.includes(h.name.toLowerCase()))
    .map((h) => ({ name: h.name, value: decodeWords(h.value) }));
  if (!withBodies) return { headers };
  return compact({
    partId,
    mimeType: part.mimeType,
    filename: '',
    headers,
    body: part.parts.length ? { size: 0 } : { size: part.body.length, data: part.body.toString('base64url') },
    parts: part.parts.map((p, i) => payload(p, partId ? `${partId}.${i}` : String(i), true)),
  });
}

function messageResource(m: MailMessageRecord, format: string, metadataHeaders?: string[]): Json {
  const part = parsed(m);
  const base = {
    id: m.id,
    threadId: m.threadId,
    labelIds: m.labelIds,
    snippet: snippetOf(part),
    sizeEstimate: Buffer.from(m.raw, 'base64url').length,
    historyId: m.historyId,
    internalDate: String(m.internalDate),
  };
  if (format === 'raw') return { ...base, raw: m.raw };
  if (format === 'minimal') return base;
  if (format === 'metadata') return { ...base, payload: payload(part, '', false, metadataHeaders?.length ? metadataHeaders.map((h) => h.toLowerCase()) : undefined) };
  return { ...base, payload: payload(part, '', true) };
}

/** The q forms supported: to:, from:, cc:, subject:, rfc822msgid:, in:/label: and bare words (subject and text). */
function matcher(q: string): (m: MailMessageRecord) => boolean {
  const terms = [...q.matchAll(/(-?)(?:([a-z0-9]+):)?(?:"([^"]*)"|(\S+))/gi)].map((t) => ({ negate: t[1] === '-', op: t[2]?.toLowerCase(), value: (t[3] ?? t[4] ?? '').toLowerCase() }));
  return (m) => {
    const part = parsed(m);
    const h = (name: string) => decodeWords(headerValue(part.headers, name) ?? '').toLowerCase();
    return terms.every(({ negate, op, value }) => {
      let hit: boolean;
      switch (op) {
        case 'to':
        case 'from':
        case 'cc':
        case 'bcc':
          hit = h(op).includes(value);
          break;
        case 'subject':
          hit = h('subject').includes(value);
          break;
        case 'rfc822msgid':
          hit = h('message-id').replace(/[<>]/g, '') === value.replace(/[<>]/g, '');
          break;
        case 'in':
        case 'label':
          hit = m.labelIds.includes(value.toUpperCase());
          break;
        default:
          hit = `${h('subject')} ${plainText(part).toLowerCase()}`.includes(op ? `${op}:${value}` : value);
      }
      return negate ? !hit : hit;
    });
  };
}

function findMessage(store: WorkspaceStore, user: UserRecord, id: string): MailMessageRecord {
  const found = store.state.messages.find((m) => m.id === id && m.userId === user.id);
  if (!found) throw fail.gmailNotFound();
  return found;
}

/** What the human mail view shows of a message. */
export interface MailView {
  id: string;
  mailbox: string;
  from: string;
  to: string;
  cc: string;
  subject: string;
  internalDate: string;
  headers: Record<string, string>;
  text: string;
}

export function mailView(store: WorkspaceStore, m: MailMessageRecord): MailView {
  const part = parsed(m);
  const h = (name: string) => decodeWords(headerValue(part.headers, name) ?? '');
  return {
    id: m.id,
    mailbox: store.state.users.find((u) => u.id === m.userId)?.primaryEmail ?? m.userId,
    from: h('From'),
    to: h('To').toLowerCase(),
    cc: h('Cc').toLowerCase(),
    subject: h('Subject'),
    internalDate: new Date(m.internalDate).toISOString(),
    headers: Object.fromEntries(part.headers.map((x) => [x.name, decodeWords(x.value)])),
    text: plainText(part),
  };
}

function messageRoutes(store: WorkspaceStore): EmulatorRoute[] {
  return [
    api('POST', `${MESSAGES}/send`, (req) => {
      const sender = messageMailbox(store, req, 'send');
      const n = store.next();
      const id = (0x18c0000000000000n + BigInt(n)).toString(16);
      const body = readJson(req);
      if (body.threadId !== undefined && !store.state.messages.some((m) => m.threadId === body.threadId && m.userId === sender.id)) throw fail.gmailNotFound();
      const record: MailMessageRecord = {
        id,
        threadId: typeof body.threadId === 'string' ? body.threadId : id,
        userId: sender.id,
        labelIds: ['SENT'],
        raw: acceptOutgoing(store, sender, body.raw, id),
        internalDate: store.now(),
        historyId: String(n),
      };
      store.state.messages.push(record);
      return ok({ id: record.id, threadId: record.threadId, labelIds: record.labelIds });
    }),
    api('GET', MESSAGES, (req) => {
      const q = req.query.get('q') ?? '';
      const user = messageMailbox(store, req, q ? 'list-q' : 'list');
      const labels = req.query.getAll('labelIds').map((l) => l.toUpperCase());
      const match = q ? matcher(q) : () => true;
      const found = store.state.messages
        .filter((m) => m.userId === user.id && labels.every((l) => m.labelIds.includes(l)) && match(m))
        .sort((a, b) => b.internalDate - a.internalDate || Number(b.historyId) - Number(a.historyId));
      const { page, nextPageToken } = paginate(found, req.query, 100, 500);
      return ok(compact({ messages: page.map((m) => ({ id: m.id, threadId: m.threadId })), nextPageToken, resultSizeEstimate: found.length }));
    }),
    api('GET', `${MESSAGES}/:id`, (req) => {
      const format = (req.query.get('format') ?? 'full').toLowerCase();
      if (!FORMATS.includes(format)) {
        throw new GoogleApiError(400, `Invalid value at 'format' (type.googleapis.com/google.apps.gmail.v1.Message.Format), "${req.query.get('format')}"`, 'invalid');
      }
      const user = messageMailbox(store, req, format === 'full' || format === 'raw' ? 'read-full' : 'read-metadata');
      return ok(messageResource(findMessage(store, user, req.params[1]), format, req.query.getAll('metadataHeaders')));
    }),
  ];
}

export function gmailRoutes(store: WorkspaceStore): EmulatorRoute[] {
  const settings = (req: EmulatorRequest) => store.gmailOf(mailbox(store, req).id);
  const delegateSettings = (req: EmulatorRequest) => withCurrentDelegates(store, mailbox(store, req).id);
  return [
    ...messageRoutes(store),
    api('GET', `${SETTINGS}/vacation`, (req) => ok(settings(req).vacation)),
    api('PUT', `${SETTINGS}/vacation`, (req) => {
      const s = settings(req);
      s.vacation = validateVacation(readJson(req));
      return ok(s.vacation);
    }),
    api('GET', `${SETTINGS}/delegates`, (req) => ok(compact({ delegates: delegateSettings(req).delegates }))),
    api('GET', `${SETTINGS}/delegates/:delegateEmail`, (req) => {
      const found = delegateSettings(req).delegates.find((d) => d.delegateEmail === req.params[1].toLowerCase());
      if (!found) throw fail.gmailNotFound();
      return ok(found);
    }),
    api('POST', `${SETTINGS}/delegates`, (req) => {
      const owner = mailbox(store, req);
      const s = withCurrentDelegates(store, owner.id);
      const email = str(readJson(req).delegateEmail)?.toLowerCase() ?? '';
      // A delegate must be an active user of the same organization, named by primary address.
      const delegate = store.state.users.find((u) => u.primaryEmail === email);
      if (!delegate || delegate.suspended || delegate.id === owner.id) throw fail.invalidArgument('Invalid delegate');
      if (s.delegates.some((d) => d.delegateEmail === email)) throw fail.alreadyExists('Delegate already exists');
      const limits = store.state.settings.delegateLimits ?? GMAIL_DELEGATE_LIMITS;
      // Google's words for the mailbox side (GAM-team/GAM#1180, taers232c/GAMADV-XTD3#365); the same words are reported for the delegate side too.
      if (s.delegates.length >= limits.delegatesPerMailbox) throw fail.failedPrecondition('Delegator user cannot have any more delegates');
      // The delegate side (the API reference's "up to 10 delegators"). UNCONFIRMED wording: no source quotes Google's
      // answer for this side; this message is the emulator's own, and the actions do not rely on it.
      if (delegatorsOf(store, email) >= limits.delegatorsPerUser) throw fail.failedPrecondition('Delegate user cannot have any more delegators');
      const created = { delegateEmail: email, verificationStatus: 'accepted' };
      s.delegates.push(created);
      return ok(created);
    }),
    api('DELETE', `${SETTINGS}/delegates/:delegateEmail`, (req) => {
      const s = delegateSettings(req);
      const email = req.params[1].toLowerCase();
      if (!s.delegates.some((d) => d.delegateEmail === email)) throw fail.gmailNotFound();
      s.delegates = s.delegates.filter((d) => d.delegateEmail !== email);
      return noContent();
    }),
    api('GET', `${SETTINGS}/forwardingAddresses`, (req) => ok(compact({ forwardingAddresses: settings(req).forwardingAddresses }))),
    api('GET', `${SETTINGS}/forwardingAddresses/:forwardingEmail`, (req) => {
      const found = settings(req).forwardingAddresses.find((f) => f.forwardingEmail === req.params[1].toLowerCase());
      if (!found) throw fail.gmailNotFound();
      return ok(found);
    }),
    api('POST', `${SETTINGS}/forwardingAddresses`, (req) => {
      const s = settings(req);
      const email = str(readJson(req).forwardingEmail)?.toLowerCase();
      if (!email || !/^[^@\s]+@[^@\s]+$/.test(email)) throw fail.invalidArgument('Invalid forwarding address');
      if (s.forwardingAddresses.some((f) => f.forwardingEmail === email)) throw fail.alreadyExists('Forwarding address already exists');
      // Addresses in the organization's own domain need no verification; outside ones wait for the owner to confirm.
      const created = { forwardingEmail: email, verificationStatus: store.inDomain(email) ? 'accepted' : 'pending' };
      s.forwardingAddresses.push(created);
      return ok(created);
    }),
    api('DELETE', `${SETTINGS}/forwardingAddresses/:forwardingEmail`, (req) => {
      const s = settings(req);
      const email = req.params[1].toLowerCase();
      if (!s.forwardingAddresses.some((f) => f.forwardingEmail === email)) throw fail.gmailNotFound();
      s.forwardingAddresses = s.forwardingAddresses.filter((f) => f.forwardingEmail !== email);
      if (s.autoForwarding.emailAddress === email) s.autoForwarding = { enabled: false };
      return noContent();
    }),
    api('GET', `${SETTINGS}/autoForwarding`, (req) => ok(settings(req).autoForwarding)),
    api('PUT', `${SETTINGS}/autoForwarding`, (req) => {
      const s = settings(req);
      const body = readJson(req);
      if (body.enabled !== true) {
        s.autoForwarding = { enabled: false };
        return ok(s.autoForwarding);
      }
      const email = str(body.emailAddress)?.toLowerCase();
      const address = s.forwardingAddresses.find((f) => f.forwardingEmail === email);
      if (!address || address.verificationStatus !== 'accepted') throw fail.failedPrecondition('Unverified forwarding address');
      const disposition = str(body.disposition);
      if (!disposition || !DISPOSITIONS.includes(disposition)) throw fail.invalidArgument('Invalid disposition');
      s.autoForwarding = { enabled: true, emailAddress: email, disposition };
      return ok(s.autoForwarding);
    }),
  ];
}
