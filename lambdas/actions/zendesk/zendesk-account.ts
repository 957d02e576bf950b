/**
 * Whose Zendesk user it is: the employee id it carries as its external_id, and the check every Zendesk action runs
 * before it touches an existing user (the same rules as Google's and Connect's, from account-policy). Found by
 * external_id first, then by the company address.
 */
import type { BoundAccount } from '../../engine/model';
import type { ActionRequest } from '../../engine/ports';
import type { ZendeskProvider } from '../../providers/providers';
import { ProviderError } from '../../providers/provider-error';
import type { ZendeskClient, ZendeskUser } from '../../providers/zendesk/zendesk-client';
import { zendeskProviderError, ZendeskVerificationError } from '../../providers/zendesk/zendesk-errors';
import { decideAccount, DEFAULT_ACCOUNT_POLICY } from '../account-policy';
import { accountCheck, AccountHoldError, provider, type AccountCheck, type ActionContext, type CheckedAccount } from '../define-action';
import { providerCall } from '../provider-call';
import { priorityOfStep } from '../step-priority';

/** Each step's own client (keyed by the step's request, which its account check and its run share): one wait budget a step. */
const stepClients = new WeakMap<ZendeskClient, WeakMap<object, ZendeskClient>>();

/** The Zendesk provider with its requests taking from the budget as the step's class, and the step's wait budget. */
export function zendeskFor(ctx: ActionContext, request: Pick<ActionRequest, 'action' | 'priority'>): ZendeskProvider & { client: ZendeskClient } {
  const zendesk = provider(ctx, 'zendesk');
  const ofProvider = stepClients.get(zendesk.client) ?? stepClients.set(zendesk.client, new WeakMap()).get(zendesk.client)!;
  let client = ofProvider.get(request);
  if (!client) ofProvider.set(request, (client = zendesk.client.forStep(priorityOfStep(request))));
  return { ...zendesk, client };
}

/** The company address the user is looked for by (and created with). */
export function zendeskEmail(request: ActionRequest): string {
  const email = request.employee.email;
  if (!email) throw new ProviderError(`employee ${request.employee.id} has no email in the HR event: no Zendesk user to look for`, false);
  return email.toLowerCase();
}

/** The user the account check found, as Zendesk answered it. */
export function checkedUser(checked: CheckedAccount | null | undefined): ZendeskUser | undefined {
  return checked?.account.system === 'zendesk' ? (checked.read as ZendeskUser | undefined) : undefined;
}

export const zendeskAccountOf = (user: ZendeskUser, boundBy: BoundAccount['boundBy']): BoundAccount => ({
  system: 'zendesk',
  address: (user.email ?? '').toLowerCase(),
  accountId: String(user.id),
  state: user.suspended ? 'suspended' : 'active',
  boundBy,
});

/** Runs a Zendesk call, every failure as a ProviderError (429/5xx retryable, other 4xx not). */
export function zendeskCall<T>(run: () => Promise<T>, progress?: () => Record<string, unknown> | undefined): Promise<T> {
  return providerCall(run, zendeskProviderError, progress);
}

/**
 * The account check of a Zendesk action; `removes` for one that takes access away (held on a protected user);
 * `restores` for a restore: whether the step's params record anything to put back (nothing: no look at all), and
 * the user must still be bound to the employee (one unbound since is refused, never adopted).
 */
export function zendeskAccount(options: { removes?: boolean; restores?: (params: Record<string, unknown>) => boolean } = {}): AccountCheck {
  const summary = `the Zendesk user whose external_id is the employee id, else the one at the company address; ${
    options.restores
      ? 'refused unless still bound to the employee (none adopted); no look when nothing was recorded'
      : options.removes
        ? 'held when protected (an admin), and when unbound until an operator adopts it'
        : 'an unbound one adopted by the stage rule or an operator'
  }`;
  return accountCheck(summary, (ctx, request) =>
    zendeskCall(async () => {
      if (options.restores && !options.restores(request.params)) return undefined;
      const { client } = zendeskFor(ctx, request);
      const employeeId = request.employee.id;
      const bound = await client.userByExternalId(employeeId);
      if (bound) {
        if (options.removes) hold(ctx, request, bound, options);
        return { account: zendeskAccountOf(bound, 'binding'), read: bound };
      }
      const email = zendeskEmail(request);
      const [user] = await client.usersByEmail(email);
      if (!user) return undefined;
      const decision = hold(ctx, request, user, options);
      let read = user;
      if (decision.adopt) {
        await client.updateUser(user.id, { external_id: employeeId });
        const after = await client.showUser(user.id);
        if (after?.external_id !== employeeId) throw new ZendeskVerificationError(`binding Zendesk user ${user.id} to employee ${employeeId} did not take effect: its external_id reads ${JSON.stringify(after?.external_id ?? null)}`);
        read = after;
      }
      return { account: zendeskAccountOf(read, decision.adopt ? 'adopted' : 'binding'), read };
    }),
  );
}

function hold(ctx: ActionContext, request: ActionRequest, user: ZendeskUser, options: { removes?: boolean; restores?: unknown }) {
  const policy = ctx.accountPolicy?.() ?? DEFAULT_ACCOUNT_POLICY;
  const address = (user.email ?? String(user.id)).toLowerCase();
  const decision = decideAccount({
    employeeId: request.employee.id,
    runId: request.runId,
    account: { system: 'zendesk', address, boundTo: user.external_id ?? undefined, ...(user.role === 'admin' ? { adminRole: 'a Zendesk admin' } : {}) },
    policy,
    confirmations: request.confirmedAccounts,
    removes: options.removes ?? false,
    restores: options.restores !== undefined,
  });
  if (!decision.ok) throw new AccountHoldError(decision.message, decision.hold, { system: 'zendesk', account: address });
  return decision;
}
