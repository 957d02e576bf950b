/**
 * Calendar API v3 access control (acl.list/insert/get/delete) on team calendars, with Google's rule ids, shapes and
 * errors; and the events users organize, as far as a Data Transfer of Calendar tells them apart, listed (events.list)
 * on the primary calendars of its organizer and of the tenant's users among its guests, with Google's event shape.
 * Other guests and rooms have made-up addresses; an event moved to another organizer leaves the old one's list
 * unless they are among its guests.
 */
import { createHash } from 'node:crypto';
import { readLocalAccessToken } from '../../credentials/google-local-token';
import type { EmulatorRoute } from '../server';
import { fail, GoogleApiError, TokenRefused } from './errors';
import { api, compact, isJson, noContent, ok, paginate, readJson, str } from './http';
import type { CalendarAclRecord, CalendarEventRecord, CalendarRecord, UserRecord, WorkspaceStore } from './state';

const ACL = '/calendar/v3/calendars/:calendarId/acl';
const CALENDAR_LIST = '/calendar/v3/users/me/calendarList';
const EVENTS = '/calendar/v3/calendars/:calendarId/events';
const EVENT_MINUTES = 60;
const ROLES: CalendarAclRecord['role'][] = ['none', 'freeBusyReader', 'reader', 'writer', 'owner'];
const SCOPE_TYPES: CalendarAclRecord['scope']['type'][] = ['default', 'user', 'group', 'domain'];

/** The Calendar API's errors carry the bare HTTP phrase as their message. */
const calendarFail = {
  notFound: () => new GoogleApiError(404, 'Not Found', 'notFound'),
  invalid: (message: string) => new GoogleApiError(400, message, 'invalid'),
  required: (message: string) => new GoogleApiError(400, message, 'required'),
};

/** A team calendar; ids look like Google's secondary calendar ids (c_<hex>@group.calendar.google.com). */
export function insertCalendar(store: WorkspaceStore, input: { summary: string; id?: string; owner?: string }): CalendarRecord {
  const id = input.id ?? `c_${createHash('sha256').update(`${store.state.customerId}/calendar/${store.next()}`).digest('hex').slice(0, 26)}@group.calendar.google.com`;
  const owner = (input.owner ?? store.state.users.find((u) => u.isAdmin)?.primaryEmail)?.toLowerCase();
  const calendar: CalendarRecord = { id, summary: input.summary, acl: owner ? [{ id: `user:${owner}`, role: 'owner', scope: { type: 'user', value: owner } }] : [] };
  store.state.calendars.push(calendar);
  return calendar;
}

function ruleResource(store: WorkspaceStore, r: CalendarAclRecord) {
  const body = { kind: 'calendar#aclRule', id: r.id, scope: compact({ type: r.scope.type, value: r.scope.value }), role: r.role };
  return { ...body, etag: store.etag(body) };
}

/**
 * An event as events.list returns it to `me`: the organizer among the attendees when there are guests or rooms, as
 * Google lists them, and `self` marking `me`; tenant users among the guests by their addresses, the rest made up.
 */
function eventResource(store: WorkspaceStore, e: CalendarEventRecord, me: UserRecord) {
  const start = new Date(e.start);
  const end = new Date(start.getTime() + EVENT_MINUTES * 60_000);
  const organizer = store.state.users.find((u) => u.id === e.organizerId)?.primaryEmail ?? `${e.organizerId}@unknown.example`;
  const person = (email: string) => (email === me.primaryEmail ? { self: true } : {});
  const tenantGuests = (e.guestIds ?? []).flatMap((id) => store.state.users.filter((u) => u.id === id).map((u) => u.primaryEmail));
  const outside = Array.from({ length: Math.max(0, e.guests - tenantGuests.length) }, (_, i) => `guest${i + 1}.${e.id}@partner.example`);
  const guests = [...tenantGuests, ...outside].map((email) => ({ email, ...person(email), responseStatus: 'needsAction' }));
  const rooms = Array.from({ length: e.resources }, (_, i) => ({ email: `c_room${i + 1}.${e.id}@resource.calendar.google.com`, resource: true, responseStatus: 'accepted' }));
  const attendees = guests.length + rooms.length ? [{ email: organizer, organizer: true, ...person(organizer), responseStatus: 'accepted' }, ...guests, ...rooms] : undefined;
  const body = compact({
    kind: 'calendar#event',
    id: e.id,
    status: 'confirmed',
    summary: e.private ? 'Private meeting' : `Meeting ${e.id.slice(-4)}`,
    creator: { email: organizer, ...person(organizer) },
    organizer: { email: organizer, ...person(organizer) },
    start: { dateTime: start.toISOString(), timeZone: 'UTC' },
    end: { dateTime: end.toISOString(), timeZone: 'UTC' },
    visibility: e.private ? 'private' : undefined,
    attendees,
    eventType: 'default',
  });
  return { ...body, etag: store.etag(body) };
}

export function calendarRoutes(store: WorkspaceStore): EmulatorRoute[] {
  const requireCalendar = (id: string) => {
    const calendar = store.state.calendars.find((c) => c.id.toLowerCase() === id.toLowerCase());
    if (!calendar) throw calendarFail.notFound();
    return calendar;
  };
  const requireRule = (calendar: CalendarRecord, ruleId: string) => {
    const rule = calendar.acl.find((r) => r.id.toLowerCase() === ruleId.toLowerCase());
    if (!rule) throw calendarFail.notFound();
    return rule;
  };
  /** The user the request's token acts as: Calendar user calls are made as the user (domain-wide delegation). */
  const tokenUser = (authorization: string | undefined): UserRecord => {
    const claims = readLocalAccessToken((authorization ?? '').replace(/^Bearer\s+/i, ''));
    if (!claims) throw fail.invalidCredentials();
    const me = store.state.users.find((u) => u.primaryEmail === claims.sub.toLowerCase());
    if (!me || me.suspended) throw new TokenRefused('Invalid email or User ID');
    return me;
  };
  return [
    // events.list as the user, on their primary calendar ("primary" or their address): the events they organize there.
    api('GET', EVENTS, (req) => {
      const me = tokenUser(req.headers.authorization);
      const calendarId = req.params[0].toLowerCase();
      if (calendarId !== 'primary' && calendarId !== me.primaryEmail) throw calendarFail.notFound();
      const bound = (name: string) => {
        const value = req.query.get(name);
        if (value === null) return undefined;
        const at = Date.parse(value);
        if (Number.isNaN(at) || !/[zZ]|[+-]\d\d:\d\d$/.test(value)) throw calendarFail.invalid('Bad Request');
        return at;
      };
      const timeMin = bound('timeMin');
      const timeMax = bound('timeMax');
      const events = store.state.events
        .filter((e) => e.calendar === 'primary' && (e.organizerId === me.id || e.guestIds?.includes(me.id)))
        .filter((e) => {
          const start = Date.parse(e.start);
          return (timeMin === undefined || start + EVENT_MINUTES * 60_000 > timeMin) && (timeMax === undefined || start < timeMax);
        })
        .sort((a, b) => Date.parse(a.start) - Date.parse(b.start) || a.id.localeCompare(b.id));
      const { page, nextPageToken } = paginate(events, req.query, 250, 2500);
      const items = page.map((e) => eventResource(store, e, me));
      return ok(
        compact({
          kind: 'calendar#events',
          etag: store.etag(items),
          summary: me.primaryEmail,
          timeZone: 'UTC',
          accessRole: 'owner',
          items,
          nextPageToken,
          nextSyncToken: nextPageToken ? undefined : store.etag(items).slice(1, -1),
        }),
      );
    }),
    // calendarList.list as the user: their primary calendar, and each calendar whose access rules name them.
    api('GET', CALENDAR_LIST, (req) => {
      const me = tokenUser(req.headers.authorization);
      const minRole = req.query.get('minAccessRole');
      if (minRole !== null && !ROLES.includes(minRole as CalendarAclRecord['role'])) throw calendarFail.invalid('Invalid minAccessRole value.');
      const rank = (role: string) => ROLES.indexOf(role as CalendarAclRecord['role']);
      const entries = [
        { id: me.primaryEmail, summary: me.primaryEmail, accessRole: 'owner', primary: true as const },
        ...store.state.calendars.flatMap((c) => {
          const rule = c.acl.find((r) => r.scope.type === 'user' && r.scope.value === me.primaryEmail);
          return rule && rule.role !== 'none' ? [{ id: c.id, summary: c.summary, accessRole: rule.role, primary: undefined }] : [];
        }),
      ].filter((e) => minRole === null || rank(e.accessRole) >= rank(minRole));
      const { page, nextPageToken } = paginate(entries, req.query, 100, 250);
      const items = page.map((e) => {
        const body = compact({ kind: 'calendar#calendarListEntry', id: e.id, summary: e.summary, timeZone: 'UTC', accessRole: e.accessRole, primary: e.primary });
        return { ...body, etag: store.etag(body) };
      });
      return ok(compact({ kind: 'calendar#calendarList', etag: store.etag(items), items, nextPageToken, nextSyncToken: nextPageToken ? undefined : store.etag(items).slice(1, -1) }));
    }),
    api('GET', ACL, (req) => {
      const calendar = requireCalendar(req.params[0]);
      const { page, nextPageToken } = paginate(calendar.acl, req.query, 100, 250);
      const items = page.map((r) => ruleResource(store, r));
      return ok(compact({ kind: 'calendar#acl', etag: store.etag(items), items, nextPageToken, nextSyncToken: nextPageToken ? undefined : store.etag(items).slice(1, -1) }));
    }),
    api('POST', ACL, (req) => {
      const calendar = requireCalendar(req.params[0]);
      const body = readJson(req);
      const role = str(body.role) as CalendarAclRecord['role'] | undefined;
      if (!role) throw calendarFail.required('Missing role.');
      if (!ROLES.includes(role)) throw calendarFail.invalid('Invalid role.');
      const scope = isJson(body.scope) ? body.scope : {};
      const type = (str(scope.type) ?? 'default') as CalendarAclRecord['scope']['type'];
      if (!SCOPE_TYPES.includes(type)) throw calendarFail.invalid('Invalid scope type.');
      const value = type === 'default' ? undefined : str(scope.value)?.toLowerCase();
      if (type !== 'default' && !value) throw calendarFail.required('Missing scope value.');
      const id = type === 'default' ? 'default' : `${type}:${value}`;
      // Inserting a rule for a scope that has one replaces its role, as Google does.
      const existing = calendar.acl.find((r) => r.id === id);
      const rule: CalendarAclRecord = existing ?? { id, role, scope: compact({ type, value }) };
      rule.role = role;
      if (!existing) calendar.acl.push(rule);
      return ok(ruleResource(store, rule));
    }),
    api('GET', `${ACL}/:ruleId`, (req) => ok(ruleResource(store, requireRule(requireCalendar(req.params[0]), req.params[1])))),
    api('DELETE', `${ACL}/:ruleId`, (req) => {
      const calendar = requireCalendar(req.params[0]);
      const rule = requireRule(calendar, req.params[1]);
      calendar.acl = calendar.acl.filter((r) => r !== rule);
      return noContent();
    }),
  ];
}

/**
 * The events a seeded user organizes. A number is that many upcoming meetings with a guest on the primary calendar
 * (what a Data Transfer moves); the object adds the kinds it leaves behind.
 */
export type CalendarSeed =
  | number
  | {
      /** Upcoming, not private, with a guest, on the primary calendar: the ones a transfer moves. */
      meetings?: number;
      /** Already over. */
      past?: number;
      /** Upcoming with a guest, but private. */
      private?: number;
      /** Upcoming, nobody else on them (no guest, no room). */
      solo?: number;
      /** Upcoming meetings on a secondary calendar of the user's. */
      secondary?: number;
      /** Meetings with a guest that began half an hour ago and are still going on. */
      started?: number;
      /** Upcoming meetings with a guest and a room booked. */
      withRooms?: number;
    };

const DAY_MS = 24 * 3600 * 1000;

export function addCalendarEvents(store: WorkspaceStore, user: UserRecord, seed: CalendarSeed | undefined): void {
  const kinds = typeof seed === 'number' ? { meetings: seed } : (seed ?? {});
  const add = (count: number | undefined, shape: Partial<CalendarEventRecord> & { daysFromNow: number }) => {
    for (let i = 0; i < (count ?? 0); i += 1) {
      const { daysFromNow, ...rest } = shape;
      const start = new Date(store.now() + Math.sign(daysFromNow) * (Math.abs(daysFromNow) + i) * DAY_MS).toISOString();
      store.state.events.push({ id: `evt${store.next().toString(36).padStart(10, '0')}`, organizerId: user.id, calendar: 'primary', start, private: false, guests: 1, resources: 0, ...rest });
    }
  };
  add(kinds.meetings, { daysFromNow: 1 });
  add(kinds.past, { daysFromNow: -1 });
  add(kinds.private, { daysFromNow: 1, private: true });
  add(kinds.solo, { daysFromNow: 1, guests: 0 });
  add(kinds.secondary, { daysFromNow: 1, calendar: 'secondary' });
  add(kinds.withRooms, { daysFromNow: 1, resources: 1 });
  for (let i = 0; i < (kinds.started ?? 0); i += 1) {
    const start = new Date(store.now() - 30 * 60_000).toISOString();
    store.state.events.push({ id: `evt${store.next().toString(36).padStart(10, '0')}`, organizerId: user.id, calendar: 'primary', start, private: false, guests: 1, resources: 0 });
  }
}

/** An upcoming meeting another user organizes with the given users of the tenant among its guests. */
export function addInvitation(store: WorkspaceStore, organizer: UserRecord, guests: UserRecord[], daysFromNow = 1): string {
  const id = `evt${store.next().toString(36).padStart(10, '0')}`;
  const start = new Date(store.now() + daysFromNow * DAY_MS).toISOString();
  store.state.events.push({ id, organizerId: organizer.id, calendar: 'primary', start, private: false, guests: guests.length, resources: 0, guestIds: guests.map((g) => g.id) });
  return id;
}

/** How many events a user organizes, all calendars and times together. */
export function calendarEventCount(store: WorkspaceStore, userId: string): number {
  return store.state.events.filter((e) => e.organizerId === userId).length;
}

/** Why a Data Transfer of Calendar leaves an event with its organizer, or undefined when it moves it. */
export function whyCalendarEventStays(e: CalendarEventRecord, now: number): 'past' | 'private' | 'solo' | 'secondary' | undefined {
  if (e.calendar !== 'primary') return 'secondary';
  if (Date.parse(e.start) <= now) return 'past';
  if (e.private) return 'private';
  if (e.guests + e.resources === 0) return 'solo';
  return undefined;
}
