/**
 * Whose SCIM user it is: the employee id in its `externalId` (RFC 7643 §3.1, "an identifier for the resource as
 * defined by the provisioning client"), and the check every SCIM action runs before it touches an existing user
 * (the same rules as Google's and Connect's, from account-policy). Also the group membership steps the actions share.
 */
import * as z from '../../shared/zod';
import type { ActionRequest } from '../../engine/ports';
import type { BoundAccount } from '../../engine/model';
import { decideAccount, DEFAULT_ACCOUNT_POLICY } from '../account-policy';
import { accountCheck, AccountHoldError, provider, type AccountCheck, type ActionContext, type CheckedAccount } from '../define-action';
import { priorityOfStep } from '../step-priority';
import { ProviderError } from '../../providers/provider-error';
import { ScimError, type ScimClient, type ScimGroup, type ScimUser } from '../../providers/scim/scim-client';

/** The app a step acts in: a name from the stage's scimApps. */
export const appParam = z.string().check(z.minLength(1));
/** Group display names, as the role's `SCIM groups` names them. */
export const groupsParam = z.array(z.string().check(z.minLength(1)));

/** A group membership as recorded for a restore: the group's id and the name it had. */
export const recordedGroupSchema = z.object({ id: z.string(), displayName: z.string() });
export type RecordedGroup = z.infer<typeof recordedGroupSchema>;

/** What a removal recorded (result.removed): the user, its groups, and for a deactivation the active flag it had. */
export const removedSchema = z.object({
  app: z.string(),
  userId: z.string(),
  userName: z.string(),
  groups: z.array(recordedGroupSchema),
  active: z.optional(z.boolean()),
});
export type ScimRemoved = z.infer<typeof removedSchema>;

/** The app's client, its requests taken from the app's budget as the class of the step it serves. */
export function scimClient(ctx: ActionContext, request: Pick<ActionRequest, 'action' | 'priority'>, app: string): ScimClient {
  return provider(ctx, 'scim').withPriority(priorityOfStep(request)).client(app);
}

/** The user's userName in every app: the company address, lower-cased. */
export function scimUserName(request: ActionRequest): string {
  const email = request.employee.email;
  if (!email) throw new ProviderError(`employee ${request.employee.id} has no email in the HR event: no SCIM userName to look for`, false);
  return email.toLowerCase();
}

/**
 * The employee's user in the app, checked: found by userName or externalId; one carrying another employee's id is
 * refused (nothing is changed on it); an unbound one is adopted only as the stage's rule or an operator says, and
 * then bound (externalId set and read back). `removes`: a step that takes access away (held on a protected address).
 * Undefined when the app has no such user.
 */
export async function checkedScimUser(client: ScimClient, request: ActionRequest, ctx: ActionContext, options: { removes: boolean; restores?: boolean }): Promise<{ user: ScimUser; adopted: boolean } | undefined> {
  const userName = scimUserName(request);
  const employeeId = request.employee.id;
  const found = await client.findUsers({ userName, externalId: employeeId });
  if (found.length === 0) return undefined;
  const app = client.app.name;
  if (found.length > 1) {
    // One user by the name, another by the id: which is the employee's is for an operator to say.
    throw new AccountHoldError(
      `SCIM app ${app}: userName ${userName} and externalId ${employeeId} find ${found.length} different users (${found.map((u) => u.id).join(', ')}): nothing was changed`,
      'bound_elsewhere',
      { system: 'scim', account: userName },
    );
  }
  const user = found[0];
  const policy = ctx.accountPolicy?.() ?? DEFAULT_ACCOUNT_POLICY;
  const decision = decideAccount({
    employeeId,
    runId: request.runId,
    account: { system: 'scim', address: user.userName.toLowerCase(), boundTo: user.externalId || undefined },
    policy,
    confirmations: request.confirmedAccounts,
    removes: options.removes,
    restores: options.restores ?? false,
  });
  if (!decision.ok) throw new AccountHoldError(`SCIM app ${app}: ${decision.message}`, decision.hold, { system: 'scim', account: user.userName.toLowerCase() });
  if (!decision.adopt) return { user, adopted: false };
  await client.updateUser(user.id, { externalId: employeeId });
  const after = await client.getUser(user.id);
  if (after?.externalId !== employeeId) throw new ProviderError(`SCIM app ${app}: binding user ${user.id} to employee ${employeeId} did not take effect: its externalId reads ${JSON.stringify(after?.externalId ?? null)}`, true);
  return { user: after, adopted: true };
}

/** A user of an app as the run records it: its userName, id and state, bound to the employee id. */
export const scimBoundAccount = (user: ScimUser, boundBy: BoundAccount['boundBy']): BoundAccount => ({
  system: 'scim',
  address: user.userName.toLowerCase(),
  accountId: user.id,
  state: user.active === false ? 'suspended' : 'active',
  boundBy,
});

/** The app a step acts in: its `app` parameter, or for a restore the app its removal recorded. */
function appOf(request: ActionRequest): string | undefined {
  const params = request.params as { app?: unknown; result?: { removed?: { app?: unknown } | null } | null };
  if (typeof params.app === 'string') return params.app;
  const recorded = params.result?.removed?.app;
  return typeof recorded === 'string' ? recorded : undefined;
}

/**
 * The account check of a SCIM action (checkedScimUser, before the action runs); `removes` for one that takes access
 * away; `restores` for a restore: the user must still be bound to the employee (one unbound since is refused, never adopted).
 */
export function scimAccount(options: { removes?: boolean; restores?: boolean } = {}): AccountCheck {
  const summary = `the user of the app with the userName or externalId, its externalId the employee id; ${
    options.restores
      ? 'refused unless still bound to the employee (none adopted); no look when nothing was recorded'
      : options.removes
        ? 'held when protected, and when unbound until an operator adopts it'
        : 'an unbound one adopted by the stage rule or an operator'
  }`;
  return accountCheck(summary, async (ctx, request) => {
    const app = appOf(request);
    // A restore with nothing recorded: the action says so without a look.
    if (!app) return undefined;
    const found = await checkedScimUser(scimClient(ctx, request, app), request, ctx, { removes: options.removes ?? false, restores: options.restores ?? false });
    return found ? { account: scimBoundAccount(found.user, found.adopted ? 'adopted' : 'binding'), read: found.user } : undefined;
  });
}

/** The user the account check found (as the app answered it), or undefined. */
export const checkedUser = (checked: CheckedAccount | null | undefined): ScimUser | undefined => (checked?.account.system === 'scim' ? (checked.read as ScimUser) : undefined);

/** The groups named, each found by displayName; one missing is a clear error naming it (an operator must create it or fix the role). */
export async function groupsNamed(client: ScimClient, names: readonly string[]): Promise<ScimGroup[]> {
  const groups = await Promise.all(names.map(async (name) => ({ name, group: await client.findGroupByName(name) })));
  const missing = groups.filter((g) => !g.group).map((g) => g.name);
  if (missing.length) throw new ProviderError(`SCIM app ${client.app.name} has no group ${missing.map((m) => JSON.stringify(m)).join(', ')}: create it there or change the role's SCIM groups`, false);
  return groups.map((g) => g.group!);
}

/**
 * Makes the user a member (or not) of each group, each membership read from the group itself (`attributes=members`:
 * list results may omit or cut it). Where PATCH is supported a removal is sent whatever the read said (it is
 * idempotent, and a cut member list must not keep someone in). Then every group is read back by itself. Answers the
 * groups it changed and those already as wanted; a group that does not read back as wanted throws a retryable error.
 */
export async function applyMemberships(client: ScimClient, userId: string, groups: readonly ScimGroup[], member: boolean): Promise<{ changed: RecordedGroup[]; already: RecordedGroup[] }> {
  const changed: RecordedGroup[] = [];
  const already: RecordedGroup[] = [];
  const patch = !member && (await client.features()).patch;
  for (const group of groups) {
    const entry = { id: group.id, displayName: group.displayName };
    if ((await client.isMember(group.id, userId)) === member) {
      already.push(entry);
      if (patch) await removeAnyway(client, group.id, userId);
      continue;
    }
    await client.setMembership(group.id, userId, member);
    changed.push(entry);
  }
  const wrong: string[] = [];
  for (const group of groups) if ((await client.isMember(group.id, userId)) !== member) wrong.push(group.displayName);
  if (wrong.length) {
    throw new ProviderError(`SCIM app ${client.app.name}: user ${userId} ${member ? 'is not a member of' : 'is still a member of'} ${wrong.join(', ')} after the change`, true);
  }
  return { changed, already };
}

/** A PATCH remove of someone the group did not list: a server answering that there was nothing to remove (400 noTarget) agrees. */
async function removeAnyway(client: ScimClient, groupId: string, userId: string): Promise<void> {
  try {
    await client.setMembership(groupId, userId, false);
  } catch (err) {
    if (!(err instanceof ScimError && err.status === 400 && err.scimType === 'noTarget')) throw err;
  }
}

export const names = (groups: readonly RecordedGroup[]) => groups.map((g) => g.displayName).join(', ');
