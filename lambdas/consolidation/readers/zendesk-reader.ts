/**
 * Reads every Zendesk agent and admin (GET /api/v2/users?role[]=agent&role[]=admin, cursor pagination, 100 a page) and
 * every group membership (GET /api/v2/group_memberships, 100 a page), with the group and custom role names read once,
 * through the stage's Zendesk client and so within its requests-a-minute budget (429s wait out Retry-After). End users
 * (customers) are not accounts of the company and are not read. Binding: external_id. An admin is protected.
 */
import type { ZendeskProvider } from '../../providers/providers';
import type { ZendeskUser } from '../../providers/zendesk/zendesk-client';
import type { AccountPolicy } from '../../actions/account-policy';
import type { DirectoryAccount } from '../directory';
import { accessLabel, isProtected, newStats, type CountedReader, type ReadStats } from './reader-stats';

/** Zendesk's cursor page size: the most a page holds. */
export const ZENDESK_PAGE_SIZE = 100;

export class ZendeskDirectoryReader implements CountedReader {
  readonly system = 'zendesk';
  stats: ReadStats = newStats();

  constructor(private readonly zendesk: ZendeskProvider, private readonly policy: AccountPolicy) {}

  async *accounts(): AsyncIterable<DirectoryAccount> {
    this.stats = newStats();
    // Housekeeping: a read for a report never takes a request a leaver's lockout needs.
    const client = this.zendesk.client.forStep('housekeeping');
    this.stats.calls++;
    const groupNames = new Map((await client.listGroups()).map((g) => [g.id, g.name]));
    this.stats.calls++;
    const roleNames = new Map((await client.listCustomRoles()).map((r) => [r.id, r.name]));
    const groupsOf = new Map<number, string[]>();
    for await (const page of client.membershipPages()) {
      this.stats.calls++;
      for (const m of page) groupsOf.set(m.user_id, [...(groupsOf.get(m.user_id) ?? []), groupNames.get(m.group_id) ?? String(m.group_id)]);
    }
    for await (const page of client.userPages(['agent', 'admin'])) {
      this.stats.calls++;
      this.stats.pages++;
      for (const user of page) yield this.account(user, groupsOf, roleNames);
    }
  }

  private account(user: ZendeskUser, groupsOf: Map<number, string[]>, roleNames: Map<number, string>): DirectoryAccount {
    const email = user.email?.toLowerCase();
    const employeeId = user.external_id || undefined;
    const access = [
      accessLabel('zendeskRole', user.role),
      ...(user.custom_role_id ? [accessLabel('zendeskCustomRole', roleNames.get(user.custom_role_id) ?? String(user.custom_role_id))] : []),
      ...(groupsOf.get(user.id) ?? []).map((g) => accessLabel('zendeskGroups', g)),
    ].sort();
    return {
      system: this.system,
      accountId: String(user.id),
      ...(email ? { email } : {}),
      ...(employeeId ? { employeeId } : {}),
      active: user.active && !user.suspended,
      signInKnown: false,
      access,
      ...(isProtected({ system: 'zendesk', address: email ?? String(user.id), boundTo: employeeId, ...(user.role === 'admin' ? { adminRole: 'a Zendesk admin' } : {}) }, this.policy) ? { protected: true } : {}),
    };
  }
}
