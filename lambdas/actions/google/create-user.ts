/**
 * Creates the joiner's Google account: the HR address or the first free derived one, marked with the employee id
 * (externalIds) so a retry after a lost answer finds the account it made instead of making a second one.
 * The random initial password is sealed into the run's credential record (never kept in plain text) for the
 * welcome email's one-time link.
 */
import { randomInt } from 'node:crypto';
import type { admin_directory_v1 } from '@googleapis/admin';
import * as z from '../../shared/zod';
import type { ActionRequest, ActionResponse } from '../../engine/ports';
import { baseUsername, candidateAddress, UsernameError } from '../../engine/username';
import { google, googleFailure, isGoogleConflict } from '../../providers/google/google-errors';
import { SEALED_VALID_DAYS, type CredentialVault } from '../../credentials/vault';
import { daysAfter } from '../../engine/time';
import type { PasswordSealer } from '../../credentials/password-sealer';
import { AccountHoldError, defineAction, provider, type ActionContext } from '../define-action';
import { ProviderError } from '../../providers/provider-error';
import { findGoogleUser, notApplied } from './google-user';
import { accountBoundTo, bindAccount, boundGoogleAccount, EMPLOYEE_ID_TYPE, foundGoogleAccount, isBoundTo } from './google-account';
import { decideAccount, DEFAULT_ACCOUNT_POLICY, protectedBecause } from '../account-policy';
import type { BoundAccount } from '../../engine/model';
import { customSchemaValues } from '../../roles/custom-schema-names';
import type { GoogleClients } from '../../providers/google/google-clients';
import { own } from '../../shared/dict';

/** Candidates tried (jdoe, jdoe2 … jdoe20) before an operator has to pick an address. */
const MAX_CANDIDATES = 20;
const PASSWORD_NOTE = 'not kept in plain text: a random initial password was set with changePasswordAtNextLogin and sealed for the welcome email';
/** What users.get answers for an account nobody has signed in to. */
const NEVER_SIGNED_IN = '1970-01-01T00:00:00.000Z';

type User = admin_directory_v1.Schema$User;

/** A random password of 24 characters with upper and lower case, digits and symbols (Google asks 8–100 printable ASCII). */
export function initialPassword(length = 24): string {
  const classes = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '!#$%*+-=?@^_~'];
  const all = classes.join('');
  const chars = classes.map((c) => c[randomInt(c.length)]);
  while (chars.length < length) chars.push(all[randomInt(all.length)]);
  for (let i = chars.length - 1; i > 0; i -= 1) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join('');
}

/** What a found account lacks of the role's org unit and custom schema values. */
function differences(user: User, orgUnitPath: string, customSchemas: Record<string, Record<string, unknown>> | undefined): string[] {
  const out: string[] = [];
  if ((user.orgUnitPath ?? '/').toLowerCase() !== orgUnitPath.toLowerCase()) out.push(`org unit ${user.orgUnitPath} (role: ${orgUnitPath})`);
  const have = (user.customSchemas ?? {}) as Record<string, Record<string, unknown>>;
  for (const [schema, fields] of Object.entries(customSchemas ?? {})) {
    for (const [field, value] of Object.entries(fields)) {
      if (JSON.stringify(own(own(have, schema), field)) !== JSON.stringify(value)) out.push(`${schema}.${field}`);
    }
  }
  return out;
}

function domainOf(address: string): string {
  return address.split('@')[1]?.toLowerCase() ?? '';
}

function derivedBase(request: ActionRequest): string {
  const { firstName, lastName, personalEmail } = request.employee;
  try {
    return baseUsername({ firstName, lastName, personalEmail });
  } catch (err) {
    if (err instanceof UsernameError) throw new ProviderError(`no Google address can be derived for employee ${request.employee.id}: ${err.message} (field ${err.field}); send employee.email or fix the name`, false);
    throw err;
  }
}

/** The vault with its sealer: without them a password would be set that nobody could ever be given. */
function sealingVault(ctx: ActionContext): CredentialVault & { sealer: PasswordSealer } {
  const vault = ctx.credentials?.();
  if (!vault?.sealer) throw new ProviderError('this function was built without the credential vault: the initial password could not be kept for the welcome email', false);
  return { ...vault, sealer: vault.sealer };
}

/** Stores a sealed password as the run's credential; a password already revealed is never replaced. */
async function keepSealed(vault: CredentialVault, request: ActionRequest, ciphertext: string, now: Date): Promise<void> {
  const stored = await vault.store.putCredential({
    employeeId: request.employee.id,
    runId: request.runId,
    ciphertext,
    createdAt: now.toISOString(),
    expiresAt: daysAfter(now, SEALED_VALID_DAYS),
  });
  if (!stored) throw new ProviderError(`run ${request.runId}: the initial password was already revealed; it is not replaced`, false);
}

const createUserParams = z.strictObject({
  orgUnitPath: z._default(z.string().check(z.minLength(1)), '/'),
  customSchemas: z.optional(customSchemaValues),
  domain: z.optional(z.string().check(z.minLength(1))),
  /** A former employee's account, brought back by the rehire's restore: its password was reset when they left, so a new one is set and sealed. */
  returning: z._default(z.boolean(), false),
});
type CreateUserParams = z.infer<typeof createUserParams>;

/** One createUser step as it runs: the clients, the vault and the request every stage below reads. */
interface Creation {
  ctx: ActionContext;
  g: GoogleClients;
  vault: CredentialVault & { sealer: PasswordSealer };
  request: ActionRequest;
  employee: ActionRequest['employee'];
  params: CreateUserParams;
}

type Created = Extract<ActionResponse, { ok: true }>;

/** The clients and the vault, checked before anything is read: a missing family name or vault stops the step at once. */
function startCreation(ctx: ActionContext, params: CreateUserParams, request: ActionRequest): Creation {
  const g = provider(ctx, 'google');
  const vault = sealingVault(ctx);
  const employee = request.employee;
  if (!employee.lastName?.trim()) throw new ProviderError(`employee ${employee.id} has no lastName: Google requires a family name`, false);
  return { ctx, g, vault, request, employee, params };
}

const seal = (job: Creation, password: string) => job.vault.sealer.seal(password, { employeeId: job.employee.id });

const policyOf = (job: Creation) => job.ctx.accountPolicy?.() ?? DEFAULT_ACCOUNT_POLICY;

/** An operator confirmed this protected Google account for the run. */
function confirmedProtected(request: ActionRequest, address: string): boolean {
  return (request.confirmedAccounts ?? []).some((c) => c.system === 'google' && c.confirms === 'protected' && c.account.toLowerCase() === address);
}

/** The addresses to try: the HR address alone, or jdoe, jdoe2 … on the role's (or the admin's) domain. */
function candidateAddresses(job: Creation): { givenAddress?: string; candidates: string[] } {
  const givenAddress = job.employee.email?.toLowerCase();
  if (givenAddress) return { givenAddress, candidates: [givenAddress] };
  const theDomain = (job.params.domain ?? domainOf(job.g.config.adminSubject)).toLowerCase();
  const base = derivedBase(job.request);
  return { candidates: Array.from({ length: MAX_CANDIDATES }, (_, n) => candidateAddress(base, theDomain, n)) };
}

/**
 * An account of ours with no sealed password for this run: the insert went through but its answer, and the
 * sealing after it, were lost, so nobody knows its password. One nobody has signed in to gets a new one.
 */
async function passwordFor(job: Creation, user: User): Promise<string> {
  const { vault, employee, request, g } = job;
  const returning = job.params.returning;
  if (await vault.store.getCredential(employee.id, request.runId)) return 'sealed earlier';
  const address = user.primaryEmail ?? '';
  if (!returning && user.lastLoginTime && user.lastLoginTime !== NEVER_SIGNED_IN) return 'in use (signed in before): password left as is, none sealed';
  // A new password on a protected account (an admin) is a takeover unless an operator confirmed that account.
  const found = foundGoogleAccount(user, employee.id);
  const guarded = protectedBecause(found, policyOf(job));
  if (guarded && !confirmedProtected(request, found.address)) {
    throw new AccountHoldError(
      `protected account: the google account ${found.address} is ${guarded}; no initial password is set on it without an operator's confirmation naming it: POST /v1/runs/${request.runId}/confirm-account {"system":"google","account":"${found.address}","confirms":"protected"}`,
      'protected',
      { system: 'google', account: found.address },
    );
  }
  const password = initialPassword();
  // Sealed before it is set: a sealing failure leaves the account as it was.
  const ciphertext = await seal(job, password);
  await google(`setting a new initial password on ${address}`, () =>
    g.directory.users.update({ userKey: user.id ?? address, requestBody: { password, changePasswordAtNextLogin: true } }),
  );
  await keepSealed(vault, request, ciphertext, job.ctx.clock.now());
  return returning ? 'new initial password set and sealed for the returning employee' : 'new initial password set and sealed (the first was lost with its answer)';
}

/** The employee's account already exists (bound, or just adopted): the answer names it, and what it lacks of the role. */
async function existingAccount(job: Creation, user: User, boundBy: BoundAccount['boundBy']): Promise<Created> {
  const { employee, params } = job;
  const address = user.primaryEmail ?? '';
  if (user.suspended) {
    throw new ProviderError(
      `employee ${employee.id} already has a suspended Google account ${address}: a former employee's account is brought back by the rehire restore, not created again`,
      false,
    );
  }
  const diff = differences(user, params.orgUnitPath, params.customSchemas);
  const passwordState = await passwordFor(job, user);
  return {
    ok: true as const,
    // The run's later steps (license, groups, Connect, the welcome email) act on this address.
    employeeEmail: address,
    note: `Google account ${address} already exists for employee ${employee.id}${diff.length ? `; differs from the role in ${diff.join(', ')} (left as is)` : ''}; initial password: ${passwordState}`,
    result: { existing: { userId: user.id, primaryEmail: address, orgUnitPath: user.orgUnitPath }, initialPassword: passwordState },
    account: boundGoogleAccount(user, boundBy),
  };
}

/**
 * The HR address is someone's account: never taken over. Unbound, it is adopted only as the policy or an operator
 * says, and a protected one (an admin's address given as a joiner's) only with the operator's word.
 */
async function adoptGivenAddress(job: Creation, holder: User, givenAddress: string): Promise<Created> {
  const { employee, request, g } = job;
  const decision = decideAccount({
    employeeId: employee.id,
    runId: request.runId,
    account: foundGoogleAccount(holder, employee.id),
    policy: policyOf(job),
    confirmations: request.confirmedAccounts,
    removes: false,
  });
  if (!decision.ok) throw new AccountHoldError(decision.message, decision.hold, { system: 'google', account: givenAddress });
  const found = foundGoogleAccount(holder, employee.id);
  const guarded = protectedBecause(found, policyOf(job));
  if (guarded && !confirmedProtected(request, found.address)) {
    throw new AccountHoldError(
      `protected account: the google account ${found.address} is ${guarded}; it is not adopted for employee ${employee.id} without an operator's confirmation naming it: POST /v1/runs/${request.runId}/confirm-account {"system":"google","account":"${found.address}","confirms":"protected"}`,
      'protected',
    );
  }
  return existingAccount(job, await bindAccount(g, holder, employee.id), 'adopted');
}

/** users.insert at one free address, the password sealed first; 'taken' when the address went to someone else meanwhile. */
async function insertAt(job: Creation, address: string): Promise<{ created: User; ciphertext: string } | { existing: User } | 'taken'> {
  const { g, employee, params } = job;
  const password = initialPassword();
  const ciphertext = await seal(job, password);
  try {
    const res = await g.directory.users.insert({
      requestBody: {
        primaryEmail: address,
        name: { givenName: employee.firstName, familyName: employee.lastName },
        password,
        changePasswordAtNextLogin: true,
        orgUnitPath: params.orgUnitPath,
        customSchemas: params.customSchemas,
        externalIds: [{ type: EMPLOYEE_ID_TYPE, value: employee.id }],
      },
    });
    return { created: res.data, ciphertext };
  } catch (err) {
    if (!isGoogleConflict(err)) throw googleFailure(err, `creating Google user ${address}`);
    // Taken since we looked: by our own earlier try whose answer was lost, or by someone else (a group, an alias).
    const now = await findGoogleUser(g, address);
    if (now && isBoundTo(now, employee.id)) return { existing: now };
    return 'taken';
  }
}

/** No address could be had: the HR one is someone else's, or every derived candidate is taken. */
function noFreeAddress(job: Creation, givenAddress: string | undefined, taken: string[]): ProviderError {
  return new ProviderError(
    givenAddress
      ? `the HR address ${givenAddress} is already taken by another Google account, group or alias: free it or send another employee.email`
      : `no free Google address for employee ${job.employee.id}: ${taken.length} candidates taken (${taken[0]} … ${taken[taken.length - 1]}); set employee.email`,
    false,
    '409 duplicate',
  );
}

/** The new account's password is kept, then the account read back: it must be there with the role's org unit and fields. */
async function confirmCreated(job: Creation, created: User, ciphertext: string, taken: string[]): Promise<Created> {
  const { g, params } = job;
  const address = created.primaryEmail ?? '';
  // Kept before the read-back: whatever fails after this, the password of the account just made is not lost.
  await keepSealed(job.vault, job.request, ciphertext, job.ctx.clock.now());
  const after = await findGoogleUser(g, address);
  if (!after) throw notApplied(`creating Google user ${address}`, 'users.get finds no such user');
  const diff = differences(after, params.orgUnitPath, params.customSchemas);
  if (diff.length) throw notApplied(`creating Google user ${address}`, `users.get reports a different ${diff.join(', ')}`);
  return {
    ok: true,
    employeeEmail: address,
    note: `created Google account ${address}${taken.length ? ` (${taken.join(', ')} taken)` : ''} in ${after.orgUnitPath}`,
    result: {
      created: { userId: after.id, primaryEmail: address, orgUnitPath: after.orgUnitPath },
      passwordSet: true,
      initialPassword: PASSWORD_NOTE,
    },
    account: boundGoogleAccount(after, 'created'),
  };
}

/**
 * Tries each candidate address in turn: an account of the employee's is answered as existing, the HR address held by
 * someone else goes to adoption, a taken derived one is skipped, and the first free one is created.
 */
async function createAtFirstFreeAddress(job: Creation): Promise<Created> {
  const { givenAddress, candidates } = candidateAddresses(job);
  const taken: string[] = [];
  for (const address of candidates) {
    const holder = await findGoogleUser(job.g, address);
    if (holder && isBoundTo(holder, job.employee.id)) return existingAccount(job, holder, 'binding');
    if (holder && givenAddress) return adoptGivenAddress(job, holder, givenAddress);
    if (holder) {
      taken.push(address);
      continue;
    }
    const inserted = await insertAt(job, address);
    if (inserted === 'taken') taken.push(address);
    else if ('existing' in inserted) return existingAccount(job, inserted.existing, 'binding');
    else return confirmCreated(job, inserted.created, inserted.ciphertext, taken);
  }
  throw noFreeAddress(job, givenAddress, taken);
}

export const createUser = defineAction({
  name: 'google.createUser',
  params: createUserParams,
  async run(ctx, params, request) {
    const job = startCreation(ctx, params, request);
    // The employee's own account, found by its binding, whatever its address: a retry after a lost answer ends here.
    const bound = await accountBoundTo(job.g, job.employee.id);
    if (bound) return existingAccount(job, bound, 'binding');
    return createAtFirstFreeAddress(job);
  },
});
