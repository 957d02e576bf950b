/**
 * Directory API domain aliases (domainAliases.list/get): a domain alias of the primary domain makes every user's
 * address there theirs too, and Gmail treats its addresses as the tenant's own (a forwarding address there needs no
 * confirmation). Tests add aliases with GoogleWorkspaceEmulator.addDomainAlias.
 */
import type { EmulatorRoute } from '../server';
import { fail } from './errors';
import { api, compact, ok } from './http';
import type { DomainAliasRecord, UserRecord, WorkspaceStore } from './state';

const ALIASES = '/admin/directory/v1/customer/:customer/domainaliases';

function aliasResource(store: WorkspaceStore, a: DomainAliasRecord) {
  // creationTime is int64 milliseconds, which JSON carries as a string.
  const body = { kind: 'admin#directory#domainAlias', domainAliasName: a.domainAliasName, parentDomainName: a.parentDomainName, verified: a.verified, creationTime: String(a.creationTime) };
  return { ...body, etag: store.etag(body) };
}

/** Adds a verified alias of the primary domain (the console's "add a domain alias"); a name already in use is refused. */
export function insertDomainAlias(store: WorkspaceStore, name: string): DomainAliasRecord {
  const domainAliasName = name.toLowerCase();
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/.test(domainAliasName)) throw fail.invalid('Invalid Input: domainAliasName');
  const aliases = (store.state.domainAliases ??= []);
  if (domainAliasName === store.state.domain || aliases.some((a) => a.domainAliasName === domainAliasName)) throw fail.duplicate();
  const record = { domainAliasName, parentDomainName: store.state.domain, verified: true, creationTime: store.now() };
  aliases.push(record);
  return record;
}

/** The user's addresses on the domain aliases, which Google lists as nonEditableAliases. */
export function aliasDomainAddresses(store: WorkspaceStore, user: UserRecord): string[] | undefined {
  const local = user.primaryEmail.split('@')[0];
  const list = (store.state.domainAliases ?? []).map((a) => `${local}@${a.domainAliasName}`);
  return list.length ? list : undefined;
}

export function domainRoutes(store: WorkspaceStore): EmulatorRoute[] {
  return [
    api('GET', ALIASES, (req) => {
      store.requireCustomer(req.params[0]);
      const parent = req.query.get('parentDomainName')?.toLowerCase();
      const items = (store.state.domainAliases ?? []).filter((a) => !parent || a.parentDomainName === parent).map((a) => aliasResource(store, a));
      return ok(compact({ kind: 'admin#directory#domainAliases', etag: store.etag(items), domainAliases: items }));
    }),
    api('GET', `${ALIASES}/:domainAliasName`, (req) => {
      store.requireCustomer(req.params[0]);
      const found = (store.state.domainAliases ?? []).find((a) => a.domainAliasName === req.params[1].toLowerCase());
      if (!found) throw fail.notFound('domainAliasName');
      return ok(aliasResource(store, found));
    }),
  ];
}
