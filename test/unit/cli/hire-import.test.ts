import { derivedEmployeeId, importEventId, issueText, planImport, type ImportOptions } from '../../../bin/cli/hire-import';

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
      `line 3: employee.id: ${derivedEmployeeId('ada@example.com')} is also on line 2: one hire per person in a file`,
    ]);
  });

  it.each([
    ['unknown columns', 'firstName,lastName,email,department,cost center\n', 'line 1: unknown columns: department, cost center (known: firstName, lastName, email, employeeId,'],
    ['a missing required column', 'firstName,email\n', 'line 1: missing columns: lastName'],
    ['a column twice', 'firstName,lastName,email,email\n', 'line 1: columns given twice: email'],
    ['an empty file', '', 'line 1: the file is empty; its first line must be the header firstName,lastName,email'],
    ['a header and no rows', 'firstName,lastName,email\n\n', 'line 1: no hires under the header'],
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
});
