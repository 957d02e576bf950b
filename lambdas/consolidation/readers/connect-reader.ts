/**
 * Reads every Amazon Connect agent of the instance with SearchUsers (100 a page, Connect's most), which answers each
 * agent's tags, routing profile and security profiles in the page itself, so no DescribeUser per agent; the profiles'
 * names are listed once (ListRoutingProfiles, ListSecurityProfiles, 1000 a page). Every request takes from the stage's
 * Connect budget of its API. Binding: the `lifecycle:employee-id` tag. Connect keeps no sign-in time and has no disabled
 * agent: every agent is active.
 */
import { paginateListRoutingProfiles, paginateListSecurityProfiles, paginateSearchUsers } from '@aws-sdk/client-connect';
import type { ConnectProvider } from '../../providers/providers';
import { CONNECT_EMPLOYEE_TAG } from '../../providers/connect/employee-tag';
import type { AccountPolicy } from '../../actions/account-policy';
import type { DirectoryAccount } from '../directory';
import { accessLabel, isProtected, newStats, type CountedReader, type ReadStats } from './reader-stats';

/** Connect's page sizes: SearchUsers takes at most 100, the List calls 1000. */
export const CONNECT_PAGE_SIZES = { searchUsers: 100, lists: 1000 } as const;

export class ConnectDirectoryReader implements CountedReader {
  readonly system = 'connect';
  stats: ReadStats = newStats();
  private readonly connect: ConnectProvider;

  constructor(connect: ConnectProvider, private readonly policy: AccountPolicy) {
    this.connect = connect.withPriority?.('housekeeping') ?? connect;
  }

  private async names(kind: 'routing' | 'security'): Promise<Map<string, string>> {
    const { client, instanceId } = this.connect;
    const out = new Map<string, string>();
    const config = { client, pageSize: CONNECT_PAGE_SIZES.lists };
    if (kind === 'routing') {
      for await (const page of paginateListRoutingProfiles(config, { InstanceId: instanceId })) {
        this.stats.calls++;
        for (const p of page.RoutingProfileSummaryList ?? []) if (p.Id && p.Name) out.set(p.Id, p.Name);
      }
    } else {
      for await (const page of paginateListSecurityProfiles(config, { InstanceId: instanceId })) {
        this.stats.calls++;
        for (const p of page.SecurityProfileSummaryList ?? []) if (p.Id && p.Name) out.set(p.Id, p.Name);
      }
    }
    return out;
  }

  async *accounts(): AsyncIterable<DirectoryAccount> {
    this.stats = newStats();
    const routing = await this.names('routing');
    const security = await this.names('security');
    const { client, instanceId } = this.connect;
    for await (const page of paginateSearchUsers({ client, pageSize: CONNECT_PAGE_SIZES.searchUsers }, { InstanceId: instanceId })) {
      this.stats.calls++;
      this.stats.pages++;
      for (const user of page.Users ?? []) {
        if (!user.Id || !user.Username) continue;
        const employeeId = user.Tags?.[CONNECT_EMPLOYEE_TAG] || undefined;
        const username = user.Username.toLowerCase();
        const access = [
          ...(user.RoutingProfileId ? [accessLabel('connectRoutingProfile', routing.get(user.RoutingProfileId) ?? user.RoutingProfileId)] : []),
          ...(user.SecurityProfileIds ?? []).map((id) => accessLabel('connectSecurityProfiles', security.get(id) ?? id)),
        ].sort();
        yield {
          system: this.system,
          accountId: user.Id,
          // The username is the address the actions name an agent by (often an email).
          email: username,
          ...(employeeId ? { employeeId } : {}),
          active: true,
          signInKnown: false,
          access,
          ...(isProtected({ system: 'connect', address: username, boundTo: employeeId, domain: username.split('@')[1] ?? '' }, this.policy) ? { protected: true } : {}),
        };
      }
    }
  }
}
