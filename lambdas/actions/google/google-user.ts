/** What every Google action shares: whose account it acts on, and reading that account back. */
import type { admin_directory_v1 } from '@googleapis/admin';
import type { ActionRequest } from '../../engine/ports';
import type { GoogleClients } from '../../providers/google/google-clients';
import { google, googleFailure, isGoogleNotFound, isGoogleUserDeleted } from '../../providers/google/google-errors';
import { ProviderError } from '../../providers/provider-error';

/** The employee's Google address; an action cannot guess it, so its absence is for an operator. */
export function googleAddress(request: ActionRequest): string {
  const email = request.employee.email;
  if (!email) throw new ProviderError(`employee ${request.employee.id} has no email in the HR event: no Google account to act on`, false);
  return email.toLowerCase();
}

/**
 * The user, or undefined when Google has no such account (a leaver already deleted is not an error). Asked for
 * by id, a user deleted in the last 20 days answers 412 "User is deleted." rather than 404: gone all the same.
 */
export async function findGoogleUser(g: GoogleClients, email: string): Promise<admin_directory_v1.Schema$User | undefined> {
  try {
    const res = await g.directory.users.get({ userKey: email, projection: 'full' });
    return res.data;
  } catch (err) {
    if (isGoogleNotFound(err) || isGoogleUserDeleted(err)) return undefined;
    throw googleFailure(err, `reading Google user ${email}`);
  }
}

/** The same, for actions that need the account to exist to do anything at all. */
export async function requireGoogleUser(g: GoogleClients, email: string): Promise<admin_directory_v1.Schema$User> {
  const user = await findGoogleUser(g, email);
  if (!user) throw new ProviderError(`Google has no user ${email}`, false, '404 notFound');
  return user;
}

/** The success answer of a leaver step whose account is already gone. */
export const noAccount = (email: string, what: string) => ({ ok: true as const, note: `no Google account ${email}; nothing to ${what}` });

/** Fails a step whose change did not stick: the provider said yes, but reading back says no. */
export function notApplied(what: string, detail: string): ProviderError {
  return new ProviderError(`${what} did not take effect: ${detail}`, true, detail);
}

/** The membership, or undefined when the employee is not a direct member of the group. */
export async function memberOf(g: GoogleClients, groupKey: string, email: string): Promise<admin_directory_v1.Schema$Member | undefined> {
  return google(`reading ${email} in group ${groupKey}`, () =>
    g.directory.members.get({ groupKey, memberKey: email }).then(
      (res) => res.data,
      (err: unknown) => {
        if (isGoogleNotFound(err)) return undefined;
        throw err;
      },
    ),
  );
}
