/** Group and custom role names, as the role catalog gives them, resolved to Zendesk ids (a number is taken as an id). */
import { ProviderError } from '../provider-error';
import type { ZendeskClient, ZendeskCustomRole, ZendeskGroup } from './zendesk-client';

export interface ZendeskReferences {
  group(name: string): Promise<ZendeskGroup>;
  groups(names: readonly string[]): Promise<ZendeskGroup[]>;
  customRole(name: string): Promise<ZendeskCustomRole>;
  /** A group's name by id, for notes and snapshots; the id itself when the group is gone. */
  groupName(id: number): Promise<string>;
}

/** A group or custom role the role names that Zendesk does not have: only this, never a failed read, means "not there". */
export class UnknownZendeskReference extends ProviderError {
  constructor(message: string) {
    super(message, false);
    this.name = 'UnknownZendeskReference';
  }
}

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** Each list is read once per step, when first needed. */
export function zendeskReferences(client: ZendeskClient): ZendeskReferences {
  let groups: Promise<ZendeskGroup[]> | undefined;
  let roles: Promise<ZendeskCustomRole[]> | undefined;
  const allGroups = () => (groups ??= client.listGroups().then((all) => all.filter((g) => !g.deleted)));
  const group = async (name: string) => {
    const found = (await allGroups()).find((g) => same(g.name, name) || String(g.id) === name.trim());
    if (!found) throw new UnknownZendeskReference(`Zendesk group ${JSON.stringify(name)} does not exist: fix the role's Zendesk groups (or the stage's leaverTicketGroup), or make the group in Zendesk`);
    return found;
  };
  return {
    group,
    groups: (names) => Promise.all(names.map(group)),
    async customRole(name) {
      const found = (await (roles ??= client.listCustomRoles())).find((r) => same(r.name, name) || String(r.id) === name.trim());
      if (!found) throw new ProviderError(`Zendesk custom role ${JSON.stringify(name)} does not exist: fix the role's Zendesk custom role, or make it in Zendesk (Admin Center, Team members, Roles)`, false);
      return found;
    },
    async groupName(id) {
      return (await allGroups()).find((g) => g.id === id)?.name ?? String(id);
    },
  };
}
