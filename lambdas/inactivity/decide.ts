/**
 * Who is idle, pure: from the accounts the systems hold (DirectoryAccount) and the revoke runs on record, the accounts
 * unused for the stage's `days`, the ones left alone and why, those that already have a revoke run, and those used
 * again since their revoke was planned. No I/O: the check (./check.ts) reads and acts.
 */
import type { DirectoryAccount } from '../consolidation/directory';
import type { InactivitySettings } from '../../config/inactivity';
import type { AccountPolicy } from '../../config/account-policy';
import type { Run } from '../engine/model';
import { ENDED } from '../engine/termination-overlap';

/** An account as a reader gives it, with when it was made where the system says (a never-used account counts from then). */
export type InactivityAccount = DirectoryAccount & { createdAt?: string };

export const EXCLUSIONS = ['sign_in_unknown', 'never_signed_in', 'protected', 'service_account', 'excluded_address', 'excluded_employee', 'excluded_access', 'unbound', 'decided'] as const;
export type Exclusion = (typeof EXCLUSIONS)[number];

export interface AccountRef {
  system: string;
  accountId: string;
  email?: string;
  employeeId?: string;
}

export interface IdleAccount extends AccountRef {
  /** The last sign-in, or the creation of an account never signed in to. */
  since: string;
  sinceKind: 'last sign-in' | 'created, never signed in';
  idleDays: number;
}

export interface ExcludedAccount extends AccountRef {
  code: Exclusion;
  reason: string;
  idleDays?: number;
}

export interface AccountWithRun extends AccountRef {
  runId: string;
  status: Run['status'];
  idleDays?: number;
}

export interface InactivityDecision {
  /** Idle, revocable, and no revoke run yet: each gets one. */
  idle: IdleAccount[];
  excluded: ExcludedAccount[];
  /** Idle and already with a revoke run that has not ended. */
  withRun: AccountWithRun[];
  /** Signed in to since their revoke run was planned: the run is cancelled (if none of its steps has started). */
  usedAgain: AccountWithRun[];
  /** Accounts looked at (active ones of the systems checked). */
  checked: number;
}

const DAY_MS = 86_400_000;

const ref = (a: InactivityAccount): AccountRef => ({ system: a.system, accountId: a.accountId, ...(a.email ? { email: a.email } : {}), ...(a.employeeId ? { employeeId: a.employeeId } : {}) });

/** `svc-*` and the like, against an address's local part, without regard to case. */
function matchesLocalPart(pattern: string, email: string | undefined): boolean {
  if (!email) return false;
  const local = email.split('@')[0].toLowerCase();
  const re = new RegExp(`^${pattern.toLowerCase().replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
  return re.test(local);
}

/** Why a idle account is never revoked, if it is: protected, a service account, or excluded by the stage. */
function exclusionOf(a: InactivityAccount, settings: InactivitySettings, policy: AccountPolicy): { code: Exclusion; reason: string } | undefined {
  const email = a.email?.toLowerCase();
  if (a.protected) return { code: 'protected', reason: 'a protected account (an admin, a protected org unit or a listed address): no run takes its access' };
  if (email && policy.protected.addresses.includes(email)) return { code: 'protected', reason: 'listed as a protected address (accounts.protected.addresses)' };
  if (email && settings.serviceAccounts.addresses.includes(email)) return { code: 'service_account', reason: 'a service account (inactivity.serviceAccounts.addresses): it signs in with keys, not as a person' };
  const pattern = settings.serviceAccounts.localParts.find((p) => matchesLocalPart(p, email));
  if (pattern) return { code: 'service_account', reason: `a service account (inactivity.serviceAccounts.localParts: ${pattern})` };
  if (email && settings.exclude.addresses.includes(email)) return { code: 'excluded_address', reason: 'excluded by address (inactivity.exclude.addresses)' };
  if (a.employeeId && settings.exclude.employeeIds.includes(a.employeeId)) return { code: 'excluded_employee', reason: `employee ${a.employeeId} is excluded (inactivity.exclude.employeeIds)` };
  const held = settings.exclude.access.find((x) => a.access.some((y) => y.toLowerCase() === x.toLowerCase()));
  if (held) return { code: 'excluded_access', reason: `holds ${held} (inactivity.exclude.access)` };
  if (!a.employeeId) return { code: 'unbound', reason: 'bound to no employee: a revoke acts only on a bound account; consolidation reports it for binding' };
  return undefined;
}

/** The account's inactivity revokes on record, newest first. */
function revokesOf(runs: readonly Run[], a: InactivityAccount): Run[] {
  return runs
    .filter((r) => r.type === 'revoke' && r.revoke?.reason === 'inactivity' && r.revoke.system === a.system && r.revoke.accountId === a.accountId)
    .sort((x, y) => y.createdAt.localeCompare(x.createdAt));
}

/**
 * Decides for each account of the systems the stage checks. An account not active is left out (nothing to revoke); one
 * whose system does not record sign-ins is never idle; one never signed in counts from its creation, or, with no
 * creation time, is reported and left alone. A revoke decided since the account was last used (rejected, cancelled,
 * completed and given back) is not proposed again until the account is used and idle again.
 */
export function decideInactivity(input: { accounts: readonly InactivityAccount[]; runs: readonly Run[]; settings: InactivitySettings; policy: AccountPolicy; now: Date }): InactivityDecision {
  const { settings, policy, now } = input;
  const out: InactivityDecision = { idle: [], excluded: [], withRun: [], usedAgain: [], checked: 0 };
  for (const a of input.accounts) {
    if (!settings.systems.includes(a.system) || !a.active) continue;
    out.checked += 1;
    if (!a.signInKnown) {
      out.excluded.push({ ...ref(a), code: 'sign_in_unknown', reason: `${a.system} does not say when this account last signed in: never revoked for inactivity` });
      continue;
    }
    const since = a.lastSignInAt ?? a.createdAt;
    if (!since || Number.isNaN(Date.parse(since))) {
      out.excluded.push({ ...ref(a), code: 'never_signed_in', reason: 'never signed in, and when it was made is not known: left alone' });
      continue;
    }
    const idleDays = Math.floor((now.getTime() - Date.parse(since)) / DAY_MS);
    const revokes = revokesOf(input.runs, a);
    const open = revokes.find((r) => !ENDED.includes(r.status));
    if (idleDays < settings.days) {
      // Used since its revoke was planned: the revoke no longer stands.
      if (open && a.lastSignInAt && a.lastSignInAt > open.createdAt) out.usedAgain.push({ ...ref(a), runId: open.runId, status: open.status, idleDays });
      continue;
    }
    const excluded = exclusionOf(a, settings, policy);
    if (excluded) {
      out.excluded.push({ ...ref(a), ...excluded, idleDays });
      continue;
    }
    if (open) {
      out.withRun.push({ ...ref(a), runId: open.runId, status: open.status, idleDays });
      continue;
    }
    const decided = revokes.find((r) => r.createdAt > since);
    if (decided) {
      out.excluded.push({ ...ref(a), code: 'decided', reason: `its revoke (run ${decided.runId}) ended ${decided.status} since it was last used: not proposed again until it is used and idle again`, idleDays });
      continue;
    }
    out.idle.push({ ...ref(a), since, sinceKind: a.lastSignInAt ? 'last sign-in' : 'created, never signed in', idleDays });
  }
  return out;
}
