import { suspendUser } from '../../../../lambdas/actions/google/suspend-user';
import { runAction } from '../../../../lambdas/actions/run-action';
import { startGoogleTestBed, type GoogleTestBed } from '../../../support/google-emulator';

describe('google.suspendUser', () => {
  let bed: GoogleTestBed;
  beforeEach(async () => {
    bed = await startGoogleTestBed();
  });
  afterEach(() => bed.stop());
  const ada = () => bed.sample.users.ada.email;

  it('suspends the leaver, reads it back and records that the account was active', async () => {
    const res = await runAction(suspendUser, bed.ctx, bed.request('google.suspendUser'));
    expect(res).toMatchObject({ ok: true, note: 'suspended', result: { suspended: true, wasSuspended: false, removed: { suspended: false } } });
    expect(bed.emulator.user(ada())?.suspended).toBe(true);
  });

  it('a second run succeeds with a note and claims to have removed nothing', async () => {
    await runAction(suspendUser, bed.ctx, bed.request('google.suspendUser'));
    const res = await runAction(suspendUser, bed.ctx, bed.request('google.suspendUser'));
    expect(res).toMatchObject({ ok: true, note: `${ada()} was already suspended`, result: { wasSuspended: true } });
    expect(res.ok && res.result).not.toHaveProperty('removed');
  });

  it('a leaver suspended by someone else is a success that records nothing to restore', async () => {
    const charles = bed.sample.users.charles;
    const res = await runAction(suspendUser, bed.ctx, bed.request('google.suspendUser', { employee: { id: charles.employeeId, email: charles.email } }));
    expect(res).toMatchObject({ ok: true, result: { wasSuspended: true } });
    expect(res.ok && res.result).not.toHaveProperty('removed');
  });

  it('a leaver with no Google account is a success with a note', async () => {
    const res = await runAction(suspendUser, bed.ctx, bed.request('google.suspendUser', { employee: { id: 'E999', email: 'nobody@example.com' } }));
    expect(res).toEqual({ ok: true, note: 'no Google account nobody@example.com; nothing to suspend' });
  });

  it('fails, retryable, when Google says yes but the user reads back active', async () => {
    // A patch that answers 200 without changing anything: only the read-back can notice.
    jest.spyOn(bed.clientsFor('google.suspendUser').directory.users, 'patch').mockResolvedValue({ status: 200, data: {} } as never);
    const res = await runAction(suspendUser, bed.ctx, bed.request('google.suspendUser'));
    expect(res).toMatchObject({ ok: false, error: { retryable: true } });
    expect(!res.ok && res.error.message).toContain('did not take effect');
  });

  it.each([
    [503, true],
    [429, true],
    [403, false],
    [400, false],
  ])('a %i from the Directory API fails, retryable: %s, saying what was being done', async (status, retryable) => {
    bed.emulator.faults.failNext({ method: 'PATCH', path: '^/admin/directory/v1/users/', count: 1, status });
    const res = await runAction(suspendUser, bed.ctx, bed.request('google.suspendUser'));
    expect(res).toMatchObject({ ok: false, error: { retryable } });
    expect(!res.ok && res.error.message).toContain(`suspending Google user ${ada()}: Google answered ${status}`);
    expect(bed.emulator.user(ada())?.suspended).toBe(false);
  });

  it('rejects parameters it does not know', async () => {
    const res = await runAction(suspendUser, bed.ctx, bed.request('google.suspendUser', { params: { reason: 'x' } }));
    expect(res).toMatchObject({ ok: false, error: { retryable: false } });
  });
});
