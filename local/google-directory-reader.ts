/**
 * A DirectoryReader over the Google emulator's own state, for the local runtime and its tests until the real Google
 * reader (lambdas/consolidation/readers/) is wired in: the users as the emulator holds them, with their binding
 * (externalIds of type organization), lastLoginTime and creationTime. It reads the tenant in memory, not over HTTP.
 */
import type { DirectoryAccount, DirectoryReader } from '../lambdas/consolidation/directory';
import type { InactivityAccount } from '../lambdas/inactivity/decide';
import { protectedBecause, type AccountPolicy } from '../lambdas/actions/account-policy';
import type { GoogleWorkspaceEmulator } from './emulators/google';

export function googleEmulatorReader(emulator: GoogleWorkspaceEmulator, policy: () => AccountPolicy): DirectoryReader {
  return {
    system: 'google',
    async *accounts(): AsyncIterable<DirectoryAccount> {
      for (const u of emulator.toJSON().users) {
        const employeeId = (u.extra.externalIds as { type: string; value: string }[] | undefined)?.find((x) => x.type === 'organization')?.value;
        const admin = u.isAdmin ? 'a super admin' : u.isDelegatedAdmin ? 'a delegated admin' : undefined;
        const found = { system: 'google' as const, address: u.primaryEmail, boundTo: employeeId, ...(admin ? { adminRole: admin } : {}), orgUnitPath: u.orgUnitPath };
        const account: InactivityAccount = {
          system: 'google',
          accountId: u.id,
          email: u.primaryEmail,
          ...(employeeId ? { employeeId } : {}),
          active: !u.suspended && !u.archived,
          ...(u.lastLoginTime ? { lastSignInAt: u.lastLoginTime } : {}),
          signInKnown: true,
          access: [],
          ...(protectedBecause(found, policy()) ? { protected: true } : {}),
          createdAt: u.creationTime,
        };
        yield account;
      }
    },
  };
}
