/**
 * Gmail API: how else a mailbox is reached and sent from: POP and IMAP access (users.settings getPop/updatePop,
 * getImap/updateImap) and send-as addresses (users.settings.sendAs list/get/create/delete), with Gmail's shapes and
 * refusals. Every call is refused, as the other settings are, once the mailbox has no mail service.
 */
import type { EmulatorRequest, EmulatorRoute } from '../server';
import { aliasDomainAddresses } from './domains';
import { fail, GoogleApiError } from './errors';
import { api, noContent, ok, readJson, str, type Json } from './http';
import { mailbox } from './gmail';
import type { GmailSettings, SendAsRecord, UserRecord, WorkspaceStore } from './state';

const SETTINGS = '/gmail/v1/users/:userId/settings';

/** Gmail's settings for a new Workspace mailbox: POP off, IMAP on (the Gmail settings page's defaults). */
export const DEFAULT_POP = { accessWindow: 'disabled', disposition: 'leaveInInbox' } as const;
export const DEFAULT_IMAP = { enabled: true, autoExpunge: true, expungeBehavior: 'archive', maxFolderSize: 0 } as const;

const ACCESS_WINDOWS = ['accessWindowUnspecified', 'disabled', 'fromNowOn', 'allMail'];
const DISPOSITIONS = ['dispositionUnspecified', 'leaveInInbox', 'archive', 'trash', 'markRead'];
const EXPUNGE_BEHAVIORS = ['expungeBehaviorUnspecified', 'archive', 'trash', 'deleteForever'];
/** The folder sizes Gmail offers (0: no limit). */
const FOLDER_SIZES = [0, 1000, 2000, 5000, 10000];

/** Gmail's refusal of an enum value it does not know, naming the field as the proto does. */
function badEnum(field: string, type: string, value: unknown): GoogleApiError {
  return new GoogleApiError(400, `Invalid value at '${field}' (type.googleapis.com/google.apps.gmail.v1.${type}), ${JSON.stringify(value)}`, 'invalid');
}

function enumValue(body: Json, key: string, allowed: string[], field: string, type: string, current: string): string {
  if (!(key in body) || body[key] === null) return current;
  const value = body[key];
  if (typeof value !== 'string' || !allowed.includes(value)) throw badEnum(field, type, value);
  return value;
}

export function popOf(s: GmailSettings) {
  s.pop ??= { ...DEFAULT_POP };
  return s.pop;
}

export function imapOf(s: GmailSettings) {
  s.imap ??= { ...DEFAULT_IMAP };
  return s.imap;
}

/** The primary send-as, which Gmail derives from the user: it cannot be made or deleted, and is the default unless another is. */
function primarySendAs(u: UserRecord, others: SendAsRecord[]): Json {
  return {
    sendAsEmail: u.primaryEmail,
    displayName: `${u.name.givenName} ${u.name.familyName}`.trim(),
    replyToAddress: '',
    signature: '',
    isPrimary: true,
    isDefault: !others.some((x) => x.isDefault),
    treatAsAlias: false,
  };
}

/** A custom send-as as Gmail answers it (verificationStatus only on a custom one, as Gmail omits it on the primary). */
const sendAsResource = (x: SendAsRecord): Json => ({ ...x });

/** Addresses Gmail takes as the mailbox's own: its aliases and its addresses on domain aliases need no verification. */
function ownAddresses(store: WorkspaceStore, u: UserRecord): Set<string> {
  return new Set([u.primaryEmail, ...u.aliases, ...(aliasDomainAddresses(store, u) ?? [])].map((a) => a.toLowerCase()));
}

/** Inserts a send-as (the API's create and the seed helper): owned addresses are accepted at once, others wait for their owner. */
export function insertSendAs(store: WorkspaceStore, u: UserRecord, body: Json): SendAsRecord {
  const s = store.gmailOf(u.id);
  const list = (s.sendAs ??= []);
  const email = str(body.sendAsEmail)?.trim().toLowerCase();
  if (!email) throw fail.invalidArgument('Missing send-as email');
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) throw fail.invalidArgument('Invalid send-as email');
  if (email === u.primaryEmail || list.some((x) => x.sendAsEmail === email)) throw fail.alreadyExists('Send-as alias already exists');
  for (const key of ['displayName', 'replyToAddress', 'signature'] as const) {
    if (key in body && body[key] !== null && typeof body[key] !== 'string') throw fail.invalidArgument(`Invalid value at 'send_as.${key}'`);
  }
  const accepted = ownAddresses(store, u).has(email);
  const record: SendAsRecord = {
    sendAsEmail: email,
    displayName: str(body.displayName) ?? '',
    replyToAddress: str(body.replyToAddress) ?? '',
    signature: str(body.signature) ?? '',
    // Only a verified address may be the default: Gmail sends a verification mail to any other and keeps it pending.
    isDefault: accepted && body.isDefault === true,
    treatAsAlias: body.treatAsAlias === true,
    verificationStatus: accepted ? 'accepted' : 'pending',
  };
  if (record.isDefault) for (const x of list) x.isDefault = false;
  list.push(record);
  return record;
}

export function gmailAccessRoutes(store: WorkspaceStore): EmulatorRoute[] {
  const owner = (req: EmulatorRequest) => mailbox(store, req);
  const settings = (req: EmulatorRequest) => store.gmailOf(owner(req).id);
  return [
    api('GET', `${SETTINGS}/pop`, (req) => ok({ ...popOf(settings(req)) })),
    api('PUT', `${SETTINGS}/pop`, (req) => {
      const s = settings(req);
      const body = readJson(req);
      const current = popOf(s);
      const accessWindow = enumValue(body, 'accessWindow', ACCESS_WINDOWS, 'pop_settings.access_window', 'PopSettings.AccessWindow', current.accessWindow);
      const disposition = enumValue(body, 'disposition', DISPOSITIONS, 'pop_settings.disposition', 'PopSettings.Disposition', current.disposition);
      s.pop = { accessWindow, disposition };
      return ok({ ...s.pop });
    }),
    api('GET', `${SETTINGS}/imap`, (req) => ok({ ...imapOf(settings(req)) })),
    api('PUT', `${SETTINGS}/imap`, (req) => {
      const s = settings(req);
      const body = readJson(req);
      const current = imapOf(s);
      for (const key of ['enabled', 'autoExpunge']) {
        if (key in body && body[key] !== null && typeof body[key] !== 'boolean') throw fail.invalidArgument(`Invalid value at 'imap_settings.${key === 'enabled' ? 'enabled' : 'auto_expunge'}'`);
      }
      const expungeBehavior = enumValue(body, 'expungeBehavior', EXPUNGE_BEHAVIORS, 'imap_settings.expunge_behavior', 'ImapSettings.ExpungeBehavior', current.expungeBehavior);
      let maxFolderSize = current.maxFolderSize;
      if ('maxFolderSize' in body && body.maxFolderSize !== null) {
        maxFolderSize = Number(body.maxFolderSize);
        if (!FOLDER_SIZES.includes(maxFolderSize)) throw fail.invalidArgument(`Invalid maxFolderSize: ${String(body.maxFolderSize)}`);
      }
      s.imap = {
        enabled: typeof body.enabled === 'boolean' ? body.enabled : current.enabled,
        autoExpunge: typeof body.autoExpunge === 'boolean' ? body.autoExpunge : current.autoExpunge,
        expungeBehavior,
        maxFolderSize,
      };
      return ok({ ...s.imap });
    }),
    api('GET', `${SETTINGS}/sendAs`, (req) => {
      const u = owner(req);
      const others = store.gmailOf(u.id).sendAs ?? [];
      return ok({ sendAs: [primarySendAs(u, others), ...others.map(sendAsResource)] });
    }),
    api('GET', `${SETTINGS}/sendAs/:sendAsEmail`, (req) => {
      const u = owner(req);
      const others = store.gmailOf(u.id).sendAs ?? [];
      const email = req.params[1].toLowerCase();
      if (email === u.primaryEmail) return ok(primarySendAs(u, others));
      const found = others.find((x) => x.sendAsEmail === email);
      if (!found) throw fail.gmailNotFound();
      return ok(sendAsResource(found));
    }),
    api('POST', `${SETTINGS}/sendAs`, (req) => ok(sendAsResource(insertSendAs(store, owner(req), readJson(req))))),
    api('DELETE', `${SETTINGS}/sendAs/:sendAsEmail`, (req) => {
      const u = owner(req);
      const s = store.gmailOf(u.id);
      const email = req.params[1].toLowerCase();
      // UNCONFIRMED wording: the reference says only that the primary cannot be deleted; no source quotes Gmail's
      // answer. 400 failedPrecondition is its usual refusal of a settings call that the mailbox's state forbids.
      if (email === u.primaryEmail) throw fail.failedPrecondition('Cannot delete the primary send-as alias');
      if (!(s.sendAs ?? []).some((x) => x.sendAsEmail === email)) throw fail.gmailNotFound();
      s.sendAs = (s.sendAs ?? []).filter((x) => x.sendAsEmail !== email);
      return noContent();
    }),
  ];
}
