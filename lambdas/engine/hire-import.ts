/**
 * Turns a CSV of hires, role changes and leavers into validated events, naming every bad row by its line; sends nothing itself.
 * The CLI's `import` and the console's bulk import both plan with it, so it imports no Node built-in.
 */
import { CsvError, parseCsv } from '../shared/csv';
import { sha256Hex } from '../shared/sha256';
import { IMPORT_EVENT_ID_PREFIX, parseLifecycleEvent } from './event-schema';
import type { PlannedEvent, PlannedEventType } from './model';

export const REQUIRED_COLUMNS = ['firstName', 'lastName', 'email'] as const;
export const OPTIONAL_COLUMNS = ['employeeId', 'username', 'role', 'startDate', 'personalEmail', 'managerEmail', 'timezone', 'type', 'effectiveDate', 'urgent'] as const;
/** The event types a row may name in its `type` column; a row without one is a hire. */
export const IMPORT_TYPES = ['hire', 'role_change', 'terminate'] as const satisfies readonly PlannedEventType[];
export const DEFAULT_IMPORT_TYPE = 'hire';
export type ImportColumn = (typeof REQUIRED_COLUMNS)[number] | (typeof OPTIONAL_COLUMNS)[number];
type Column = ImportColumn;
const KNOWN: readonly string[] = [...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS];

/** The event field each column fills, to name the column when the event path alone would not. */
const FIELD_OF: Record<Column, string> = {
  firstName: 'employee.firstName',
  lastName: 'employee.lastName',
  email: 'employee.email',
  employeeId: 'employee.id',
  username: 'employee.email',
  role: 'employee.role',
  type: 'type',
  startDate: 'effectiveDate',
  effectiveDate: 'effectiveDate',
  urgent: 'urgent',
  personalEmail: 'employee.personalEmail',
  managerEmail: 'employee.managerEmail',
  timezone: 'employee.timezone',
};

export const DEFAULT_TIMEZONE = 'UTC';

export interface ImportOptions {
  /** For hire rows whose startDate (or effectiveDate) is empty. */
  startDate?: string;
  /** For rows whose timezone is empty: a hire's is UTC without it; a role change or termination without one is refused. */
  timezone?: string;
  /** Makes `username@domain` the work address of a row with a username and no email. */
  domain?: string;
  /** How the caller names the domain and start date options in a message: the CLI's flags unless told. */
  optionNames?: { domain: string; startDate: string; timezone: string };
}

const CLI_OPTION_NAMES = { domain: '--domain', startDate: '--start-date', timezone: '--timezone' } as const;

export interface ImportRow {
  line: number;
  event: PlannedEvent;
}

export interface RowIssue {
  line: number;
  /** The event field (with its column when that differs), or undefined for a problem with the file itself. */
  path?: string;
  /** The CSV column whose cell is wrong, where one is: a form or table can mark that cell. */
  column?: ImportColumn;
  message: string;
}

/**
 * The rows in file order. A file with any problem is refused whole (`ok: false`, its issues in line order); `rows` then
 * holds the rows that passed, so a preview can count them, but none is to be sent until every issue is fixed.
 */
export type ImportPlan = { ok: true; rows: ImportRow[] } | { ok: false; issues: RowIssue[]; rows: ImportRow[] };

/** Without an employeeId column, the person is known by their work address, or else their personal one. */
export const derivedEmployeeId = (address: string) => `imp-${sha256Hex(address.trim().toLowerCase()).slice(0, 16)}`;

/**
 * One id per type, person and date: the same row imported again is a duplicate the API answers 200, and a corrected
 * row for the same person, type and date reuses the id with another body, which it refuses (409). A hire's id is made
 * as before types came in (employee id and start date alone), so hires imported then stay "already there".
 */
export function importEventId(employeeId: string, date: string, type: PlannedEventType = 'hire'): string {
  const key = type === 'hire' ? `${employeeId}\n${date}` : `${type}\n${employeeId}\n${date}`;
  return `${IMPORT_EVENT_ID_PREFIX}${sha256Hex(key).slice(0, 16)}`;
}

/**
 * What sending one planned row came to, from the API's status: 202 a new run (`held` when the mass-change guard
 * quarantined it: the run's status says so), 200 the same event seen before (a rerun of the file), 409 the same event
 * id with another body (the row was corrected after an import), else a failure.
 */
export type ImportOutcome = 'created' | 'held' | 'duplicate' | 'conflict' | 'failed';

export function importOutcome(status: number, runStatus?: string): ImportOutcome {
  if (status === 202) return runStatus === 'quarantined' ? 'held' : 'created';
  if (status === 200) return 'duplicate';
  if (status === 409) return 'conflict';
  return 'failed';
}

export const issueText = (i: RowIssue) => `line ${i.line}: ${i.path ? `${i.path}: ` : ''}${i.message}`;

/** `now` is this machine's date, against which the API's window for start dates is checked. */
export function planImport(text: string, options: ImportOptions = {}, now = new Date()): ImportPlan {
  let records;
  try {
    records = parseCsv(text);
  } catch (err) {
    if (err instanceof CsvError) return { ok: false, issues: [{ line: err.line, message: err.message.replace(/^line \d+: /, '') }], rows: [] };
    throw err;
  }
  const [header, ...data] = records;
  if (!header) return { ok: false, issues: [{ line: 1, message: `the file is empty; its first line must be the header ${REQUIRED_COLUMNS.join(',')}` }], rows: [] };

  const names = header.fields.map((f) => f.trim());
  const problems: string[] = [];
  const unknown = names.filter((n) => n !== '' && !KNOWN.includes(n));
  if (unknown.length) problems.push(`unknown columns: ${unknown.join(', ')} (known: ${KNOWN.join(', ')})`);
  const unnamed = names.flatMap((n, i) => (n === '' ? [i + 1] : []));
  if (unnamed.length) problems.push(`columns without a name: ${unnamed.join(', ')}`);
  const twice = [...new Set(names.filter((n, i) => n !== '' && names.indexOf(n) !== i))];
  if (twice.length) problems.push(`columns given twice: ${twice.join(', ')}`);
  const missing = REQUIRED_COLUMNS.filter((c) => !names.includes(c));
  if (missing.length) problems.push(`missing columns: ${missing.join(', ')}`);
  if (problems.length) return { ok: false, issues: problems.map((message) => ({ line: header.line, message })), rows: [] };

  const issues: RowIssue[] = [];
  const rows: ImportRow[] = [];
  const lineOfId = new Map<string, number>();
  const lineOfAddress = new Map<string, number>();
  for (const record of data) {
    // Spreadsheets export empty rows as a line of commas.
    if (record.fields.every((f) => f.trim() === '')) continue;
    if (record.fields.length !== names.length) {
      issues.push({ line: record.line, message: `has ${record.fields.length} fields, the header has ${names.length}` });
      continue;
    }
    const row = checkRow(record.line, names, Object.fromEntries(names.map((n, i) => [n, record.fields[i].trim()])), options, now);
    if ('issues' in row) {
      issues.push(...row.issues);
      continue;
    }
    const first = lineOfId.get(row.event.employee.id);
    if (first !== undefined) {
      issues.push({ line: record.line, path: 'employee.id', message: `${row.event.employee.id} is also on line ${first}: one row per person in a file` });
      continue;
    }
    // Two people with one work address: the second would find the first's account and wait for an operator.
    const address = row.event.employee.email?.toLowerCase();
    const sameAddress = address === undefined ? undefined : lineOfAddress.get(address);
    if (sameAddress !== undefined) {
      issues.push({ line: record.line, path: 'employee.email', column: 'email', message: `${address} is also on line ${sameAddress}: one work address per person` });
      continue;
    }
    lineOfId.set(row.event.employee.id, record.line);
    if (address !== undefined) lineOfAddress.set(address, record.line);
    rows.push(row);
  }
  if (issues.length) return { ok: false, issues, rows };
  if (!rows.length) return { ok: false, issues: [{ line: header.line, message: 'no rows under the header' }], rows };
  return { ok: true, rows };
}

function checkRow(line: number, names: string[], cells: Record<string, string>, options: ImportOptions, now: Date): ImportRow | { issues: RowIssue[] } {
  const cell = (c: Column) => cells[c] || undefined;
  const own: RowIssue[] = [];

  let email = cell('email');
  const username = cell('username');
  if (username && email && email.slice(0, email.lastIndexOf('@')).toLowerCase() !== username.toLowerCase()) {
    own.push({ line, ...at('username'), message: `"${username}" is not the local part of the email ${email}; leave one of them empty` });
  } else if (username && !email) {
    if (options.domain) email = `${username}@${options.domain}`;
    else own.push({ line, ...at('username'), message: `a username without an email needs ${(options.optionNames ?? CLI_OPTION_NAMES).domain} to make the address` });
  }

  const personalEmail = cell('personalEmail');
  const known = cell('employeeId') ?? email ?? personalEmail;
  const employeeId = cell('employeeId') ?? (known ? derivedEmployeeId(known) : undefined);
  // A username without its domain was reported already.
  if (!employeeId && !username) own.push({ line, ...at('employeeId'), message: 'is needed when the row has no email, username or personalEmail' });

  const typeCell = cell('type') ?? DEFAULT_IMPORT_TYPE;
  const type = (IMPORT_TYPES as readonly string[]).includes(typeCell) ? (typeCell as (typeof IMPORT_TYPES)[number]) : undefined;
  if (!type) own.push({ line, ...at('type'), message: `"${typeCell}" is not one of ${IMPORT_TYPES.join(', ')} (empty: ${DEFAULT_IMPORT_TYPE})` });

  // The date: effectiveDate for any type; startDate, the older name, for a hire only.
  const started = cell('startDate');
  const effective = cell('effectiveDate');
  let dateColumn: 'startDate' | 'effectiveDate' = effective || !started ? 'effectiveDate' : 'startDate';
  if (started && type && type !== 'hire') {
    own.push({ line, ...at('startDate'), message: `is a hire's date; a ${type}'s date goes in effectiveDate${type === 'terminate' ? ' (the last day)' : ''}` });
  } else if (started && effective && started !== effective) {
    own.push({ line, ...at('startDate'), message: `${started} is not the effectiveDate ${effective}; leave one of them empty` });
  }
  let date = effective ?? started;
  if (!date && type === 'hire') {
    date = options.startDate;
    dateColumn = names.includes('startDate') || !names.includes('effectiveDate') ? 'startDate' : 'effectiveDate';
    if (!date) own.push({ line, ...at(dateColumn), message: `is empty and no ${(options.optionNames ?? CLI_OPTION_NAMES).startDate} was given` });
  } else if (!date && type) {
    own.push({ line, ...at('effectiveDate'), message: `is empty: a ${type} needs its date${type === 'terminate' ? ' (the last day)' : ''}` });
  }

  const urgentCell = cell('urgent')?.toLowerCase();
  const urgent = urgentCell === 'true';
  if (urgentCell !== undefined && urgentCell !== 'true' && urgentCell !== 'false') own.push({ line, ...at('urgent'), message: `must be true or false (or empty), got "${cell('urgent')}"` });

  // A leaver's cut-off is at the end of the last day in their zone, a mover's change at its start: UTC in its place
  // would move either by hours, and the event's zone replaces the one on record.
  const timezone = cell('timezone') ?? options.timezone ?? (type === 'hire' ? DEFAULT_TIMEZONE : undefined);
  if (!timezone && type) {
    own.push({ line, ...at('timezone'), message: `is empty and no ${(options.optionNames ?? CLI_OPTION_NAMES).timezone} was given: a ${type} happens at ${type === 'terminate' ? 'the end of the last day' : 'the start of its day'} in the person's own zone` });
  }

  const role = cell('role');
  if (type === 'role_change' && !role) own.push({ line, ...at('role'), message: 'is required for a role_change: the role the person moves to' });

  const event: PlannedEvent = {
    eventId: employeeId && date && type ? importEventId(employeeId, date, type) : 'import-pending',
    type: type ?? DEFAULT_IMPORT_TYPE,
    effectiveDate: date ?? '',
    urgent,
    employee: omitUndefined({
      id: employeeId ?? 'pending',
      firstName: cells.firstName,
      lastName: cell('lastName'),
      email,
      personalEmail,
      managerEmail: cell('managerEmail'),
      role,
      timezone: timezone ?? DEFAULT_TIMEZONE,
    }),
  };
  // The API's own schema: a row that passes here is a body the API accepts.
  const parsed = parseLifecycleEvent(event, now);
  const ownPaths = new Set(own.map((i) => i.path));
  const schema = parsed.ok
    ? []
    : parsed.issues.map((i) => ({ line, ...withColumn(i.path, dateColumn), message: i.message })).filter((i) => !ownPaths.has(i.path))
        // With its type refused, the row was checked as a hire: "only a terminate can be urgent" would mislead.
        .filter((i) => type || i.path !== 'urgent');
  const all = [...own, ...schema];
  return all.length ? { issues: all } : { line, event };
}

/** The event path, with the column that fills it when their names differ (startDate → effectiveDate). */
function columnPath(c: Column): string {
  const field = FIELD_OF[c];
  return field.split('.').pop() === c ? field : `${field} (column ${c})`;
}

/** Where a problem with one column's cell is: its path and the column. */
const at = (c: Column) => ({ path: columnPath(c), column: c });

/** Where a problem the event schema found is: the path with its column, when a column fills that field. */
function withColumn(path: string, dateColumn: 'startDate' | 'effectiveDate'): { path: string; column?: Column } {
  if (path === 'effectiveDate') return at(dateColumn);
  // employee.email is filled by the email column; username only makes it when email is empty.
  const c = (Object.keys(FIELD_OF) as Column[]).find((k) => FIELD_OF[k] === path);
  return c ? at(c) : { path };
}

function omitUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
