/** The consolidation commands: the latest report with each finding's fix line, a run now, and a fix through a run. */
import { runWith } from './cli-harness';

const ID = '0123456789abcdef0123';
const report = {
  reportId: 'r1',
  startedAt: '2026-12-01T10:00:00.000Z',
  finishedAt: '2026-12-01T10:00:04.500Z',
  durationMs: 4500,
  requestedBy: 'schedule',
  systems: [
    { system: 'google', ok: true, ms: 4000, calls: 21, pages: 20, accounts: 10000 },
    { system: 'zendesk', ok: false, ms: 300, calls: 1, pages: 0, accounts: 0, error: 'Zendesk list users: 401 Couldn\'t authenticate you' },
  ],
  counts: { unbound: 1, leaver_active: 0, missing: 0, extra: 0 },
  findings: [{ id: ID, kind: 'unbound', system: 'nextcloud', message: 'the nextcloud account x@example.com is bound to no employee', account: { accountId: 'x' }, fixes: [{ fix: 'bind', suggestedEmployeeId: 'E7' }, { fix: 'remove' }] }],
};

describe('lifecycle consolidation', () => {
  it('shows when it ran, each system\'s read (a failed one with why), and each finding with the lines that fix it', async () => {
    const result = await runWith(['consolidation'], { answer: () => ({ status: 200, body: report }) });
    expect(result.code).toBe(0);
    expect(result.sent.map((r) => `${r.method} ${r.url}`)).toEqual(['GET http://localhost:3000/v1/consolidation']);
    const out = result.stdout;
    expect(out).toContain('ran 2026-12-01T10:00:00.000Z for 4.5 s');
    expect(out).toMatch(/google\s+read 10000 accounts in 4\.0 s, 21 calls, 20 pages/);
    expect(out).toContain("FAILED 0 accounts in 0.3 s, 1 calls, 0 pages: Zendesk list users: 401 Couldn't authenticate you");
    expect(out).toContain(`fix: npx lifecycle consolidation fix ${ID} bind --employee E7`);
    expect(out).toContain(`fix: npx lifecycle consolidation fix ${ID} remove`);
  });

  it('run asks for a read now', async () => {
    const result = await runWith(['consolidation', 'run'], { answer: () => ({ status: 200, body: report }) });
    expect(result.sent.map((r) => `${r.method} ${r.url}`)).toEqual(['POST http://localhost:3000/v1/consolidation/run']);
    expect(result.code).toBe(0);
  });

  it('fix bind sends the employee and prints the run it made', async () => {
    const result = await runWith(['consolidation', 'fix', ID, 'bind', '--employee', 'E7'], {
      answer: () => ({ status: 201, body: { ok: true, fix: 'bind', findingId: ID, runId: 'run-9', status: 'awaiting_approval', created: true } }),
    });
    expect(result.sent[0]).toMatchObject({ method: 'POST', url: `http://localhost:3000/v1/consolidation/findings/${ID}/fix`, body: '{"fix":"bind","employeeId":"E7"}' });
    expect(result.stdout).toBe(`bind for finding ${ID}: run run-9 planned, awaiting_approval: npx lifecycle run run-9\n`);
  });

  it('refuses a bind without --employee, and a fix that is not one, sending nothing', async () => {
    const noEmployee = await runWith(['consolidation', 'fix', ID, 'bind'], { answer: () => ({ status: 500, body: {} }) });
    expect(noEmployee.sent).toEqual([]);
    expect(noEmployee.stderr).toContain('--employee');
    const wrong = await runWith(['consolidation', 'fix', ID, 'delete'], { answer: () => ({ status: 500, body: {} }) });
    expect(wrong.sent).toEqual([]);
    expect(wrong.stderr).toContain('bind, grant or remove');
  });
});
