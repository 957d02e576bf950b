import { CALENDAR_APPLICATION_ID, DRIVE_AND_DOCS_APPLICATION_ID } from '../../../../local/emulators/google';
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

  it('starts a transfer as new, completes it after the delay, and moves the files and events', async () => {
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
    expect(g.emulator.user(ada.email)).toMatchObject({ driveFiles: 0, privateDriveFiles: 0, calendarEvents: 0 });
    expect(g.emulator.user(grace.email)).toMatchObject({ driveFiles: 62, privateDriveFiles: 7, calendarEvents: 42 });

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
      expect(h.emulator.user(grace.email)?.calendarEvents).toBe(42);
    } finally {
      await h.stop();
    }
  });
});
