/**
 * The account check every Google action runs before it touches an account, through runAction against the Google
 * emulator: the account at the event's address must carry the employee id, may be adopted only on confirmation,
 * is not stripped of access while protected, and a leaver's mail goes only to an active manager of the domain.
 */
import type { ActionDefinition } from '../../../lambdas/actions/define-action';
import { delegateToManager } from '../../../lambdas/actions/google/delegate-to-manager';
import { signOut } from '../../../lambdas/actions/google/sign-out';
import { suspendUser } from '../../../lambdas/actions/google/suspend-user';
import { transferData } from '../../../lambdas/actions/google/transfer-data';
import { runAction } from '../../../lambdas/actions/run-action';
import type { ActionRequest } from '../../../lambdas/engine/ports';
import { expectFailure as failure, expectOk, useGoogleTestBed, type GoogleTestBed } from '../../support/google-emulator';
import type { Context } from 'aws-lambda';
import { createActionHandler } from '../../../lambdas/handlers/action-handler';

const currentBed = useGoogleTestBed();
let bed: GoogleTestBed;
beforeEach(() => {
  bed = currentBed();
});

type Def = ActionDefinition<unknown>;
type Confirmation = NonNullable<ActionRequest['confirmedAccounts']>[number];
const run = (def: Def, employee: Partial<ActionRequest['employee']> = {}, confirmedAccounts?: Confirmation[]) =>
  runAction(def, bed.ctx, bed.request(def.name, { employee, ...(confirmedAccounts ? { confirmedAccounts } : {}) }));
const suspend = (employee: Partial<ActionRequest['employee']> = {}, confirmedAccounts?: Confirmation[]) => run(suspendUser as Def, employee, confirmedAccounts);
const adopt = (account: string): Confirmation => ({ system: 'google', account, confirms: 'adopt' });
const confirmProtected = (account: string): Confirmation => ({ system: 'google', account, confirms: 'protected' });
const boundIds = (address: string) => bed.emulator.user(address)?.extra.externalIds;

describe('an account bound to another employee', () => {
  it('is held bound_elsewhere, not retryable, and nothing on it changes', async () => {
    const katherine = bed.sample.users.katherine;
    const before = bed.emulator.user(katherine.email);
    // Ada's employee id (the test bed's default) with Katherine's address.
    const error = failure(await suspend({ email: katherine.email }));
    expect(error).toEqual({
      message: `the google account ${katherine.email} belongs to employee ${katherine.employeeId}, not to employee E100: nothing was changed on it`,
      retryable: false,
      providerAnswer: 'held: bound_elsewhere',
      hold: 'bound_elsewhere',
      heldAccount: { system: 'google', account: katherine.email },
    });
    expect(bed.emulator.user(katherine.email)).toEqual(before);
    expect(bed.emulator.user(katherine.email)?.suspended).toBe(false);
  });

  it("an employee id nobody's account carries, at another employee's address, is held the same", async () => {
    const ada = bed.sample.users.ada;
    const before = bed.emulator.user(ada.email);
    expect(failure(await suspend({ id: 'E999' }))).toMatchObject({ retryable: false, hold: 'bound_elsewhere' });
    expect(bed.emulator.user(ada.email)).toEqual(before);
  });

  it('no account at the address while the employee has one elsewhere is held address_mismatch', async () => {
    const error = failure(await suspend({ email: 'ada.king@example.com' }));
    expect(error).toMatchObject({ retryable: false, hold: 'address_mismatch' });
    expect(error.message).toContain(`employee E100's Google account is ${bed.sample.users.ada.email}, but the event names ada.king@example.com`);
    expect(bed.emulator.user(bed.sample.users.ada.email)?.suspended).toBe(false);
  });
});

describe('an account bound to no employee', () => {
  const address = 'old.timer@example.com';
  const employee = { id: 'E400', firstName: 'Old', lastName: 'Timer', email: address };
  beforeEach(() => {
    bed.emulator.seedUser({ email: address, givenName: 'Old', familyName: 'Timer', orgUnitPath: '/Staff' });
  });

  it('is held unbound, naming the confirmation that adopts it, and is left as it was', async () => {
    const before = bed.emulator.user(address);
    const error = failure(await suspend(employee));
    expect(error).toMatchObject({ retryable: false, hold: 'unbound', providerAnswer: 'held: unbound' });
    expect(error.message).toContain(`POST /v1/runs/run-1/confirm-account {"system":"google","account":"${address}","confirms":"adopt"}`);
    expect(bed.emulator.user(address)).toEqual(before);
    expect(boundIds(address)).toBeUndefined();
  });

  it("adopted by an operator's confirmation, the step runs and the account carries the employee id from then on", async () => {
    const res = expectOk(await suspend(employee, [adopt(address)]));
    expect(res.account).toEqual({ system: 'google', address, accountId: bed.emulator.user(address)?.id, state: 'suspended', boundBy: 'adopted' });
    expect(bed.emulator.user(address)?.suspended).toBe(true);
    expect(boundIds(address)).toEqual([{ type: 'organization', value: 'E400' }]);
    // A later step of the employee finds it bound: no confirmation needed.
    const again = expectOk(await suspend(employee));
    expect(again.account).toMatchObject({ address, boundBy: 'binding', state: 'suspended' });
  });

  it('a confirmation naming another account adopts nothing', async () => {
    expect(failure(await suspend(employee, [adopt('someone.else@example.com')]))).toMatchObject({ hold: 'unbound' });
    expect(boundIds(address)).toBeUndefined();
  });
});

describe('a protected account', () => {
  const admin = () => bed.sample.users.admin;
  const asAdmin = () => ({ id: 'E500', firstName: 'Workspace', lastName: 'Admin', email: admin().email });

  it('the super admin, adopted for the run, is not signed out or suspended until an operator confirms it as protected', async () => {
    const before = bed.emulator.user(admin().email);
    expect(before?.isAdmin).toBe(true);
    for (const def of [signOut, suspendUser] as Def[]) {
      const error = failure(await run(def, asAdmin(), [adopt(admin().email)]));
      expect(error).toMatchObject({ retryable: false, hold: 'protected', providerAnswer: 'held: protected' });
      expect(error.message).toContain(`the google account ${admin().email} is a super admin`);
      expect(error.message).toContain(`{"system":"google","account":"${admin().email}","confirms":"protected"}`);
    }
    // Nothing changed on it: not signed out, not suspended, not even bound.
    expect(bed.emulator.user(admin().email)).toEqual(before);
    expect(bed.emulator.user(admin().email)?.lastSignOutAt).toBeUndefined();
    expect(boundIds(admin().email)).toBeUndefined();

    const confirmed = [adopt(admin().email), confirmProtected(admin().email)];
    expect(expectOk(await run(signOut as Def, asAdmin(), confirmed)).account).toMatchObject({ address: admin().email, boundBy: 'adopted', state: 'active' });
    expect(bed.emulator.user(admin().email)?.lastSignOutAt).toBeDefined();
    // google.signOut may only read users (its scopes): it acts on the adoption without writing it; the suspension, allowed to change users, writes it.
    expect(boundIds(admin().email)).toBeUndefined();
    expect(expectOk(await run(suspendUser as Def, asAdmin(), confirmed)).account).toMatchObject({ boundBy: 'adopted', state: 'suspended' });
    expect(boundIds(admin().email)).toEqual([{ type: 'organization', value: 'E500' }]);
    expect(bed.emulator.user(admin().email)?.suspended).toBe(true);
  });

  it("the stage's protected org units hold a suspension there until an operator confirms it", async () => {
    const ada = bed.sample.users.ada;
    bed.ctx.accountPolicy = () => ({ protected: { orgUnits: ['/Staff'], addresses: [] }, adoptUnbound: { domains: [], orgUnits: [] } });
    const error = failure(await suspend());
    expect(error).toMatchObject({ retryable: false, hold: 'protected' });
    expect(error.message).toContain(`the google account ${ada.email} is in the protected org unit /Staff`);
    expect(bed.emulator.user(ada.email)?.suspended).toBe(false);

    const res = expectOk(await suspend({}, [confirmProtected(ada.email)]));
    expect(res.account).toEqual({ system: 'google', address: ada.email, accountId: ada.id, state: 'suspended', boundBy: 'binding' });
  });
});

describe("the manager a leaver's mailbox is delegated to", () => {
  const ada = () => bed.sample.users.ada.email;
  const delegates = () => bed.emulator.gmail(ada()).delegates.map((d) => d.delegateEmail).sort();

  it.each([
    ['outside the domain', () => 'boss@elsewhere.example', 'is no account of the domain'],
    ['suspended (Charles)', () => bed.sample.users.charles.email, 'is suspended'],
    ['the leaver herself', () => bed.sample.users.ada.email.toUpperCase(), "is the leaver's own account"],
  ])('%s: held beneficiary, and no delegate is added or removed', async (_case, manager, why) => {
    const before = delegates();
    const managerEmail = manager();
    const error = failure(await run(delegateToManager as Def, { managerEmail }));
    expect(error).toMatchObject({ retryable: false, hold: 'beneficiary', providerAnswer: 'held: beneficiary' });
    expect(error.message).toContain(`employee E100's managerEmail ${managerEmail.toLowerCase()} ${why}: nothing was handed over`);
    expect(delegates()).toEqual(before);
    expect(delegates()).not.toContain(managerEmail.toLowerCase());
  });
});

describe('a manager who is leaving too', () => {
  const ada = () => bed.sample.users.ada.email;
  const leaving = { employeeId: 'E200', runId: 'r-grace-leaves', effectiveDate: '2026-12-31' };

  it.each([
    ['the mailbox', delegateToManager as Def],
    ['Drive and Calendar', transferData as Def],
  ])('gets nothing of %s: held beneficiary, naming their own termination', async (_what, def) => {
    const delegatesBefore = bed.emulator.gmail(ada()).delegates.length;
    const error = failure(await runAction(def, bed.ctx, bed.request(def.name, { managerLeaving: leaving })));
    expect(error).toMatchObject({ retryable: false, hold: 'beneficiary' });
    expect(error.message).toContain('is leaving too (employee E200, run r-grace-leaves, last day 2026-12-31): nothing was handed over');
    expect(bed.emulator.gmail(ada()).delegates.length).toBe(delegatesBefore);
  });
});

describe('through the Lambda entry an action function runs', () => {
  const context = { functionName: 'test', awsRequestId: 'r-1', getRemainingTimeInMillis: () => 30_000 } as unknown as Context;

  it('hands the operators’ confirmations on to the account check, and refuses a malformed one naming it', async () => {
    bed.emulator.seedUser({ email: 'legacy.user@example.com', givenName: 'Legacy', familyName: 'User' });
    const handler = createActionHandler(suspendUser, () => bed.ctx);
    const request = bed.request('google.suspendUser', { employee: { id: 'E700', email: 'legacy.user@example.com' }, confirmedAccounts: [adopt('legacy.user@example.com')] });
    expect(expectOk(await handler(request, context)).account).toMatchObject({ boundBy: 'adopted', state: 'suspended' });
    expect(boundIds('legacy.user@example.com')).toEqual([{ type: 'organization', value: 'E700' }]);
    const bad = failure(await handler({ ...request, confirmedAccounts: [{ system: 'google', account: 'x@example.com', confirms: 'everything' }] }, context));
    expect(bad.message).toContain('confirmedAccounts');
  });
});
