/** Calendar events.list through the real @googleapis/calendar client, as the user whose calendar it is. */
import { calendar_v3 } from '@googleapis/calendar';
import { OAuth2Client } from 'google-auth-library';
import { localAccessToken } from '../../../../local/credentials/google-local-token';
import { googleError, startGoogle, type GoogleHarness } from './google-harness';

const NOW = Date.parse('2026-11-30T09:00:00.000Z');
let g: GoogleHarness;
beforeEach(async () => {
  g = await startGoogle({ now: () => NOW });
});
afterEach(() => g.stop());

const calendarAs = (email: string, scopes: readonly string[] = ['https://www.googleapis.com/auth/calendar.events.readonly']) => {
  const auth = new OAuth2Client();
  auth.setCredentials({ access_token: localAccessToken('local', email, scopes) });
  return new calendar_v3.Calendar({ rootUrl: g.rootUrl, auth, retry: false, fetchImplementation: fetch });
};

describe('Calendar events.list', () => {
  it("lists the events the user organizes on their primary calendar, in Google's shape, from timeMin on", async () => {
    const ada = g.sample.users.ada.email;
    const all = (await calendarAs(ada).events.list({ calendarId: 'primary' })).data;
    expect(all).toMatchObject({ kind: 'calendar#events', summary: ada, accessRole: 'owner' });
    // Ada's 12 events: 8 meetings, 2 past, 1 private, 1 solo.
    expect(all.items).toHaveLength(12);
    const upcoming = (await calendarAs(ada).events.list({ calendarId: ada, timeMin: new Date(NOW).toISOString() })).data.items ?? [];
    expect(upcoming).toHaveLength(10);
    const meeting = upcoming[0];
    expect(meeting).toMatchObject({ kind: 'calendar#event', status: 'confirmed', organizer: { email: ada, self: true }, eventType: 'default' });
    expect(meeting.attendees?.[0]).toEqual({ email: ada, organizer: true, self: true, responseStatus: 'accepted' });
    expect(meeting.attendees?.some((a) => !a.self)).toBe(true);
    expect(upcoming.filter((e) => e.visibility === 'private')).toHaveLength(1);
    expect(upcoming.filter((e) => !e.attendees)).toHaveLength(1);
  });

  it("lists a meeting the user is invited to on their calendar too, with the organizer not marked as them", async () => {
    const { ada, grace } = g.sample.users;
    const id = g.emulator.seedInvitation(grace.email, [ada.email]);
    const invited = ((await calendarAs(ada.email).events.list({ calendarId: 'primary' })).data.items ?? []).find((e) => e.id === id);
    expect(invited).toMatchObject({ organizer: { email: grace.email }, creator: { email: grace.email } });
    expect(invited?.organizer?.self).toBeUndefined();
    expect(invited?.attendees).toEqual([
      { email: grace.email, organizer: true, responseStatus: 'accepted' },
      { email: ada.email, self: true, responseStatus: 'needsAction' },
    ]);
  });

  it('pages with maxResults and pageToken', async () => {
    const ada = g.sample.users.ada.email;
    const first = (await calendarAs(ada).events.list({ calendarId: 'primary', maxResults: 5 })).data;
    expect(first.items).toHaveLength(5);
    const second = (await calendarAs(ada).events.list({ calendarId: 'primary', maxResults: 5, pageToken: first.nextPageToken! })).data;
    expect(second.items?.map((e) => e.id)).not.toContain(first.items?.[0].id);
  });

  it("refuses another user's calendar (404), a bad timeMin (400), and a token without a Calendar events scope (403)", async () => {
    const ada = g.sample.users.ada.email;
    expect(await googleError(calendarAs(ada).events.list({ calendarId: g.sample.users.grace.email }))).toMatchObject({ status: 404 });
    expect(await googleError(calendarAs(ada).events.list({ calendarId: 'primary', timeMin: '2026-11-30' }))).toMatchObject({ status: 400 });
    const noScope = calendarAs(ada, ['https://www.googleapis.com/auth/calendar.acls']);
    expect(await googleError(noScope.events.list({ calendarId: 'primary' }))).toMatchObject({ status: 403, error: { status: 'PERMISSION_DENIED', message: 'Request had insufficient authentication scopes.' } });
  });
});
