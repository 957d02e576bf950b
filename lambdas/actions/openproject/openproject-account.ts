/**
 * Whose OpenProject user it is. OpenProject users have no external id: the stage names a user custom field
 * (`openproject.employeeIdField`, "Employee ID", a text field only admins see) and a user whose field holds the
 * employee id is that employee's. A run writes the field on the user it makes or adopts. The user is looked for at
 * the employee's email, the company address else the personal one (OpenProject keeps emails unique) and at the login the username rules give. A user at the
 * email whose field holds another employee id is bound elsewhere and never acted on; one whose field is empty is
 * bound to no one: a step that grants asks the stage's adoption rule or an operator (account-policy), a step that
 * takes access away is held until an operator adopts it for the run, and a restore never acts on it. A user at the
 * login alone with another email is someone else: a new user takes the next free login (`alovelace2`). An
 * administrator is protected.
 */
import type { BoundAccount } from '../../engine/model';
import type { ActionRequest } from '../../engine/ports';
import { baseUsername, UsernameError } from '../../engine/username';
import type { OpenProjectProvider } from '../../providers/providers';
import { ProviderError } from '../../providers/provider-error';
import type { OpenProjectUser } from '../../providers/openproject/openproject-client';
import { openProjectProviderError } from '../../providers/openproject/openproject-errors';
import { decideAccount, DEFAULT_ACCOUNT_POLICY } from '../account-policy';
import { accountCheck, AccountHoldError, provider, type AccountCheck, type ActionContext, type CheckedAccount } from '../define-action';
import { providerCall } from '../provider-call';
import { priorityOfStep } from '../step-priority';
import * as z from '../../shared/zod';

/** What OpenProject takes as a login: at most 256 characters, no control characters; the rules give a–z and digits. */
export const LOGIN = /^[A-Za-z0-9_.@+-]{1,256}$/;

/** A login as a step's params name it (a member task may set one); else the username rules' for the employee. */
export const loginParam = z.string().check(z.regex(LOGIN, 'a login: letters, digits and _ . @ + -'));

/** The OpenProject provider with its requests taking from the budget as the step's class. */
export function openProjectFor(ctx: ActionContext, request: Pick<ActionRequest, 'action' | 'priority'>): OpenProjectProvider {
  const op = provider(ctx, 'openproject');
  return { ...op, client: op.client.withPriority(priorityOfStep(request)) };
}

/**
 * The login a new user gets: the step's `login`; else the employee's username in the company directory, the local
 * part of their company address (`ada.lovelace`), which the username rules made when HR sent none; else the rules'
 * base for their name (`alovelace`), as the Google account made in the same run gets it.
 */
export function openProjectLogin(request: ActionRequest): string {
  const given = request.params.login;
  if (typeof given === 'string' && given) return given;
  const local = request.employee.email?.slice(0, request.employee.email.lastIndexOf('@')).toLowerCase();
  if (local && LOGIN.test(local)) return local;
  try {
    return baseUsername({ firstName: request.employee.firstName, lastName: request.employee.lastName, personalEmail: request.employee.personalEmail });
  } catch (err) {
    if (err instanceof UsernameError) throw new ProviderError(`no OpenProject login can be made for employee ${request.employee.id}: ${err.message} (${err.field})`, false);
    throw err;
  }
}

/** The address the invitation goes to: the company address, else the personal one (a newcomer with no company mail). */
export function openProjectEmail(request: ActionRequest): string {
  const email = request.employee.email ?? request.employee.personalEmail;
  if (!email) throw new ProviderError(`employee ${request.employee.id} has no email nor personal email in the event: OpenProject needs one for the invitation`, false);
  return email.toLowerCase();
}

/** The employee id a user is bound to (its custom field), or undefined. */
export function boundEmployee(user: OpenProjectUser, field: string): string | undefined {
  const value = user[field as `customField${number}`];
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

/** The user the account check found, as OpenProject answered it. */
export function checkedUser(checked: CheckedAccount | null | undefined): OpenProjectUser | undefined {
  return checked?.account.system === 'openproject' ? (checked.read as OpenProjectUser | undefined) : undefined;
}

export const openProjectAccountOf = (user: OpenProjectUser, boundBy: BoundAccount['boundBy']): BoundAccount => ({
  system: 'openproject',
  address: (user.email ?? user.login).toLowerCase(),
  accountId: String(user.id),
  state: user.status === 'locked' ? 'suspended' : 'active',
  boundBy,
});

/** Runs an OpenProject call, every failure as a ProviderError (429/5xx/409 retryable, other 4xx not). */
export function openProjectCall<T>(run: () => Promise<T>, progress?: () => Record<string, unknown> | undefined): Promise<T> {
  return providerCall(run, openProjectProviderError, progress);
}

/** The employee's user: the one bound to them at the email or the login, else the one at the email (bound to no one or elsewhere). */
export async function findOpenProjectUser(op: OpenProjectProvider, request: ActionRequest): Promise<{ user: OpenProjectUser; bound: boolean } | undefined> {
  const email = request.employee.email ?? request.employee.personalEmail;
  const atEmail = email ? await op.client.usersByEmail(email) : [];
  let login: string | undefined;
  try {
    login = openProjectLogin(request);
  } catch {
    login = undefined;
  }
  const atLogin = login ? await op.client.userByLogin(login) : undefined;
  const all = [...atEmail, ...(atLogin ? [atLogin] : [])];
  const mine = all.find((u) => boundEmployee(u, op.employeeIdField) === request.employee.id);
  if (mine) return { user: mine, bound: true };
  return atEmail[0] ? { user: atEmail[0], bound: false } : undefined;
}

/**
 * The account check of an OpenProject action. `removes` for a step that takes access away; `restores` for a restore
 * (no look when nothing was recorded).
 */
export function openProjectAccount(options: { removes?: boolean; restores?: (params: Record<string, unknown>) => boolean } = {}): AccountCheck {
  const summary = `the OpenProject user whose employee id field holds the employee id (at their email or login), else the one at their email; ${
    options.restores
      ? 'refused unless bound to the employee; no look when nothing was recorded'
      : options.removes
        ? 'held when an administrator, and when unbound until an operator adopts it; one bound to another employee never touched'
        : 'an unbound one used only when the stage rule or an operator adopts it; one bound to another employee never touched'
  }`;
  return accountCheck(summary, (ctx, request) =>
    openProjectCall(async () => {
      if (options.restores && !options.restores(request.params)) return undefined;
      const op = openProjectFor(ctx, request);
      const found = await findOpenProjectUser(op, request);
      if (!found) return undefined;
      const decision = hold(ctx, request, found.user, op.employeeIdField, options);
      return { account: openProjectAccountOf(found.user, found.bound ? 'binding' : decision.adopt ? 'adopted' : 'binding'), read: found.user };
    }),
  );
}

function hold(ctx: ActionContext, request: ActionRequest, user: OpenProjectUser, field: string, options: { removes?: boolean; restores?: unknown }) {
  const policy = ctx.accountPolicy?.() ?? DEFAULT_ACCOUNT_POLICY;
  const address = (user.email ?? user.login).toLowerCase();
  const decision = decideAccount({
    employeeId: request.employee.id,
    runId: request.runId,
    account: { system: 'openproject', address, boundTo: boundEmployee(user, field), ...(user.admin ? { adminRole: 'an OpenProject administrator' } : {}) },
    policy,
    confirmations: request.confirmedAccounts,
    removes: options.removes ?? false,
    restores: options.restores !== undefined,
  });
  if (!decision.ok) throw new AccountHoldError(decision.message, decision.hold, { system: 'openproject', account: address });
  return decision;
}
