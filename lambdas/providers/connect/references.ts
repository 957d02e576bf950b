/**
 * Turns the role catalog's Connect references into ids: a routing profile, security profile or hierarchy group is
 * named by its id (passed through) or by its name (looked up in the instance's lists, each read at most once).
 */
import {
  paginateListRoutingProfiles,
  paginateListSecurityProfiles,
  paginateListUserHierarchyGroups,
  type ConnectClient,
} from '@aws-sdk/client-connect';
import { ProviderError } from '../provider-error';
import { ConnectCallError } from './connect-errors';

export type ConnectReferenceKind = 'routing profile' | 'security profile' | 'hierarchy group';

export interface ConnectReferences {
  routingProfile(ref: string): Promise<string>;
  securityProfiles(refs: readonly string[]): Promise<string[]>;
  hierarchyGroup(ref: string): Promise<string>;
}

interface Named {
  Id?: string;
  Name?: string;
}

/** Connect's resource ids are UUIDs; an ARN names a resource as well. Anything else is a name. */
export function isConnectId(ref: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(ref) || ref.startsWith('arn:');
}

/** The id of the one item named `name`: an exact match, else a single match apart from case; never a guess between two. */
export function idByName(items: readonly Named[], name: string, kind: ConnectReferenceKind, instanceId: string): string {
  const exact = items.filter((i) => i.Name === name && i.Id);
  if (exact.length === 1) return exact[0].Id!;
  const folded = items.filter((i) => i.Name?.toLowerCase() === name.toLowerCase() && i.Id);
  if (exact.length === 0 && folded.length === 1) return folded[0].Id!;
  if (exact.length > 1 || folded.length > 1) {
    throw new ProviderError(`Connect instance ${instanceId} has ${Math.max(exact.length, folded.length)} ${kind}s named "${name}": name it by id in the role catalog`, false);
  }
  throw new ProviderError(`Connect instance ${instanceId} has no ${kind} named "${name}": fix the role catalog or create it in Connect`, false);
}

export function connectReferences(client: ConnectClient, instanceId: string): ConnectReferences {
  const lists = new Map<ConnectReferenceKind, Promise<Named[]>>();
  const read = (kind: ConnectReferenceKind): Promise<Named[]> => {
    let list = lists.get(kind);
    if (!list) {
      list = (async () => {
        const out: Named[] = [];
        const config = { client, pageSize: 1000 };
        const input = { InstanceId: instanceId };
        try {
          if (kind === 'routing profile') for await (const page of paginateListRoutingProfiles(config, input)) out.push(...(page.RoutingProfileSummaryList ?? []));
          else if (kind === 'security profile') for await (const page of paginateListSecurityProfiles(config, input)) out.push(...(page.SecurityProfileSummaryList ?? []));
          else for await (const page of paginateListUserHierarchyGroups(config, input)) out.push(...(page.UserHierarchyGroupSummaryList ?? []));
        } catch (err) {
          throw new ConnectCallError(`listing the ${kind}s of instance ${instanceId}`, err);
        }
        return out;
      })();
      // A failed read is not kept: the next lookup asks again.
      list.catch(() => lists.delete(kind));
      lists.set(kind, list);
    }
    return list;
  };
  const resolve = async (kind: ConnectReferenceKind, ref: string) => (isConnectId(ref) ? ref : idByName(await read(kind), ref, kind, instanceId));
  return {
    routingProfile: (ref) => resolve('routing profile', ref),
    securityProfiles: (refs) => Promise.all(refs.map((ref) => resolve('security profile', ref))),
    hierarchyGroup: (ref) => resolve('hierarchy group', ref),
  };
}
