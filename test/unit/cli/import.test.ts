import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { derivedEmployeeId } from '../../../lambdas/engine/hire-import';
import type { Runtime } from '../../../local/runtime';
import { daysFromToday } from '../../support/builders';
import { operator, SECRET, start } from '../../support/harness';
import { runWith } from './cli-harness';

/** Start dates within the API's window around today. */
const [START, LATER, MARCH, APRIL, MAY] = [100, 128, 156, 187, 217].map(daysFromToday);

function csvFile(content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'lifecycle-import-')), 'hires.csv');
  writeFileSync(path, content);
  return path;
}

const HIRES = [
  '\uFEFFfirstName,lastName,email,role,startDate,personalEmail,timezone,employeeId',
  `Jürgen,Müller,juergen.mueller@example.com,support-agent,${START},jm@home.example,Europe/Berlin,E-IMP-1`,
  `"Jean-Luc","O'Neil, Smith",jl.oneil@example.com,,${START},,,`,
  `Prince,,prince@example.com,,${LATER},"prince+hr@home.example",America/New_York,`,
].join('\r\n');

describe('lifecycle import against the local runtime', () => {
  let rt: Runtime;
  let env: Record<string, string>;
  beforeAll(async () => {
    rt = await start();
    env = { LIFECYCLE_API_URL: rt.apiUrl, LIFECYCLE_HMAC_SECRET: SECRET };
  });
  afterAll(async () => {
    await rt.stop();
  });

  const employee = async (id: string) => (await operator(rt, 'GET', `/v1/employees/${encodeURIComponent(id)}`)).body;

  it('imports three hires, and a second import of the same file creates nothing new', async () => {
    const file = csvFile(HIRES);
    const first = await runWith(['import', file], { env, fetch: globalThis.fetch });
    expect(first.code).toBe(0);
    expect(first.stdout.split('\n')[0]).toBe(`${file}: 3 hires: 3 created, 0 already there, 0 failed`);
    // stderr is no terminal here: one progress line per row.
    expect(first.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^1\/3 line 2 import-[0-9a-f]{16}: created$/), expect.stringMatching(/^2\/3 line 3 /), expect.stringMatching(/^3\/3 line 4 /)]);

    const jl = derivedEmployeeId('jl.oneil@example.com');
    const views = await Promise.all(['E-IMP-1', jl, derivedEmployeeId('prince@example.com')].map(employee));
    expect(views.map((v) => v.runs.length)).toEqual([1, 1, 1]);
    expect(views[0].employee).toMatchObject({ firstName: 'Jürgen', lastName: 'Müller', role: 'support-agent', timezone: 'Europe/Berlin' });
    expect(views[1].employee).toMatchObject({ firstName: 'Jean-Luc', lastName: "O'Neil, Smith", timezone: 'UTC' });
    expect(views[2].employee).toMatchObject({ personalEmail: 'prince+hr@home.example', timezone: 'America/New_York' });
    expect(views[2].employee).not.toHaveProperty('lastName');
    expect(views[2].runs[0]).toMatchObject({ type: 'hire', effectiveDate: LATER });

    const again = await runWith(['import', file], { env, fetch: globalThis.fetch });
    expect(again.code).toBe(0);
    expect(again.stdout.split('\n')[0]).toBe(`${file}: 3 hires: 0 created, 3 already there, 0 failed`);
    expect(again.stdout).toMatch(new RegExp(`^3\\s+hire\\s+${jl}\\s+import-[0-9a-f]{16}\\s+duplicate\\s+${views[1].runs[0].runId}$`, 'm'));
    const after = await Promise.all(['E-IMP-1', jl, derivedEmployeeId('prince@example.com')].map(employee));
    expect(after.map((v) => v.runs.length)).toEqual([1, 1, 1]);
  });

  it('reports a corrected row for a person already imported as a conflict (exit 1) and still sends the others', async () => {
    const file = csvFile(
      [
        'firstName,lastName,email,startDate,employeeId,role',
        `Grace,Hopper,grace@example.com,${MARCH},E-IMP-20,`,
        `Alan,Turing,alan@example.com,${MARCH},E-IMP-21,`,
      ].join('\n'),
    );
    expect((await runWith(['import', file], { env, fetch: globalThis.fetch })).code).toBe(0);
    const corrected = csvFile(
      [
        'firstName,lastName,email,startDate,employeeId,role',
        `Grace,Hopper,grace@example.com,${MARCH},E-IMP-20,support-agent`,
        `Alan,Turing,alan@example.com,${MARCH},E-IMP-21,`,
        `Katherine,Johnson,katherine@example.com,${MARCH},E-IMP-22,`,
      ].join('\n'),
    );
    const result = await runWith(['import', corrected], { env, fetch: globalThis.fetch });
    expect(result.code).toBe(1);
    expect(result.stdout.split('\n')[0]).toBe(`${corrected}: 3 hires: 1 created, 1 already there, 1 failed`);
    expect(result.stderr).toContain('1 of 3 hires were not imported:');
    expect(result.stderr).toMatch(/ {2}line 2: (import-[0-9a-f]{16}): event \1 was already received with a different body \(this person was imported for this start date with other details;/);
    expect((await employee('E-IMP-22')).runs).toHaveLength(1);
  });

  it('sends nothing when any row is bad, naming every bad line (exit 2)', async () => {
    const file = csvFile(
      [
        'firstName,lastName,email,startDate,personalEmail,employeeId',
        `Ok,Row,ok@example.com,${APRIL},,E-IMP-30`,
        `Bad,Email,bad@example.com,${APRIL},not-an-email,E-IMP-31`,
        'Bad,Date,date@example.com,2099-13-01,,E-IMP-32',
      ].join('\n'),
    );
    const result = await runWith(['import', file], { env, fetch: globalThis.fetch });
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')).toEqual([
      `${file}: 2 lines have problems; nothing was sent:`,
      '  line 3: employee.personalEmail: must be an email address',
      '  line 4: effectiveDate (column startDate): must be a real calendar date written YYYY-MM-DD',
      '',
    ]);
    expect((await operator(rt, 'GET', '/v1/employees/E-IMP-30')).status).toBe(404);
  });

  it('--dry-run prints the events and sends nothing', async () => {
    const file = csvFile('firstName,lastName,email\nAda,Lovelace,ada.import@example.com\n');
    const result = await runWith(['import', file, '--dry-run', '--start-date', MAY, '--timezone', 'Europe/Berlin'], { env, fetch: globalThis.fetch });
    expect(result.code).toBe(0);
    const [heading, line] = result.stdout.trim().split('\n');
    expect(heading).toBe(`dry run, nothing sent: 1 hire event for POST ${rt.apiUrl}/v1/events`);
    expect(line).toMatch(/^line 2 hire: \{/);
    const event = JSON.parse(line.replace(/^line 2 hire: /, ''));
    expect(event).toMatchObject({ type: 'hire', effectiveDate: MAY, urgent: false, employee: { firstName: 'Ada', timezone: 'Europe/Berlin' } });
    expect((await operator(rt, 'GET', `/v1/employees/${event.employee.id}`)).status).toBe(404);
  });
});

describe('lifecycle import, progress and options', () => {
  const hires = `firstName,lastName,email,startDate\nAda,Lovelace,ada@example.com,${START}\nGrace,Hopper,grace@example.com,${START}\n`;

  it('draws a bar in place when stderr is a terminal', async () => {
    const result = await runWith(['import', 'hires.csv'], {
      readFile: async () => hires,
      stderrIsTTY: true,
      answer: () => ({ status: 202, body: { runId: 'r1', type: 'hire', status: 'scheduled', steps: [] } }),
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(`\r[${'#'.repeat(10)}${'.'.repeat(10)}] 1/2\r[${'#'.repeat(20)}] 2/2\n`);
  });

  const mixed = [
    'type,employeeId,firstName,lastName,email,role,effectiveDate,timezone',
    `hire,E1,Ada,Lovelace,ada@example.com,,${START},`,
    `terminate,E2,Grace,Hopper,grace@example.com,,${START},Europe/Berlin`,
    `terminate,E3,Alan,Turing,alan@example.com,,${START},Europe/Berlin`,
    `role_change,E4,Kate,Johnson,kate@example.com,support-agent,${START},Europe/Berlin`,
  ].join('\n');
  /** The API as the mass-change guard answers it: the second termination is quarantined, the role change refused. */
  const guarded = (request: { body?: string }) => {
    const event = JSON.parse(request.body ?? '{}');
    if (event.employee.id === 'E4') return { status: 400, body: { error: 'invalid event', issues: [{ path: 'employee.role', message: 'unknown role' }] } };
    const status = event.employee.id === 'E3' ? 'quarantined' : 'scheduled';
    return { status: 202, body: { runId: `r-${event.employee.id}`, type: event.type, status, steps: [] } };
  };

  it('sums up per type, and counts a run the mass-change guard holds as held, not failed', async () => {
    const result = await runWith(['import', 'people.csv'], { readFile: async () => mixed, answer: guarded });
    expect(result.code).toBe(1);
    const [summary, hint] = result.stdout.split('\n');
    expect(summary).toBe(
      'people.csv: 1 hire: 1 created, 0 already there, 0 failed; 1 role change: 0 created, 0 already there, 1 failed; 2 terminations: 1 created, 0 already there, 1 held by the mass-change guard, 0 failed',
    );
    expect(hint).toBe('1 run is quarantined until an operator releases the batch: lifecycle quarantine');
    expect(result.stdout).toMatch(/^4\s+terminate\s+E3\s+import-[0-9a-f]{16}\s+held\s+r-E3$/m);
    expect(result.stderr.split('\n').filter((l) => l.startsWith('  '))).toEqual([expect.stringMatching(/^ {2}line 5: import-[0-9a-f]{16}: HTTP 400: invalid event; employee.role: unknown role$/)]);
    expect(result.stderr).toContain('1 of 4 events were not imported:');
  });

  it('--json gives the counts overall and per type, held apart from created', async () => {
    const result = await runWith(['import', 'people.csv', '--json'], { readFile: async () => mixed, answer: guarded });
    const json = JSON.parse(result.stdout);
    expect(json).toMatchObject({
      created: 2,
      held: 1,
      duplicates: 0,
      failed: 1,
      byType: { hire: { created: 1, held: 0, failed: 0 }, role_change: { failed: 1 }, terminate: { created: 1, held: 1, failed: 0 } },
    });
    expect(json.rows[2]).toMatchObject({ line: 4, type: 'terminate', outcome: 'held', runStatus: 'quarantined' });
  });

  it('--dry-run names each row\'s type and the count of each', async () => {
    const result = await runWith(['import', 'people.csv', '--dry-run'], { readFile: async () => mixed });
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toBe('dry run, nothing sent: 4 events (1 hire, 1 role change, 2 terminations) for POST http://localhost:3000/v1/events');
    expect(lines.slice(1).map((l) => l.replace(/: \{.*$/, ''))).toEqual(['line 2 hire', 'line 3 terminate', 'line 4 terminate', 'line 5 role_change']);
    expect(result.sent).toHaveLength(0);
  });

  it('stops sending once the API cannot be reached, and says which rows were not sent (exit 1)', async () => {
    const result = await runWith(['import', 'hires.csv'], {
      readFile: async () => hires,
      fetch: async () => {
        throw Object.assign(new Error('fetch failed'), { cause: new Error('connect ECONNREFUSED 127.0.0.1:1') });
      },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('  line 2: import-');
    expect(result.stderr).toContain('cannot reach the API at http://localhost:3000: connect ECONNREFUSED 127.0.0.1:1');
    expect(result.stderr).toMatch(/ {2}line 3: import-[0-9a-f]{16}: not sent: the API could not be reached/);
  });

  it.each([
    [['import', 'hires.csv', '--start-date', '2099-02-30'], '--start-date must be a real calendar date'],
    [['import', 'hires.csv', '--timezone', 'Mars/Olympus'], '--timezone must be an IANA time zone'],
    [['import', 'hires.csv', '--domain', 'not a domain'], '--domain must be a domain'],
    [['import', '/nonexistent/hires.csv'], 'cannot read /nonexistent/hires.csv'],
  ])('%j is refused with exit 2', async (argv, message) => {
    const result = await runWith(argv, argv[1] === 'hires.csv' ? { readFile: async () => hires } : {});
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.sent).toHaveLength(0);
  });
});
