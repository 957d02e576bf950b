/**
 * Google Vault (vault.googleapis.com v1): matters and their holds on accounts, as the Vault API serves them
 * (developers.google.com/workspace/vault/reference/rest/v1/matters, .../matters.holds). Errors in the shape of
 * Google's newer APIs: code, message and the canonical status, no legacy `errors` list.
 */
import type { EmulatorResponse, EmulatorRoute } from '../server';
import { ARCHIVED_USER_PRODUCT_ID, GOOGLE_WORKSPACE_PRODUCT_ID } from './catalog';
import { GoogleApiError } from './errors';
import { api, isJson, ok, readJson, str, type Json } from './http';
import type { HoldRecord, MatterRecord, UserRecord, WorkspaceStore } from './state';

const MATTERS = '/v1/matters';
const MATTER = `${MATTERS}/:matterId`;
const HOLDS = `${MATTER}/holds`;
/** A hold, or one of its custom methods (`{holdId}:addHeldAccounts`): Google's custom-verb paths. */
const HOLD = `${HOLDS}/*hold`;

const CORPORA = ['DRIVE', 'MAIL', 'GROUPS', 'HANGOUTS_CHAT', 'VOICE', 'CALENDAR'];

/** A Vault error: code, message and status, as Google's one-platform APIs send them. */
class VaultError extends GoogleApiError {
  constructor(status: number, message: string, private readonly statusName: string) {
    super(status, message);
  }

  override toResponse(): EmulatorResponse {
    return { status: this.status, body: { error: { code: this.status, message: this.message, status: this.statusName } } };
  }
}

export const vaultFail = {
  notFound: () => new VaultError(404, 'Requested entity was not found.', 'NOT_FOUND'),
  invalid: (message: string) => new VaultError(400, message, 'INVALID_ARGUMENT'),
  precondition: (message: string) => new VaultError(400, message, 'FAILED_PRECONDITION'),
};

/** The products whose license keeps an account under Vault: the Workspace editions, their Archived User licenses, the Vault add-on. */
const VAULT_COVERING_PRODUCTS = [GOOGLE_WORKSPACE_PRODUCT_ID, ARCHIVED_USER_PRODUCT_ID, 'Google-Vault'];

/**
 * Vault holds only a licensed account: "Without a license, the user is no longer on hold" (support.google.com/vault/
 * answer/4552977). When License Manager takes the last license of the account that Vault covers, it leaves every
 * account-based hold (an org-unit hold is not narrowed: Vault gives no sign of it there either). The emulator does
 * not tell editions without Vault (Business Starter, Standard) from those with it: any Workspace license covers.
 */
export function releaseUnlicensedFromHolds(store: WorkspaceStore, userId: string): void {
  if (store.state.licenses.some((l) => l.userId === userId && VAULT_COVERING_PRODUCTS.includes(l.productId))) return;
  const now = store.isoNow();
  for (const matter of store.state.matters ?? []) {
    for (const hold of matter.holds) {
      if (!hold.accounts.some((a) => a.accountId === userId)) continue;
      hold.accounts = hold.accounts.filter((a) => a.accountId !== userId);
      hold.updateTime = now;
    }
  }
}

function page<T>(items: T[], query: URLSearchParams, max: number): { page: T[]; nextPageToken?: string } {
  const raw = query.get('pageSize');
  const size = raw ? Number(raw) : max;
  if (!Number.isInteger(size) || size < 0) throw vaultFail.invalid(`Invalid value for page_size: ${raw}`);
  const token = query.get('pageToken');
  const offset = token ? Number(Buffer.from(token, 'base64url').toString('utf8').replace(/^v:/, '')) : 0;
  if (!Number.isInteger(offset) || offset < 0) throw vaultFail.invalid('Invalid page token.');
  const n = Math.min(size || max, max);
  const next = offset + n;
  return { page: items.slice(offset, next), nextPageToken: next < items.length ? Buffer.from(`v:${next}`).toString('base64url') : undefined };
}

export function vaultRoutes(store: WorkspaceStore): EmulatorRoute[] {
  const matters = () => (store.state.matters ??= []);
  const matterView = (m: MatterRecord) => ({ matterId: m.matterId, name: m.name, ...(m.description ? { description: m.description } : {}), state: m.state });
  const requireMatter = (matterId: string): MatterRecord => {
    const m = matters().find((x) => x.matterId === matterId && x.state !== 'DELETED');
    if (!m) throw vaultFail.notFound();
    return m;
  };
  const openMatter = (matterId: string): MatterRecord => {
    const m = requireMatter(matterId);
    if (m.state !== 'OPEN') throw vaultFail.precondition('Matter is not open.');
    return m;
  };
  const requireHold = (m: MatterRecord, holdId: string): HoldRecord => {
    const h = m.holds.find((x) => x.holdId === holdId);
    if (!h) throw vaultFail.notFound();
    return h;
  };
  const heldAccount = (a: { accountId: string; holdTime: string }) => {
    const u = store.state.users.find((x) => x.id === a.accountId);
    return { accountId: a.accountId, holdTime: a.holdTime, ...(u ? { email: u.primaryEmail, firstName: u.name.givenName, lastName: u.name.familyName } : {}) };
  };
  const holdView = (h: HoldRecord, full = true) => ({
    holdId: h.holdId,
    name: h.name,
    updateTime: h.updateTime,
    corpus: h.corpus,
    ...(full && !h.orgUnit ? { accounts: h.accounts.map(heldAccount) } : {}),
    ...(full && h.orgUnit ? { orgUnit: h.orgUnit } : {}),
  });
  /** A HeldAccount as sent: the email takes precedence over the account id (Vault's HeldAccount reference). */
  const accountOf = (value: unknown): UserRecord => {
    if (!isJson(value)) throw vaultFail.invalid('Invalid held account.');
    const email = str(value.email);
    const id = str(value.accountId);
    const user = email ? store.findUser(email) : id ? store.state.users.find((u) => u.id === id) : undefined;
    if (!email && !id) throw vaultFail.invalid('Held account must have an account ID or email.');
    if (!user) throw vaultFail.invalid(`Invalid account: ${email ?? id}`);
    return user;
  };
  const newId = (prefix: string) => `${prefix}${store.next().toString(36).padStart(10, '0')}`;

  const holdAction = (m: MatterRecord, holdAndVerb: string, body: Json) => {
    const [holdId, verb] = holdAndVerb.split(':');
    const hold = requireHold(m, holdId);
    if (hold.orgUnit) throw vaultFail.precondition('Accounts cannot be added to or removed from an org unit hold.');
    const now = store.isoNow();
    if (verb === 'addHeldAccounts') {
      const emails = Array.isArray(body.emails) ? body.emails : [];
      const ids = Array.isArray(body.accountIds) ? body.accountIds : [];
      if (emails.length && ids.length) throw vaultFail.invalid('Only one of emails or account IDs may be set.');
      const wanted = emails.length ? emails.map((email) => ({ email })) : ids.map((accountId) => ({ accountId }));
      if (!wanted.length) throw vaultFail.invalid('No accounts to add.');
      const responses = wanted.map((w) => {
        try {
          const user = accountOf(w);
          let held = hold.accounts.find((a) => a.accountId === user.id);
          if (!held) hold.accounts.push((held = { accountId: user.id, holdTime: now }));
          return { account: heldAccount(held), status: { code: 0 } };
        } catch (err) {
          return { status: { code: 3, message: (err as Error).message } };
        }
      });
      hold.updateTime = now;
      return ok({ responses });
    }
    if (verb === 'removeHeldAccounts') {
      const ids = Array.isArray(body.accountIds) ? body.accountIds.map(String) : [];
      if (!ids.length) throw vaultFail.invalid('No accounts to remove.');
      const statuses = ids.map((id) => {
        const before = hold.accounts.length;
        hold.accounts = hold.accounts.filter((a) => a.accountId !== id);
        return before === hold.accounts.length ? { code: 5, message: 'Requested entity was not found.' } : { code: 0 };
      });
      hold.updateTime = now;
      return ok({ statuses });
    }
    throw vaultFail.notFound();
  };

  return [
    api('POST', MATTERS, (req) => {
      const body = readJson(req);
      const name = str(body.name)?.trim();
      if (!name) throw vaultFail.invalid('Matter name is required.');
      const matter: MatterRecord = { matterId: crypto.randomUUID(), name, ...(str(body.description) ? { description: str(body.description) } : {}), state: 'OPEN', holds: [] };
      matters().push(matter);
      return ok(matterView(matter));
    }),
    api('GET', MATTERS, (req) => {
      const state = req.query.get('state');
      if (state && !['OPEN', 'CLOSED', 'DELETED'].includes(state)) throw vaultFail.invalid(`Invalid value at 'state' (type.googleapis.com/google.apps.vault.v1.MatterState), "${state}"`);
      const all = matters().filter((m) => (state ? m.state === state : m.state !== 'DELETED'));
      const { page: items, nextPageToken } = page(all, req.query, 100);
      return ok({ ...(items.length ? { matters: items.map(matterView) } : {}), ...(nextPageToken ? { nextPageToken } : {}) });
    }),
    api('GET', MATTER, (req) => ok(matterView(requireMatter(req.params[0])))),
    // matters.close (`{matterId}:close`, Google's custom-verb path): an open matter with no holds left.
    api('POST', MATTER, (req) => {
      const [matterId, verb] = req.params[0].split(':');
      if (verb !== 'close') throw vaultFail.notFound();
      const matter = openMatter(matterId);
      if (matter.holds.length) throw vaultFail.precondition('Matter has holds. Remove all holds before closing the matter.');
      matter.state = 'CLOSED';
      return ok({ matter: matterView(matter) });
    }),
    // matters.delete: only a closed matter; the answer is the matter, state DELETED.
    api('DELETE', MATTER, (req) => {
      const matter = requireMatter(req.params[0]);
      if (matter.state !== 'CLOSED') throw vaultFail.precondition('Matter must be closed before it can be deleted.');
      matter.state = 'DELETED';
      return ok(matterView(matter));
    }),
    api('POST', HOLDS, (req) => {
      const matter = openMatter(req.params[0]);
      const body = readJson(req);
      const name = str(body.name)?.trim();
      if (!name) throw vaultFail.invalid('Hold name is required.');
      const corpus = str(body.corpus);
      if (!corpus || !CORPORA.includes(corpus)) throw vaultFail.invalid('Hold corpus must be specified.');
      const accounts = Array.isArray(body.accounts) ? body.accounts : [];
      if (accounts.length && isJson(body.orgUnit)) throw vaultFail.invalid('A hold covers either accounts or an org unit, not both.');
      if (!accounts.length && !isJson(body.orgUnit)) throw vaultFail.invalid('A hold must cover accounts or an org unit.');
      const now = store.isoNow();
      const hold: HoldRecord = { holdId: newId('h'), name, corpus, accounts: [], updateTime: now };
      if (isJson(body.orgUnit)) {
        const orgUnitId = str(body.orgUnit.orgUnitId);
        if (!orgUnitId || !store.state.orgUnits.some((o) => o.id === orgUnitId || o.id === `id:${orgUnitId}`)) throw vaultFail.invalid('Invalid org unit.');
        hold.orgUnit = { orgUnitId, holdTime: now };
      }
      for (const a of accounts) {
        const user = accountOf(a);
        if (!hold.accounts.some((x) => x.accountId === user.id)) hold.accounts.push({ accountId: user.id, holdTime: now });
      }
      matter.holds.push(hold);
      return ok(holdView(hold));
    }),
    api('GET', HOLDS, (req) => {
      const matter = requireMatter(req.params[0]);
      const { page: items, nextPageToken } = page(matter.holds, req.query, 100);
      const full = req.query.get('view') !== 'BASIC_HOLD';
      return ok({ ...(items.length ? { holds: items.map((h) => holdView(h, full)) } : {}), ...(nextPageToken ? { nextPageToken } : {}) });
    }),
    api('GET', HOLD, (req) => ok(holdView(requireHold(requireMatter(req.params[0]), req.params[1]), req.query.get('view') !== 'BASIC_HOLD'))),
    api('POST', HOLD, (req) => holdAction(openMatter(req.params[0]), req.params[1], readJson(req))),
    api('DELETE', HOLD, (req) => {
      const matter = openMatter(req.params[0]);
      const hold = requireHold(matter, req.params[1]);
      matter.holds = matter.holds.filter((h) => h !== hold);
      return ok({});
    }),
  ];
}
