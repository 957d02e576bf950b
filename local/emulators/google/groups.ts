/** Directory API groups and members: list (also by member), insert, get, delete, hasMember, with 409 on a duplicate member. */
import type { EmulatorRoute } from '../server';
import { fail } from './errors';
import { creationPending } from './users';
import { api, compact, noContent, ok, paginate, readJson, str, type Json } from './http';
import type { GroupRecord, MemberRecord, MemberRole, WorkspaceStore } from './state';

const GROUPS = '/admin/directory/v1/groups';
const ROLES: MemberRole[] = ['OWNER', 'MANAGER', 'MEMBER'];

function groupResource(store: WorkspaceStore, g: GroupRecord) {
  const body = compact({
    kind: 'admin#directory#group',
    id: g.id,
    email: g.email,
    name: g.name,
    // int64 counts travel as strings in the Admin SDK.
    directMembersCount: String(store.state.members.filter((m) => m.groupId === g.id).length),
    description: g.description,
    adminCreated: true,
    aliases: g.aliases,
  });
  return { ...body, etag: store.etag(body) };
}

function memberResource(store: WorkspaceStore, m: MemberRecord) {
  const body = { kind: 'admin#directory#member', id: m.id, email: m.email, role: m.role, type: m.type, status: 'ACTIVE', delivery_settings: 'ALL_MAIL' };
  return { ...body, etag: store.etag(body) };
}

/** groups.insert; shared with the seed helpers. */
export function insertGroup(store: WorkspaceStore, body: Json): GroupRecord {
  const email = str(body.email)?.toLowerCase();
  if (!email || !email.includes('@')) throw fail.invalid('Invalid Input: email');
  if (!store.inDomain(email)) throw fail.notFound('domain');
  if (store.addressTaken(email)) throw fail.duplicate();
  const group: GroupRecord = { id: store.newGroupId(), email, name: str(body.name) ?? email.split('@')[0], description: str(body.description) ?? '', aliases: [] };
  store.state.groups.push(group);
  return group;
}

/** members.insert; shared with the seed helpers. */
export function insertMember(store: WorkspaceStore, groupKey: string, body: Json): MemberRecord {
  const group = store.requireGroup(groupKey);
  const key = str(body.email) ?? str(body.id);
  if (!key) throw fail.invalid('Invalid Input: memberKey');
  const role = (str(body.role) ?? 'MEMBER').toUpperCase() as MemberRole;
  if (!ROLES.includes(role)) throw fail.invalid('Invalid Input: role');
  const user = store.findUser(key);
  const nested = user ? undefined : store.findGroup(key);
  if (nested?.id === group.id) throw fail.conditionNotMet('Cyclic memberships not allowed');
  // An unknown address in our own domain is an error; an outside address becomes an external member.
  if (!user && !nested && store.inDomain(key)) throw fail.notFound('memberKey');
  // A user Google is still making is not yet one it can add: the same 404 naming memberKey as an unknown address
  // (the answer seen for a valid new user: DeviaVir/terraform-provider-gsuite#90, "Error 404: Resource Not Found: memberKey, notFound").
  if (user && creationPending(store, user)) throw fail.notFound('memberKey');
  const member: MemberRecord = user
    ? { groupId: group.id, id: user.id, email: user.primaryEmail, role, type: 'USER' }
    : nested
      ? { groupId: group.id, id: nested.id, email: nested.email, role, type: 'GROUP' }
      : { groupId: group.id, id: `1${String(store.next()).padStart(20, '0')}`, email: key.toLowerCase(), role, type: 'EXTERNAL' };
  if (store.state.members.some((m) => m.groupId === group.id && (m.id === member.id || m.email === member.email))) {
    throw fail.duplicate('Member already exists.');
  }
  store.state.members.push(member);
  return member;
}

function findMember(store: WorkspaceStore, group: GroupRecord, memberKey: string): MemberRecord | undefined {
  const user = store.findUser(memberKey);
  const key = memberKey.toLowerCase();
  return store.state.members.find((m) => m.groupId === group.id && (m.id === memberKey || m.email === key || (user !== undefined && m.id === user.id)));
}

export function groupRoutes(store: WorkspaceStore): EmulatorRoute[] {
  const requireMember = (groupKey: string, memberKey: string) => {
    const member = findMember(store, store.requireGroup(groupKey), memberKey);
    if (!member) throw fail.notFound('memberKey');
    return member;
  };
  return [
    api('GET', GROUPS, (req) => {
      const q = req.query;
      const customer = q.get('customer');
      const domain = q.get('domain');
      const userKey = q.get('userKey');
      if (!customer && !domain && !userKey) throw fail.badRequest();
      if (customer) store.requireCustomer(customer);
      if (domain && domain.toLowerCase() !== store.state.domain) throw fail.forbidden();
      let groups = [...store.state.groups];
      if (userKey) {
        // userKey lists the groups the address is a direct member of.
        const user = store.findUser(userKey);
        if (!user && store.inDomain(userKey)) throw fail.invalid('Invalid Input: memberKey');
        const ids = new Set(store.state.members.filter((m) => (user ? m.id === user.id : m.email === userKey.toLowerCase())).map((m) => m.groupId));
        groups = groups.filter((g) => ids.has(g.id));
      }
      groups.sort((a, b) => a.email.localeCompare(b.email));
      const { page, nextPageToken } = paginate(groups, q, 200, 200);
      const items = page.map((g) => groupResource(store, g));
      return ok(compact({ kind: 'admin#directory#groups', etag: store.etag(items), groups: items, nextPageToken }));
    }),
    api('POST', GROUPS, (req) => ok(groupResource(store, insertGroup(store, readJson(req))))),
    api('GET', `${GROUPS}/:groupKey`, (req) => ok(groupResource(store, store.requireGroup(req.params[0])))),
    api('DELETE', `${GROUPS}/:groupKey`, (req) => {
      deleteGroup(store, req.params[0]);
      return noContent();
    }),
    api('GET', `${GROUPS}/:groupKey/members`, (req) => {
      const group = store.requireGroup(req.params[0]);
      const roles = req.query.get('roles')?.toUpperCase().split(',');
      const all = store.state.members.filter((m) => m.groupId === group.id && (!roles || roles.includes(m.role)));
      const { page, nextPageToken } = paginate(all, req.query, 200, 200);
      const members = page.map((m) => memberResource(store, m));
      return ok(compact({ kind: 'admin#directory#members', etag: store.etag(members), members, nextPageToken }));
    }),
    api('POST', `${GROUPS}/:groupKey/members`, (req) => ok(memberResource(store, insertMember(store, req.params[0], readJson(req))))),
    api('GET', `${GROUPS}/:groupKey/members/:memberKey`, (req) => ok(memberResource(store, requireMember(req.params[0], req.params[1])))),
    // members.update (PUT) and members.patch (PATCH): the role is the field an admin changes.
    ...(['PUT', 'PATCH'] as const).map((method) =>
      api(method, `${GROUPS}/:groupKey/members/:memberKey`, (req) => {
        const member = requireMember(req.params[0], req.params[1]);
        const role = str(readJson(req).role)?.toUpperCase() as MemberRole | undefined;
        if (role !== undefined && !ROLES.includes(role)) throw fail.invalid('Invalid Input: role');
        if (role) member.role = role;
        return ok(memberResource(store, member));
      }),
    ),
    api('DELETE', `${GROUPS}/:groupKey/members/:memberKey`, (req) => {
      const member = requireMember(req.params[0], req.params[1]);
      store.state.members = store.state.members.filter((m) => m !== member);
      return noContent();
    }),
    api('GET', `${GROUPS}/:groupKey/hasMember/:memberKey`, (req) => {
      const group = store.requireGroup(req.params[0]);
      if (!store.findUser(req.params[1]) && store.inDomain(req.params[1]) && !store.findGroup(req.params[1])) throw fail.notFound('memberKey');
      return ok({ isMember: Boolean(findMember(store, group, req.params[1])) });
    }),
  ];
}

/** groups.delete: the group goes, with its memberships and its own membership of other groups. */
export function deleteGroup(store: WorkspaceStore, groupKey: string): void {
  const group = store.requireGroup(groupKey);
  store.state.groups = store.state.groups.filter((g) => g.id !== group.id);
  store.state.members = store.state.members.filter((m) => m.groupId !== group.id && m.id !== group.id);
}
