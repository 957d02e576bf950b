/**
 * Gmail's refusals the leaver and restore actions act on (docs/google-refusals.md, "Gmail"): a mailbox with no mail
 * service, and the delegate limits. Each is 400 failedPrecondition; only the message tells them apart.
 */
import type { gmail_v1 } from '@googleapis/gmail';
import { googleErrorInfo, googleFailure } from '../../providers/google/google-errors';
import { ProviderError } from '../../providers/provider-error';

const failedPrecondition = (err: unknown, words: RegExp) => {
  const info = googleErrorInfo(err);
  return info.status === 400 && info.reason === 'failedPrecondition' && words.test(info.message);
};

/** "Mail service not enabled": the user is suspended or holds no license that includes Gmail. */
export const isMailServiceOff = (err: unknown) => failedPrecondition(err, /mail service not enabled/i);

/** "Delegator user cannot have any more delegates": the mailbox already has as many delegates as Gmail allows (GAM-team/GAM#1180). */
export const isMailboxFull = (err: unknown) => failedPrecondition(err, /delegator user cannot have any more delegates/i);

/**
 * Gmail's answer refusing a delegate for lack of room, quoted ('400 failedPrecondition "…"'), or undefined for any other
 * answer. Any failedPrecondition on create but "Mail service not enabled" is one: the delegate's side has no confirmed
 * wording, so the words are not relied on.
 */
export function delegateRoomRefusal(err: unknown): string | undefined {
  const info = googleErrorInfo(err);
  if (info.status !== 400 || info.reason !== 'failedPrecondition' || isMailServiceOff(err)) return undefined;
  return `400 failedPrecondition "${info.message}"`;
}

/**
 * How many delegates one mailbox may have through the API: 10 (GAM-team/GAM#1180; taers232c/GAMADV-XTD3#365, where
 * Google support confirmed 10 through the API; the API reference says "up to 25 delegates" in general). The lower
 * figure is the one acted on: google.delegateToManager clears a mailbox to make room only when it holds this many.
 */
export const GMAIL_DELEGATES_PER_MAILBOX = 10;

/**
 * Of how many mailboxes one user may be delegate, in general: the Gmail API reference (users.settings.delegates.create,
 * "up to 10 delegators"). Said in the operator's message; Google enforces it, not us.
 */
export const GMAIL_DELEGATORS_PER_USER = 10;

/**
 * Reads the mailbox once before a restore writes to it: Gmail answers every call "Mail service not enabled" while
 * the user holds no Gmail license, which no retry fixes until the license is back. Says so, and what to do.
 */
export async function requireMailService(gmail: gmail_v1.Gmail, email: string, what: string): Promise<void> {
  try {
    await gmail.users.settings.getVacation({ userId: email });
  } catch (err) {
    if (!isMailServiceOff(err)) throw googleFailure(err, `reading the mailbox of ${email}`);
    throw new ProviderError(
      `Gmail answers "Mail service not enabled" for ${email}: the user holds no Google Workspace license, so nothing can ${what} yet. ` +
        `Give the license back (the restore's google.restoreLicenses step, or assign one in the Admin console), then retry this step`,
      false,
      '400 failedPrecondition: Mail service not enabled',
    );
  }
}

/**
 * Runs a leaver step's Gmail calls, turning Gmail's "Mail service not enabled" (the account suspended, or holding no
 * license that includes Gmail) into what an operator can act on. No retry helps, and nothing was changed.
 */
export async function withMailService<T>(email: string, what: string, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (err) {
    const answer = err instanceof ProviderError ? (err.providerAnswer ?? '') : '';
    if (!(err instanceof ProviderError) || !/^400 failedPrecondition: mail service not enabled/i.test(answer)) throw err;
    throw new ProviderError(
      `${email} has no mail service: Gmail answers "Mail service not enabled" (the account is suspended or holds no Google Workspace license), so nothing can ${what}. ` +
        'If the account has a mailbox, give it its license back (and lift a suspension) for as long as this step needs, then retry; if it never had mail, skip this step',
      false,
      answer,
    );
  }
}
