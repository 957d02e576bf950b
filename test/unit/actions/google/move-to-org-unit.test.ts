import { moveToOrgUnit } from '../../../../lambdas/actions/google/move-to-org-unit';
import { runAction } from '../../../../lambdas/actions/run-action';
import { startGoogleTestBed, type GoogleTestBed } from '../../../support/google-emulator';

describe('google.moveToOrgUnit', () => {
  let bed: GoogleTestBed;
  beforeEach(async () => {
    bed = await startGoogleTestBed();
  });
  afterEach(() => bed.stop());
  const ada = () => bed.sample.users.ada.email;
  const run = (params: Record<string, unknown> = {}, employee = {}) => runAction(moveToOrgUnit, bed.ctx, bed.request('google.moveToOrgUnit', { params, employee }));

  it('moves the leaver to /Offboarded by default, reads it back and records where she was', async () => {
    const res = await run();
    expect(res).toMatchObject({ ok: true, result: { orgUnitPath: '/Offboarded', previous: '/Staff', removed: { orgUnitPath: '/Staff' } } });
    expect(bed.emulator.user(ada())?.orgUnitPath).toBe('/Offboarded');
  });

  it('moves to the org unit the playbook names, a trailing slash or other case being the same unit', async () => {
    bed.emulator.seedOrgUnit('/Offboarded/Legal hold');
    const res = await run({ orgUnitPath: '/Offboarded/Legal hold/' });
    expect(res).toMatchObject({ ok: true, result: { orgUnitPath: '/Offboarded/Legal hold', previous: '/Staff' } });
    expect(bed.emulator.user(ada())?.orgUnitPath).toBe('/Offboarded/Legal hold');
    const again = await run({ orgUnitPath: '/offboarded/legal hold' });
    expect(again).toMatchObject({ ok: true, note: `${ada()} is already in /Offboarded/Legal hold` });
  });

  it('a second run succeeds with a note and removes nothing', async () => {
    await run();
    const res = await run();
    expect(res).toMatchObject({ ok: true, note: `${ada()} is already in /Offboarded`, result: { orgUnitPath: '/Offboarded', previous: '/Offboarded' } });
    expect(res.ok && res.result).not.toHaveProperty('removed');
  });

  it('a leaver with no Google account is a success with a note', async () => {
    expect(await run({}, { id: 'E999', email: 'nobody@example.com' })).toEqual({ ok: true, note: 'no Google account nobody@example.com; nothing to move' });
  });

  it('an org unit that does not exist fails without a retry and leaves the user where she was', async () => {
    const res = await run({ orgUnitPath: '/Nowhere' });
    expect(res).toMatchObject({ ok: false, error: { retryable: false } });
    expect(!res.ok && res.error.message).toContain(`moving Google user ${ada()} to org unit /Nowhere: Google answered 400`);
    expect(bed.emulator.user(ada())?.orgUnitPath).toBe('/Staff');
  });

  it('fails, retryable, when Google says yes but the user reads back in the old unit', async () => {
    jest.spyOn(bed.clientsFor('google.moveToOrgUnit').directory.users, 'patch').mockResolvedValue({ status: 200, data: {} } as never);
    const res = await run();
    expect(res).toMatchObject({ ok: false, error: { retryable: true } });
    expect(!res.ok && res.error.message).toContain('reports org unit /Staff');
  });

  it.each([
    [503, true],
    [403, false],
  ])('a %i from the Directory API fails, retryable: %s', async (status, retryable) => {
    bed.emulator.faults.failNext({ method: 'PATCH', path: '^/admin/directory/v1/users/', count: 1, status });
    expect(await run()).toMatchObject({ ok: false, error: { retryable } });
    expect(bed.emulator.user(ada())?.orgUnitPath).toBe('/Staff');
  });

  it('rejects a path that does not start with /', async () => {
    expect(await run({ orgUnitPath: 'Offboarded' })).toMatchObject({ ok: false, error: { retryable: false } });
  });
});
