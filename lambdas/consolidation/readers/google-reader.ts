/**
 * Reads every Google Workspace user (users.list, 500 a page, projection full), with the groups each is a direct member
 * of (groups.list and members.list, 200 a page) and the Workspace licenses each holds (licenseAssignments.listForProduct,
 * 1000 a page), through the stage's Google clients and so within the stage's Google budget. Binding: the externalIds
 * entry of type organization. Last sign-in: lastLoginTime (Google answers 1970-01-01 for never).
 */
import type { GoogleClients } from '../../providers/google/google-clients';
import { GOOGLE_WORKSPACE_PRODUCT_ID } from '../../actions/google/workspace-licenses';
import type { AccountPolicy } from '../../actions/account-policy';
import type { DirectoryAccount } from '../directory';
import { accessLabel, isProtected, newStats, type CountedReader, type ReadStats } from './reader-stats';

/** Google's page sizes: the most each list call takes. */
export const GOOGLE_PAGE_SIZES = { users: 500, groups: 200, members: 200, licenses: 1000 } as const;
const NEVER = '1970-01-01T00:00:00.000Z';

interface GoogleUserRead {
  id?: string | null;
  primaryEmail?: string | null;
  suspended?: boolean | null;
  archived?: boolean | null;
  isAdmin?: boolean | null;
  isDelegatedAdmin?: boolean | null;
  orgUnitPath?: string | null;
  lastLoginTime?: string | null;
  creationTime?: string | null;
  externalIds?: unknown;
}

/** The employee id an account carries: its externalIds entry of type organization. */
export function googleEmployeeId(externalIds: unknown): string | undefined {
  if (!Array.isArray(externalIds)) return undefined;
  const entry = externalIds.find((e): e is { type: string; value: string } => Boolean(e) && (e as { type?: unknown }).type === 'organization' && typeof (e as { value?: unknown }).value === 'string');
  return entry?.value || undefined;
}

export class GoogleDirectoryReader implements CountedReader {
  readonly system = 'google';
  stats: ReadStats = newStats();
  private readonly google: GoogleClients;

  constructor(google: GoogleClients, private readonly policy: AccountPolicy) {
    // Housekeeping: a read for a report never takes a request a leaver's lockout needs.
    this.google = google.withPriority('housekeeping');
  }

  /** Every direct member's groups, by lower-cased address. */
  private async groupsByMember(): Promise<Map<string, string[]>> {
    const { directory, config } = this.google;
    const byMember = new Map<string, string[]>();
    let pageToken: string | undefined;
    do {
      this.stats.calls++;
      const groups = (await directory.groups.list({ customer: config.customerId, maxResults: GOOGLE_PAGE_SIZES.groups, ...(pageToken ? { pageToken } : {}) })).data;
      for (const group of groups.groups ?? []) {
        if (!group.email) continue;
        let memberToken: string | undefined;
        do {
          this.stats.calls++;
          const members = (await directory.members.list({ groupKey: group.email, maxResults: GOOGLE_PAGE_SIZES.members, ...(memberToken ? { pageToken: memberToken } : {}) })).data;
          for (const m of members.members ?? []) {
            if (m.type !== 'USER' || !m.email) continue;
            const key = m.email.toLowerCase();
            byMember.set(key, [...(byMember.get(key) ?? []), group.email.toLowerCase()]);
          }
          memberToken = members.nextPageToken ?? undefined;
        } while (memberToken);
      }
      pageToken = groups.nextPageToken ?? undefined;
    } while (pageToken);
    return byMember;
  }

  /** Every Workspace license, by lower-cased address. */
  private async licensesByUser(): Promise<Map<string, string[]>> {
    const byUser = new Map<string, string[]>();
    const pages = this.google.licensing.assignmentPages(GOOGLE_WORKSPACE_PRODUCT_ID, GOOGLE_PAGE_SIZES.licenses);
    for (;;) {
      this.stats.calls++;
      const next = await pages.next();
      if (next.done) {
        this.stats.calls--;
        break;
      }
      for (const a of next.value) byUser.set(a.userId.toLowerCase(), [...(byUser.get(a.userId.toLowerCase()) ?? []), a.skuId]);
    }
    return byUser;
  }

  async *accounts(): AsyncIterable<DirectoryAccount> {
    this.stats = newStats();
    const [groups, licenses] = [await this.groupsByMember(), await this.licensesByUser()];
    const { directory, config } = this.google;
    let pageToken: string | undefined;
    do {
      this.stats.calls++;
      this.stats.pages++;
      const page = (await directory.users.list({ customer: config.customerId, maxResults: GOOGLE_PAGE_SIZES.users, projection: 'full', orderBy: 'email', ...(pageToken ? { pageToken } : {}) })).data;
      for (const user of (page.users ?? []) as GoogleUserRead[]) yield this.account(user, groups, licenses);
      pageToken = page.nextPageToken ?? undefined;
    } while (pageToken);
  }

  private account(user: GoogleUserRead, groups: Map<string, string[]>, licenses: Map<string, string[]>): DirectoryAccount {
    const email = (user.primaryEmail ?? '').toLowerCase();
    const employeeId = googleEmployeeId(user.externalIds);
    const lastLogin = user.lastLoginTime && user.lastLoginTime !== NEVER ? new Date(user.lastLoginTime).toISOString() : undefined;
    const adminRole = user.isAdmin ? 'a super admin' : user.isDelegatedAdmin ? 'a delegated admin' : undefined;
    return {
      system: this.system,
      accountId: user.id ?? email,
      email,
      ...(employeeId ? { employeeId } : {}),
      active: !user.suspended && !user.archived,
      ...(lastLogin ? { lastSignInAt: lastLogin } : {}),
      signInKnown: true,
      ...(user.creationTime ? { createdAt: user.creationTime } : {}),
      access: [...(groups.get(email) ?? []).map((g) => accessLabel('googleGroups', g)), ...(licenses.get(email) ?? []).map((s) => accessLabel('googleLicenseSku', s))].sort(),
      ...(isProtected({ system: 'google', address: email, boundTo: employeeId, adminRole, orgUnitPath: user.orgUnitPath ?? undefined }, this.policy) ? { protected: true } : {}),
    };
  }
}
