import { removeDelegation } from '../../../../lambdas/actions/google/remove-delegation';
import { runAction } from '../../../../lambdas/actions/run-action';
import { startGoogleTestBed, type GoogleTestBed } from '../../../support/google-emulator';

describe('google.removeDelegation', () => {
  let bed: GoogleTestBed;
  beforeEach(async () => {
    bed = await startGoogleTestBed();
  });
  afterEach(() => bed.stop());
  const ada = () => bed.sample.users.ada.email;
  const run = (employee = {}) => runAction(removeDelegation, bed.ctx, bed.request('google.removeDelegation', { employee }));

  it('removes every delegate, reads back an empty list and records who had access', async () => {
    bed.emulator.seedDelegate(ada(), bed.sample.users.katherine.email);
    const res = await run();
    expect(res).toMatchObject({
      ok: true,
      note: 'removed 2 Gmail delegate(s)',
      result: { removed: { delegates: [bed.sample.users.alan.email, bed.sample.users.katherine.email] } },
    });
    expect(bed.emulator.gmail(ada()).delegates).toEqual([]);
  });

  it('a second run succeeds with a note and records nothing removed', async () => {
    await run();
    expect(await run()).toEqual({ ok: true, note: 'the mailbox had no delegates', result: { removed: { delegates: [] } }, account: { system: 'google', address: ada(), accountId: bed.sample.users.ada.id, state: 'active', boundBy: 'binding' } });
  });

  it('a leaver with no Google account is a success with a note', async () => {
    expect(await run({ id: 'E999', email: 'nobody@example.com' })).toEqual({ ok: true, note: 'no Google account nobody@example.com; nothing to remove delegates from' });
  });

  it('a suspended mailbox fails without a retry, naming the order the playbook needs', async () => {
    const res = await run({ id: bed.sample.users.charles.employeeId, email: bed.sample.users.charles.email });
    expect(res).toMatchObject({ ok: false, error: { retryable: false } });
    expect(!res.ok && res.error.message).toContain('run google.removeDelegation before google.suspendUser');
  });

  it('fails, retryable, when Gmail says yes but the delegate is still listed', async () => {
    const gmail = await bed.ctx.providers.google!().gmailFor(ada());
    jest.spyOn(bed.clientsFor('google.removeDelegation'), 'gmailFor').mockResolvedValue(gmail);
    jest.spyOn(gmail.users.settings.delegates, 'delete').mockResolvedValue({ status: 204, data: undefined } as never);
    const res = await run();
    expect(res).toMatchObject({ ok: false, error: { retryable: true } });
    expect(!res.ok && res.error.message).toContain(`still delegated to ${bed.sample.users.alan.email}`);
  });

  it('a failure after some removals names what was already removed, for the audit trail', async () => {
    bed.emulator.seedDelegate(ada(), bed.sample.users.katherine.email);
    bed.emulator.faults.failNext({ method: 'DELETE', path: 'katherine', count: 1, status: 503 });
    const res = await run();
    expect(res).toMatchObject({ ok: false, error: { retryable: true } });
    expect(!res.ok && res.error.message).toContain(`(already removed: ${bed.sample.users.alan.email})`);
  });

  it.each([
    [503, true],
    [403, false],
  ])('a %i from the Gmail API fails, retryable: %s, and removes nothing', async (status, retryable) => {
    bed.emulator.faults.failNext({ method: 'DELETE', path: '^/gmail/v1/users/.*/settings/delegates/', count: 1, status });
    const res = await run();
    expect(res).toMatchObject({ ok: false, error: { retryable } });
    expect(!res.ok && res.error.message).toContain(`removing Gmail delegate ${bed.sample.users.alan.email} of ${ada()}: Google answered ${status}`);
    expect(bed.emulator.gmail(ada()).delegates).toHaveLength(1);
  });
});
