/**
 * google.handOverMeetings against the Google emulator through the real clients: the future meetings a leaver
 * organizes go to the manager (or the stage's handover owner) by a Data Transfer of Calendar, counted before and
 * read back after as the leaver; what Google does not move is counted.
 */
import { handOverMeetings } from '../../../../lambdas/actions/google/hand-over-meetings';
import type { ActionContext } from '../../../../lambdas/actions/define-action';
import { runAction } from '../../../../lambdas/actions/run-action';
import type { ActionResponse } from '../../../../lambdas/engine/ports';
import { CALENDAR_APPLICATION_ID } from '../../../../local/emulators/google';
import { startGoogleTestBed, type GoogleTestBed } from '../../../support/google-emulator';

const T0 = new Date('2026-11-30T09:00:00.000Z');

describe('google.handOverMeetings', () => {
  let bed: GoogleTestBed;
  /** The emulator's clock, starting where the steps' clock does: a transfer completes when it passes the transfer's delay. */
  let emulatorMs = T0.getTime();
  beforeEach(async () => {
    emulatorMs = T0.getTime();
    bed = await startGoogleTestBed({ emulatorNow: () => emulatorMs });
    bed.clock.set(T0);
    bed.emulator.setTransferBehaviour({ delayMs: 1000 });
  });
  afterEach(() => bed.stop());
  const ada = () => bed.sample.users.ada;
  const grace = () => bed.sample.users.grace;
  const run = (opts: { progress?: Record<string, unknown>; employee?: Record<string, unknown>; ctx?: ActionContext } = {}) =>
    runAction(handOverMeetings, opts.ctx ?? bed.ctx, bed.request('google.handOverMeetings', { params: { pollSeconds: 5 }, progress: opts.progress, employee: opts.employee }));
  const progressOf = (res: ActionResponse) => (res.ok ? res.progress : undefined);

  it("counts the leaver's meetings, hands them to the manager with a Calendar-only transfer, and reads the calendar back", async () => {
    const first = await run();
    // Of Ada's 12 events, 8 are upcoming meetings with a guest; 1 private and 1 solo stay; 2 are over.
    expect(first).toMatchObject({
      ok: true,
      checkAgainAt: '2026-11-30T09:00:05.000Z',
      progress: { transferId: expect.any(String), primary: ada().email, to: grace().email, as: 'manager', meetingsBefore: 8 },
    });
    const transfer = bed.emulator.transfer(String(progressOf(first)?.transferId));
    expect(transfer).toMatchObject({ oldOwnerUserId: ada().id, newOwnerUserId: grace().id });
    expect(transfer?.applications).toEqual([{ applicationId: CALENDAR_APPLICATION_ID, params: [{ key: 'RELEASE_RESOURCES', value: ['TRUE'] }] }]);

    emulatorMs += 1000;
    const done = await run({ progress: progressOf(first) });
    expect(done).toMatchObject({
      ok: true,
      note: `${grace().email} (the manager) now organizes the 8 future meeting(s) with guests ${ada().email} organized (transfer ${progressOf(first)?.transferId}, read back: none left); 1 private and 1 solo future event(s) stay with ${ada().email}, as Google moves neither`,
      result: { to: grace().email, as: 'manager', meetingsHandedOver: 8, meetingsLeft: 0, stays: { private: 1, solo: 1 }, verified: 'meetings read back' },
    });
    // Drive is not part of it: Ada's files stay for the transfer after the last day.
    expect(bed.emulator.user(ada().email)).toMatchObject({ driveFiles: 42, privateDriveFiles: 7, calendarEvents: 4 });
    expect(bed.emulator.user(grace().email)).toMatchObject({ calendarEvents: 30 + 8 });
  });

  it('is done with a note, starting no transfer, when there is nothing Google would move (already handed over, or none)', async () => {
    const first = await run();
    emulatorMs += 1000;
    expect(await run({ progress: progressOf(first) })).toMatchObject({ ok: true, result: { meetingsHandedOver: 8 } });
    const again = await run();
    expect(again).toMatchObject({
      ok: true,
      note: `${ada().email} organizes no future meeting that Google would move; 1 private and 1 solo future event(s) stay with ${ada().email}, as Google moves neither`,
      result: { meetingsHandedOver: 0, stays: { private: 1, solo: 1 } },
    });
    expect(bed.emulator.toJSON().transfers).toHaveLength(1);
  });

  it('a leaver with no Google account is a success with a note', async () => {
    expect(await run({ employee: { id: 'E999', email: 'nobody@example.com' } })).toEqual({ ok: true, note: 'no Google account nobody@example.com; nothing to hand over' });
  });

  it('a repeated first call (its answer lost) follows the running transfer instead of starting another', async () => {
    const first = await run();
    const again = await run();
    expect(progressOf(again)).toEqual(progressOf(first));
    expect(bed.emulator.toJSON().transfers).toHaveLength(1);
  });

  it("goes to the stage's handover owner when the stage says so", async () => {
    const alan = bed.sample.users.alan;
    const ctx: ActionContext = { ...bed.ctx, handover: () => ({ to: 'owner', owner: alan.email }) };
    const first = await run({ ctx });
    expect(progressOf(first)).toMatchObject({ to: alan.email, as: 'owner' });
    expect(bed.emulator.transfer(String(progressOf(first)?.transferId))).toMatchObject({ newOwnerUserId: alan.id });
  });

  it('a transfer Google reports completed that moved nothing is read back, and retried with a new transfer', async () => {
    bed.emulator.setTransferBehaviour({ delayMs: 1000, movesNothing: true });
    const first = await run();
    emulatorMs += 1000;
    const res = await run({ progress: progressOf(first) });
    expect(res).toMatchObject({ ok: false, error: { retryable: true } });
    expect(!res.ok && res.error.message).toBe(
      `data transfer ${progressOf(first)?.transferId} of ${ada().email}'s meetings completed but ${ada().email} still organizes 8 future meeting(s) with guests (8 before it): another transfer moves them`,
    );
    // The retry starts over: no transfer id is carried, so a new transfer moves what is left.
    expect(!res.ok && res.error.progress).toEqual({ primary: ada().email, to: grace().email, as: 'manager', meetingsBefore: 8 });
    bed.emulator.setTransferBehaviour({ delayMs: 1000, movesNothing: false });
    const retried = await run({ progress: !res.ok ? res.error.progress : undefined });
    expect(progressOf(retried)?.transferId).not.toBe(progressOf(first)?.transferId);
    emulatorMs += 1000;
    expect(await run({ progress: progressOf(retried) })).toMatchObject({ ok: true, result: { meetingsHandedOver: 8, meetingsLeft: 0 } });
  });

  it('a transfer that Google reports failed fails without a retry, naming the transfer', async () => {
    const first = await run();
    const directory = bed.ctx.providers.google!().directory;
    await directory.users.delete({ userKey: grace().email });
    emulatorMs += 1000;
    await directory.users.undelete({ userKey: grace().id, requestBody: { orgUnitPath: '/Staff' } });
    const res = await run({ progress: progressOf(first) });
    expect(res).toMatchObject({ ok: false, error: { retryable: false } });
    expect(!res.ok && res.error.message).toContain(`data transfer ${progressOf(first)?.transferId} of ${ada().email} ended failed`);
  });

  it('a Calendar error while counting is retryable and starts nothing', async () => {
    bed.emulator.faults.failNext({ method: 'GET', path: '/events$', count: 1, status: 503 });
    const res = await run();
    expect(res).toMatchObject({ ok: false, error: { retryable: true } });
    expect(!res.ok && res.error.message).toContain(`listing the future events on ${ada().email}'s calendar, acting as ${ada().email}: Google answered 503`);
    expect(bed.emulator.toJSON().transfers).toHaveLength(0);
  });

  it('a leaver already suspended is handed over without a count, and the answer says it checked the status only', async () => {
    const charles = bed.sample.users.charles;
    const first = await run({ employee: { id: charles.employeeId, email: charles.email } });
    expect(progressOf(first)).toMatchObject({ notCounted: `${charles.email} was suspended, and Google does not act as a suspended user` });
    emulatorMs += 1000;
    expect(await run({ employee: { id: charles.employeeId, email: charles.email }, progress: progressOf(first) })).toMatchObject({
      ok: true,
      result: { verified: 'transfer status only' },
    });
  });

  it('a manager with no account holds the step for an operator before anything is transferred', async () => {
    const res = await run({ employee: { managerEmail: 'gone@example.com' } });
    expect(res).toMatchObject({ ok: false, error: { retryable: false, hold: 'beneficiary' } });
    expect(bed.emulator.toJSON().transfers).toHaveLength(0);
  });
});
