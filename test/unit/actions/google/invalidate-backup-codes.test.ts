/** google.invalidateBackupCodes on an account already suspended: Google refuses (400 "Invalid Input"), the step skips with a note. */
import type { ActionDefinition } from '../../../../lambdas/actions/define-action';
import { invalidateBackupCodes } from '../../../../lambdas/actions/google/invalidate-backup-codes';
import { runAction } from '../../../../lambdas/actions/run-action';
import { expectOk, useGoogleTestBed, type GoogleTestBed } from '../../../support/google-emulator';

const currentBed = useGoogleTestBed();
let bed: GoogleTestBed;
beforeEach(() => {
  bed = currentBed();
});

const def = invalidateBackupCodes as ActionDefinition<unknown>;
const run = (employee = {}) => runAction(def, bed.ctx, bed.request(def.name, { employee }));
const charles = () => ({ id: bed.sample.users.charles.employeeId, email: bed.sample.users.charles.email });

describe('google.invalidateBackupCodes on a suspended account', () => {
  it('skips an account IT suspended before the run, saying the suspension blocks sign-in and the codes stay', async () => {
    bed.emulator.seedVerificationCodes(charles().email);
    const res = expectOk(await run(charles()));
    expect(res.note).toContain('skipped: charles.babbage@example.com is already suspended, which blocks every sign-in, backup codes included');
    expect(res.note).toContain('its 10 backup code(s) stay and work again if the account is unsuspended');
    expect(res.result).toEqual({ skipped: 'suspended', codesLeft: 10 });
    expect(bed.emulator.verificationCodesOf(charles().email)).toHaveLength(10);
  });

  it('skips the same way when the account is suspended between the read and the call', async () => {
    const clients = bed.clientsFor(def.name);
    const invalidate = clients.directory.verificationCodes.invalidate.bind(clients.directory.verificationCodes);
    jest.spyOn(clients.directory.verificationCodes, 'invalidate').mockImplementation((async (params: { userKey: string }) => {
      await bed.ctx.providers.google!().directory.users.patch({ userKey: params.userKey, requestBody: { suspended: true } });
      return invalidate(params);
    }) as never);
    const res = expectOk(await run());
    expect(res.note).toMatch(/^skipped: ada\.lovelace@example\.com is already suspended/);
    expect(bed.emulator.verificationCodesOf(bed.sample.users.ada.email)).toHaveLength(10);
  });

  it('still invalidates the codes of an active account', async () => {
    expect(expectOk(await run()).note).toBe('backup codes invalidated');
    expect(bed.emulator.verificationCodesOf(bed.sample.users.ada.email)).toEqual([]);
  });
});
