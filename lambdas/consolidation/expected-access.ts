/**
 * What a person's role gives them in each connected system, named as the directory readers name access
 * (`<grant field>:<value>`, see readers/reader-stats.ts): which systems they should have an account in, and the access
 * each account should carry. Pure; the same grant fields the role planners (lambdas/roles/steps) plan from.
 */
import type { ResolvedRole } from '../roles/resolve';
import { parseScimGroup } from '../roles/scim-grants';
import type { ListField, SingleField } from '../roles/role-model';

/** One system's expectation: an account, and the access labels it should carry. */
export interface Expected {
  system: string;
  access: string[];
}

const label = (field: string, value: string) => `${field}:${value}`;

function single(role: ResolvedRole, field: SingleField): string | undefined {
  return role.single[field]?.value;
}

function list(role: ResolvedRole, field: ListField): string[] {
  return (role.lists[field] ?? []).map((g) => g.value);
}

/** Every system the role gives an account in, with the access it gives there. */
export function expectedAccess(role: ResolvedRole): Expected[] {
  const out: Expected[] = [];
  const googleGroups = list(role, 'googleGroups').map((g) => label('googleGroups', g.toLowerCase()));
  const sku = single(role, 'googleLicenseSku');
  if (googleGroups.length || sku || single(role, 'googleOrgUnit')) out.push({ system: 'google', access: [...googleGroups, ...(sku ? [label('googleLicenseSku', sku)] : [])] });

  const routing = single(role, 'connectRoutingProfile');
  const security = list(role, 'connectSecurityProfiles');
  if (routing || security.length) out.push({ system: 'connect', access: [...(routing ? [label('connectRoutingProfile', routing)] : []), ...security.map((s) => label('connectSecurityProfiles', s))] });

  const zendeskRole = single(role, 'zendeskRole');
  const customRole = single(role, 'zendeskCustomRole');
  const zendeskGroups = list(role, 'zendeskGroups');
  if (zendeskRole || customRole || zendeskGroups.length) {
    // Groups and custom roles are agents': an agent unless the role says otherwise (as the Zendesk planner does).
    out.push({ system: 'zendesk', access: [label('zendeskRole', zendeskRole ?? 'agent'), ...(customRole ? [label('zendeskCustomRole', customRole)] : []), ...zendeskGroups.map((g) => label('zendeskGroups', g))] });
  }

  const apps = new Set(list(role, 'scimApps'));
  const scimGroups = list(role, 'scimGroups').map(parseScimGroup).filter((g): g is { app: string; group: string } => g !== undefined);
  for (const g of scimGroups) apps.add(g.app);
  for (const app of apps) {
    out.push({ system: `scim:${app}`, access: [label('scimApps', app), ...scimGroups.filter((g) => g.app === app).map((g) => label('scimGroups', `${app}/${g.group}`))] });
  }

  const teams = list(role, 'frontTeams');
  const inboxes = list(role, 'frontInboxes');
  if (teams.length || inboxes.length || single(role, 'frontTemplate')) out.push({ system: 'front', access: [...teams.map((t) => label('frontTeams', t)), ...inboxes.map((i) => label('frontInboxes', i))] });

  const ncGroups = list(role, 'nextcloudGroups');
  if (ncGroups.length || single(role, 'nextcloudQuota')) out.push({ system: 'nextcloud', access: ncGroups.map((g) => label('nextcloudGroups', g)) });

  // OpenProject grants one kind of account (`user`), which its reader names every user as holding.
  const openprojectAccount = single(role, 'openprojectAccount');
  if (openprojectAccount) out.push({ system: 'openproject', access: [label('openprojectAccount', openprojectAccount)] });
  return out.map((e) => ({ ...e, access: [...new Set(e.access)].sort() }));
}

/** Whether two access labels name the same grant: values compared apart from case (addresses, profile names). */
export const sameAccess = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
