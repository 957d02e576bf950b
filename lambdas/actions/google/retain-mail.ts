/**
 * Keeps a leaver's mail as the role they held says (its `Mail retention`), else as the stage's mailRetention setting
 * says, reads it back, and records what a restore undoes:
 * a Google Vault hold on the mailbox (one hold per leaver, in the stage's matter), or the account archived (its
 * Workspace license turned into the edition's Archived User license). Deletion waits for this step (the playbook's
 * `after`), so no account is deleted before it is archived; a Vault hold does not survive a deletion, so an account
 * whose mail is on one is not deleted, nor unlicensed (docs/google-refusals.md, Vault).
 */
import type { admin_directory_v1 } from '@googleapis/admin';
import * as z from '../../shared/zod';
import { google, googleErrorInfo, googleFailure, isGoogleNotFound } from '../../providers/google/google-errors';
import { vaultFailure } from './vault-errors';
import type { GoogleClients } from '../../providers/google/google-clients';
import type { Hold, Matter } from '../../providers/google/vault-client';
import { ProviderError } from '../../providers/provider-error';
import { DEFAULT_MAIL_RETENTION, MAIL_RETENTION_METHODS, type MailRetentionMethod } from '../../../config/mail-retention';
import type { ActionRequest } from '../../engine/ports';
import { defineAction, provider, type ActionContext } from '../define-action';
import { findGoogleUser, googleAddress, noAccount, notApplied } from './google-user';
import { checkedUser, googleAccount } from './google-account';

type User = admin_directory_v1.Schema$User;

/**
 * The Archived User licenses: product 101034 ("Google Workspace Archived User"), one SKU per edition, as License
 * Manager and GAM name them. The emulator's catalog holds the same ids; a test keeps the two equal.
 */
export const ARCHIVED_USER_PRODUCT_ID = '101034';
export const ARCHIVED_USER_SKU_IDS = ['1010340001', '1010340003', '1010340004', '1010340005', '1010340006'] as const;

/** The Vault hold of one leaver's mail: named by the employee id, so a retry or a second run finds it. */
export const holdName = (employeeId: string) => `Mail of employee ${employeeId}`;

export const retainMail = defineAction({
  name: 'google.retainMail',
  account: googleAccount({ removes: true }),
  params: z.strictObject({
    /**
     * The methods this step carries out: the role's Mail retention (else the stage's mailRetention.method) picks one, and a step whose list does not
     * name it has nothing to do (a Vault hold is placed at the cut-off, an archive after the suspension).
     */
    methods: z._default(z.array(z.enum(MAIL_RETENTION_METHODS)).check(z.minLength(1)), [...MAIL_RETENTION_METHODS]),
  }),
  async run(ctx, { methods }, request, checked) {
    const setting = ctx.mailRetention?.() ?? DEFAULT_MAIL_RETENTION;
    const { method, decidedBy, decided } = mailRetentionOf(ctx, request);
    if (method === 'none') return { ok: true, note: `${decidedBy}: the mail is kept only as long as the account`, result: decided };
    if (!methods.includes(method)) return { ok: true, note: `${decidedBy}, which another step of the playbook does`, result: decided };
    const g = provider(ctx, 'google');
    const email = googleAddress(request);
    const user = await checkedUser(g, email, checked);
    if (!user?.id) return noAccount(email, 'retain the mail of');
    const done = method === 'vault-hold' ? await holdMail(g, user, email, setting.matterName, request.employee.id) : await archive(g, user, email);
    return done.ok && 'result' in done && done.result ? { ...done, note: `${done.note} (${decidedBy})`, result: { ...done.result, ...decided } } : done;
  },
});

/**
 * How the leaver's mail is kept: the role they held decides when it names a method, else the stage (the matter is always
 * the stage's). Read by the retention steps, and by the steps that would end a Vault hold's effect (removing the
 * licenses, deleting the account).
 */
export function mailRetentionOf(ctx: ActionContext, request: ActionRequest) {
  const roleMethod = request.role?.mailRetention;
  const method: MailRetentionMethod = roleMethod ?? (ctx.mailRetention?.() ?? DEFAULT_MAIL_RETENTION).method;
  const decidedBy = roleMethod ? `the role ${request.role!.name} says ${method}` : `the stage says ${method}`;
  const decided = { decidedBy: roleMethod ? { by: 'role', role: request.role!.name, method } : { by: 'stage', method } };
  return { method, decidedBy, decided };
}

const vault = <T>(doing: string, call: () => Promise<T>): Promise<T> => call().catch((err: unknown) => Promise.reject(vaultFailure(err, doing)));

const holdsAccount = (hold: Hold | undefined, user: User) => Boolean(hold?.accounts?.some((a) => a.accountId === user.id || a.email?.toLowerCase() === user.primaryEmail?.toLowerCase()));

/** A hold write refused because its matter closed meanwhile: the matter is picked again. */
class MatterClosedMeanwhile extends Error {
  constructor(readonly failure: unknown) {
    super('the Vault matter closed meanwhile');
  }
}

/** Tries of the matter: one closed under a run (another run's duplicate, closed by it) sends it to the one left open. */
const MATTER_TRIES = 3;

async function holdMail(g: GoogleClients, user: User, email: string, matterName: string, employeeId: string) {
  for (let attempt = 1; ; attempt++) {
    const { matter, made, dropped } = await leaversMatter(g, matterName);
    try {
      return await holdIn(g, user, email, matter.matterId, matterName, employeeId, made, dropped);
    } catch (err) {
      if (!(err instanceof MatterClosedMeanwhile)) throw err;
      if (attempt >= MATTER_TRIES) throw err.failure;
    }
  }
}

async function holdIn(g: GoogleClients, user: User, email: string, matterId: string, matterName: string, employeeId: string, made: boolean, dropped?: string) {
  const name = holdName(employeeId);
  /**
   * A hold write: refused while the matter is no longer open (Google answers 400 FAILED_PRECONDITION), the matter is
   * picked again; any other refusal is the step's.
   */
  const write = <T>(doing: string, call: () => Promise<T>): Promise<T> =>
    call().catch(async (err: unknown) => {
      const failure = vaultFailure(err, doing);
      if (googleErrorInfo(err).status !== 400) throw failure;
      const open = await vault(`listing the open Vault matters`, () => g.vault.listMatters('OPEN'));
      throw open.some((m) => m.matterId === matterId) ? failure : new MatterClosedMeanwhile(failure);
    });
  const holds = await vault(`listing the holds of Vault matter ${matterId}`, () => g.vault.listHolds(matterId));
  let hold = holds.find((h) => h.name === name && h.corpus === 'MAIL');
  const already = holdsAccount(hold, user);
  if (!hold) {
    hold = await write(`putting the mail of ${email} on hold`, () => g.vault.createHold(matterId, { name, corpus: 'MAIL', accounts: [{ email }] }));
  } else if (!already) {
    const holdId = hold.holdId;
    await write(`adding ${email} to Vault hold ${holdId}`, () => g.vault.addHeldAccounts(matterId, holdId, [email]));
  }
  const holdId = hold.holdId;
  // Read back: the hold, as Vault now answers it, lists the account.
  const after = await vault(`reading Vault hold ${holdId}`, () => g.vault.getHold(matterId, holdId));
  if (!holdsAccount(after, user)) throw notApplied(`putting the mail of ${email} on hold`, `Vault hold ${holdId} does not list account ${user.id}`);
  return {
    ok: true as const,
    note: `${already ? `mail already on Vault hold ${holdId} in matter ${matterName}` : `mail on Vault hold ${holdId} in matter ${matterName}${made ? ' (matter made)' : ''}`}${dropped ? ` (${dropped})` : ''}`,
    // `previous`: what a restore puts back, recorded only when this run placed the hold.
    result: { retained: { method: 'vault-hold', matterId, matterName, holdId, accountId: user.id }, ...(already ? {} : { previous: { onHold: false } }) },
  };
}

/** Matters in the order every run picks them by: Vault gives a matter no creation time, so by id. */
const byMatterId = (a: Matter, b: Matter) => (a.matterId < b.matterId ? -1 : a.matterId > b.matterId ? 1 : 0);

/**
 * The stage's matter: of the open matters of that name, the one whose id sorts first, so every run (a layoff's
 * parallel steps, a retry whose createMatter answer was lost) picks the same. Made when there is none; should another
 * run have made one too that sorts first, the one made here is closed and deleted (it holds nothing yet) and the first
 * is used. A duplicate that cannot be closed (another run put a hold in it meanwhile) is left, with a note.
 */
async function leaversMatter(g: GoogleClients, matterName: string): Promise<{ matter: Matter; made: boolean; dropped?: string }> {
  const named = async () => (await vault(`listing the open Vault matters`, () => g.vault.listMatters('OPEN'))).filter((m) => m.name === matterName).sort(byMatterId);
  const found = (await named())[0];
  if (found) return { matter: found, made: false };
  const made = await vault(`creating the Vault matter ${matterName}`, () => g.vault.createMatter(matterName, 'Mail of leavers kept by account-lifecycle, one hold per leaver'));
  const first = (await named())[0];
  if (!first || first.matterId === made.matterId) return { matter: made, made: true };
  try {
    await g.vault.closeMatter(made.matterId);
    await g.vault.deleteMatter(made.matterId);
    return { matter: first, made: false, dropped: `matter ${made.matterId}, made at the same time as ${first.matterId}, deleted` };
  } catch (err) {
    return { matter: first, made: false, dropped: `matter ${made.matterId}, made at the same time as ${first.matterId}, left: ${googleErrorInfo(err).status ?? 'no answer'}` };
  }
}

/** The Archived User license the user holds, or undefined. One read per SKU; 400 is a SKU the customer has no subscription to. */
async function archivedUserLicense(g: GoogleClients, email: string): Promise<{ productId: string; skuId: string; skuName?: string } | undefined> {
  for (const skuId of ARCHIVED_USER_SKU_IDS) {
    try {
      const a = await g.licensing.get(ARCHIVED_USER_PRODUCT_ID, skuId, email);
      return { productId: a.productId, skuId: a.skuId, ...(a.skuName ? { skuName: a.skuName } : {}) };
    } catch (err) {
      const status = googleErrorInfo(err).status;
      if (status !== 404 && status !== 400) throw googleFailure(err, `reading the Archived User license ${skuId} of ${email}`);
    }
  }
  return undefined;
}

async function archive(g: GoogleClients, user: User, email: string) {
  const already = user.archived === true;
  if (!already) {
    try {
      await g.directory.users.patch({ userKey: user.id ?? email, requestBody: { archived: true } });
    } catch (err) {
      const info = googleErrorInfo(err);
      if (isGoogleNotFound(err)) return noAccount(email, 'archive');
      if (info.status !== 412) throw googleFailure(err, `archiving ${email}`);
      throw new ProviderError(
        `Google refuses to archive ${email} (412 ${info.message}): archiving turns the account's Google Workspace license into the edition's ` +
          `Archived User license, so the account must hold an edition that has one and a seat of it must be free. Buy or free an Archived User ` +
          `license (Admin console > Billing > Subscriptions > Google Workspace [edition] - Archived User), or set the role's Mail retention ` +
          `(or the stage's mailRetention.method) to vault-hold; then retry this step`,
        false,
        `412 ${info.reason ?? 'conditionNotMet'}: ${info.message}`,
      );
    }
  }
  // Read back: the account reads archived, and holds an Archived User license.
  const after = await findGoogleUser(g, user.id ?? email);
  if (!after) return noAccount(email, 'archive');
  if (after.archived !== true) throw notApplied(`archiving ${email}`, 'users.get does not report archived: true');
  const license = await google(`reading the Archived User license of ${email}`, () => archivedUserLicense(g, email));
  if (!license) throw notApplied(`archiving ${email}`, 'License Manager reports no Archived User license');
  return {
    ok: true as const,
    note: `${already ? 'already archived' : 'archived'}: holds ${license.skuName ?? `${license.productId}/${license.skuId}`}`,
    result: { retained: { method: 'archived-user-license', accountId: user.id, license }, ...(already ? {} : { previous: { archived: false } }) },
  };
}
