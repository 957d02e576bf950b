/**
 * Whose Amazon Connect agent it is: the employee id it carries in its `lifecycle:employee-id` tag, and the check every
 * Connect action runs before it touches an existing agent (the same rules as Google's, from account-policy).
 */
import { TagResourceCommand, type User, type UserSummary } from '@aws-sdk/client-connect';
import type { BoundAccount } from '../../engine/model';
import type { ActionRequest } from '../../engine/ports';
import { describeAgent, findUserByUsernameCached } from '../../providers/connect/agent';
import { connectErrorToProviderFailure } from '../../providers/connect/connect-errors';
import { CONNECT_EMPLOYEE_TAG } from '../../providers/connect/employee-tag';
import { decideAccount, DEFAULT_ACCOUNT_POLICY } from '../account-policy';
import { accountCheck, AccountHoldError, provider, type AccountCheck, type ActionContext, type CheckedAccount } from '../define-action';
import type { ConnectProvider } from '../../providers/providers';
import { connectForPriority } from '../../providers/connect/connect-provider';
import { asConnectStep } from '../../providers/connect/connect-budget';
import { priorityOfStep } from '../step-priority';
import { ProviderError } from '../../providers/provider-error';
import { budgetWaitOf } from '../../providers/rate-limited-fetch';

/** The agent's username: the local part of the company address, or the whole address where the playbook says so. */
export function connectUsername(request: ActionRequest): string {
  const email = request.employee.email;
  if (!email) throw new ProviderError(`employee ${request.employee.id} has no email in the HR event: no Connect username to look for`, false);
  return request.params.username === 'email' ? email.toLowerCase() : email.split('@')[0].toLowerCase();
}

/**
 * The Connect provider as the step takes from the Connect budget: the class of the step it serves, so its account
 * check and its own calls are served `lockout` first (docs/engine.md, "The Connect budget").
 */
export function connectFor(ctx: ActionContext, request: Pick<ActionRequest, 'action' | 'priority'>): ConnectProvider {
  return connectForPriority(provider(ctx, 'connect'), priorityOfStep(request));
}

/** What DescribeUser answered for the agent in this step's account check: the removal snapshots it rather than asking again. */
export function checkedAgentDescription(checked: CheckedAccount | null | undefined): User | undefined {
  return checked?.account.system === 'connect' ? (checked.read as User | undefined) : undefined;
}

/** The agent the account check found, as ListUsers would name it: the action need not list the users again. */
export function checkedAgent(checked: CheckedAccount | null | undefined): UserSummary | undefined {
  const account = checked?.account;
  return account?.system === 'connect' && account.accountId ? { Id: account.accountId, Username: account.address } : undefined;
}

/** The tags a new agent carries so later steps know it as this employee's. */
export const employeeTags = (employeeId: string): Record<string, string> => ({ [CONNECT_EMPLOYEE_TAG]: employeeId });

async function connectCall<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof ProviderError) throw err;
    // Not a failure: the step comes back when the budget's turn is due (runAction answers "check again then").
    const wait = budgetWaitOf(err);
    if (wait) throw wait;
    const failure = connectErrorToProviderFailure(err);
    throw new ProviderError(failure.message, failure.retryable, failure.providerAnswer);
  }
}

/** The account check of a Connect action; `removes` for one that takes access away (held on a protected agent). */
export function connectAccount(options: { removes?: boolean } = {}): AccountCheck {
  const summary = `the Connect agent of the username, tagged with the employee id; ${options.removes ? 'held when protected, and when untagged until an operator adopts it' : 'an untagged one adopted by the stage rule or an operator'}`;
  return accountCheck(summary, (ctx, request) => asConnectStep(request, async () => {
    const { client, instanceId } = connectFor(ctx, request);
    const username = connectUsername(request);
    const employeeId = request.employee.id;
    // The container's recent list of users names the agent (one ListUsers for a whole layoff); DescribeUser confirms it.
    const agent: User | undefined = await connectCall(async () => {
      const out = await findUserByUsernameCached(client, instanceId, username, async (found) => {
        const user = await describeAgent(client, instanceId, found.Id!);
        return user?.Username?.toLowerCase() === username.toLowerCase() ? user : undefined;
      });
      return out?.confirmed;
    });
    if (!agent?.Id) return undefined;
    const email = agent.IdentityInfo?.Email?.toLowerCase();
    const policy = ctx.accountPolicy?.() ?? DEFAULT_ACCOUNT_POLICY;
    const decision = decideAccount({
      employeeId,
      runId: request.runId,
      // A protected address protects the agent that carries it too.
      account: { system: 'connect', address: username, // The agent's own address decides a domain rule, never the address the event names.
      domain: email?.split('@')[1] ?? '', boundTo: agent.Tags?.[CONNECT_EMPLOYEE_TAG], ...(email && policy.protected.addresses.includes(email) ? { adminRole: `the agent of the protected address ${email}` } : {}) },
      policy,
      confirmations: request.confirmedAccounts,
      removes: options.removes ?? false,
    });
    if (!decision.ok) throw new AccountHoldError(decision.message, decision.hold, { system: 'connect', account: username });
    let adopted: User | undefined;
    if (decision.adopt) {
      await connectCall(() => client.send(new TagResourceCommand({ resourceArn: agent.Arn, tags: employeeTags(employeeId) })));
      const after = await connectCall(() => describeAgent(client, instanceId, agent.Id!));
      if (after?.Tags?.[CONNECT_EMPLOYEE_TAG] !== employeeId) throw new ProviderError(`binding Connect agent ${username} to employee ${employeeId} did not take effect: DescribeUser shows no tag`, true);
      adopted = after;
    }
    const account: BoundAccount = { system: 'connect', address: username, accountId: agent.Id, state: 'active', boundBy: decision.adopt ? 'adopted' : 'binding' };
    return { account, read: adopted ?? agent };
  }));
}
