/**
 * Whose Nextcloud user it is. Nextcloud has no external id, and a user id can never change: the user a run makes has
 * the employee id as its user id, which binds it to the employee for good. A user found at the company address under
 * another id (made by hand, or before this system) is bound to no one: a step that grants asks the stage's adoption
 * rule or an operator (account-policy), a step that takes access away is held until an operator adopts it for the run,
 * and a restore never acts on it; the stage's rule never adopts a disabled one. An admin (in the `admin` group) or a
 * group admin (subadmin) is protected.
 */
import type { BoundAccount } from '../../engine/model';
import type { ActionRequest } from '../../engine/ports';
import type { NextcloudProvider } from '../../providers/providers';
import { ProviderError } from '../../providers/provider-error';
import type { NextcloudUser } from '../../providers/nextcloud/nextcloud-client';
import { nextcloudProviderError } from '../../providers/nextcloud/nextcloud-errors';
import { decideAccount, DEFAULT_ACCOUNT_POLICY } from '../account-policy';
import { accountCheck, AccountHoldError, provider, type AccountCheck, type ActionContext, type CheckedAccount } from '../define-action';
import { providerCall } from '../provider-call';
import { priorityOfStep } from '../step-priority';
import * as z from '../../shared/zod';

/** The characters Nextcloud allows in a user id. */
const USER_ID = /^[a-zA-Z0-9 _.@\-']+$/;

/** The Nextcloud provider with its requests taking from the budget as the step's class. */
export function nextcloudFor(ctx: ActionContext, request: Pick<ActionRequest, 'action' | 'priority'>): NextcloudProvider {
  const nextcloud = provider(ctx, 'nextcloud');
  return { ...nextcloud, client: nextcloud.client.withPriority(priorityOfStep(request)) };
}

/** The user id a run gives the employee: their employee id. */
export function nextcloudUserId(request: ActionRequest): string {
  const id = request.employee.id;
  if (!USER_ID.test(id) || id.length > 64) throw new ProviderError(`employee id ${JSON.stringify(id)} is not a Nextcloud user id (letters, digits, space, _ . @ - ' and at most 64 characters): no Nextcloud user can be bound to it`, false);
  return id;
}

export function nextcloudEmail(request: ActionRequest): string {
  const email = request.employee.email;
  if (!email) throw new ProviderError(`employee ${request.employee.id} has no email in the HR event: Nextcloud needs one for the welcome mail`, false);
  return email.toLowerCase();
}

/** The user the account check found, as Nextcloud answered it. */
export function checkedUser(checked: CheckedAccount | null | undefined): NextcloudUser | undefined {
  return checked?.account.system === 'nextcloud' ? (checked.read as NextcloudUser | undefined) : undefined;
}

export const nextcloudAccountOf = (user: NextcloudUser, boundBy: BoundAccount['boundBy']): BoundAccount => ({
  system: 'nextcloud',
  address: (user.email ?? user.id).toLowerCase(),
  accountId: user.id,
  state: user.enabled ? 'active' : 'suspended',
  boundBy,
});

/** Runs a Nextcloud call, every failure as a ProviderError (429/5xx retryable, other 4xx not). */
export function nextcloudCall<T>(run: () => Promise<T>, progress?: () => Record<string, unknown> | undefined): Promise<T> {
  return providerCall(run, nextcloudProviderError, progress);
}

/** Group names as a role gives them. */
export const groupsParam = z.array(z.string().check(z.minLength(1)));

/**
 * The account check of a Nextcloud action: the user whose id is the employee id, else the one at the company address
 * (unbound). `removes` for a step that takes access away; `restores` for a restore (no look when nothing was recorded).
 */
export function nextcloudAccount(options: { removes?: boolean; restores?: (params: Record<string, unknown>) => boolean } = {}): AccountCheck {
  const summary = `the Nextcloud user whose user id is the employee id, else one at the company address (bound to no one); ${
    options.restores
      ? 'refused unless it is the employee id user; no look when nothing was recorded'
      : options.removes
        ? 'held when an admin or group admin, and when unbound until an operator adopts it; two at the address refused'
        : 'an unbound one used only when the stage rule (never a disabled one) or an operator adopts it; two at the address refused'
  }`;
  return accountCheck(summary, (ctx, request) =>
    nextcloudCall(async () => {
      if (options.restores && !options.restores(request.params)) return undefined;
      const { client } = nextcloudFor(ctx, request);
      const userId = nextcloudUserId(request);
      // Nextcloud finds a user id whatever its case: one whose id differs from the employee id only in case is not bound.
      const bound = await client.getUser(userId);
      if (bound) return checkedAs(ctx, request, bound, options);
      if (!request.employee.email) return undefined;
      const users = await client.usersByEmail(request.employee.email);
      // Two users at one address: which one is the employee's is not for a step (or an adoption by address) to guess.
      if (users.length > 1) throw new ProviderError(`Nextcloud users ${users.map((u) => u.id).join(', ')} all have the address ${request.employee.email.toLowerCase()}, and none has the employee id ${request.employee.id} as its user id: give the one that is not theirs another email in Nextcloud; nothing was changed`, false);
      const [user] = users;
      return user ? checkedAs(ctx, request, user, options) : undefined;
    }),
  );
}

/** The user as the step may use it: held (an AccountHoldError) when the policy says so, else bound or adopted. */
function checkedAs(ctx: ActionContext, request: ActionRequest, user: NextcloudUser, options: { removes?: boolean; restores?: unknown }): CheckedAccount {
  const decision = hold(ctx, request, user, options);
  // A disabled user at the address is most likely a leaver's, whose address went to this employee: the stage's
  // rule does not hand it (and its files) over; an operator who knows whose it is may.
  if (decision.adopt === 'stage' && !user.enabled) {
    const address = (user.email ?? user.id).toLowerCase();
    throw new AccountHoldError(
      `the nextcloud account ${address} (Nextcloud user ${user.id}) is disabled and bound to no employee: likely a leaver's whose address was given again; the stage's rule does not adopt it; nothing was changed on it; if it is employee ${request.employee.id}'s, adopt it: POST /v1/runs/${request.runId}/confirm-account {"system":"nextcloud","account":"${address}","confirms":"adopt"}`,
      'unbound',
      { system: 'nextcloud', account: address },
    );
  }
  return { account: nextcloudAccountOf(user, decision.adopt ? 'adopted' : 'binding'), read: user };
}

function hold(ctx: ActionContext, request: ActionRequest, user: NextcloudUser, options: { removes?: boolean; restores?: unknown }) {
  const policy = ctx.accountPolicy?.() ?? DEFAULT_ACCOUNT_POLICY;
  const address = (user.email ?? user.id).toLowerCase();
  const decision = decideAccount({
    employeeId: request.employee.id,
    runId: request.runId,
    // Bound only by its id: a user whose id is not the employee id carries no employee's id.
    account: { system: 'nextcloud', address, boundTo: user.id === request.employee.id ? request.employee.id : undefined, ...(adminRoleOf(user) ? { adminRole: adminRoleOf(user) } : {}) },
    policy,
    confirmations: request.confirmedAccounts,
    removes: options.removes ?? false,
    restores: options.restores !== undefined,
  });
  // The message names the address; the user id tells an operator which Nextcloud user it is.
  if (!decision.ok) throw new AccountHoldError(user.id === request.employee.id ? decision.message : `${decision.message} (Nextcloud user ${user.id})`, decision.hold, { system: 'nextcloud', account: address });
  return decision;
}

/** Why a user is protected by its Nextcloud role: in the `admin` group, or a group admin (subadmin) of some group. */
function adminRoleOf(user: NextcloudUser): string | undefined {
  if (user.groups?.includes('admin')) return 'a Nextcloud admin';
  if (user.subadmin?.length) return `a Nextcloud group admin (subadmin) of ${user.subadmin.join(', ')}`;
  return undefined;
}

/** The groups Nextcloud does not have (checked before any change), each looked for by its id, not by listing all. */
export async function missingGroups(provider: NextcloudProvider, wanted: readonly string[]): Promise<string[]> {
  const missing: string[] = [];
  for (const g of new Set(wanted)) if (!(await provider.client.groupExists(g))) missing.push(g);
  return missing;
}
