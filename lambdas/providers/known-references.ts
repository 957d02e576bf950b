/** The groups, profiles and users that exist in Google and Connect, for checking what a role names. */
import {
  ListRoutingProfilesCommand,
  ListSecurityProfilesCommand,
  ListUserHierarchyGroupsCommand,
  ListUsersCommand,
} from '@aws-sdk/client-connect';
import type { ConnectProvider } from './providers';
import type { GoogleClients } from './google/google-clients';
import type { KnownReferences } from '../roles/resolve';

async function allPages<T>(read: (token?: string) => Promise<{ items: T[]; next?: string | null }>): Promise<T[]> {
  const out: T[] = [];
  let token: string | undefined;
  do {
    const page = await read(token);
    out.push(...page.items);
    token = page.next ?? undefined;
  } while (token);
  return out;
}

export async function readKnownReferences(google: GoogleClients, connect: ConnectProvider): Promise<KnownReferences> {
  const { client, instanceId: InstanceId } = connect;
  const [groups, routingProfiles, securityProfiles, hierarchyGroups, users] = await Promise.all([
    allPages(async (pageToken) => {
      const res = await google.directory.groups.list({ customer: google.config.customerId, maxResults: 200, pageToken });
      return { items: (res.data.groups ?? []).map((g) => g.email ?? ''), next: res.data.nextPageToken };
    }),
    allPages(async (NextToken) => {
      const res = await client.send(new ListRoutingProfilesCommand({ InstanceId, NextToken }));
      return { items: (res.RoutingProfileSummaryList ?? []).map((p) => p.Name ?? ''), next: res.NextToken };
    }),
    allPages(async (NextToken) => {
      const res = await client.send(new ListSecurityProfilesCommand({ InstanceId, NextToken }));
      return { items: (res.SecurityProfileSummaryList ?? []).map((p) => p.Name ?? ''), next: res.NextToken };
    }),
    allPages(async (NextToken) => {
      const res = await client.send(new ListUserHierarchyGroupsCommand({ InstanceId, NextToken }));
      return { items: (res.UserHierarchyGroupSummaryList ?? []).map((p) => p.Name ?? ''), next: res.NextToken };
    }),
    allPages(async (NextToken) => {
      const res = await client.send(new ListUsersCommand({ InstanceId, NextToken }));
      return { items: (res.UserSummaryList ?? []).map((u) => u.Username ?? ''), next: res.NextToken };
    }),
  ]);
  const set = (items: string[]) => new Set(items.filter(Boolean));
  return {
    groups: set(groups),
    routingProfiles: set(routingProfiles),
    securityProfiles: set(securityProfiles),
    hierarchyGroups: set(hierarchyGroups),
    templateUsers: set(users),
  };
}
