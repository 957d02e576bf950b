/**
 * Directory API user aliases (users.aliases list/insert/delete): another address of the user, in the tenant's own
 * domains, that no other user, group or alias holds. Shapes and refusals as the Admin SDK answers them.
 */
import type { EmulatorRoute } from '../server';
import { fail } from './errors';
import { api, noContent, ok, readJson, str, type Json } from './http';
import type { UserRecord, WorkspaceStore } from './state';

const ALIASES = '/admin/directory/v1/users/:userKey/aliases';

function aliasResource(store: WorkspaceStore, u: UserRecord, alias: string): Json {
  const body = { kind: 'admin#directory#alias', id: u.id, primaryEmail: u.primaryEmail, alias };
  return { ...body, etag: store.etag(body) };
}

/** users.aliases.insert: the one path that adds an alias, used by the API and the seed helpers alike. */
export function insertUserAlias(store: WorkspaceStore, u: UserRecord, body: Json): string {
  const alias = str(body.alias)?.trim().toLowerCase();
  if (!alias) throw fail.required('alias');
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(alias)) throw fail.invalid('Invalid Input: alias_email');
  // An address of a domain the customer does not own cannot be an alias, as for a primary address.
  if (!store.inDomain(alias)) throw fail.notFound('domain');
  // Held by anyone (this user included, as its primary address or an alias): "Entity already exists.".
  if (store.addressTaken(alias)) throw fail.duplicate();
  u.aliases.push(alias);
  return alias;
}

export function userAliasRoutes(store: WorkspaceStore): EmulatorRoute[] {
  return [
    api('GET', ALIASES, (req) => {
      const u = store.requireUser(req.params[0]);
      const aliases = u.aliases.map((a) => aliasResource(store, u, a));
      // Google leaves out an empty list.
      return ok({ kind: 'admin#directory#aliases', etag: store.etag(aliases), ...(aliases.length ? { aliases } : {}) });
    }),
    api('POST', ALIASES, (req) => {
      const u = store.requireUser(req.params[0]);
      return ok(aliasResource(store, u, insertUserAlias(store, u, readJson(req))));
    }),
    api('DELETE', `${ALIASES}/:alias`, (req) => {
      const u = store.requireUser(req.params[0]);
      const alias = req.params[1].toLowerCase();
      if (!u.aliases.includes(alias)) throw fail.notFound('alias');
      u.aliases = u.aliases.filter((a) => a !== alias);
      return noContent();
    }),
  ];
}
