/**
 * Bulk leavers through `lifecycle import` on the local runtime: a 30-row leavers CSV with one bad row is refused by
 * its line and sends nothing; fixed, its 30 terminations are created. A 40-row one against a mass-change threshold
 * below 40 has the runs past the threshold held in quarantine, and the summary counts them as held, not failed.
 */
import { seedStaff, type StaffRecord } from '../../local/emulators/seed-staff';
import type { Runtime } from '../../local/runtime';
import { daysFromToday } from '../support/builders';
import { operator, SECRET, start } from '../support/harness';
import { runWith } from '../unit/cli/cli-harness';

/** A last day ahead: the runs are planned and wait, so the test reads what the import did, not the cut-off. */
const LAST_DAY = daysFromToday(14);
const HEADER = 'type,employeeId,firstName,lastName,email,effectiveDate,urgent,timezone';

const leaversCsv = (staff: StaffRecord[]) => [HEADER, ...staff.map((s) => `terminate,${s.id},${s.firstName},${s.lastName},${s.email},${LAST_DAY},false,${s.timezone}`)].join('\n');

async function importCsv(rt: Runtime, text: string) {
  return runWith(['import', 'leavers.csv'], { env: { LIFECYCLE_API_URL: rt.apiUrl, LIFECYCLE_HMAC_SECRET: SECRET }, fetch: globalThis.fetch, readFile: async () => text });
}

/** The guard counts per window from the hour: a file sent in its last seconds would straddle two. */
async function awayFromWindowEdge(): Promise<void> {
  const toEdge = 3_600_000 - (Date.now() % 3_600_000);
  if (toEdge < 30_000) await new Promise((resolve) => setTimeout(resolve, toEdge + 200));
}

describe('a 30-row leavers CSV', () => {
  let rt: Runtime;
  let staff: StaffRecord[];
  beforeAll(async () => {
    rt = await start({ settings: { retryBaseSeconds: 1, massChange: { threshold: 100, windowMinutes: 60 } } });
    staff = seedStaff(rt.emulators, 30, { prefix: 'bulk' });
  });
  afterAll(async () => {
    await rt.stop();
  });

  it('with one bad row is refused by its line and column, and nothing is sent; fixed, all 30 are created', async () => {
    const good = leaversCsv(staff);
    const lines = good.split('\n');
    // Line 18 (the 17th leaver) names a type the import does not know.
    const bad = [...lines.slice(0, 17), lines[17].replace(/^terminate,/, 'terminated,'), ...lines.slice(18)].join('\n');
    const refused = await importCsv(rt, bad);
    expect(refused.code).toBe(2);
    expect(refused.stderr.split('\n')).toEqual([
      'leavers.csv: 1 line has problems; nothing was sent:',
      '  line 18: type: "terminated" is not one of hire, role_change, terminate (empty: hire)',
      '',
    ]);
    expect(refused.stdout).toBe('');
    for (const s of [staff[0], staff[16], staff[29]]) expect((await operator(rt, 'GET', `/v1/employees/${s.id}`)).status).toBe(404);

    const imported = await importCsv(rt, good);
    expect(imported.code).toBe(0);
    expect(imported.stdout.split('\n')[0]).toBe('leavers.csv: 30 terminations: 30 created, 0 already there, 0 failed');
    const views = await Promise.all(staff.map(async (s) => (await operator(rt, 'GET', `/v1/employees/${s.id}`)).body));
    expect(views.map((v) => v.runs.map((r: { type: string; effectiveDate: string; status: string }) => [r.type, r.effectiveDate, r.status]))).toEqual(
      staff.map(() => [['terminate', LAST_DAY, 'scheduled']]),
    );

    const again = await importCsv(rt, good);
    expect(again.stdout.split('\n')[0]).toBe('leavers.csv: 30 terminations: 0 created, 30 already there, 0 failed');
  }, 120_000);
});

describe('a 40-row leavers CSV against a mass-change threshold of 25', () => {
  const THRESHOLD = 25;
  let rt: Runtime;
  let staff: StaffRecord[];
  beforeAll(async () => {
    rt = await start({ settings: { retryBaseSeconds: 1, massChange: { threshold: THRESHOLD, windowMinutes: 60 } } });
    staff = seedStaff(rt.emulators, 40, { prefix: 'layoff' });
  });
  afterAll(async () => {
    await rt.stop();
  });

  it('has the runs past the threshold held in quarantine, reported as held and not as failed', async () => {
    await awayFromWindowEdge();
    const result = await importCsv(rt, leaversCsv(staff));
    expect(result.code).toBe(0);
    const [summary, hint] = result.stdout.split('\n');
    expect(summary).toBe(`leavers.csv: 40 terminations: ${THRESHOLD} created, 0 already there, ${40 - THRESHOLD} held by the mass-change guard, 0 failed`);
    expect(hint).toBe(`${40 - THRESHOLD} runs are quarantined until an operator releases the batch: lifecycle quarantine`);
    // Rows go in file order: the first THRESHOLD proceed, the rest wait.
    const heldLines = result.stdout.split('\n').filter((l) => /^\d+\s+terminate\s+\S+\s+import-\S+\s+held\s/.test(l)).map((l) => Number(l.split(/\s+/)[0]));
    expect(heldLines).toEqual(staff.slice(THRESHOLD).map((_, i) => THRESHOLD + i + 2));
    expect((await operator(rt, 'GET', '/v1/quarantine')).body).toMatchObject({ held: 40 - THRESHOLD, threshold: THRESHOLD });
    const quarantined = await operator(rt, 'GET', '/v1/runs?status=quarantined');
    expect(quarantined.body.runs.map((r: { employeeId: string }) => r.employeeId).sort()).toEqual(staff.slice(THRESHOLD).map((s) => s.id).sort());
  }, 120_000);
});
