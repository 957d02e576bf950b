/**
 * Reads every OpenProject user a page at a time (GET /api/v3/users, 100 a page, `offset` the page number, sorted by id)
 * through the stage's OpenProject client and so within its requests-a-minute budget (a short Retry-After waited out,
 * a longer one failing the read). The token is an administrator's, so `admin`, `status`, `email` and the custom fields
 * are in the page: one call a page, none a user. Binding: the stage's employee id custom field
 * (`openproject.employeeIdField`), as the actions write it. Active: any status but `locked`; an `invited` user can
 * still accept the invitation and a `registered` one be activated, so either is an account that can come into use
 * (a leaver's is still theirs to lock). Protected: an administrator, as the account check decides it, and listed
 * addresses. API v3 gives no last sign-in (the user resource has createdAt and updatedAt only): `signInKnown` false.
 * Access: `openprojectAccount:user`, the one kind of account the role model grants.
 */
import type { OpenProjectProvider } from '../../providers/providers';
import { OPENPROJECT_PAGE_SIZE, type OpenProjectUser } from '../../providers/openproject/openproject-client';
import { boundEmployee } from '../../actions/openproject/openproject-account';
import type { AccountPolicy } from '../../actions/account-policy';
import type { DirectoryAccount } from '../directory';
import { accessLabel, isProtected, newStats, type CountedReader, type ReadStats } from './reader-stats';

/** The access every OpenProject user holds, named as the role model's `OpenProject account` grants it. */
export const OPENPROJECT_USER_ACCESS = accessLabel('openprojectAccount', 'user');

export class OpenProjectDirectoryReader implements CountedReader {
  readonly system = 'openproject';
  stats: ReadStats = newStats();

  constructor(private readonly openproject: OpenProjectProvider, private readonly policy: AccountPolicy) {}

  async *accounts(): AsyncIterable<DirectoryAccount> {
    this.stats = newStats();
    // Housekeeping: a read for a report never takes a request a leaver's lockout needs.
    const client = this.openproject.client.withPriority('housekeeping');
    for await (const page of client.userPages(OPENPROJECT_PAGE_SIZE)) {
      this.stats.calls++;
      if (page.length) this.stats.pages++;
      for (const user of page) yield this.account(user);
    }
  }

  private account(user: OpenProjectUser): DirectoryAccount {
    const email = user.email?.toLowerCase() || undefined;
    const employeeId = boundEmployee(user, this.openproject.employeeIdField);
    return {
      system: this.system,
      accountId: String(user.id),
      ...(email ? { email } : {}),
      ...(employeeId ? { employeeId } : {}),
      active: user.status !== 'locked',
      signInKnown: false,
      ...(user.createdAt ? { createdAt: user.createdAt } : {}),
      access: [OPENPROJECT_USER_ACCESS],
      ...(isProtected({ system: 'openproject', address: email ?? user.login, boundTo: employeeId, ...(user.admin ? { adminRole: 'an OpenProject administrator' } : {}) }, this.policy) ? { protected: true } : {}),
    };
  }
}
