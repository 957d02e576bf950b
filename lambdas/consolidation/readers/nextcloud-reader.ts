/**
 * Reads every Nextcloud user with its details a page at a time (GET /ocs/v2.php/cloud/users/details, 100 a page), one
 * call a page rather than one a user, through the stage's Nextcloud client and so within its requests-a-minute budget
 * (a short Retry-After waited out). Binding: the user id, which a run makes the employee id; a user under any other id
 * carries it as its binding too, and the comparison finds no employee of that id. Last sign-in: lastLogin (0: never).
 * A member of the `admin` group is protected.
 */
import type { NextcloudProvider } from '../../providers/providers';
import { NEXTCLOUD_PAGE_SIZE, type NextcloudUser } from '../../providers/nextcloud/nextcloud-client';
import type { AccountPolicy } from '../../actions/account-policy';
import type { DirectoryAccount } from '../directory';
import { accessLabel, isProtected, newStats, type CountedReader, type ReadStats } from './reader-stats';

export class NextcloudDirectoryReader implements CountedReader {
  readonly system = 'nextcloud';
  stats: ReadStats = newStats();

  constructor(private readonly nextcloud: NextcloudProvider, private readonly policy: AccountPolicy) {}

  async *accounts(): AsyncIterable<DirectoryAccount> {
    this.stats = newStats();
    const client = this.nextcloud.client.withPriority('housekeeping');
    let last = NEXTCLOUD_PAGE_SIZE;
    for await (const page of client.userDetailPages(NEXTCLOUD_PAGE_SIZE)) {
      this.stats.calls++;
      this.stats.pages++;
      last = page.length;
      for (const user of page) yield this.account(user);
    }
    // After a full page (or none), the empty page that ended the read was a call too.
    if (last === NEXTCLOUD_PAGE_SIZE) this.stats.calls++;
  }

  private account(user: NextcloudUser): DirectoryAccount {
    const email = user.email?.toLowerCase() || undefined;
    const groups = user.groups ?? [];
    return {
      system: this.system,
      accountId: user.id,
      ...(email ? { email } : {}),
      employeeId: user.id,
      active: user.enabled !== false,
      ...(user.lastLogin > 0 ? { lastSignInAt: new Date(user.lastLogin).toISOString() } : {}),
      signInKnown: true,
      access: groups.map((g) => accessLabel('nextcloudGroups', g)).sort(),
      ...(isProtected({ system: 'nextcloud', address: email ?? user.id, boundTo: user.id, ...(groups.includes('admin') ? { adminRole: 'a Nextcloud admin' } : {}) }, this.policy) ? { protected: true } : {}),
    };
  }
}
