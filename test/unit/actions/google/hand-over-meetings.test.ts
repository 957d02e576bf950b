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
import { useTransferTestBed, type GoogleTestBed } from '../../../support/google-emulator';

const T0 = new Date('2026-11-30T09:00:00.000Z');

describe('google.handOverMeetings', () => {
  /** The emulator's clock, starting where the steps' clock does: a transfer completes when it passes the transfer's delay. */
  let emulatorMs = T0.getTime();
  beforeEach(() => (emulatorMs = T0.getTime()));
  const currentBed = useTransferTestBed(T0, () => emulatorMs);
  let bed: GoogleTestBed;
  beforeEach(() => (bed = currentBed()));
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
    // Rooms kept: no RELEASE_RESOURCES, so Google leaves the moved meetings' rooms booked.
    expect(transfer?.applications).toEqual([{ applicationId: CALENDAR_APPLICATION_ID, params: [] }]);

    emulatorMs += 1000;
    const done = await run({ progress: progressOf(first) });
    expect(done).toMatchObject({
      ok: true,
      note: `${grace().email} (the manager) now organizes the 8 future meeting(s) with guests ${ada().email} organized (transfer ${progressOf(first)?.transferId}, read back: none left); not moved, as Google moves none of them: 1 private, 1 with nobody else on them and 0 already begun, organized by ${ada().email}`,
      result: { to: grace().email, as: 'manager', meetingsHandedOver: 8, meetingsLeft: 0, notMoved: { private: 1, solo: 1, started: 0 }, verified: 'meetings read back' },
    });
    // Drive is not part of it: Ada's files stay for the transfer after the last day.
    expect(bed.emulator.user(ada().email)).toMatchObject({ driveFiles: 42, privateDriveFiles: 7, calendarEvents: 4 });
    expect(bed.emulator.user(grace().email)).toMatchObject({ calendarEvents: 30 + 8 });
  });

  it('a first attempt whose answer was lost after the transfer completed: the retry names that transfer and starts none', async () => {
    const first = await run();
    emulatorMs += 1000;
    // The answer of the attempt that read it completed is lost: the step has no progress, and starts over.
    const again = await run();
    expect(again).toMatchObject({
      ok: true,
      note: `${ada().email} organizes no future meeting that Google would move: handed over already by transfer ${progressOf(first)?.transferId} (completed), and none is left; not moved, as Google moves none of them: 1 private, 1 with nobody else on them and 0 already begun, organized by ${ada().email}`,
      result: { meetingsHandedOver: 0, meetingsLeft: 0, earlierTransferId: progressOf(first)?.transferId, verified: 'meetings read back' },
    });
    expect(bed.emulator.toJSON().transfers).toHaveLength(1);
  });

  it('starts no transfer for a leaver with no meeting Google would move (so the receiver gets no empty calendar)', async () => {
    const katherine = bed.sample.users.katherine;
    const res = await run({ employee: { id: katherine.employeeId, email: katherine.email } });
    expect(res).toMatchObject({ ok: true, note: `${katherine.email} organizes no future meeting that Google would move: none to hand over`, result: { meetingsHandedOver: 0 } });
    expect(res.ok && res.result).not.toHaveProperty('earlierTransferId');
    expect(bed.emulator.toJSON().transfers).toHaveLength(0);
  });

  it('does not count a meeting already under way, or one the leaver is only invited to: neither fails the read-back', async () => {
    bed.emulator.seedCalendarEvents(ada().email, { started: 1 });
    bed.emulator.seedInvitation(grace().email, [ada().email]);
    const first = await run();
    expect(progressOf(first)).toMatchObject({ meetingsBefore: 8 });
    emulatorMs += 1000;
    expect(await run({ progress: progressOf(first) })).toMatchObject({
      ok: true,
      result: { meetingsHandedOver: 8, meetingsLeft: 0, notMoved: { private: 1, solo: 1, started: 1 } },
    });
  });

  it('keeps the rooms the moved meetings book, and releases them only when the step asks', async () => {
    bed.emulator.seedCalendarEvents(ada().email, { withRooms: 2 });
    const roomsOf = (email: string) => bed.emulator.organizedEvents(email).filter((e) => e.resources > 0).length;
    expect(roomsOf(ada().email)).toBe(2);
    const first = await run();
    emulatorMs += 1000;
    expect(await run({ progress: progressOf(first) })).toMatchObject({ ok: true, result: { meetingsHandedOver: 10 } });
    expect(roomsOf(grace().email)).toBe(2);

    bed.emulator.seedCalendarEvents(ada().email, { withRooms: 1 });
    const released = await runAction(handOverMeetings, bed.ctx, bed.request('google.handOverMeetings', { params: { pollSeconds: 5, releaseRooms: true } }));
    expect(bed.emulator.transfer(String(progressOf(released)?.transferId))?.applications[0].params).toEqual([{ key: 'RELEASE_RESOURCES', value: ['TRUE'] }]);
    emulatorMs += 1000;
    expect(await runAction(handOverMeetings, bed.ctx, bed.request('google.handOverMeetings', { params: { pollSeconds: 5, releaseRooms: true }, progress: progressOf(released) }))).toMatchObject({
      ok: true,
      result: { meetingsHandedOver: 1 },
    });
    // The third meeting moved without its room; the two handed over first keep theirs.
    expect(roomsOf(grace().email)).toBe(2);
    expect(bed.emulator.organizedEvents(grace().email).length).toBe(30 + 8 + 3);
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
    expect(!res.ok && res.error.message).toContain(
      `data transfer ${progressOf(first)?.transferId} of ${ada().email}'s meetings completed, but ${ada().email} still organizes 8 future meeting(s) with guests (8 before it): the next attempt starts another transfer`,
    );
    // The engine merges a failed attempt's progress into what the step had (step-machine.ts): the id is blanked, so
    // the retry starts a new transfer for what is left rather than read the completed one again.
    const merged = { ...progressOf(first), ...(!res.ok ? res.error.progress : {}) };
    expect(merged).toEqual({ transferId: '', primary: ada().email, to: grace().email, as: 'manager', meetingsBefore: 8 });
    bed.emulator.setTransferBehaviour({ delayMs: 1000, movesNothing: false });
    const retried = await run({ progress: merged });
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
