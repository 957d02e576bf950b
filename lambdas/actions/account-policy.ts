/**
 * Whose account a step may touch: the binding by employee id, protected accounts and adoption of accounts made before
 * this system, decided from plain values (what the provider said of the account, the stage's policy, the operators'
 * confirmations). Pure: the provider modules read the account, this module decides.
 */
import type { AccountConfirmation, AccountHold, AccountSystem } from '../engine/model';
import type { AccountPolicy } from '../../config/account-policy';

// The stage's `accounts` setting is a setting: its schema and parser live with the other settings schemas.
export { accountPolicySchema, DEFAULT_ACCOUNT_POLICY, parseAccountPolicy, type AccountPolicy } from '../../config/account-policy';

/** What a provider says of an account found at the address an event names. */
export interface FoundAccount {
  system: AccountSystem;
  address: string;
  /** The employee id the account carries (Google externalIds of type organization, a Connect tag); undefined when none. */
  boundTo: string | undefined;
  /** Why the provider's own roles make it protected (Google: super admin, delegated admin; Connect: a listed address). */
  adminRole?: string;
  /** Google org unit path; absent for systems without one. */
  orgUnitPath?: string;
  /** The mail domain, where the address is not an email (a Connect username). */
  domain?: string;
}

export type AccountDecision =
  /** The account is the employee's; `adopt` when it must first be bound (an operator's or the stage's adoption). */
  | { ok: true; adopt?: 'operator' | 'stage' }
  | { ok: false; hold: AccountHold; message: string };

const underOrgUnit = (path: string | undefined, units: readonly string[]) =>
  path !== undefined && units.some((u) => u === '/' || path.toLowerCase() === u.toLowerCase() || path.toLowerCase().startsWith(`${u.toLowerCase()}/`));

const confirmedFor = (confirmations: ConfirmationLike[] | undefined, account: FoundAccount, confirms: AccountConfirmation['confirms']) =>
  (confirmations ?? []).some((c) => c.system === account.system && c.confirms === confirms && c.account.toLowerCase() === account.address.toLowerCase());

type ConfirmationLike = Pick<AccountConfirmation, 'system' | 'account' | 'confirms'>;

/** Why an account is protected, if it is: the provider's admin roles, a protected org unit, a listed address. */
export function protectedBecause(account: FoundAccount, policy: AccountPolicy): string | undefined {
  if (account.adminRole) return account.adminRole;
  if (underOrgUnit(account.orgUnitPath, policy.protected.orgUnits)) return `in the protected org unit ${account.orgUnitPath}`;
  if (policy.protected.addresses.includes(account.address.toLowerCase())) return 'listed as a protected address';
  return undefined;
}

const confirmHint = (runId: string, account: FoundAccount, confirms: AccountConfirmation['confirms']) =>
  `POST /v1/runs/${runId}/confirm-account {"system":"${account.system}","account":"${account.address}","confirms":"${confirms}"}`;

/**
 * May a step of this employee's run act on this account? A step that takes access away (`removes`) from a
 * protected account waits for an operator's confirmation naming it, checked first. Bound to another id: never.
 * Unbound: only when an operator adopted it for this run, or the stage adopts unbound accounts of its domain or
 * org unit, for a step that grants or restores and an account that is not protected.
 */
export function decideAccount(input: {
  employeeId: string;
  runId: string;
  account: FoundAccount;
  policy: AccountPolicy;
  confirmations?: ConfirmationLike[];
  removes: boolean;
  /**
   * A restore (a cancel's or a rehire's): it puts back what a step of this employee recorded, so it acts only on an
   * account still bound to this employee. One bound to no one (unbound since, or never) is refused, with no adoption
   * by the stage's rule or an operator: it is held `bound_elsewhere`, which no confirmation overrides.
   */
  restores?: boolean;
}): AccountDecision {
  const { employeeId, runId, account, policy, confirmations } = input;
  const label = `${account.system} account ${account.address}`;
  if (input.restores && account.boundTo !== employeeId) {
    return {
      ok: false,
      hold: 'bound_elsewhere',
      message:
        account.boundTo === undefined
          ? `the ${label} is bound to no employee (its binding was removed since the step that is undone ran, or it never had one): a restore puts back only on an account still bound to employee ${employeeId}, and adopts none; nothing was changed on it: restore it by hand if it is theirs`
          : `the ${label} belongs to employee ${account.boundTo}, not to employee ${employeeId}: a restore puts nothing back on it; nothing was changed on it`,
    };
  }
  // Protected first: whoever the event says it belongs to, an admin is not locked out without an operator's word.
  if (input.removes) {
    const reason = protectedBecause(account, policy);
    if (reason && !confirmedFor(confirmations, account, 'protected')) {
      return {
        ok: false,
        hold: 'protected',
        message: `protected account: the ${label} is ${reason}; a run does not take its access away without an operator's confirmation naming it: ${confirmHint(runId, account, 'protected')}`,
      };
    }
  }
  if (account.boundTo !== undefined && account.boundTo !== employeeId) {
    return { ok: false, hold: 'bound_elsewhere', message: `the ${label} belongs to employee ${account.boundTo}, not to employee ${employeeId}: nothing was changed on it` };
  }
  let adopt: 'operator' | 'stage' | undefined;
  if (account.boundTo === undefined) {
    const domain = (account.domain ?? account.address.split('@')[1])?.toLowerCase();
    if (confirmedFor(confirmations, account, 'adopt')) adopt = 'operator';
    // The stage adopts only for a step that grants or restores, and never a protected account: a forged termination
    // naming an unbound colleague must not bind that colleague to its id and cut them off.
    else if (
      !input.removes &&
      !protectedBecause(account, policy) &&
      ((domain && policy.adoptUnbound.domains.some((d) => d.toLowerCase() === domain)) || underOrgUnit(account.orgUnitPath, policy.adoptUnbound.orgUnits))
    ) {
      adopt = 'stage';
    }
    else {
      return {
        ok: false,
        hold: 'unbound',
        message: `the ${label} is bound to no employee (made before this system or by hand): nothing was changed on it; if it is employee ${employeeId}'s, adopt it: ${confirmHint(runId, account, 'adopt')}`,
      };
    }
  }
  return adopt ? { ok: true, adopt } : { ok: true };
}
