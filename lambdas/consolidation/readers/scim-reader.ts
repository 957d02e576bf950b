/**
 * Reads every user of one SCIM 2.0 app (GET /Users, startIndex and count, 100 a page or the server's
 * filter.maxResults) and every group with its members (GET /Groups, the same paging), through the app's client and so
 * within the app's requests-a-second budget (429 and 503 honour Retry-After). One reader per configured app, system
 * `scim:<app>`. Binding: externalId. SCIM's core schema has no sign-in time: signInKnown is false.
 */
import type { ScimClient, ScimGroup, ScimUser } from '../../providers/scim/scim-client';
import type { AccountPolicy } from '../../actions/account-policy';
import type { DirectoryAccount } from '../directory';
import { accessLabel, isProtected, newStats, type CountedReader, type ReadStats } from './reader-stats';

/** The SCIM system key of an app: `scim:<app>`. */
export const scimSystem = (app: string) => `scim:${app}`;

/** The address a SCIM account answers to: its userName, as the SCIM actions name it (lower case). */
export const scimAddress = (user: Pick<ScimUser, 'userName'>) => user.userName.toLowerCase();

/**
 * A SCIM user as a directory account (a SCIM app's, or Front's through its SCIM API): bound by externalId, active
 * unless `active` is false, no sign-in known; its access and protection as the system decides them from the address.
 */
export function scimDirectoryAccount(system: string, user: ScimUser, access: (address: string) => string[], isProtectedAt: (address: string, employeeId: string | undefined) => boolean): DirectoryAccount {
  const address = scimAddress(user);
  const employeeId = user.externalId || undefined;
  return {
    system,
    accountId: user.id,
    email: address,
    ...(employeeId ? { employeeId } : {}),
    active: user.active !== false,
    signInKnown: false,
    access: access(address).sort(),
    ...(isProtectedAt(address, employeeId) ? { protected: true } : {}),
  };
}

/** Every group's members, by user id, read page by page. */
export async function scimGroupsByMember(client: ScimClient, stats: ReadStats): Promise<Map<string, string[]>> {
  const byMember = new Map<string, string[]>();
  for await (const page of client.pages<ScimGroup>('Groups')) {
    stats.calls++;
    for (const group of page) for (const m of group.members ?? []) byMember.set(m.value, [...(byMember.get(m.value) ?? []), group.displayName]);
  }
  return byMember;
}

export class ScimDirectoryReader implements CountedReader {
  readonly system: string;
  stats: ReadStats = newStats();
  private readonly client: ScimClient;

  constructor(client: ScimClient, private readonly policy: AccountPolicy) {
    this.client = client;
    this.system = scimSystem(client.app.name);
  }

  async *accounts(): AsyncIterable<DirectoryAccount> {
    this.stats = newStats();
    const app = this.client.app.name;
    const groups = await scimGroupsByMember(this.client, this.stats);
    for await (const page of this.client.pages<ScimUser>('Users')) {
      this.stats.calls++;
      this.stats.pages++;
      for (const user of page) {
        yield scimDirectoryAccount(this.system, user, () => [accessLabel('scimApps', app), ...(groups.get(user.id) ?? []).map((g) => accessLabel('scimGroups', `${app}/${g}`))], (address, boundTo) =>
          isProtected({ system: 'scim', address, boundTo }, this.policy),
        );
      }
    }
  }
}
