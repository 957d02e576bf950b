/** What every Google restore shares: the account it puts things back on, "nothing to restore", and restoring item by item. */
import type { admin_directory_v1 } from '@googleapis/admin';
import type { GoogleClients } from '../../providers/google/google-clients';
import { ProviderError } from '../../providers/provider-error';
import { findGoogleUser } from './google-user';
import { requireMailService } from './gmail-refusals';

/**
 * The account to restore onto. Unlike a leaver step, a missing account is not "done": what was removed
 * cannot come back without it, so an operator has to look (undelete it, or skip the step).
 */
export async function restoreTarget(g: GoogleClients, email: string, what: string): Promise<admin_directory_v1.Schema$User> {
  const user = await findGoogleUser(g, email);
  if (!user) throw new ProviderError(`Google has no user ${email}: cannot ${what} (google.undeleteUser must run first if the account was deleted)`, false, '404 notFound');
  return user;
}

/**
 * The same, for restores that write Gmail settings: Gmail refuses them on a suspended mailbox, or one whose user holds
 * no Gmail license, so no retry helps until the suspension is lifted and the license is back (google.unsuspendUser
 * and google.restoreLicenses run first in a restore, phase 1).
 */
export async function restoreMailbox(g: GoogleClients, email: string, what: string): Promise<admin_directory_v1.Schema$User> {
  const user = await restoreTarget(g, email, what);
  if (user.suspended) throw new ProviderError(`${email} is suspended and Gmail refuses its settings: cannot ${what} until google.unsuspendUser has run`, false);
  await requireMailService(await g.gmailFor(email), email, what);
  return user;
}

/** The success answer of a restore whose removing step removed nothing. */
export const nothingToRestore = (why: string) => ({ ok: true as const, note: `nothing to restore: ${why}` });

export interface ItemFailure {
  item: string;
  error: ProviderError;
}

/**
 * Restores each item in turn. A retryable failure stops at once (the next attempt redoes everything,
 * idempotently); a failure no retry can fix (a group deleted meanwhile, no free seat) is kept so the
 * other items are still restored, and reported by `failIfAny` once they are read back.
 */
export async function restoreEach<T>(items: readonly T[], name: (item: T) => string, restoreOne: (item: T) => Promise<void>): Promise<ItemFailure[]> {
  const failed: ItemFailure[] = [];
  for (const item of items) {
    try {
      await restoreOne(item);
    } catch (err) {
      if (err instanceof ProviderError && !err.retryable) failed.push({ item: name(item), error: err });
      else throw err;
    }
  }
  return failed;
}

/** Fails the step, not retryable, naming what could not be restored and what was. */
export function failIfAny(failed: ItemFailure[], restored: string[], what: string): void {
  if (!failed.length) return;
  const done = restored.length ? `. Restored: ${restored.join(', ')}` : '';
  throw new ProviderError(`${what} is incomplete: ${failed.map((f) => f.error.message).join('; ')}${done}`, false, failed.map((f) => f.error.providerAnswer ?? f.item).join('; '));
}
