/**
 * Whose Google account it is: the employee id an account carries (externalIds of type organization), the account
 * bound to an employee, binding an adopted account, and the check every Google action runs before it touches one.
 */
import type { admin_directory_v1 } from '@googleapis/admin';
import type { BoundAccount } from '../../engine/model';
import type { ActionRequest } from '../../engine/ports';
import type { GoogleClients } from '../../providers/google/google-clients';
import { GOOGLE_SCOPE } from '../../providers/google/google-scopes';
import { google, googleErrorInfo, googleFailure } from '../../providers/google/google-errors';
import { decideAccount, DEFAULT_ACCOUNT_POLICY, type FoundAccount } from '../account-policy';
import { accountCheck, AccountHoldError, provider, type AccountCheck, type ActionContext, type CheckedAccount } from '../define-action';
import { findGoogleUser, googleAddress, notApplied } from './google-user';

type User = admin_directory_v1.Schema$User;
type ExternalId = { type?: string; value?: string; customType?: string };

/** The externalIds type that carries the HR employee id, as Google's own HR sync uses it. */
export const EMPLOYEE_ID_TYPE = 'organization';

const externalIds = (user: User): ExternalId[] => (Array.isArray(user.externalIds) ? (user.externalIds as ExternalId[]) : []);

/** The employee id an account carries: this employee's if it is among them, else the first, else none. */
export function boundEmployeeId(user: User, employeeId?: string): string | undefined {
  const ids = externalIds(user).filter((x) => x.type === EMPLOYEE_ID_TYPE && x.value);
  return (ids.find((x) => x.value === employeeId) ?? ids[0])?.value ?? undefined;
}

export const isBoundTo = (user: User, employeeId: string) => boundEmployeeId(user, employeeId) === employeeId;

/** The account bound to this employee, by the id it carries. The search index may lag an insert; callers that just made one read it by address too. */
export async function accountBoundTo(g: GoogleClients, employeeId: string): Promise<User | undefined> {
  const query = /^[\w.-]+$/.test(employeeId) ? `externalId:${employeeId}` : `externalId:'${employeeId.replace(/'/g, '')}'`;
  const page = await google(`looking for the Google account of employee ${employeeId}`, () =>
    g.directory.users.list({ customer: g.config.customerId, query, projection: 'full', maxResults: 10 }),
  );
  return (page.data.users ?? []).find((u) => isBoundTo(u, employeeId));
}

/** Binds an adopted account to the employee id (keeping its other external ids) and reads the binding back. */
export async function bindAccount(g: GoogleClients, user: User, employeeId: string): Promise<User> {
  const address = user.primaryEmail ?? '';
  const kept = externalIds(user).filter((x) => !(x.type === EMPLOYEE_ID_TYPE && x.value === employeeId));
  await google(`binding ${address} to employee ${employeeId}`, () =>
    g.directory.users.patch({ userKey: user.id ?? address, requestBody: { externalIds: [...kept, { type: EMPLOYEE_ID_TYPE, value: employeeId }] } }),
  );
  const after = await findGoogleUser(g, user.id ?? address);
  if (!after || !isBoundTo(after, employeeId)) throw notApplied(`binding ${address} to employee ${employeeId}`, 'users.get does not show the employee id');
  return after;
}

/** Whether these clients may change users (the binding is a users.patch): a read-only action adopts without writing. */
const canWriteUsers = (g: GoogleClients) => !g.scopes || g.scopes.includes(GOOGLE_SCOPE.user);

/** What the account policy decides on. */
export function foundGoogleAccount(user: User, employeeId: string): FoundAccount {
  return {
    system: 'google',
    address: (user.primaryEmail ?? '').toLowerCase(),
    boundTo: boundEmployeeId(user, employeeId),
    adminRole: user.isAdmin ? 'a super admin' : user.isDelegatedAdmin ? 'a delegated admin' : undefined,
    orgUnitPath: user.orgUnitPath ?? '/',
  };
}

export function boundGoogleAccount(user: User, boundBy: BoundAccount['boundBy']): BoundAccount {
  return { system: 'google', address: (user.primaryEmail ?? '').toLowerCase(), accountId: user.id ?? undefined, state: user.suspended ? 'suspended' : 'active', boundBy };
}

/**
 * The employee's account at the event's address, checked: bound to this employee id (or adopted now, by an
 * operator's confirmation or the stage's rule), and, for a step that takes access away, not protected unless an
 * operator confirmed it. Undefined when Google has no account there and the employee has none elsewhere.
 */
export async function checkedGoogleAccount(ctx: ActionContext, request: ActionRequest, removes: boolean): Promise<{ user: User; account: BoundAccount } | undefined> {
  const g = provider(ctx, 'google');
  const address = googleAddress(request);
  const employeeId = request.employee.id;
  const user = await findGoogleUser(g, address);
  if (!user) {
    // Nothing at this address: if the employee's own account is elsewhere, the event names the wrong one.
    const own = await accountBoundTo(g, employeeId);
    if (own) {
      throw new AccountHoldError(
        `employee ${employeeId}'s Google account is ${own.primaryEmail}, but the event names ${address}: nothing was changed; send the employee's address in an HR event`,
        'address_mismatch',
      );
    }
    return undefined;
  }
  const decision = decideAccount({
    employeeId,
    runId: request.runId,
    account: foundGoogleAccount(user, employeeId),
    policy: ctx.accountPolicy?.() ?? DEFAULT_ACCOUNT_POLICY,
    confirmations: request.confirmedAccounts,
    removes,
  });
  if (!decision.ok) throw new AccountHoldError(decision.message, decision.hold, { system: 'google', account: address });
  if (decision.adopt) {
    // Written by a step allowed to change users; one that may only read them acts on the adoption without writing it.
    const bound = canWriteUsers(g) ? await bindAccount(g, user, employeeId) : user;
    return { user: bound, account: boundGoogleAccount(user, 'adopted') };
  }
  return { user, account: boundGoogleAccount(user, 'binding') };
}

/**
 * The account's user as its check read it a moment ago (projection full), so an action spends no second users.get
 * on it: a leaver's lockout is a few Google calls, and this is one of them per step. None when the check found no
 * account (`null`): a second look could find one made since, which no check has seen. Read here only for an action
 * run without its check.
 */
export async function checkedUser(g: GoogleClients, email: string, checked: CheckedAccount | null | undefined): Promise<User | undefined> {
  if (checked === null) return undefined;
  const read = checked?.account.system === 'google' ? (checked.read as User | undefined) : undefined;
  return read ?? findGoogleUser(g, email);
}

/**
 * The manager a leaver's mail, files or calendar go to must be an active account of the domain and not the
 * leaver: otherwise the step holds for an operator instead of handing anything to the address the event named.
 */
export async function checkBeneficiary(g: GoogleClients, request: ActionRequest, leaver: User | undefined): Promise<string> {
  const employeeId = request.employee.id;
  const manager = request.employee.managerEmail?.trim().toLowerCase();
  const hold = (why: string) => new AccountHoldError(`employee ${employeeId}'s managerEmail ${why}: nothing was handed over; send the right manager in an HR event, then retry, or skip this step`, 'beneficiary');
  if (!manager) throw hold('is missing');
  let user: User | undefined;
  try {
    user = (await g.directory.users.get({ userKey: manager, projection: 'basic' })).data;
  } catch (err) {
    // 404: no such account; 403: an address of a domain the customer does not own; 412: deleted.
    const status = googleErrorInfo(err).status;
    if (status === 404 || status === 403 || status === 412) throw hold(`${manager} is no account of the domain`);
    throw googleFailure(err, `reading the manager ${manager}`);
  }
  if ((leaver?.id && user.id === leaver.id) || manager === leaver?.primaryEmail?.toLowerCase() || manager === request.employee.email?.toLowerCase()) throw hold(`${manager} is the leaver's own account`);
  if (user.suspended) throw hold(`${manager} is suspended`);
  if (user.archived) throw hold(`${manager} is archived`);
  // Locked out with their own termination, though still active until its suspension: the dispatcher knows, Google does not.
  const leaving = request.managerLeaving;
  if (leaving) throw hold(`${manager} is leaving too (employee ${leaving.employeeId}, run ${leaving.runId}, last day ${leaving.effectiveDate})`);
  // users.get takes an alias too: the primary address is the one Gmail and Drive take.
  return (user.primaryEmail ?? manager).toLowerCase();
}

/**
 * The account check of a Google action: `removes` for a step that takes access away (held on a protected account),
 * `beneficiary` for one that hands the leaver's mail, files or calendar to the manager.
 */
export function googleAccount(options: { removes?: boolean; beneficiary?: boolean } = {}): AccountCheck {
  const summary = [
    'the Google account bound to the employee id',
    options.removes ? 'held when protected, and when unbound until an operator adopts it' : 'an unbound one adopted by the stage rule or an operator',
    ...(options.beneficiary ? ['the manager must be an active account of the domain'] : []),
  ].join('; ');
  return accountCheck(summary, async (ctx, request) => {
    const checked = await checkedGoogleAccount(ctx, request, options.removes ?? false);
    // A check-again of a handover already started (a transfer in progress) is not held: it was checked when it began.
    if (!checked) return undefined;
    const beneficiary = options.beneficiary && !request.progress ? await checkBeneficiary(provider(ctx, 'google'), request, checked.user) : undefined;
    return { account: checked.account, read: checked.user, ...(beneficiary ? { beneficiary } : {}) };
  });
}
