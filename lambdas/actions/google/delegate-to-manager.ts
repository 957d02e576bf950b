/**
 * Makes the manager the mailbox's only delegate, recording the delegate it added and the ones it removed (handed to a
 * retry as the step's progress, since a retry no longer sees them). The manager is taken by primary address, as the
 * account check read them (Gmail refuses a delegate named by an alias). Gmail lets a user be delegate of about 10
 * mailboxes through the API: when it refuses the manager for lack of room, the stage's mailboxDelegation setting
 * decides: an overflow delegate, or an operator (docs/google-refusals.md, "Gmail").
 */
import type { gmail_v1 } from '@googleapis/gmail';
import * as z from '../../shared/zod';
import { google, googleFailure, isGoogleConflict, isGoogleNotFound } from '../../providers/google/google-errors';
import type { GoogleClients } from '../../providers/google/google-clients';
import { defineAction, provider } from '../define-action';
import { ProviderError } from '../../providers/provider-error';
import { DEFAULT_MAILBOX_DELEGATION, type MailboxDelegation } from '../../../config/mailbox-delegation';
import { findGoogleUser, googleAddress, noAccount, notApplied } from './google-user';
import { checkBeneficiary, googleAccount } from './google-account';
import { withMailService } from './gmail-refusals';
import { delegateRoomRefusal, isMailboxFull, GMAIL_DELEGATES_PER_MAILBOX, GMAIL_DELEGATORS_PER_USER } from './gmail-refusals';

/** A delegate to try, by primary address, or why it cannot be one. */
interface Candidate {
  email: string;
  role: 'manager' | 'overflow delegate';
  /** Set when an overflow address cannot take the mailbox before asking Gmail (no such user, or suspended). */
  unusable?: string;
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

/** What the step did in earlier attempts: a retry no longer sees who it added or removed (docs/engine.md, "Retries and alerts"). */
const earlierAttempts = z.object({ added: z.optional(z.array(z.string())), removed: z.optional(z.array(z.string())) });

const union = (a: string[], b: string[]) => [...new Set([...a, ...b])];

export const delegateToManager = defineAction({
  name: 'google.delegateToManager',
  account: googleAccount({ removes: true, beneficiary: true }),
  params: z.strictObject({}),
  async run(ctx, _params, request, checked) {
    const g = provider(ctx, 'google');
    const email = googleAddress(request);
    const given = request.employee.managerEmail?.toLowerCase();
    if (!given) throw new ProviderError(`employee ${request.employee.id} has no managerEmail: nobody to delegate the mailbox to`, false);
    if (!checked) return noAccount(email, 'delegate');
    // The account check read the manager and answers their primary address; a retry carrying progress skips that check
    // (it is made for a transfer already started), so the manager is checked here then, held the same way.
    const managerEmail = checked.beneficiary ?? (await checkBeneficiary(g, request, { id: checked.account.accountId, primaryEmail: checked.account.address }));
    const manager: Candidate = { email: managerEmail, role: 'manager' };
    const setting = ctx.mailboxDelegation?.() ?? DEFAULT_MAILBOX_DELEGATION;

    const earlier = z.safeParse(earlierAttempts, request.progress);
    const added: string[] = [];
    const removed: string[] = [];
    /** Everything this step added and removed, earlier attempts included; a delegate it added and took away again is neither. */
    const soFar = () => {
      const allAdded = union(earlier.success ? (earlier.data.added ?? []) : [], added);
      return { added: allAdded, removed: union(earlier.success ? (earlier.data.removed ?? []) : [], removed).filter((d) => !allAdded.includes(d)) };
    };
    try {
      return await withMailService(email, 'delegate the mailbox', async () => {
        const gmail = await g.gmailFor(email);
        // Listed once; what this attempt adds and removes is kept up to date here, and the end reads the mailbox back.
        let current = ((await google(`listing the delegates of ${email}`, () => gmail.users.settings.delegates.list({ userId: email }))).data.delegates ?? []).map((d) =>
          d.delegateEmail!.toLowerCase(),
        );
        const remove = async (keep: string) => {
          for (const d of current.filter((x) => x !== keep)) {
            await google(`removing delegate ${d} of ${email}`, () =>
              gmail.users.settings.delegates.delete({ userId: email, delegateEmail: d }).catch((err: unknown) => {
                // Gone already (an earlier answer lost): the goal is met.
                if (!isGoogleNotFound(err)) throw err;
              }),
            );
            removed.push(d);
            current = current.filter((x) => x !== d);
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
          if (current.includes(candidate.email)) {
            chosen = candidate;
            break;
          }
          if (candidate.unusable) {
            refusals.push(candidate.unusable);
            continue;
          }
          const refusal = await addDelegate(gmail, email, candidate.email, current.length, () => remove(candidate.email));
          if (!refusal) {
            added.push(candidate.email);
            current = [...current, candidate.email];
            chosen = candidate;
            break;
          }
          refusals.push(`${candidate.email}: ${refusal}`);
        }
        if (!chosen) throw noRoom(email, manager, setting, refusals, soFar().removed);

        await remove(chosen.email);
        const after = ((await google(`listing the delegates of ${email}`, () => gmail.users.settings.delegates.list({ userId: email }))).data.delegates ?? []).map((d) =>
          d.delegateEmail!.toLowerCase(),
        );
        if (after.length !== 1 || after[0] !== chosen.email) throw notApplied('delegating the mailbox', `delegates are now [${after.join(', ')}]`);
        const note =
          chosen.role === 'manager'
            ? `${chosen.email} is the only delegate${chosen.email !== given ? ` (the manager, given as ${given})` : ''}`
            : `${chosen.email} (overflow delegate of the stage) is the only delegate: Google refused the manager ${manager.email} another mailbox (${refusals.join('; ')})`;
        const done = soFar();
        return {
          ok: true,
          note,
          result: {
            delegate: chosen.email,
            ...(chosen.role === 'manager' ? {} : { manager: manager.email }),
            // Added by this step, in this attempt or an earlier one; a delegate already there before the run stays on a restore.
            added: { delegates: done.added.includes(chosen.email) ? [chosen.email] : [] },
            removed: { delegates: done.removed },
          },
        };
      });
    } catch (err) {
      // A retry will not see who this attempt added or removed: handed on as the step's progress.
      if (err instanceof ProviderError && (added.length || removed.length)) throw new ProviderError(err.message, err.retryable, err.providerAnswer, soFar());
      throw err;
    }
  },
});

/**
 * Adds the delegate; undefined once it is one, else Gmail's answer refusing it for lack of room. Gmail words the
 * mailbox-side refusal "Delegator user cannot have any more delegates", but the same words are reported for the
 * delegate's side too, so the mailbox's other delegates go first only when it really holds as many as Gmail allows
 * (GMAIL_DELEGATES_PER_MAILBOX; they are the ones the step removes anyway); otherwise the refusal is the delegate's.
 */
async function addDelegate(gmail: gmail_v1.Gmail, email: string, delegate: string, delegatesNow: number, removeOthers: () => Promise<void>): Promise<string | undefined> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      await gmail.users.settings.delegates.create({ userId: email, requestBody: { delegateEmail: delegate } });
      return undefined;
    } catch (err) {
      // Added by an earlier try whose answer was lost: what was wanted is there.
      if (isGoogleConflict(err)) return undefined;
      if (isMailboxFull(err) && attempt === 0 && delegatesNow >= GMAIL_DELEGATES_PER_MAILBOX) {
        await removeOthers();
        continue;
      }
      // Any other failedPrecondition on create (but "Mail service not enabled") is taken as no room on the delegate's side.
      const refusal = delegateRoomRefusal(err);
      if (refusal) return refusal;
      throw googleFailure(err, `adding ${delegate} as delegate of ${email}`);
    }
  }
}

/** The operator's failure when no delegate can take the mailbox: who was refused, with Google's answer, and the ways on. */
function noRoom(email: string, manager: Candidate, setting: MailboxDelegation, refusals: string[], removed: string[]): ProviderError {
  const overflow =
    setting.whenManagerFull === 'overflow'
      ? `the stage's overflow delegates (${setting.overflowDelegates.join(', ')}) were refused too`
      : "the stage's mailboxDelegation.whenManagerFull is operator";
  const managerAnswer = refusals[0]?.startsWith(`${manager.email}: `) ? refusals[0].slice(manager.email.length + 2) : refusals[0];
  return new ProviderError(
    `cannot delegate ${email}: Gmail refused the manager ${manager.email} as delegate for lack of room (Google answered ${managerAnswer}), and ${overflow}. ` +
      `Gmail lets a user be delegate of about ${GMAIL_DELEGATORS_PER_USER} mailboxes through the API. ` +
      `To go on: free a slot (google.removeDelegation of an earlier leaver frees one at day +30; an admin can remove one of ${manager.email}'s delegations sooner), ` +
      `or give the mailbox to someone else by hand; or set the stage's mailboxDelegation (whenManagerFull: overflow, overflowDelegates) and retry this step; or skip it.` +
      (refusals.length > 1 ? ` Refused too: ${refusals.slice(1).join('; ')}.` : '') +
      // Also handed to the retry as the step's progress; named here for the audit trail and the operator.
      (removed.length ? ` (already removed delegates, given back by a restore: ${removed.join(', ')})` : ''),
    false,
    refusals.join('; '),
  );
}
