import { CALENDAR_APPLICATION_ID, DRIVE_AND_DOCS_APPLICATION_ID, GoogleWorkspaceEmulator, seedSample } from '../../../../local/emulators/google';
import { eventually, googleError, startGoogle, type GoogleHarness } from './google-harness';

let g: GoogleHarness;
beforeEach(async () => {
  g = await startGoogle();
  g.emulator.setTransferBehaviour({ delayMs: 50 });
});
afterEach(() => g.stop());

const everything = [
  { applicationId: DRIVE_AND_DOCS_APPLICATION_ID, applicationTransferParams: [{ key: 'PRIVACY_LEVEL', value: ['PRIVATE', 'SHARED'] }] },
  { applicationId: CALENDAR_APPLICATION_ID, applicationTransferParams: [{ key: 'RELEASE_RESOURCES', value: ['TRUE'] }] },
];

describe('Data Transfer API through the real @googleapis/admin client', () => {
  it('lists Drive and Calendar with their real application ids', async () => {
    const apps = await g.transfer.applications.list({ customerId: 'my_customer' });
    expect(apps.data.applications?.map((a) => [a.id, a.name])).toEqual([
      ['55656082996', 'Drive and Docs'],
      ['435070579839', 'Calendar'],
      ['810260081642', 'Looker Studio'],
    ]);
  });

  it('starts a transfer as new, completes it after the delay, and moves the files and the events Google moves', async () => {
    const { ada, grace } = g.sample.users;
    const started = await g.transfer.transfers.insert({
      requestBody: { oldOwnerUserId: ada.id, newOwnerUserId: grace.id, applicationDataTransfers: everything },
    });
    expect(started.data).toMatchObject({ kind: 'admin#datatransfer#DataTransfer', overallTransferStatusCode: 'new', oldOwnerUserId: ada.id });
    expect(started.data.applicationDataTransfers?.map((a) => a.applicationTransferStatus)).toEqual(['pending', 'pending']);

    const done = await eventually(
      async () => (await g.transfer.transfers.get({ dataTransferId: started.data.id! })).data,
      (t) => t.overallTransferStatusCode === 'completed',
    );
    expect(done.overallTransferStatusCode).toBe('completed');
    expect(done.applicationDataTransfers?.map((a) => a.applicationTransferStatus)).toEqual(['completed', 'completed']);
    // Ada's 8 upcoming meetings move; her 2 past, 1 private and 1 solo event stay with her.
    expect(g.emulator.user(ada.email)).toMatchObject({ driveFiles: 0, privateDriveFiles: 0, calendarEvents: 4 });
    expect(g.emulator.user(grace.email)).toMatchObject({ driveFiles: 62, privateDriveFiles: 7, calendarEvents: 30 + 8 });
    expect(g.emulator.transfer(started.data.id!)).toMatchObject({ moved: { calendarEvents: 8 }, calendarLeft: { past: 2, private: 1, solo: 1, secondary: 0 } });

    const listed = await g.transfer.transfers.list({ oldOwnerUserId: ada.id, status: 'completed' });
    expect(listed.data.dataTransfers?.map((t) => t.id)).toEqual([started.data.id]);
  });

  it('moves only shared Drive files when PRIVACY_LEVEL is left out, as Google does', async () => {
    const { ada, grace } = g.sample.users;
    const t = await g.transfer.transfers.insert({
      requestBody: { oldOwnerUserId: ada.id, newOwnerUserId: grace.id, applicationDataTransfers: [{ applicationId: DRIVE_AND_DOCS_APPLICATION_ID }] },
    });
    await eventually(async () => g.emulator.transfer(t.data.id!), (x) => x?.status === 'completed');
    expect(g.emulator.user(ada.email)).toMatchObject({ driveFiles: 0, privateDriveFiles: 7 });
  });

  it('can report completed having moved nothing (the known trap)', async () => {
    g.emulator.setTransferBehaviour({ movesNothing: true });
    const { ada, grace } = g.sample.users;
    const t = await g.transfer.transfers.insert({ requestBody: { oldOwnerUserId: ada.id, newOwnerUserId: grace.id, applicationDataTransfers: everything } });
    const done = await eventually(async () => g.emulator.transfer(t.data.id!), (x) => x?.status === 'completed');
    expect(done?.moved).toEqual({ driveFiles: 0, privateDriveFiles: 0, calendarEvents: 0 });
    expect(g.emulator.user(ada.email)?.driveFiles).toBe(42);
  });

  it('refuses unknown owners (including an email in place of the user id) with 400, and allows a suspended old owner', async () => {
    const { ada, grace, charles } = g.sample.users;
    const byEmail = await googleError(
      g.transfer.transfers.insert({ requestBody: { oldOwnerUserId: ada.email, newOwnerUserId: grace.id, applicationDataTransfers: everything } }),
    );
    expect(byEmail).toMatchObject({ status: 400, error: { errors: [{ reason: 'invalid' }] } });
    const unknownNew = await googleError(
      g.transfer.transfers.insert({ requestBody: { oldOwnerUserId: ada.id, newOwnerUserId: '999', applicationDataTransfers: everything } }),
    );
    expect(unknownNew.status).toBe(400);
    const suspended = await g.transfer.transfers.insert({ requestBody: { oldOwnerUserId: charles.id, newOwnerUserId: grace.id, applicationDataTransfers: everything } });
    expect(suspended.data.overallTransferStatusCode).toBe('new');
  });
});

describe('Data Transfer progress on a driven clock', () => {
  it('is new, then inProgress at half the delay, then completed', async () => {
    let now = Date.parse('2026-11-30T09:00:00Z');
    const h = await startGoogle({ now: () => now });
    try {
      h.emulator.setTransferBehaviour({ delayMs: 60_000 });
      const { ada, grace } = h.sample.users;
      const t = await h.transfer.transfers.insert({ requestBody: { oldOwnerUserId: ada.id, newOwnerUserId: grace.id, applicationDataTransfers: everything } });
      expect(t.data.requestTime).toBe('2026-11-30T09:00:00.000Z');
      const status = async () => (await h.transfer.transfers.get({ dataTransferId: t.data.id! })).data.overallTransferStatusCode;
      now += 30_000;
      expect(await status()).toBe('inProgress');
      expect(h.emulator.user(ada.email)?.driveFiles).toBe(42);
      now += 30_000;
      expect(await status()).toBe('completed');
      expect(h.emulator.user(grace.email)?.calendarEvents).toBe(30 + 8);
    } finally {
      await h.stop();
    }
  });

  it('moves only future, non-private events with a guest or resource from the primary calendar, judged when it runs', async () => {
    let now = Date.parse('2026-11-30T09:00:00Z');
    const h = await startGoogle({ now: () => now });
    try {
      h.emulator.setTransferBehaviour({ delayMs: 60_000 });
      const mary = h.emulator.seedUser({
        email: 'mary.jackson@example.com',
        givenName: 'Mary',
        familyName: 'Jackson',
        calendarEvents: { meetings: 3, past: 2, private: 1, solo: 4, secondary: 5 },
      });
      const { grace } = h.sample.users;
      // Two days on, the first of her upcoming events (all a day ahead, a day apart) is in the past.
      const t = await h.transfer.transfers.insert({ requestBody: { oldOwnerUserId: mary.id, newOwnerUserId: grace.id, applicationDataTransfers: everything } });
      now += 36 * 3600 * 1000;
      await h.transfer.transfers.get({ dataTransferId: t.data.id! });
      // The meeting due at +1 day is past by then, as are the first private and solo ones: 2 of 3 meetings move.
      expect(h.emulator.transfer(t.data.id!)).toMatchObject({ status: 'completed', moved: { calendarEvents: 2 }, calendarLeft: { past: 2 + 1 + 1 + 1, private: 0, solo: 3, secondary: 5 } });
      expect(h.emulator.user(mary.primaryEmail)?.calendarEvents).toBe(15 - 2);
    } finally {
      await h.stop();
    }
  });

  it('moves no event when Calendar is not part of the transfer', async () => {
    const { ada, grace } = g.sample.users;
    const t = await g.transfer.transfers.insert({ requestBody: { oldOwnerUserId: ada.id, newOwnerUserId: grace.id, applicationDataTransfers: [everything[0]] } });
    await eventually(async () => g.emulator.transfer(t.data.id!), (x) => x?.status === 'completed');
    expect(g.emulator.user(ada.email)?.calendarEvents).toBe(12);
  });
});

describe('a tenant saved when Calendar events were a count on each user', () => {
  it('loads, each count becoming that many upcoming meetings', async () => {
    const fresh = new GoogleWorkspaceEmulator();
    seedSample(fresh);
    const state = fresh.toJSON() as unknown as { users: Record<string, unknown>[]; events?: unknown };
    delete state.events;
    for (const u of state.users) u.calendarEvents = u.primaryEmail === 'ada.lovelace@example.com' ? 5 : 0;
    const loaded = GoogleWorkspaceEmulator.fromJSON(state);
    expect(loaded.user('ada.lovelace@example.com')?.calendarEvents).toBe(5);
    expect(loaded.toJSON().users.some((u) => 'calendarEvents' in u)).toBe(false);
  });

  it("dates the meetings it makes by the emulator's clock, not the machine's", () => {
    const fresh = new GoogleWorkspaceEmulator();
    seedSample(fresh);
    const state = fresh.toJSON() as unknown as { users: Record<string, unknown>[]; events?: unknown };
    delete state.events;
    for (const u of state.users) u.calendarEvents = u.primaryEmail === 'ada.lovelace@example.com' ? 2 : 0;
    const now = Date.parse('2031-06-01T09:00:00Z');
    const loaded = GoogleWorkspaceEmulator.fromJSON(state, { now: () => now });
    const starts = loaded.toJSON().events.map((e) => Date.parse(e.start));
    expect(starts).toEqual([now + 86_400_000, now + 2 * 86_400_000]);
  });
});
