/**
 * Reads every Front teammate through Front's SCIM 2.0 API (GET /Users, 100 a page; the binding is the SCIM
 * externalId, as the Front actions write it) and their teams and inboxes through the Core API (GET /teams, /teams/{id},
 * /inboxes, /inboxes/{id}/teammates, /teammates for who is an admin), all on the company's one request budget
 * (Front's 429 with Retry-After honoured). Front keeps no sign-in time the API answers: signInKnown is false.
 */
import type { FrontProvider } from '../../providers/front/front-provider';
import type { FrontTeammate } from '../../providers/front/front-client';
import type { ScimUser } from '../../providers/scim/scim-client';
import type { AccountPolicy } from '../../actions/account-policy';
import type { DirectoryAccount } from '../directory';
import { scimDirectoryAccount } from './scim-reader';
import { accessLabel, isProtected, newStats, type CountedReader, type ReadStats } from './reader-stats';

export class FrontDirectoryReader implements CountedReader {
  readonly system = 'front';
  stats: ReadStats = newStats();

  constructor(private readonly front: FrontProvider, private readonly policy: AccountPolicy) {}

  private async coreAccess(): Promise<{ access: Map<string, string[]>; admins: Set<string> }> {
    const { core } = this.front.withPriority('housekeeping');
    const access = new Map<string, string[]>();
    const add = (email: string | undefined, label: string) => {
      if (!email) return;
      const key = email.toLowerCase();
      access.set(key, [...(access.get(key) ?? []), label]);
    };
    this.stats.calls++;
    const teammates = await core.list<FrontTeammate>('list teammates', '/teammates');
    const emailOf = new Map(teammates.map((t) => [t.id, t.email?.toLowerCase()]));
    const admins = new Set(teammates.filter((t) => t.is_admin).map((t) => t.email.toLowerCase()));
    this.stats.calls++;
    for (const preview of await core.listTeams()) {
      this.stats.calls++;
      const team = await core.team(preview.id);
      for (const m of team?.members ?? []) add(m.email ?? emailOf.get(m.id), accessLabel('frontTeams', preview.name));
    }
    this.stats.calls++;
    for (const inbox of await core.listInboxes()) {
      this.stats.calls++;
      for (const t of await core.inboxTeammates(inbox.id)) add(t.email, accessLabel('frontInboxes', inbox.name));
    }
    return { access, admins };
  }

  async *accounts(): AsyncIterable<DirectoryAccount> {
    this.stats = newStats();
    const { access, admins } = await this.coreAccess();
    const { scim } = this.front.withPriority('housekeeping');
    for await (const page of scim.pages<ScimUser>('Users')) {
      this.stats.calls++;
      this.stats.pages++;
      for (const user of page) {
        yield scimDirectoryAccount(this.system, user, (address) => [...(access.get(address) ?? [])], (address, boundTo) =>
          isProtected({ system: 'front', address, boundTo, ...(admins.has(address) ? { adminRole: 'a Front admin' } : {}) }, this.policy),
        );
      }
    }
  }
}
