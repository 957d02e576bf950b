/** Gmail API settings a leaver touches: vacation auto-reply, delegates, forwarding addresses, auto-forwarding; refused once the user is suspended. */
import type { EmulatorRequest, EmulatorRoute } from '../server';
import { fail } from './errors';
import { api, compact, noContent, ok, readJson, str, type Json } from './http';
import type { UserRecord, WorkspaceStore } from './state';

const SETTINGS = '/gmail/v1/users/:userId/settings';
/** The emulator cannot read a subject out of a fake token, so a client that says "me" names it in this header. */
export const SUBJECT_HEADER = 'x-emulator-subject';

const VACATION_FIELDS = [
  'enableAutoReply', 'responseSubject', 'responseBodyPlainText', 'responseBodyHtml', 'restrictToContacts', 'restrictToDomain', 'startTime', 'endTime',
];
const DISPOSITIONS = ['leaveInInbox', 'archive', 'trash', 'markRead'];

/** The mailbox a request addresses; a suspended user's mail service is off, which Gmail reports as failedPrecondition. */
function mailbox(store: WorkspaceStore, req: EmulatorRequest): UserRecord {
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
  if (user.suspended) throw fail.failedPrecondition('Mail service not enabled');
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

export function gmailRoutes(store: WorkspaceStore): EmulatorRoute[] {
  const settings = (req: EmulatorRequest) => store.gmailOf(mailbox(store, req).id);
  return [
    api('GET', `${SETTINGS}/vacation`, (req) => ok(settings(req).vacation)),
    api('PUT', `${SETTINGS}/vacation`, (req) => {
      const s = settings(req);
      s.vacation = validateVacation(readJson(req));
      return ok(s.vacation);
    }),
    api('GET', `${SETTINGS}/delegates`, (req) => ok(compact({ delegates: settings(req).delegates }))),
    api('GET', `${SETTINGS}/delegates/:delegateEmail`, (req) => {
      const found = settings(req).delegates.find((d) => d.delegateEmail === req.params[1].toLowerCase());
      if (!found) throw fail.gmailNotFound();
      return ok(found);
    }),
    api('POST', `${SETTINGS}/delegates`, (req) => {
      const owner = mailbox(store, req);
      const s = store.gmailOf(owner.id);
      const email = str(readJson(req).delegateEmail)?.toLowerCase() ?? '';
      // A delegate must be an active user of the same organization, named by primary address.
      const delegate = store.state.users.find((u) => u.primaryEmail === email);
      if (!delegate || delegate.suspended || delegate.id === owner.id) throw fail.invalidArgument('Invalid delegate');
      if (s.delegates.some((d) => d.delegateEmail === email)) throw fail.alreadyExists('Delegate already exists');
      const created = { delegateEmail: email, verificationStatus: 'accepted' };
      s.delegates.push(created);
      return ok(created);
    }),
    api('DELETE', `${SETTINGS}/delegates/:delegateEmail`, (req) => {
      const s = settings(req);
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
