/** Who is idle: the pure decision from the accounts the systems hold and the revoke runs on record. */
import { decideInactivity, type InactivityAccount } from '../../../lambdas/inactivity/decide';
import { DEFAULT_INACTIVITY, type InactivitySettings } from '../../../config/inactivity';
import { DEFAULT_ACCOUNT_POLICY, type AccountPolicy } from '../../../config/account-policy';
import type { Run } from '../../../lambdas/engine/model';

const NOW = new Date('2026-12-01T12:00:00Z');
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000).toISOString();
const settings = (over: Partial<InactivitySettings> = {}): InactivitySettings => ({ ...DEFAULT_INACTIVITY, enabled: true, ...over });

const account = (over: Partial<InactivityAccount> = {}): InactivityAccount => ({
  system: 'google',
  accountId: 'u-1',
  email: 'ada@example.com',
  employeeId: 'E1',
  active: true,
  signInKnown: true,
  lastSignInAt: daysAgo(91),
  access: [],
  ...over,
});

const revokeRun = (over: Partial<Run> = {}): Run => ({
  runId: 'r-1',
  employeeId: 'E1',
  eventId: 'revoke-x',
  type: 'revoke',
  status: 'awaiting_approval',
  effectiveDate: '2026-12-08',
  urgent: false,
  steps: [],
  version: 1,
  createdAt: daysAgo(1),
  updatedAt: daysAgo(1),
  employee: { id: 'E1', firstName: 'Ada', timezone: 'UTC' },
  revoke: { system: 'google', accountId: 'u-1', reason: 'inactivity', detail: 'unused', requestedBy: 'inactivity-check' },
  ...over,
});

const decide = (accounts: InactivityAccount[], runs: Run[] = [], s = settings(), policy: AccountPolicy = DEFAULT_ACCOUNT_POLICY) => decideInactivity({ accounts, runs, settings: s, policy, now: NOW });

describe('the inactivity decision', () => {
  it('an account unused 91 days is idle; 89 days is not', () => {
    const d = decide([account(), account({ accountId: 'u-2', email: 'bob@example.com', employeeId: 'E2', lastSignInAt: daysAgo(89) })]);
    expect(d.idle).toEqual([expect.objectContaining({ accountId: 'u-1', idleDays: 91, sinceKind: 'last sign-in' })]);
    expect(d.excluded).toEqual([]);
    expect(d.checked).toBe(2);
  });

  it('the stage’s days decide: 30 days makes 31 idle', () => {
    expect(decide([account({ lastSignInAt: daysAgo(31) })], [], settings({ days: 30, noticeDays: 3 })).idle).toHaveLength(1);
  });

  it('an account never signed in counts from its creation; with no creation time it is reported and left alone', () => {
    const d = decide([
      account({ lastSignInAt: undefined, createdAt: daysAgo(120) }),
      account({ accountId: 'u-2', employeeId: 'E2', lastSignInAt: undefined, createdAt: daysAgo(10) }),
      account({ accountId: 'u-3', employeeId: 'E3', lastSignInAt: undefined }),
    ]);
    expect(d.idle).toEqual([expect.objectContaining({ accountId: 'u-1', idleDays: 120, sinceKind: 'created, never signed in' })]);
    expect(d.excluded).toEqual([expect.objectContaining({ accountId: 'u-3', code: 'never_signed_in' })]);
  });

  it('a system that does not record sign-ins is never idle', () => {
    const d = decide([account({ signInKnown: false, lastSignInAt: undefined, createdAt: daysAgo(900) })]);
    expect(d.idle).toEqual([]);
    expect(d.excluded).toEqual([expect.objectContaining({ code: 'sign_in_unknown' })]);
  });

  it('an excluded address, employee or access, a protected account and a service account are excluded, each with its reason', () => {
    const s = settings({
      exclude: { addresses: ['board@example.com'], employeeIds: ['E4'], access: ['googleGroups:on-call@example.com'] },
      serviceAccounts: { addresses: ['backup@example.com'], localParts: ['svc-*'] },
    });
    const policy: AccountPolicy = { ...DEFAULT_ACCOUNT_POLICY, protected: { orgUnits: [], addresses: ['ceo@example.com'] } };
    const d = decide(
      [
        account({ accountId: 'a', email: 'board@example.com' }),
        account({ accountId: 'b', email: 'x@example.com', employeeId: 'E4' }),
        account({ accountId: 'c', email: 'y@example.com', access: ['googleGroups:On-Call@example.com'] }),
        account({ accountId: 'd', email: 'admin@example.com', protected: true }),
        account({ accountId: 'e', email: 'ceo@example.com' }),
        account({ accountId: 'f', email: 'backup@example.com' }),
        account({ accountId: 'g', email: 'svc-ci@example.com' }),
        account({ accountId: 'h', email: 'nobody@example.com', employeeId: undefined }),
      ],
      [],
      s,
      policy,
    );
    expect(d.idle).toEqual([]);
    expect(Object.fromEntries(d.excluded.map((e) => [e.accountId, e.code]))).toEqual({
      a: 'excluded_address',
      b: 'excluded_employee',
      c: 'excluded_access',
      d: 'protected',
      e: 'protected',
      f: 'service_account',
      g: 'service_account',
      h: 'unbound',
    });
    expect(d.excluded.find((e) => e.accountId === 'g')?.reason).toContain('svc-*');
  });

  it('an account with an open revoke run is listed with it, not proposed again', () => {
    const d = decide([account()], [revokeRun()]);
    expect(d.idle).toEqual([]);
    expect(d.withRun).toEqual([expect.objectContaining({ accountId: 'u-1', runId: 'r-1', status: 'awaiting_approval' })]);
  });

  it('a revoke decided since the last sign-in (rejected, or given back) is not proposed again; one before it is no obstacle', () => {
    expect(decide([account()], [revokeRun({ status: 'rejected' })]).excluded).toEqual([expect.objectContaining({ code: 'decided' })]);
    const older = revokeRun({ status: 'rejected', createdAt: daysAgo(200) });
    expect(decide([account()], [older]).idle).toHaveLength(1);
  });

  it('an account signed in to since its revoke was planned is used again: its run is named for cancelling', () => {
    const run = revokeRun({ createdAt: daysAgo(3) });
    const d = decide([account({ lastSignInAt: daysAgo(1) })], [run]);
    expect(d.usedAgain).toEqual([expect.objectContaining({ runId: 'r-1' })]);
    expect(d.idle).toEqual([]);
  });

  it('inactive accounts and systems not checked are left out', () => {
    const d = decide([account({ active: false }), account({ system: 'nextcloud' })]);
    expect(d).toEqual({ idle: [], excluded: [], withRun: [], usedAgain: [], checked: 0 });
  });
});
