import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { build } from 'esbuild';
import { derivedEmployeeId, importEventId, importOutcome, issueText, planImport, type ImportOptions } from '../../../lambdas/engine/hire-import';

/** This machine's date in these cases: the 2027 start dates lie within the API's window. */
const NOW = new Date('2026-11-23T10:00:00Z');

function rowsOf(text: string, options?: ImportOptions) {
  const plan = planImport(text, options, NOW);
  if (!plan.ok) throw new Error(`expected a valid file, got:\n${plan.issues.map(issueText).join('\n')}`);
  return plan.rows;
}

function problemsOf(text: string, options?: ImportOptions): string[] {
  const plan = planImport(text, options, NOW);
  if (plan.ok) throw new Error('expected problems, the file was accepted');
  return plan.issues.map(issueText);
}

describe('planImport', () => {
  it('builds one hire event per row, with the optional columns in any order', () => {
    const rows = rowsOf(
      [
        'timezone,email,firstName,role,lastName,startDate,managerEmail,personalEmail,employeeId',
        'Europe/Berlin,juergen.mueller@example.com,Jürgen,support-agent,Müller,2027-01-04,grace.hopper@example.com,jm@home.example,E900',
      ].join('\n'),
    );
    expect(rows).toEqual([
      {
        line: 2,
        event: {
          eventId: importEventId('E900', '2027-01-04'),
          type: 'hire',
          effectiveDate: '2027-01-04',
          urgent: false,
          employee: {
            id: 'E900',
            firstName: 'Jürgen',
            lastName: 'Müller',
            email: 'juergen.mueller@example.com',
            personalEmail: 'jm@home.example',
            managerEmail: 'grace.hopper@example.com',
            role: 'support-agent',
            timezone: 'Europe/Berlin',
          },
        },
      },
    ]);
  });

  it('defaults: the id from the work email, the date from --start-date, the zone from --timezone or UTC; empty cells are left out', () => {
    const text = 'firstName,lastName,email,startDate,timezone\nAda,Lovelace,Ada.Lovelace@example.com,,\nPrince,,prince@example.com,2027-02-01,\n';
    const [ada, prince] = rowsOf(text, { startDate: '2027-01-04', timezone: 'Europe/London' });
    expect(ada.event.employee.id).toBe(derivedEmployeeId('ada.lovelace@example.com'));
    expect(ada.event.employee.id).toMatch(/^imp-[0-9a-f]{16}$/);
    expect(ada.event.effectiveDate).toBe('2027-01-04');
    expect(ada.event.employee.timezone).toBe('Europe/London');
    expect(prince.event.effectiveDate).toBe('2027-02-01');
    expect(prince.event.employee).not.toHaveProperty('lastName');
    expect(rowsOf(text, { startDate: '2027-01-04' })[0].event.employee.timezone).toBe('UTC');
  });

  it('makes the same event id for the same person and start date, and another for another date', () => {
    const once = rowsOf('firstName,lastName,email,startDate\nAda,Lovelace,ada@example.com,2027-01-04\n')[0].event.eventId;
    const corrected = rowsOf('firstName,lastName,email,startDate,role\nAda,Lovelace,ada@example.com,2027-01-04,support-agent\n')[0].event.eventId;
    const later = rowsOf('firstName,lastName,email,startDate\nAda,Lovelace,ada@example.com,2027-02-01\n')[0].event.eventId;
    expect(once).toMatch(/^import-[0-9a-f]{16}$/);
    expect(corrected).toBe(once);
    expect(later).not.toBe(once);
  });

  it('a username with no email becomes username@--domain; with an email it must be its local part', () => {
    const text = 'firstName,lastName,email,username,startDate\nAda,Lovelace,,alovelace,2027-01-04\n';
    expect(rowsOf(text, { domain: 'example.com' })[0].event.employee.email).toBe('alovelace@example.com');
    expect(problemsOf(text)).toEqual(['line 2: employee.email (column username): a username without an email needs --domain to make the address']);
    expect(rowsOf('firstName,lastName,email,username,startDate\nAda,Lovelace,ALovelace@example.com,alovelace,2027-01-04\n')).toHaveLength(1);
    expect(problemsOf('firstName,lastName,email,username,startDate\nAda,Lovelace,ada@example.com,alovelace,2027-01-04\n')).toEqual([
      'line 2: employee.email (column username): "alovelace" is not the local part of the email ada@example.com; leave one of them empty',
    ]);
  });

  it('with neither email nor username, the id comes from the personal email, and a row with none of them needs an employeeId', () => {
    const text = 'firstName,lastName,email,personalEmail,startDate\nPrince,,,prince@home.example,2027-01-04\nCher,,,,2027-01-04\n';
    expect(problemsOf(text)).toEqual(['line 3: employee.id (column employeeId): is needed when the row has no email, username or personalEmail']);
    expect(rowsOf(text.split('\n').slice(0, 2).join('\n'))[0].event.employee.id).toBe(derivedEmployeeId('prince@home.example'));
  });

  it('reports every bad row with its line and field, counting blank lines and quoted line breaks', () => {
    const text = [
      'firstName,lastName,email,personalEmail,startDate,timezone',
      'Ada,Lovelace,ada@example.com,ada@home.example,2027-01-04,Europe/Berlin',
      '',
      'Grace,Hopper,grace@example.com,not-an-email,2027-01-04,Europe/Berlin',
      '"Jean-Luc","O\'Neil,',
      'Smith",jl@example.com,,2027-02-30,Mars/Olympus',
      ',Nobody,nobody@example.com,,,',
      'Too,Few,fields@example.com',
      'Katherine,Johnson,katherine@example.com,,2027-01-04,America/New_York',
    ].join('\r\n');
    expect(problemsOf(text)).toEqual([
      'line 4: employee.personalEmail: must be an email address',
      'line 5: effectiveDate (column startDate): must be a real calendar date written YYYY-MM-DD',
      // A line break inside a quoted cell keeps the line count right, and is no part of a name.
      'line 5: employee.lastName: must not contain control characters (U+000D at position 8)',
      'line 5: employee.timezone: must be an IANA time zone such as Europe/Berlin',
      'line 7: effectiveDate (column startDate): is empty and no --start-date was given',
      'line 7: employee.firstName: must not be empty',
      'line 8: has 3 fields, the header has 6',
    ]);
  });

  it('refuses the same person twice in one file', () => {
    const text = 'firstName,lastName,email,startDate\nAda,Lovelace,ada@example.com,2027-01-04\nAda,Lovelace,ADA@example.com,2027-02-01\n';
    expect(problemsOf(text)).toEqual([
      `line 3: employee.id: ${derivedEmployeeId('ada@example.com')} is also on line 2: one row per person in a file`,
    ]);
  });

  it('refuses two people with one work address, whatever its case', () => {
    const text = 'employeeId,firstName,lastName,email,startDate\nX1,Ada,Lovelace,ada@example.com,2027-01-04\nX2,Augusta,King,ADA@Example.com,2027-01-04\n';
    expect(problemsOf(text)).toEqual(['line 3: employee.email: ada@example.com is also on line 2: one work address per person']);
  });

  it.each([
    ['unknown columns', 'firstName,lastName,email,department,cost center\n', 'line 1: unknown columns: department, cost center (known: firstName, lastName, email, employeeId,'],
    ['a missing required column', 'firstName,email\n', 'line 1: missing columns: lastName'],
    ['a column twice', 'firstName,lastName,email,email\n', 'line 1: columns given twice: email'],
    ['an empty file', '', 'line 1: the file is empty; its first line must be the header firstName,lastName,email'],
    ['a header and no rows', 'firstName,lastName,email\n\n', 'line 1: no rows under the header'],
    ['a quote never closed', 'firstName,lastName,email\n"Ada,Lovelace,ada@example.com\n', 'line 2: a quoted field is not closed'],
  ])('refuses %s', (_what, text, message) => {
    expect(problemsOf(text).join('\n')).toContain(message);
  });

  it('refuses a start date outside the API window and a name with control characters, as the API would', () => {
    const text = [
      'firstName,lastName,email,startDate,role',
      'Ada,Lovelace,ada@example.com,9999-12-31,',
      '"Gr\u001b[2Jace",Hopper,grace@example.com,2027-01-04,',
      'Alan,"Tu\u202ering",alan@example.com,2027-01-04,',
      'Kate,Johnson,kate@example.com,2027-01-04,"support\u0000agent"',
    ].join('\n');
    expect(problemsOf(text)).toEqual([
      'line 2: effectiveDate (column startDate): must be between 2025-11-23 and 2028-11-22 (at most 365 days back and 730 days ahead of 2026-11-23)',
      'line 3: employee.firstName: must not contain control characters (U+001B at position 3)',
      'line 4: employee.lastName: must not contain control characters (U+202E at position 3)',
      'line 5: employee.role: must not contain control characters (U+0000 at position 8)',
    ]);
  });

  it('gives a form what it needs: the rows in file order, and for a refused file every issue with its line, field and column beside the rows that passed', () => {
    const text = [
      'firstName,lastName,email,startDate,timezone',
      'Ada,Lovelace,ada@example.com,2027-01-04,',
      'Grace,Hopper,grace@example.com,2027-13-01,',
      'Alan,Turing,alan@example.com,2027-01-05,Mars/Olympus',
      'Kate,Johnson,kate@example.com,2027-01-06,',
    ].join('\n');
    const plan = planImport(text, {}, NOW);
    expect(plan).toEqual({
      ok: false,
      issues: [
        { line: 3, path: 'effectiveDate (column startDate)', column: 'startDate', message: 'must be a real calendar date written YYYY-MM-DD' },
        { line: 4, path: 'employee.timezone', column: 'timezone', message: 'must be an IANA time zone such as Europe/Berlin' },
      ],
      rows: [expect.objectContaining({ line: 2 }), expect.objectContaining({ line: 5 })],
    });
    const fixed = planImport(text.replace('2027-13-01', '2027-01-03').replace('Mars/Olympus', 'Europe/London'), {}, NOW);
    expect(fixed.ok && fixed.rows.map((r) => [r.line, r.event.employee.email])).toEqual([
      [2, 'ada@example.com'],
      [3, 'grace@example.com'],
      [4, 'alan@example.com'],
      [5, 'kate@example.com'],
    ]);
  });

  it('a problem with the file itself names its line and no column', () => {
    const plan = planImport('firstName,lastName,email\nAda,Lovelace\n', {}, NOW);
    expect(plan).toEqual({ ok: false, issues: [{ line: 2, message: 'has 2 fields, the header has 3' }], rows: [] });
  });
});

describe('planImport: role changes and leavers', () => {
  const LEAVERS = 'type,employeeId,firstName,lastName,email,effectiveDate,urgent,timezone';

  it('reads the type column: hire when empty, role_change and terminate with their date in effectiveDate', () => {
    const rows = rowsOf(
      [
        'type,employeeId,firstName,lastName,email,role,startDate,effectiveDate,urgent,timezone',
        ',E1,Ada,Lovelace,ada@example.com,,2027-01-04,,,',
        'role_change,E2,Grace,Hopper,grace@example.com,support-lead,,2027-01-05,,Europe/London',
        'terminate,E3,Alan,Turing,alan@example.com,,,2027-01-06,true,America/New_York',
        'terminate,E4,Kate,Johnson,kate@example.com,,,2027-01-07,false,Asia/Tokyo',
        'hire,E5,Jean,Bartik,jean@example.com,,,2027-01-08,,',
      ].join('\n'),
    );
    expect(rows.map((r) => [r.line, r.event.type, r.event.employee.id, r.event.effectiveDate, r.event.urgent])).toEqual([
      [2, 'hire', 'E1', '2027-01-04', false],
      [3, 'role_change', 'E2', '2027-01-05', false],
      [4, 'terminate', 'E3', '2027-01-06', true],
      [5, 'terminate', 'E4', '2027-01-07', false],
      [6, 'hire', 'E5', '2027-01-08', false],
    ]);
    expect(rows[1].event.employee.role).toBe('support-lead');
    expect(rows.map((r) => r.event.employee.timezone)).toEqual(['UTC', 'Europe/London', 'America/New_York', 'Asia/Tokyo', 'UTC']);
    expect(rows[2].event.eventId).toBe(importEventId('E3', '2027-01-06', 'terminate'));
  });

  it('a hire row gives exactly the id it gave before types came in, with or without a type column', () => {
    const before = rowsOf('firstName,lastName,email,startDate\nAda,Lovelace,ada@example.com,2027-01-04\n')[0].event.eventId;
    const typed = rowsOf('type,firstName,lastName,email,startDate\nhire,Ada,Lovelace,ada@example.com,2027-01-04\n')[0].event.eventId;
    const effective = rowsOf('type,firstName,lastName,email,effectiveDate\n,Ada,Lovelace,ada@example.com,2027-01-04\n')[0].event.eventId;
    expect(typed).toBe(before);
    expect(effective).toBe(before);
    expect(importEventId(derivedEmployeeId('ada@example.com'), '2027-01-04', 'hire')).toBe(before);
  });

  it('gives each type its own id for the same person and date, the same again on a rerun', () => {
    const ids = (['hire', 'role_change', 'terminate'] as const).map((t) => importEventId('E1', '2027-01-04', t));
    expect(new Set(ids).size).toBe(3);
    for (const id of ids) expect(id).toMatch(/^import-[0-9a-f]{16}$/);
    const file = `${LEAVERS}\nterminate,E1,Ada,Lovelace,ada@example.com,2027-01-04,,Europe/Berlin\n`;
    expect(rowsOf(file)[0].event.eventId).toBe(ids[2]);
    expect(rowsOf(file)[0].event.eventId).toBe(rowsOf(file)[0].event.eventId);
  });

  it('a leaver without an employeeId gets the id derived from the work email, as their hire did', () => {
    const hire = rowsOf('firstName,lastName,email,startDate\nAda,Lovelace,Ada@Example.com,2027-01-04\n')[0].event.employee.id;
    const leaver = rowsOf('type,firstName,lastName,email,effectiveDate\nterminate,Ada,Lovelace,ada@example.com,2027-06-30\n', { timezone: 'Europe/London' })[0].event.employee.id;
    expect(leaver).toBe(hire);
  });

  it('names the line and column of a bad type, a role_change without a role, an urgent hire, a bad urgent and a leaver without a date', () => {
    const text = [
      'type,employeeId,firstName,lastName,email,role,startDate,effectiveDate,urgent',
      'terminated,E1,Ada,Lovelace,ada@example.com,,,2027-01-04,',
      'role_change,E2,Grace,Hopper,grace@example.com,,,2027-01-04,',
      'hire,E3,Alan,Turing,alan@example.com,,2027-01-04,,true',
      'terminate,E4,Kate,Johnson,kate@example.com,,,2027-01-04,yes',
      'terminate,E5,Jean,Bartik,jean@example.com,,,,',
      'terminate,E6,Ida,Rhodes,ida@example.com,,2027-01-04,,',
    ].join('\n');
    const plan = planImport(text, { timezone: 'Europe/Berlin' }, NOW);
    expect(plan.ok).toBe(false);
    expect(!plan.ok && plan.issues.map((i) => [i.line, i.column, issueText(i)])).toEqual([
      [2, 'type', 'line 2: type: "terminated" is not one of hire, role_change, terminate (empty: hire)'],
      [3, 'role', 'line 3: employee.role: is required for a role_change: the role the person moves to'],
      [4, 'urgent', 'line 4: urgent: only a terminate event can be urgent'],
      [5, 'urgent', 'line 5: urgent: must be true or false (or empty), got "yes"'],
      [6, 'effectiveDate', 'line 6: effectiveDate: is empty: a terminate needs its date (the last day)'],
      [7, 'startDate', "line 7: effectiveDate (column startDate): is a hire's date; a terminate's date goes in effectiveDate (the last day)"],
    ]);
  });

  it('refuses the same person twice in a file, whatever the types of the two rows', () => {
    const text = `${LEAVERS}\nhire,E1,Ada,Lovelace,ada@example.com,2027-01-04,,\nterminate,E1,Ada,Lovelace,ada@example.com,2027-06-30,,Europe/Berlin\n`;
    expect(problemsOf(text)).toEqual(['line 3: employee.id: E1 is also on line 2: one row per person in a file']);
  });

  it('--start-date fills a hire only: a leaver without its date is refused', () => {
    const text = 'type,firstName,lastName,email\nhire,Ada,Lovelace,ada@example.com\nterminate,Grace,Hopper,grace@example.com\n';
    expect(problemsOf(text, { startDate: '2027-01-04', timezone: 'Europe/Berlin' })).toEqual(['line 3: effectiveDate: is empty: a terminate needs its date (the last day)']);
  });

  it('a leaver or mover needs their zone, from the row or --timezone; a hire keeps the UTC default', () => {
    const text = [
      'type,employeeId,firstName,lastName,email,role,effectiveDate,timezone',
      'hire,E1,Ada,Lovelace,ada@example.com,,2027-01-04,',
      'terminate,E2,Grace,Hopper,grace@example.com,,2027-01-05,',
      'role_change,E3,Alan,Turing,alan@example.com,support-lead,2027-01-06,',
      'terminate,E4,Kate,Johnson,kate@example.com,,2027-01-07,America/Chicago',
    ].join('\n');
    expect(problemsOf(text)).toEqual([
      "line 3: employee.timezone: is empty and no --timezone was given: a terminate happens at the end of the last day in the person's own zone",
      "line 4: employee.timezone: is empty and no --timezone was given: a role_change happens at the start of its day in the person's own zone",
    ]);
    expect(rowsOf(text, { timezone: 'Europe/Paris' }).map((r) => r.event.employee.timezone)).toEqual(['Europe/Paris', 'Europe/Paris', 'Europe/Paris', 'America/Chicago']);
  });
});

describe('import ids', () => {
  /** The ids as the CLI made them before the planner moved: SHA-256 from node:crypto. Rows imported then must answer "already there" now. */
  const nodeSha = (text: string) => createHash('sha256').update(text).digest('hex');
  const oldEmployeeId = (address: string) => `imp-${nodeSha(address.trim().toLowerCase()).slice(0, 16)}`;
  const oldEventId = (employeeId: string, startDate: string) => `import-${nodeSha(`${employeeId}\n${startDate}`).slice(0, 16)}`;

  const ADDRESSES = ['ada@example.com', ' Ada.Lovelace@Example.com ', 'juergen.müller@example.com', 'prince+hr@home.example', '王小明@example.cn', `${'x'.repeat(60)}@example.com`, ''];
  const IDS = ['E900', 'E-IMP-1', 'imp-0123456789abcdef', 'Jürgen-7', '😀', 'x'.repeat(70)];

  it.each(ADDRESSES)('derivedEmployeeId(%j) is the id the CLI derived before', (address) => {
    expect(derivedEmployeeId(address)).toBe(oldEmployeeId(address));
  });

  it.each(IDS)('importEventId(%j, date) is the id the CLI made before', (id) => {
    for (const date of ['2027-01-04', '2026-12-31', '']) expect(importEventId(id, date)).toBe(oldEventId(id, date));
  });

  it('the same CSV row gives the same event id and employee id as before', () => {
    const [row] = rowsOf('firstName,lastName,email,startDate\nJürgen,Müller,Juergen.Mueller@Example.com,2027-01-04\n');
    const employeeId = oldEmployeeId('Juergen.Mueller@Example.com');
    expect(row.event.employee.id).toBe(employeeId);
    expect(row.event.eventId).toBe(oldEventId(employeeId, '2027-01-04'));
  });
});

describe('importOutcome', () => {
  it.each([
    [202, 'created'],
    [200, 'duplicate'],
    [409, 'conflict'],
    [400, 'failed'],
    [401, 'failed'],
    [0, 'failed'],
    [500, 'failed'],
  ])('names an answer %i %s', (status, outcome) => {
    expect(importOutcome(status)).toBe(outcome);
  });

  it('names a new run the mass-change guard quarantined held, not failed', () => {
    expect(importOutcome(202, 'quarantined')).toBe('held');
    expect(importOutcome(202, 'scheduled')).toBe('created');
    expect(importOutcome(200, 'quarantined')).toBe('duplicate');
  });
});

describe('the planner in a browser', () => {
  it('bundles for the browser with no Node built-in in its import graph', async () => {
    // esbuild refuses a Node built-in (node:crypto, fs, …) when bundling for the browser, so a new one fails here.
    const result = await build({
      entryPoints: [join(__dirname, '../../../lambdas/engine/hire-import.ts')],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
    });
    const code = result.outputFiles[0].text;
    expect(code).not.toMatch(/\bnode:|require\(/);
    expect(code).toContain('planImport');
  });
});
