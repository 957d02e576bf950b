/**
 * Compares the accounts the connected systems hold with the lifecycle records: who each account is bound to, who has
 * left, and what each person's role gives. Four kinds of finding: an account bound to nobody (`unbound`), a leaver's
 * account still active (`leaver_active`), an account or access a person's role gives that they lack (`missing`), and
 * access the role does not give (`extra`). Each finding carries a deterministic id, so the same problem found by two
 * reads is the same finding and its fix the same run. Pure: nothing is read or changed here.
 */
import { createHash } from 'node:crypto';
import type { Employee, Run } from '../engine/model';
import { boundAccounts } from '../engine/operator';
import { heldRole, terminationRan } from '../engine/plan';
import type { DirectoryAccount } from './directory';
import { FINDING_KINDS, type Finding, type FixOption } from './report';
import { expectedAccess, sameAccess } from './expected-access';

/** One employee as the lifecycle records hold them: the latest profile and every run. */
export interface EmployeeRecord {
  employee: Employee;
  runs: Run[];
}

export interface CompareInput {
  accounts: readonly DirectoryAccount[];
  records: readonly EmployeeRecord[];
  /** The systems read in full: a missing account is only reported for these (a system that failed to read says nothing). */
  systemsRead: readonly string[];
}

/** The id of a finding: the same problem gives the same id on every read. */
export function findingId(...parts: (string | undefined)[]): string {
  return createHash('sha256').update(parts.map((p) => p ?? '').join('\u0000')).digest('hex').slice(0, 20);
}

/** Where an employee stands: a leaver once a termination has run and no later hire has been made since. */
export function hasLeft(runs: readonly Run[]): boolean {
  const live = runs.filter((r) => r.status !== 'cancelled' && r.status !== 'rejected');
  const left = live.filter((r) => r.type === 'terminate' && terminationRan(r)).sort((a, b) => a.createdAt.localeCompare(b.createdAt)).at(-1);
  if (!left) return false;
  return !live.some((r) => r.type === 'hire' && r.createdAt > left.createdAt);
}

/** The AccountSystem a directory system's accounts are recorded under on runs (`scim:<app>` → `scim`). */
const recordedSystem = (system: string) => system.split(':')[0];

interface Person {
  record: EmployeeRecord;
  left: boolean;
  role?: ReturnType<typeof heldRole>;
  /** A later role whose run is still under way. */
  pending?: ReturnType<typeof heldRole>;
  /** Accounts the runs recorded for the employee, `system\0id-or-address`. */
  recorded: Set<string>;
}

const key = (system: string, idOrAddress: string) => `${system}\u0000${idOrAddress.toLowerCase()}`;

const accountView = (a: DirectoryAccount): NonNullable<Finding['account']> => ({
  accountId: a.accountId,
  ...(a.email ? { email: a.email } : {}),
  active: a.active,
  ...(a.protected ? { protected: true } : {}),
  ...(a.employeeId ? { employeeId: a.employeeId } : {}),
  ...(a.lastSignInAt ? { lastSignInAt: a.lastSignInAt } : {}),
});

const removeFix = (a: DirectoryAccount, what: string): FixOption[] =>
  // A protected account is reported, never offered a removal: an operator acts on it by hand.
  a.protected ? [] : [{ fix: 'remove', description: what }];

const label = (a: DirectoryAccount) => `${a.system} account ${a.email ?? a.accountId}`;

const ended = (r: Run) => r.status === 'completed' || r.status === 'cancelled';

/**
 * The roles a person is compared with: `role`, of their latest hire or role change that has ended, and `pending`, of a
 * later one still under way (waiting for approval, its day not come, a step waiting for an operator). While one is under
 * way nothing is reported missing (what it has not made yet is not missing, and the run itself is watched and alerted
 * on), and access either role gives is not extra. A hire under way has no ended role: the person is not compared.
 */
function rolesOf(runs: Run[]): Pick<Person, 'role' | 'pending'> {
  const held = heldRole(runs, '');
  const run = held && runs.find((r) => r.runId === held.runId);
  if (!held || (run && ended(run))) return { role: held };
  const settled = heldRole(runs.filter(ended), '');
  return settled ? { role: settled, pending: held } : {};
}

export function compare(input: CompareInput): Finding[] {
  const people = new Map<string, Person>();
  const byAddress = new Map<string, string>();
  const recordedOwner = new Map<string, string>();
  for (const record of input.records) {
    const id = record.employee.id;
    const recorded = new Set<string>();
    for (const a of boundAccounts(record.runs).accounts) {
      for (const k of [a.accountId, a.address].filter((v): v is string => Boolean(v)).map((v) => key(a.system, v))) {
        recorded.add(k);
        recordedOwner.set(k, id);
      }
    }
    people.set(id, { record, left: hasLeft(record.runs), ...rolesOf(record.runs), recorded });
    if (record.employee.email) byAddress.set(record.employee.email.toLowerCase(), id);
  }

  const findings: Finding[] = [];
  const owned = new Map<string, DirectoryAccount[]>();
  for (const account of input.accounts) {
    const rs = recordedSystem(account.system);
    // The account's own binding, when it names a known employee; else the runs' record of it (an adopted account that
    // cannot carry the id itself, a Nextcloud user under another id).
    const ownBinding = account.employeeId && people.has(account.employeeId) ? account.employeeId : undefined;
    const owner = ownBinding ?? recordedOwner.get(key(rs, account.accountId)) ?? (account.email ? recordedOwner.get(key(rs, account.email)) : undefined);
    if (!owner) {
      const suggested = account.email ? byAddress.get(account.email.toLowerCase()) : undefined;
      findings.push({
        id: findingId('unbound', account.system, account.accountId),
        kind: 'unbound',
        system: account.system,
        account: accountView(account),
        message: `the ${label(account)} is bound to no employee${account.employeeId ? ` (it carries ${JSON.stringify(account.employeeId)}, which no employee has)` : ''}${account.protected ? '; it is protected: act on it by hand' : ''}`,
        // A revoke run acts only on an account bound to an employee: an unbound account is bound first (then, if it
        // should go, revoked as that employee's), or removed by hand. A protected account is offered nothing.
        fixes: account.protected ? [] : [{ fix: 'bind', description: `adopt it for an employee (name one) through a run`, ...(suggested ? { suggestedEmployeeId: suggested } : {}) }],
      });
      continue;
    }
    owned.set(`${owner}\u0000${account.system}`, [...(owned.get(`${owner}\u0000${account.system}`) ?? []), account]);
    const person = people.get(owner)!;
    if (person.left) {
      if (account.active) {
        findings.push({
          id: findingId('leaver_active', account.system, account.accountId, owner),
          kind: 'leaver_active',
          system: account.system,
          account: accountView(account),
          employeeId: owner,
          message: `employee ${owner} has left, and the ${label(account)} is still active${account.protected ? '; it is protected: act on it by hand' : ''}`,
          fixes: removeFix(account, 'revoke it through a system-scoped revoke run'),
        });
      }
      continue;
    }
    // No role on record says nothing of what the person should hold; an inactive account carries nothing to compare.
    if (!person.role || !account.active) continue;
    const wantedBy = (held: NonNullable<Person['role']>) => expectedAccess(held.role).find((e) => e.system === account.system)?.access ?? [];
    const wanted = wantedBy(person.role);
    const allowed = person.pending ? [...wanted, ...wantedBy(person.pending)] : wanted;
    const missing = person.pending ? [] : wanted.filter((w) => !account.access.some((a) => sameAccess(a, w)));
    const extra = account.access.filter((a) => !allowed.some((w) => sameAccess(a, w)));
    const roles = `role ${person.role.role.name}${person.pending ? ` (or role ${person.pending.role.name}, its change under way)` : ''}`;
    if (missing.length) {
      findings.push({
        id: findingId('missing', account.system, account.accountId, owner, ...missing),
        kind: 'missing',
        system: account.system,
        account: accountView(account),
        employeeId: owner,
        access: missing,
        message: `the ${label(account)} of employee ${owner} lacks what role ${person.role.role.name} gives: ${missing.join(', ')}`,
        fixes: [{ fix: 'grant', description: `plan role ${person.role.role.name} again for ${account.system}: a run grants what is missing` }],
      });
    }
    if (extra.length) {
      findings.push({
        id: findingId('extra', account.system, account.accountId, owner, ...extra),
        kind: 'extra',
        system: account.system,
        account: accountView(account),
        employeeId: owner,
        access: extra,
        message: `the ${label(account)} of employee ${owner} holds what ${roles} does not give: ${extra.join(', ')}${account.protected ? '; it is protected: act on it by hand' : ''}`,
        // A revoke run takes the whole account in that system; taking one grant away is a role change or done by hand.
        fixes: [],
      });
    }
  }

  // A system the role gives an account in, read in full, where the person has none.
  const read = new Set(input.systemsRead);
  for (const [id, person] of people) {
    if (person.left || !person.role || person.pending) continue;
    for (const expected of expectedAccess(person.role.role)) {
      if (!read.has(expected.system) || owned.has(`${id}\u0000${expected.system}`)) continue;
      findings.push({
        id: findingId('missing', expected.system, '', id),
        kind: 'missing',
        system: expected.system,
        employeeId: id,
        access: expected.access,
        message: `employee ${id} has no ${expected.system} account, which role ${person.role.role.name} gives${expected.system === 'google' ? ': a hire makes it, not a role change, so it is made by hand or by a new hire event' : ''}`,
        // The Google account is the hire's own (its address, its first sign-in): a role's grants do not make it.
        fixes: expected.system === 'google' ? [] : [{ fix: 'grant', description: `plan role ${person.role.role.name} again for ${expected.system}: a run makes the account` }],
      });
    }
  }
  return findings.sort((a, b) => FINDING_KINDS.indexOf(a.kind) - FINDING_KINDS.indexOf(b.kind) || a.system.localeCompare(b.system) || a.id.localeCompare(b.id));
}
