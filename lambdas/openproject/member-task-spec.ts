/**
 * A member task's specification as its work package's description holds it, and what the task's status workflow
 * does to the run, decided without OpenProject or the store (docs/openproject.md#member-tasks). Pure.
 *
 * The description is markdown: a first line naming the run (how the task finds its run again), then one line a field,
 * `- Field: value`, which a person edits before setting the task to `scheduled`.
 */
import { ACCOUNT_SYSTEMS, type AccountSystem, type Employee, type Run } from '../engine/model';
import type { RunNotice } from '../engine/ports';
import { baseUsername } from '../engine/username';

/** The fields of a specification, as the description names them. */
export const SPEC_FIELDS = ['First name', 'Last name', 'Email', 'Username', 'Role', 'First day', 'Accounts'] as const;
export type SpecField = (typeof SPEC_FIELDS)[number];

export interface Specification {
  firstName: string;
  lastName?: string;
  email?: string;
  username?: string;
  role?: string;
  firstDay: string;
  accounts: AccountSystem[];
}

/** A field of the specification that cannot be read: its name as the description shows it, and why. */
export interface SpecProblem {
  field: SpecField | 'description';
  message: string;
}

const RUN_LINE = /^Member task of run `([A-Za-z0-9._:@-]+)`/m;

/** The run a task's description names, if any. */
export function runIdOf(description: string | null | undefined): string | undefined {
  return description ? RUN_LINE.exec(description)?.[1] : undefined;
}

/** The account systems a run's plan gives (its steps' providers), in the catalog's order. */
export function accountsOfRun(run: Pick<Run, 'steps'>): AccountSystem[] {
  const used = new Set(run.steps.filter((s) => s.status !== 'cancelled').map((s) => s.action.split('.')[0]));
  return ACCOUNT_SYSTEMS.filter((s) => used.has(s));
}

/** The username a run gives: its company address's local part, else the username rules' base for the name. */
export function usernameOf(employee: Employee): string | undefined {
  if (employee.email) return employee.email.slice(0, employee.email.lastIndexOf('@')).toLowerCase();
  try {
    return baseUsername({ firstName: employee.firstName, lastName: employee.lastName, personalEmail: employee.personalEmail });
  } catch {
    return undefined;
  }
}

/** The address the specification shows: the personal one a newcomer gave, else the company address. */
const emailOf = (employee: Employee) => employee.personalEmail ?? employee.email;

/** The specification of a run as it is now. */
export function specificationOf(run: Run): Specification {
  const e = run.employee;
  return {
    firstName: e.firstName,
    ...(e.lastName ? { lastName: e.lastName } : {}),
    ...(emailOf(e) ? { email: emailOf(e) } : {}),
    ...(usernameOf(e) ? { username: usernameOf(e) } : {}),
    ...(e.role ? { role: e.role } : {}),
    firstDay: run.effectiveDate,
    accounts: accountsOfRun(run),
  };
}

/** The task's subject: `Member: Ada Lovelace`. */
export const taskSubject = (run: Run): string => `Member: ${[run.employee.firstName, run.employee.lastName].filter(Boolean).join(' ')}`;

/** The work package's description for a run. */
export function taskDescription(run: Run): string {
  const s = specificationOf(run);
  const line = (field: SpecField, value: string | undefined) => `- ${field}: ${value ?? ''}`;
  return [
    `Member task of run \`${run.runId}\` (employee ${run.employeeId}).`,
    '',
    'Review and specify the lines below (the role names one of the role catalog; the accounts are the ones the role gives), then set the status to scheduled: the accounts are made before the first day, as the playbook plans them.',
    '',
    line('First name', s.firstName),
    line('Last name', s.lastName),
    line('Email', s.email),
    line('Username', s.username),
    line('Role', s.role),
    line('First day', s.firstDay),
    line('Accounts', s.accounts.join(', ')),
    '',
  ].join('\n');
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const USERNAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** Reads the specification lines of a description; each problem names its field. */
export function parseSpecification(description: string | null | undefined): { ok: true; spec: Specification } | { ok: false; problems: SpecProblem[] } {
  const values = new Map<SpecField, string>();
  for (const raw of (description ?? '').split('\n')) {
    const m = /^\s*[-*]\s*([A-Za-z ]+?)\s*:\s*(.*?)\s*$/.exec(raw);
    if (!m) continue;
    const field = SPEC_FIELDS.find((f) => f.toLowerCase() === m[1].toLowerCase());
    if (field && !values.has(field)) values.set(field, m[2].replace(/^`|`$/g, ''));
  }
  const problems: SpecProblem[] = [];
  if (!runIdOf(description)) problems.push({ field: 'description', message: 'the first line naming the run (Member task of run `…`) is gone: put it back' });
  const get = (f: SpecField) => values.get(f)?.trim() || undefined;
  const firstName = get('First name');
  if (!firstName) problems.push({ field: 'First name', message: 'is empty' });
  const email = get('Email');
  if (email && !EMAIL.test(email)) problems.push({ field: 'Email', message: `${JSON.stringify(email)} is not an email address` });
  const username = get('Username')?.toLowerCase();
  if (username && !USERNAME.test(username)) problems.push({ field: 'Username', message: `${JSON.stringify(username)} is not a username: lower-case letters, digits, . _ - (at most 64)` });
  const firstDay = get('First day');
  if (!firstDay || !DATE.test(firstDay) || Number.isNaN(Date.parse(`${firstDay}T00:00:00Z`))) problems.push({ field: 'First day', message: `${JSON.stringify(firstDay ?? '')} is not a date written YYYY-MM-DD` });
  const accounts: AccountSystem[] = [];
  for (const name of (get('Accounts') ?? '').split(/[,\s]+/).filter(Boolean)) {
    const system = ACCOUNT_SYSTEMS.find((s) => s === name.toLowerCase());
    if (!system) problems.push({ field: 'Accounts', message: `${JSON.stringify(name)} is not an account this system makes: one of ${ACCOUNT_SYSTEMS.join(', ')}` });
    else if (!accounts.includes(system)) accounts.push(system);
  }
  if (problems.length) return { ok: false, problems };
  return { ok: true, spec: { firstName: firstName!, ...(get('Last name') ? { lastName: get('Last name') } : {}), ...(email ? { email } : {}), ...(username ? { username } : {}), ...(get('Role') ? { role: get('Role') } : {}), firstDay: firstDay!, accounts } };
}

/**
 * The run's employee as the specification says: names, role, the address (the personal one when the run has one or no
 * company address), and a username changed from the run's becomes the company address `<username>@<domain>` (the
 * run's company domain, else the stage's `emailDomain`). A username that cannot be given is a problem naming it.
 */
export function employeeOf(run: Run, spec: Specification, emailDomain: string | undefined): { ok: true; employee: Employee } | { ok: false; problems: SpecProblem[] } {
  const e = run.employee;
  const next: Employee = { ...e, firstName: spec.firstName };
  if (spec.lastName) next.lastName = spec.lastName;
  else delete next.lastName;
  if (spec.role) next.role = spec.role;
  else delete next.role;
  const personal = e.personalEmail !== undefined || !e.email;
  if (spec.email) {
    if (personal) next.personalEmail = spec.email;
    else next.email = spec.email;
  }
  const was = usernameOf(next);
  if (spec.username && spec.username !== was) {
    const domain = e.email ? e.email.slice(e.email.lastIndexOf('@') + 1) : emailDomain;
    if (!domain) return { ok: false, problems: [{ field: 'Username', message: `cannot be chosen on this stage: the run has no company address, and openproject.memberTasks.emailDomain is not set (leave it ${was ?? 'empty'})` }] };
    next.email = `${spec.username}@${domain}`;
  }
  return { ok: true, employee: next };
}

/** Accounts the specification asks for that the (revised) run's role does not give, or gives and it leaves out. */
export function accountProblems(spec: Specification, run: Pick<Run, 'steps' | 'role'>): SpecProblem[] {
  const given = accountsOfRun(run);
  const extra = spec.accounts.filter((a) => !given.includes(a));
  const missing = given.filter((a) => !spec.accounts.includes(a));
  const role = run.role?.name ?? '(none)';
  const out: SpecProblem[] = [];
  if (extra.length) out.push({ field: 'Accounts', message: `role ${role} does not give ${extra.join(', ')} (it gives ${given.join(', ') || 'no account'}): name a role that does` });
  if (missing.length) out.push({ field: 'Accounts', message: `role ${role} gives ${missing.join(', ')} too: the accounts are the role's; name another role for fewer` });
  return out;
}

/** The comment naming a specification's problems, when it is sent back to In specification. */
export const problemsComment = (problems: SpecProblem[], status: string): string =>
  [`The task was set to ${status}, but the specification cannot be used; nothing was made. Fix these and set it to ${status} again:`, '', ...problems.map((p) => `- ${p.field}: ${p.message}`)].join('\n');

/** What the task gets when its run changes: a comment, and the status it moves to. */
export interface TaskReport {
  comment?: string;
  moveTo?: 'inSpecification' | 'inProgress';
}

/** How the audit trail names an OpenProject user (`openproject:<login>`): the start of every approval given on a task. */
export const OPENPROJECT_ACTOR = 'openproject:';

/**
 * What a run's change does to its task, which is in `taskStatus` (by role in the workflow, or `other`). Nothing is ever
 * written on a task in specification: a comment is written before the move back there. An approval given elsewhere
 * (the console or the API, as after a hold) moves the task to in progress, with a comment unless it is in specification.
 */
export function taskReport(run: Run, notice: RunNotice, taskStatus: 'inSpecification' | 'scheduled' | 'inProgress' | 'other'): TaskReport {
  // Approved elsewhere (the console or the API, after a hold): the task follows to in progress, as the task's own approval moves it.
  if (notice.approvedBy && !notice.approvedBy.startsWith(OPENPROJECT_ACTOR) && !notice.settled && !notice.needsAttention.length && (taskStatus === 'scheduled' || taskStatus === 'inSpecification')) {
    return {
      ...(taskStatus === 'inSpecification' ? {} : { comment: `Approved by ${notice.approvedBy} in the console: making ${accountsOfRun(run).join(', ') || 'no account'} for ${[run.employee.firstName, run.employee.lastName].filter(Boolean).join(' ')}, first day ${run.effectiveDate}.` }),
      moveTo: 'inProgress',
    };
  }
  if (taskStatus === 'inSpecification') return {};
  if (notice.settled === 'completed') {
    const made = run.steps.filter((s) => s.status === 'succeeded' && accountsOfRun({ steps: [s] }).length);
    const byHand = run.steps.filter((s) => s.status === 'skipped');
    return {
      comment: [`Accounts ready for ${[run.employee.firstName, run.employee.lastName].filter(Boolean).join(' ')}:`, '', ...made.map((s) => `- ${s.note ?? s.stepId}`), ...byHand.map((s) => `- ${s.stepId}: done by hand (skipped)`)].join('\n'),
    };
  }
  if (notice.settled === 'cancelled' || notice.settled === 'rejected') return { comment: `The run ${run.runId} was ${notice.settled}: no more accounts are made from this task.` };
  if (notice.needsAttention.length) {
    const failed = run.steps.filter((s) => notice.needsAttention.includes(s.stepId));
    return {
      comment: [
        'A step failed and waits for IT; the task goes back to In specification:',
        '',
        ...failed.map((s) => `- ${s.stepId} (${s.action}): ${s.lastError?.message ?? s.note ?? 'failed'}`),
        '',
        'Correct the specification if it is the cause and set the task to scheduled again; otherwise IT retries the step.',
      ].join('\n'),
      moveTo: 'inSpecification',
    };
  }
  return {};
}
