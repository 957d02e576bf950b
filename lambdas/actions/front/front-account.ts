/**
 * Whose Front teammate it is: the employee id in its SCIM `externalId` (Front's Core API has no such field; its SCIM
 * API keeps the one the provisioning client sends), and the check every Front action runs before it touches an
 * existing teammate (the same rules as Google's and Zendesk's, from account-policy). Found by externalId or by the
 * company address as the SCIM userName; the Core API teammate is then read by `alt:email:<address>`.
 */
import * as z from '../../shared/zod';
import type { BoundAccount } from '../../engine/model';
import type { ActionRequest } from '../../engine/ports';
import { ProviderError } from '../../providers/provider-error';
import { FrontApiError, teammateAlias, type FrontClient, type FrontTeammate } from '../../providers/front/front-client';
import type { FrontProvider } from '../../providers/front/front-provider';
import { FrontVerificationError } from '../../providers/front/front-references';
import type { ScimUser } from '../../providers/scim/scim-client';
import { decideAccount, DEFAULT_ACCOUNT_POLICY } from '../account-policy';
import { accountCheck, AccountHoldError, provider, type AccountCheck, type ActionContext, type CheckedAccount } from '../define-action';
import { providerCall } from '../provider-call';
import { priorityOfStep } from '../step-priority';

/** Names of teams or inboxes, as the role's `Front teams` and `Front inboxes` give them. */
export const namesParam = z.array(z.string().check(z.minLength(1)));

/** A team or inbox as recorded for a restore: its id and the name it had. */
export const recordedSchema = z.object({ id: z.string(), name: z.string() });
export type Recorded = z.infer<typeof recordedSchema>;

/** The teammate as the leaver's step found it: taken before anything changes, carried across retries. */
export const frontSnapshotSchema = z.object({
  /** The SCIM user id (where the binding lives) and the Core API teammate id. */
  userId: z.string(),
  teammateId: z.nullable(z.string()),
  email: z.string(),
  /** Whether the SCIM user was active before: a restore does not reactivate a teammate blocked by hand. */
  active: z.boolean(),
  teams: z.array(recordedSchema),
  inboxes: z.array(recordedSchema),
});
export type FrontSnapshot = z.infer<typeof frontSnapshotSchema>;

/** The Front clients, their requests taken from the company's budget as the step's class. */
export function frontFor(ctx: ActionContext, request: Pick<ActionRequest, 'action' | 'priority'>): FrontProvider {
  return provider(ctx, 'front').withPriority(priorityOfStep(request));
}

/** The company address the teammate is looked for by (and created with, as the SCIM userName). */
export function frontEmail(request: ActionRequest): string {
  const email = request.employee.email;
  if (!email) throw new ProviderError(`employee ${request.employee.id} has no email in the HR event: no Front teammate to look for`, false);
  return email.toLowerCase();
}

/** What the account check read: the SCIM user, and the Core API teammate when Front has one for it. */
export interface FrontRead {
  user: ScimUser;
  teammate?: FrontTeammate;
}

export const checkedFront = (checked: CheckedAccount | null | undefined): FrontRead | undefined => (checked?.account.system === 'front' ? (checked.read as FrontRead) : undefined);

export const frontAccountOf = (read: FrontRead, boundBy: BoundAccount['boundBy']): BoundAccount => ({
  system: 'front',
  address: read.user.userName.toLowerCase(),
  accountId: read.teammate?.id ?? read.user.id,
  state: read.user.active === false || read.teammate?.is_blocked ? 'suspended' : 'active',
  boundBy,
});

/** A failure of Front calls as a ProviderError (429/5xx retryable, other 4xx not), `progress` kept for the next try. */
function frontProviderError(err: unknown, progress: Record<string, unknown> | undefined): ProviderError {
  if (err instanceof ProviderError) return progress && !err.progress ? new ProviderError(err.message, err.retryable, err.providerAnswer, progress) : err;
  // fetch failed before any answer, or a bug: another try may pass.
  return new ProviderError(`Front: ${err instanceof Error ? err.message : String(err)}`, true, undefined, progress);
}

/** Runs Front calls, every failure a ProviderError (429/5xx retryable, other 4xx not), `progress` kept for the next try. */
export function frontCall<T>(run: () => Promise<T>, progress?: () => Record<string, unknown> | undefined): Promise<T> {
  return providerCall(run, frontProviderError, progress);
}

/** The Core API teammate of a SCIM user, by its address. */
export const teammateOf = (core: FrontClient, user: Pick<ScimUser, 'userName'>) => core.teammate(teammateAlias(user.userName));

/** The account check of a Front action; `removes` for one that takes access away (held on a protected teammate: an admin). */
/**
 * `removes` for a step that takes access away (a Front admin held); `restores` for a restore: the teammate must still
 * be bound to the employee (one unbound since is refused, never adopted).
 */
export function frontAccount(options: { removes?: boolean; restores?: boolean } = {}): AccountCheck {
  const summary = `the Front teammate whose SCIM externalId is the employee id, else the one at the company address; ${
    options.restores
      ? 'refused unless still bound to the employee (a restore adopts none)'
      : options.removes
        ? 'held when protected (a Front admin), and when unbound until an operator adopts it'
        : 'an unbound one adopted by the stage rule or an operator'
  }`;
  return accountCheck(summary, (ctx, request) =>
    frontCall(async () => {
      const front = frontFor(ctx, request);
      const userName = frontEmail(request);
      const employeeId = request.employee.id;
      const found = await front.scim.findUsers({ userName, externalId: employeeId });
      if (found.length === 0) return undefined;
      if (found.length > 1) {
        throw new AccountHoldError(`Front: userName ${userName} and externalId ${employeeId} find ${found.length} different teammates (${found.map((u) => u.id).join(', ')}): nothing was changed`, 'bound_elsewhere', { system: 'front', account: userName });
      }
      const user = found[0];
      const teammate = await teammateOf(front.core, user);
      const address = user.userName.toLowerCase();
      const decision = decideAccount({
        employeeId,
        runId: request.runId,
        account: { system: 'front', address, boundTo: user.externalId || undefined, ...(teammate?.is_admin ? { adminRole: 'a Front admin' } : {}) },
        policy: ctx.accountPolicy?.() ?? DEFAULT_ACCOUNT_POLICY,
        confirmations: request.confirmedAccounts,
        removes: options.removes ?? false,
        restores: options.restores ?? false,
      });
      if (!decision.ok) throw new AccountHoldError(`Front: ${decision.message}`, decision.hold, { system: 'front', account: address });
      if (!decision.adopt) return { account: frontAccountOf({ user, teammate }, 'binding'), read: { user, teammate } };
      await front.scim.updateUser(user.id, { externalId: employeeId });
      const after = await front.scim.getUser(user.id);
      if (after?.externalId !== employeeId) throw new FrontVerificationError(`binding Front teammate ${address} to employee ${employeeId} did not take effect: its externalId reads ${JSON.stringify(after?.externalId ?? null)}`);
      return { account: frontAccountOf({ user: after, teammate }, 'adopted'), read: { user: after, teammate } };
    }),
  );
}

/** Whether the teammate is a member of the team, as Front reads now (undefined: no such team). */
export async function inTeam(core: FrontClient, teamId: string, teammateId: string): Promise<boolean | undefined> {
  const team = await core.team(teamId);
  return team ? team.members.some((m) => m.id === teammateId) : undefined;
}

/** The ids of every inbox the teammate has access to: one `GET /teammates/{id}/inboxes`, whatever each inbox's size. */
export const inboxIdsOf = async (core: FrontClient, teammateId: string): Promise<Set<string>> => new Set((await core.teammateInboxes(teammateId)).map((i) => i.id));

/** A team or inbox gone from Front since it was named or recorded: by id, with the name it had. */
export interface GoneAccess extends Recorded {
  kind: 'team' | 'inbox';
}
export const goneNames = (gone: readonly GoneAccess[]) => gone.map((g) => `${g.kind} ${g.name}`);

export interface ApplyOptions {
  /** Kept with a retryable error, so the next try carries on. */
  progress?: () => Record<string, unknown> | undefined;
  /** The caller has just read each team and inbox as not yet as wanted (the leaver's snapshot): no read before the change. */
  known?: boolean;
  /** Called before each change: throws (retryable, with the progress) when the step's time is up. */
  beforeChange?: () => void;
}

/**
 * Gives (or takes) the teammate the teams and inboxes, each only where it is not so already, then reads each back.
 * A team is read on its own (Front lists a team's members on the team); the inboxes are one read of the teammate's
 * inboxes before and one after. Answers those changed and those gone from Front (by id); one that does not read back
 * as wanted throws a retryable error.
 */
export async function applyAccess(
  core: FrontClient,
  teammateId: string,
  wanted: { teams: readonly Recorded[]; inboxes: readonly Recorded[] },
  member: boolean,
  options: ApplyOptions | (() => Record<string, unknown> | undefined) = {},
): Promise<{ teams: Recorded[]; inboxes: Recorded[]; gone: GoneAccess[] }> {
  const { progress, known, beforeChange } = typeof options === 'function' ? { progress: options } : options;
  const changed = { teams: [] as Recorded[], inboxes: [] as Recorded[], gone: [] as GoneAccess[] };
  const goneOnWrite = async (kind: GoneAccess['kind'], item: Recorded, write: () => Promise<void>): Promise<boolean> => {
    beforeChange?.();
    try {
      await write();
      return true;
    } catch (err) {
      // Deleted since it was named or recorded (Front answers 404 on its id): nothing of it to give or take.
      if (!(err instanceof FrontApiError && err.notFound)) throw err;
      changed.gone.push({ kind, id: item.id, name: item.name });
      return false;
    }
  };
  for (const team of wanted.teams) {
    if (!known) {
      const now = await inTeam(core, team.id, teammateId);
      if (now === undefined) {
        changed.gone.push({ kind: 'team', id: team.id, name: team.name });
        continue;
      }
      if (now === member) continue;
    }
    if (await goneOnWrite('team', team, () => (member ? core.addToTeam(team.id, [teammateId]) : core.removeFromTeam(team.id, [teammateId])))) changed.teams.push({ id: team.id, name: team.name });
  }
  if (wanted.inboxes.length) {
    const have = known ? undefined : await inboxIdsOf(core, teammateId);
    for (const inbox of wanted.inboxes) {
      if (have && have.has(inbox.id) === member) continue;
      if (await goneOnWrite('inbox', inbox, () => (member ? core.addToInbox(inbox.id, [teammateId]) : core.removeFromInbox(inbox.id, [teammateId])))) changed.inboxes.push({ id: inbox.id, name: inbox.name });
    }
  }
  const wrong: string[] = [];
  for (const team of changed.teams) if ((await inTeam(core, team.id, teammateId)) !== member) wrong.push(`team ${team.name}`);
  if (changed.inboxes.length) {
    const after = await inboxIdsOf(core, teammateId);
    for (const inbox of changed.inboxes) if (after.has(inbox.id) !== member) wrong.push(`inbox ${inbox.name}`);
  }
  if (wrong.length) throw new FrontVerificationError(`Front teammate ${teammateId} ${member ? 'is not in' : 'is still in'} ${wrong.join(', ')} after the change`, progress?.());
  return changed;
}

export const namesOf = (items: readonly Recorded[]) => items.map((i) => i.name);
export const recorded = (items: readonly { id: string; name: string }[]): Recorded[] => items.map((i) => ({ id: i.id, name: i.name }));
