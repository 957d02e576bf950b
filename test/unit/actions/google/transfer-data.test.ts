import { transferData } from '../../../../lambdas/actions/google/transfer-data';
import { runAction } from '../../../../lambdas/actions/run-action';
import type { ActionResponse } from '../../../../lambdas/engine/ports';
import { CALENDAR_APPLICATION_ID, DRIVE_AND_DOCS_APPLICATION_ID } from '../../../../local/emulators/google';
import { useTransferTestBed, type GoogleTestBed } from '../../../support/google-emulator';

const T0 = new Date('2026-11-30T09:00:00.000Z');
const calendarNoteFor = (email: string) =>
  `Calendar: Google moves only the future, non-private events with a guest or resource on the primary calendar; past, private and solo events and other calendars stay with ${email} (events not counted)`;

describe('google.transferData', () => {
  /** The emulator's clock: a transfer completes when it passes the transfer's delay. */
  let emulatorMs = Date.now();
  beforeEach(() => (emulatorMs = Date.now()));
  const currentBed = useTransferTestBed(T0, () => emulatorMs);
  let bed: GoogleTestBed;
  beforeEach(() => (bed = currentBed()));
  const ada = () => bed.sample.users.ada;
  const grace = () => bed.sample.users.grace;
  const run = (opts: { params?: Record<string, unknown>; progress?: Record<string, unknown>; employee?: Record<string, unknown> } = {}) =>
    runAction(transferData, bed.ctx, bed.request('google.transferData', { params: opts.params ?? {}, progress: opts.progress, employee: opts.employee }));
  const progressOf = (res: ActionResponse) => (res.ok ? res.progress : undefined);

  it('starts a transfer of Drive (private and shared files) and Calendar (rooms kept) and asks to be called back', async () => {
    const res = await run();
    // Ada's 42 shared and 7 private files, counted as Ada before anything moves.
    expect(res).toMatchObject({ ok: true, checkAgainAt: '2026-11-30T09:00:30.000Z', progress: { transferId: expect.any(String), driveFilesBefore: 49 } });
    const transferId = String(progressOf(res)?.transferId);
    expect(res.ok && res.note).toBe(`transfer ${transferId} in progress`);
    const transfer = bed.emulator.transfer(transferId);
    expect(transfer).toMatchObject({ oldOwnerUserId: ada().id, newOwnerUserId: grace().id });
    expect(transfer?.applications).toEqual([
      { applicationId: DRIVE_AND_DOCS_APPLICATION_ID, params: [{ key: 'PRIVACY_LEVEL', value: ['PRIVATE', 'SHARED'] }] },
      { applicationId: CALENDAR_APPLICATION_ID, params: [] },
    ]);
  });

  it('releases the rooms of the moved meetings only when the step asks', async () => {
    const first = await run({ params: { applications: ['calendar'], releaseRooms: true } });
    expect(bed.emulator.transfer(String(progressOf(first)?.transferId))?.applications).toEqual([
      { applicationId: CALENDAR_APPLICATION_ID, params: [{ key: 'RELEASE_RESOURCES', value: ['TRUE'] }] },
    ]);
  });

  it('checks again while the transfer runs, then succeeds once Google reports it completed and Drive reads back no files left', async () => {
    const first = await run({ params: { pollSeconds: 5 } });
    expect(first).toMatchObject({ ok: true, checkAgainAt: '2026-11-30T09:00:05.000Z' });
    const progress = progressOf(first);

    bed.clock.set(new Date('2026-11-30T09:00:05.000Z'));
    emulatorMs += 600; // past half the delay: in progress, not done
    const second = await run({ params: { pollSeconds: 5 }, progress });
    expect(second).toMatchObject({ ok: true, checkAgainAt: '2026-11-30T09:00:10.000Z', progress, note: `transfer ${progress?.transferId} in progress` });

    emulatorMs += 600;
    const third = await run({ params: { pollSeconds: 5 }, progress });
    expect(third).toEqual({
      ok: true,
      note: `transfer ${progress?.transferId} completed; ${ada().email} owned 49 Drive files and owns none now; Calendar: Google moves only the future, non-private events with a guest or resource on the primary calendar; past, private and solo events and other calendars stay with ${ada().email} (events not counted)`,
      account: { system: 'google', address: ada().email, accountId: ada().id, state: 'active', boundBy: 'binding' },
      providerAnswer: expect.stringContaining('completed'),
      result: {
        transferId: progress?.transferId,
        applications: [
          { applicationId: DRIVE_AND_DOCS_APPLICATION_ID, status: 'completed' },
          { applicationId: CALENDAR_APPLICATION_ID, status: 'completed' },
        ],
        newOwner: grace().email,
        newOwnerUserId: grace().id,
        calendar: {
          moves: "future, non-private events with at least one guest or resource, on the leaver's primary calendar",
          stays: 'past events, private events, events with no guest or resource, and every other calendar of the leaver',
          counted: false,
        },
        driveFilesBefore: 49,
        driveFilesLeft: 0,
        verified: 'Drive ownership read back',
      },
    });
    // Of Ada's 12 events her 8 upcoming meetings moved; the 2 past, 1 private and 1 solo event stayed.
    expect(bed.emulator.user(ada().email)).toMatchObject({ driveFiles: 0, privateDriveFiles: 0, calendarEvents: 4 });
    expect(bed.emulator.user(grace().email)).toMatchObject({ driveFiles: 20 + 42, privateDriveFiles: 7, calendarEvents: 30 + 8 });
  });

  it('transfers only the applications the playbook names', async () => {
    const first = await run({ params: { applications: ['drive'] } });
    emulatorMs += 1000;
    const done = await run({ params: { applications: ['drive'] }, progress: progressOf(first) });
    // No Calendar in the transfer: nothing said of events.
    expect(done.ok && done.note).not.toMatch(/Calendar/);
    expect(done.ok && done.result).not.toHaveProperty('calendar');
    expect(done).toMatchObject({
      ok: true,
      result: { applications: [{ applicationId: DRIVE_AND_DOCS_APPLICATION_ID, status: 'completed' }], driveFilesBefore: 49, driveFilesLeft: 0 },
    });
    expect(bed.emulator.user(ada().email)).toMatchObject({ driveFiles: 0, calendarEvents: 12 });
  });

  it('a Calendar-only transfer counts no Drive files and says it checked the status only', async () => {
    const first = await run({ params: { applications: ['calendar'] } });
    expect(progressOf(first)).toEqual({ transferId: expect.any(String), driveNotCounted: 'Drive is not part of this transfer' });
    emulatorMs += 1000;
    const done = await run({ params: { applications: ['calendar'] }, progress: progressOf(first) });
    expect(done).toMatchObject({ ok: true, note: expect.stringContaining('Drive ownership not read back (Drive is not part of this transfer)'), result: { verified: 'transfer status only' } });
    expect(done.ok && done.result).not.toHaveProperty('driveFilesBefore');
    expect(bed.emulator.user(ada().email)).toMatchObject({ driveFiles: 42, privateDriveFiles: 7, calendarEvents: 4 });
  });

  it('a leaver who owns no Drive files: the transfer still runs, and the answer says there was nothing to move', async () => {
    const katherine = bed.sample.users.katherine;
    const first = await run({ employee: { id: katherine.employeeId, email: katherine.email } });
    expect(progressOf(first)).toMatchObject({ driveFilesBefore: 0 });
    emulatorMs += 1000;
    const done = await run({ employee: { id: katherine.employeeId, email: katherine.email }, progress: progressOf(first) });
    expect(done).toMatchObject({
      ok: true,
      note: `transfer ${progressOf(first)?.transferId} completed; ${katherine.email} owned no Drive files, so none had to move; ${calendarNoteFor(katherine.email)}`,
      result: { driveFilesBefore: 0, driveFilesLeft: 0, verified: 'Drive ownership read back' },
    });
  });

  it('a repeated first call (its answer lost) follows the running transfer instead of starting another', async () => {
    const first = await run();
    const again = await run();
    expect(progressOf(again)).toEqual(progressOf(first));
    expect(progressOf(again)).toMatchObject({ driveFilesBefore: 49 });
    expect(bed.emulator.toJSON().transfers).toHaveLength(1);
    emulatorMs += 1000;
    expect(await run({ progress: progressOf(again) })).toMatchObject({ ok: true, result: { driveFilesBefore: 49, driveFilesLeft: 0 } });
  });

  it('a leaver already suspended is transferred without a count (Google does not act as a suspended user), and the answer says so', async () => {
    const charles = bed.sample.users.charles;
    const first = await run({ employee: { id: charles.employeeId, email: charles.email } });
    expect(progressOf(first)).toEqual({ transferId: expect.any(String), driveNotCounted: expect.stringContaining(`${charles.email} was suspended when the transfer started`) });
    emulatorMs += 1000;
    const done = await run({ employee: { id: charles.employeeId, email: charles.email }, progress: progressOf(first) });
    expect(done).toMatchObject({ ok: true, note: expect.stringContaining('Drive ownership not read back'), result: { verified: 'transfer status only' } });
    expect(bed.emulator.user(charles.email)).toMatchObject({ driveFiles: 0 });
  });

  it('a leaver suspended while the transfer ran cannot be read back: fails without a retry, saying what it was doing', async () => {
    const first = await run();
    await bed.ctx.providers.google!().directory.users.patch({ userKey: ada().email, requestBody: { suspended: true } });
    emulatorMs += 1000;
    const res = await run({ progress: progressOf(first) });
    expect(res).toMatchObject({ ok: false, error: { retryable: false } });
    expect(!res.ok && res.error.message).toBe(`counting the Drive files ${ada().email} owns, acting as ${ada().email}: Google answered 400 invalid_grant: Invalid email or User ID`);
  });

  it('a 503 from Drive while counting before the transfer is retryable and starts nothing', async () => {
    bed.emulator.faults.failNext({ method: 'GET', path: '^/drive/v3/files$', count: 1, status: 503 });
    const res = await run();
    expect(res).toMatchObject({ ok: false, error: { retryable: true } });
    expect(!res.ok && res.error.message).toContain(`counting the Drive files ${ada().email} owns, acting as ${ada().email}: Google answered 503`);
    expect(bed.emulator.toJSON().transfers).toHaveLength(0);
  });

  it('a leaver with no Google account is a success with a note', async () => {
    expect(await run({ employee: { id: 'E999', email: 'nobody@example.com' } })).toEqual({ ok: true, note: 'no Google account nobody@example.com; nothing to transfer' });
  });

  it('a leaver without a manager fails without a retry, naming managerEmail', async () => {
    const res = await run({ employee: { managerEmail: undefined } });
    // Held by the account check on the beneficiary, before the action looks for the manager itself.
    expect(res).toMatchObject({ ok: false, error: { retryable: false, hold: 'beneficiary' } });
    expect(!res.ok && res.error.message).toContain("employee E100's managerEmail is missing");
    expect(bed.emulator.toJSON().transfers).toHaveLength(0);
  });

  it('a manager without a Google account fails without a retry', async () => {
    const res = await run({ employee: { managerEmail: 'gone@example.com' } });
    expect(res).toMatchObject({ ok: false, error: { retryable: false, hold: 'beneficiary' } });
    expect(!res.ok && res.error.message).toContain("employee E100's managerEmail gone@example.com is no account of the domain");
    expect(bed.emulator.toJSON().transfers).toHaveLength(0);
  });

  it('a transfer that Google reports failed fails without a retry, naming the transfer', async () => {
    const first = await run();
    const directory = bed.ctx.providers.google!().directory;
    // The new owner gone when the transfer completes makes Google fail it; Grace is then brought back, so the
    // account check on the manager passes and the step reads the failed transfer.
    await directory.users.delete({ userKey: grace().email });
    emulatorMs += 1000;
    expect(bed.emulator.transfer(String(progressOf(first)?.transferId))?.status).toBe('failed');
    await directory.users.undelete({ userKey: grace().id, requestBody: { orgUnitPath: '/Staff' } });
    const res = await run({ progress: progressOf(first) });
    expect(res).toMatchObject({ ok: false, error: { retryable: false } });
    expect(!res.ok && res.error.message).toContain(`data transfer ${progressOf(first)?.transferId} of ${ada().email} ended failed`);
  });

  it('a transfer reported completed while an application is not fails, retryable', async () => {
    const first = await run();
    emulatorMs += 1000;
    const transfers = bed.clientsFor('google.transferData').dataTransfer.transfers;
    const realGet = transfers.get.bind(transfers) as (p: { dataTransferId: string }) => Promise<{ data: { applicationDataTransfers: { applicationTransferStatus?: string }[] } }>;
    jest.spyOn(transfers, 'get').mockImplementation((async (p: { dataTransferId: string }) => {
      const res = await realGet(p);
      res.data.applicationDataTransfers[1].applicationTransferStatus = 'inProgress';
      return res;
    }) as never);
    const res = await run({ progress: progressOf(first) });
    expect(res).toMatchObject({ ok: false, error: { retryable: true } });
    expect(!res.ok && res.error.message).toContain(`${CALENDAR_APPLICATION_ID} is inProgress`);
  });

  // The known trap: Google reports completed having moved nothing. The Data Transfer API carries no counts; the
  // leaver's Drive, read back as the leaver, does.
  it('catches a transfer that completes having moved nothing: fails, retryable, naming both counts', async () => {
    bed.emulator.setTransferBehaviour({ movesNothing: true });
    const first = await run();
    emulatorMs += 1000;
    const res = await run({ progress: progressOf(first) });
    const transferId = progressOf(first)?.transferId;
    expect(res).toMatchObject({ ok: false, error: { retryable: true, progress: progressOf(first) } });
    expect(!res.ok && res.error.message).toBe(`data transfer ${transferId} of ${ada().email} reported completed but ${ada().email} still owns 49 of 49 Drive files`);
    expect(bed.emulator.user(ada().email)).toMatchObject({ driveFiles: 42, privateDriveFiles: 7, calendarEvents: 12 });

    // Drive catching up (here: the files really moved) lets the retry, with the same progress, succeed.
    bed.emulator.setTransferBehaviour({ movesNothing: false });
    const g = bed.ctx.providers.google!();
    const apps = (await g.dataTransfer.applications.list({})).data.applications ?? [];
    const drive = apps.find((a) => a.name === 'Drive and Docs')!.id!;
    await g.dataTransfer.transfers.insert({
      requestBody: {
        oldOwnerUserId: ada().id,
        newOwnerUserId: grace().id,
        applicationDataTransfers: [{ applicationId: drive, applicationTransferParams: [{ key: 'PRIVACY_LEVEL', value: ['PRIVATE', 'SHARED'] }] }],
      },
    });
    emulatorMs += 1000;
    expect(await run({ progress: progressOf(first) })).toMatchObject({ ok: true, result: { transferId, driveFilesBefore: 49, driveFilesLeft: 0 } });
  });

  it.each([
    [503, true],
    [429, true],
    [403, false],
    [400, false],
  ])('a %i from the Data Transfer API fails, retryable: %s, saying what was being done', async (status, retryable) => {
    bed.emulator.faults.failNext({ method: 'POST', path: '^/admin/datatransfer/v1/transfers$', count: 1, status });
    const res = await run();
    expect(res).toMatchObject({ ok: false, error: { retryable } });
    expect(!res.ok && res.error.message).toContain(`starting the data transfer of ${ada().email} to ${grace().email}: Google answered ${status}`);
    expect(bed.emulator.toJSON().transfers).toHaveLength(0);
  });

  it('a 503 while checking on the transfer is retryable and keeps the transfer', async () => {
    const first = await run();
    bed.emulator.faults.failNext({ method: 'GET', path: '^/admin/datatransfer/v1/transfers/', count: 1, status: 503 });
    expect(await run({ progress: progressOf(first) })).toMatchObject({ ok: false, error: { retryable: true } });
    emulatorMs += 1000;
    expect(await run({ progress: progressOf(first) })).toMatchObject({ ok: true, result: { transferId: progressOf(first)?.transferId } });
  });

  it.each([[{ applications: [] }], [{ applications: ['mail'] }], [{ pollSeconds: 0 }], [{ newOwner: 'x@example.com' }]])('rejects parameters %j', async (params) => {
    expect(await run({ params })).toMatchObject({ ok: false, error: { retryable: false } });
  });
});
