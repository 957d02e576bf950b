/**
 * Makes the manager the mailbox's only delegate, recording the delegates it removed. The manager is resolved to their
 * primary address first (Gmail refuses a delegate named by an alias). Gmail lets a user be delegate of about 10
 * mailboxes through the API: when it refuses the manager another, the stage's mailboxDelegation setting decides: an
 * overflow delegate, or an operator (docs/google-refusals.md, "Gmail").
 */
import type { gmail_v1 } from '@googleapis/gmail';
import * as z from '../../shared/zod';
import { google, googleFailure, isGoogleConflict, isGoogleNotFound, isGoogleUserDeleted } from '../../providers/google/google-errors';
import type { GoogleClients } from '../../providers/google/google-clients';
import { defineAction, provider } from '../define-action';
import { ProviderError } from '../../providers/provider-error';
import { DEFAULT_MAILBOX_DELEGATION, type MailboxDelegation } from '../../../config/mailbox-delegation';
import { findGoogleUser, googleAddress, noAccount, notApplied } from './google-user';
import { googleAccount } from './google-account';
import { withMailService } from './gmail-refusals';
import { delegateRoomRefusal, isMailboxFull, GMAIL_DELEGATORS_PER_USER } from './gmail-refusals';

/** A delegate to try, by primary address, or why it cannot be one. */
interface Candidate {
  email: string;
  role: 'manager' | 'overflow delegate';
  /** Set when an overflow address cannot take the mailbox before asking Gmail (no such user, or suspended). */
  unusable?: string;
}

/**
 * The manager as Google knows them: their primary address (users.get takes an alias too). The account check has
 * already held the step for a manager who is no active user; one deleted since gets the same clear answer.
 */
async function resolveManager(g: GoogleClients, given: string, employeeId: string): Promise<Candidate> {
  try {
    const user = (await g.directory.users.get({ userKey: given })).data;
    return { email: (user.primaryEmail ?? given).toLowerCase(), role: 'manager' };
  } catch (err) {
    if (!isGoogleNotFound(err) && !isGoogleUserDeleted(err)) throw googleFailure(err, `reading the manager ${given}`);
    throw new ProviderError(
      `the manager ${given} (managerEmail of employee ${employeeId}) is no Google user of this domain, by primary address or alias: nobody to delegate the mailbox to. ` +
        'Correct the manager in HR and send the event again, or skip this step',
      false,
      '404 notFound',
    );
  }
}

/** The overflow delegates, starting at one chosen by the employee id so the leavers spread over them (stable across retries). */
async function overflowCandidates(g: GoogleClients, setting: MailboxDelegation, employeeId: string): Promise<Candidate[]> {
  const list = setting.whenManagerFull === 'overflow' ? setting.overflowDelegates : [];
  if (!list.length) return [];
  const start = [...employeeId].reduce((n, c) => (n * 31 + c.charCodeAt(0)) % 1_000_003, 7) % list.length;
  const rotated = [...list.slice(start), ...list.slice(0, start)];
  const out: Candidate[] = [];
  for (const address of rotated) {
    const user = await findGoogleUser(g, address);
    if (!user) out.push({ email: address, role: 'overflow delegate', unusable: `${address} is no Google user` });
    else out.push({ email: (user.primaryEmail ?? address).toLowerCase(), role: 'overflow delegate', ...(user.suspended ? { unusable: `${address} is suspended` } : {}) });
  }
  return out;
}

export const delegateToManager = defineAction({
  name: 'google.delegateToManager',
  account: googleAccount({ removes: true, beneficiary: true }),
  params: z.strictObject({}),
  async run(ctx, _params, request) {
    const g = provider(ctx, 'google');
    const email = googleAddress(request);
    const given = request.employee.managerEmail?.toLowerCase();
    if (!given) throw new ProviderError(`employee ${request.employee.id} has no managerEmail: nobody to delegate the mailbox to`, false);
    if (!(await findGoogleUser(g, email))) return noAccount(email, 'delegate');
    const manager = await resolveManager(g, given, request.employee.id);
    const setting = ctx.mailboxDelegation?.() ?? DEFAULT_MAILBOX_DELEGATION;
    return withMailService(email, 'delegate the mailbox', async () => {
      const gmail = await g.gmailFor(email);
      const list = async () =>
        ((await google(`listing the delegates of ${email}`, () => gmail.users.settings.delegates.list({ userId: email }))).data.delegates ?? []).map((d) => d.delegateEmail!.toLowerCase());

      const before = await list();
      const removed: string[] = [];
      const remove = async (keep: string) => {
        for (const d of (await list()).filter((x) => x !== keep && !removed.includes(x))) {
          await google(`removing delegate ${d} of ${email}`, () => gmail.users.settings.delegates.delete({ userId: email, delegateEmail: d }));
          removed.push(d);
        }
      };

      // The manager first, while they have room; then the stage's overflow delegates, if it names any.
      const refusals: string[] = [];
      let chosen: Candidate | undefined;
      // Looked up only once the manager is refused: most leavers never need them.
      async function* candidates() {
        yield manager;
        yield* await overflowCandidates(g, setting, request.employee.id);
      }
      for await (const candidate of candidates()) {
        if (before.includes(candidate.email)) {
          chosen = candidate;
          break;
        }
        if (candidate.unusable) {
          refusals.push(candidate.unusable);
          continue;
        }
        const refusal = await addDelegate(gmail, email, candidate.email, () => remove(candidate.email));
        if (!refusal) {
          chosen = candidate;
          break;
        }
        refusals.push(`${candidate.email}: ${refusal}`);
      }
      if (!chosen) throw noRoom(email, manager, setting, refusals, removed);

      await remove(chosen.email);
      const after = await list();
      if (after.length !== 1 || after[0] !== chosen.email) throw notApplied('delegating the mailbox', `delegates are now [${after.join(', ')}]`);
      const note =
        chosen.role === 'manager'
          ? `${chosen.email} is the only delegate${chosen.email !== given ? ` (the manager, given as ${given})` : ''}`
          : `${chosen.email} (overflow delegate of the stage) is the only delegate: Google refused the manager ${manager.email} another mailbox (${refusals.join('; ')})`;
      return {
        ok: true,
        note,
        result: {
          delegate: chosen.email,
          ...(chosen.role === 'manager' ? {} : { manager: manager.email }),
          added: { delegates: before.includes(chosen.email) ? [] : [chosen.email] },
          removed: { delegates: removed },
        },
      };
    });
  },
});

/**
 * Adds the delegate; undefined once it is one, else Gmail's reason it cannot take the mailbox (the delegate's limit).
 * A mailbox already holding as many delegates as Gmail allows makes room first: the others go anyway.
 */
async function addDelegate(gmail: gmail_v1.Gmail, email: string, delegate: string, removeOthers: () => Promise<void>): Promise<string | undefined> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      await gmail.users.settings.delegates.create({ userId: email, requestBody: { delegateEmail: delegate } });
      return undefined;
    } catch (err) {
      // Added by an earlier try whose answer was lost: what was wanted is there.
      if (isGoogleConflict(err)) return undefined;
      if (isMailboxFull(err) && attempt === 0) {
        await removeOthers();
        continue;
      }
      // Any other failedPrecondition on create is the delegate's side: already delegate of as many mailboxes as Google allows.
      const refusal = delegateRoomRefusal(err);
      if (refusal) return refusal;
      throw googleFailure(err, `adding ${delegate} as delegate of ${email}`);
    }
  }
}

/** The operator's failure when no delegate can take the mailbox: who was refused, and the ways on. */
function noRoom(email: string, manager: Candidate, setting: MailboxDelegation, refusals: string[], removed: string[]): ProviderError {
  const overflow =
    setting.whenManagerFull === 'overflow'
      ? `the stage's overflow delegates (${setting.overflowDelegates.join(', ')}) were refused too`
      : "the stage's mailboxDelegation.whenManagerFull is operator";
  return new ProviderError(
    `cannot delegate ${email}: the manager ${manager.email} is already delegate of ${GMAIL_DELEGATORS_PER_USER} mailboxes, the most Gmail allows through the API, and ${overflow}. ` +
      `To go on: free a slot (google.removeDelegation of an earlier leaver frees one at day +30; an admin can remove one of ${manager.email}'s delegations sooner), ` +
      `or give the mailbox to someone else by hand; or set the stage's mailboxDelegation (whenManagerFull: overflow, overflowDelegates) and retry this step; or skip it. Gmail said: ${refusals.join('; ')}` +
      // A retry will not list who this try removed (the mailbox was full), so the audit trail learns it here.
      (removed.length ? ` (already removed delegates: ${removed.join(', ')})` : ''),
    false,
    refusals.join('; '),
  );
}
