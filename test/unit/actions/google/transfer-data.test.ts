import { transferData } from '../../../../lambdas/actions/google/transfer-data';
import { runAction } from '../../../../lambdas/actions/run-action';
import type { ActionResponse } from '../../../../lambdas/engine/ports';
import { CALENDAR_APPLICATION_ID, DRIVE_AND_DOCS_APPLICATION_ID } from '../../../../local/emulators/google';
import { startGoogleTestBed, type GoogleTestBed } from '../../../support/google-emulator';

const T0 = new Date('2026-11-30T09:00:00.000Z');

describe('google.transferData', () => {
  let bed: GoogleTestBed;
  /** The emulator's clock: a transfer completes when it passes the transfer's delay. */
  let emulatorMs = Date.now();
  beforeEach(async () => {
    emulatorMs = Date.now();
    bed = await startGoogleTestBed({ emulatorNow: () => emulatorMs });
    bed.clock.set(T0);
    bed.emulator.setTransferBehaviour({ delayMs: 1000 });
  });
  afterEach(() => bed.stop());
  const ada = () => bed.sample.users.ada;
  const grace = () => bed.sample.users.grace;
  const run = (opts: { params?: Record<string, unknown>; progress?: Record<string, unknown>; employee?: Record<string, unknown> } = {}) =>
    runAction(transferData, bed.ctx, bed.request('google.transferData', { params: opts.params ?? {}, progress: opts.progress, employee: opts.employee }));
  const progressOf = (res: ActionResponse) => (res.ok ? res.progress : undefined);

  it('starts a transfer of Drive (private and shared files) and Calendar (releasing resources) and asks to be called back', async () => {
    const res = await run();
    expect(res).toMatchObject({ ok: true, checkAgainAt: '2026-11-30T09:00:30.000Z', progress: { transferId: expect.any(String) } });
    const transferId = String(progressOf(res)?.transferId);
    expect(res.ok && res.note).toBe(`transfer ${transferId} in progress`);
    const transfer = bed.emulator.transfer(transferId);
    expect(transfer).toMatchObject({ oldOwnerUserId: ada().id, newOwnerUserId: grace().id });
    expect(transfer?.applications).toEqual([
      { applicationId: DRIVE_AND_DOCS_APPLICATION_ID, params: [{ key: 'PRIVACY_LEVEL', value: ['PRIVATE', 'SHARED'] }] },
      { applicationId: CALENDAR_APPLICATION_ID, params: [{ key: 'RELEASE_RESOURCES', value: ['TRUE'] }] },
    ]);
  });

  it('checks again while the transfer runs, then succeeds once Google reports it completed and the data has moved', async () => {
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
      note: expect.stringContaining(`transfer ${progress?.transferId} completed`),
      providerAnswer: expect.stringContaining('completed'),
      result: {
        transferId: progress?.transferId,
        applications: [
          { applicationId: DRIVE_AND_DOCS_APPLICATION_ID, status: 'completed' },
          { applicationId: CALENDAR_APPLICATION_ID, status: 'completed' },
        ],
        newOwner: grace().email,
        newOwnerUserId: grace().id,
        verified: 'transfer status only',
      },
    });
    expect(bed.emulator.user(ada().email)).toMatchObject({ driveFiles: 0, privateDriveFiles: 0, calendarEvents: 0 });
    expect(bed.emulator.user(grace().email)).toMatchObject({ driveFiles: 20 + 42, privateDriveFiles: 7, calendarEvents: 30 + 12 });
  });

  it('transfers only the applications the playbook names', async () => {
    const first = await run({ params: { applications: ['drive'] } });
    emulatorMs += 1000;
    const done = await run({ params: { applications: ['drive'] }, progress: progressOf(first) });
    expect(done).toMatchObject({ ok: true, result: { applications: [{ applicationId: DRIVE_AND_DOCS_APPLICATION_ID, status: 'completed' }] } });
    expect(bed.emulator.user(ada().email)).toMatchObject({ driveFiles: 0, calendarEvents: 12 });
  });

  it('a repeated first call (its answer lost) follows the running transfer instead of starting another', async () => {
    const first = await run();
    const again = await run();
    expect(progressOf(again)).toEqual(progressOf(first));
    expect(bed.emulator.toJSON().transfers).toHaveLength(1);
  });

  it('a leaver with no Google account is a success with a note', async () => {
    expect(await run({ employee: { email: 'nobody@example.com' } })).toEqual({ ok: true, note: 'no Google account nobody@example.com; nothing to transfer' });
  });

  it('a leaver without a manager fails without a retry, naming managerEmail', async () => {
    const res = await run({ employee: { managerEmail: undefined } });
    expect(res).toMatchObject({ ok: false, error: { retryable: false } });
    expect(!res.ok && res.error.message).toContain('has no managerEmail');
  });

  it('a manager without a Google account fails without a retry', async () => {
    const res = await run({ employee: { managerEmail: 'gone@example.com' } });
    expect(res).toMatchObject({ ok: false, error: { retryable: false } });
    expect(!res.ok && res.error.message).toContain('gone@example.com (managerEmail of employee E1001) has no Google account');
    expect(bed.emulator.toJSON().transfers).toHaveLength(0);
  });

  it('a transfer that Google reports failed fails without a retry, naming the transfer', async () => {
    const first = await run();
    await bed.ctx.providers.google!().directory.users.delete({ userKey: grace().email });
    emulatorMs += 1000;
    const res = await run({ progress: progressOf(first) });
    expect(res).toMatchObject({ ok: false, error: { retryable: false } });
    expect(!res.ok && res.error.message).toContain(`data transfer ${progressOf(first)?.transferId} of ${ada().email} ended failed`);
  });

  it('a transfer reported completed while an application is not fails, retryable', async () => {
    const first = await run();
    emulatorMs += 1000;
    const transfers = bed.ctx.providers.google!().dataTransfer.transfers;
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

  // The known trap: Google reports completed having moved nothing. The Data Transfer API carries no counts and
  // the emulator serves no Drive or Calendar API to count what the leaver still owns, so the action cannot catch
  // it; this pins that it says so rather than claiming the data moved.
  it('cannot see a transfer that completes having moved nothing, and its answer says what it did not check', async () => {
    bed.emulator.setTransferBehaviour({ movesNothing: true });
    const first = await run();
    emulatorMs += 1000;
    const res = await run({ progress: progressOf(first) });
    expect(res).toMatchObject({ ok: true, note: expect.stringContaining('no file or event counts are checked'), result: { verified: 'transfer status only' } });
    expect(bed.emulator.user(ada().email)).toMatchObject({ driveFiles: 42, privateDriveFiles: 7, calendarEvents: 12 });
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
