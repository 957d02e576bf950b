/** The quarantine commands: list what the mass-change guard holds, release or reject it by its count. */
import { runWith, type SentRequest } from './cli-harness';

const held = {
  runId: 'run-q1',
  employeeId: 'E7',
  eventId: 'hr-q1',
  type: 'terminate',
  status: 'quarantined',
  effectiveDate: '2026-11-30',
  urgent: true,
  updatedAt: '2026-11-23T09:31:00.000Z',
  steps: [{ stepId: 'sign-out', action: 'google.signOut', status: 'pending', dueAt: '2026-11-23T09:30:00.000Z' }],
};
const view = { held: 1, threshold: 10, windowMinutes: 60, batch: { batchId: 'run-q1', alertId: 'mass-change:run-q1', openedAt: '2026-11-23T09:31:00.000Z' } };

describe('lifecycle quarantine', () => {
  it('shows how many are held, the alert, the runs, and the calls to decide them with that count', async () => {
    const result = await runWith(['quarantine'], { answer: (r) => ({ status: 200, body: r.url.includes('/v1/quarantine') ? view : { runs: [held] } }) });
    expect(result.code).toBe(0);
    expect(result.sent.map((r) => `${r.method} ${r.url}`)).toEqual(['GET http://localhost:3000/v1/quarantine', 'GET http://localhost:3000/v1/runs?status=quarantined']);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('1 runs quarantined (threshold 10 per 60 min), alert mass-change:run-q1 since 2026-11-23T09:31:00.000Z');
    expect(lines[2]).toMatch(/^run-q1\s+E7\s+terminate\s+quarantined/);
    expect(lines.slice(-2)).toEqual(['release: npx lifecycle quarantine release --count 1', 'reject:  npx lifecycle quarantine reject --count 1 --reason "..."']);
  });

  it('says so when nothing is held', async () => {
    const result = await runWith(['quarantine'], { answer: (r) => ({ status: 200, body: r.url.includes('/v1/quarantine') ? { held: 0, threshold: 10, windowMinutes: 60 } : { runs: [] } }) });
    expect(result.stdout).toBe('no runs quarantined (threshold 10 per 60 min)\n');
  });

  it('release sends the count and prints one line', async () => {
    const result = await runWith(['quarantine', 'release', '--count', '30'], { answer: () => ({ status: 200, body: { ok: true, decision: 'released', count: 30, runIds: [] } }) });
    expect(result.sent).toEqual<SentRequest[]>([
      {
        url: 'http://localhost:3000/v1/quarantine/release',
        method: 'POST',
        headers: { Authorization: 'Bearer local-operator-token', Accept: 'application/json', 'Content-Type': 'application/json' },
        body: '{"count":30}',
      },
    ]);
    expect(result.stdout).toBe('released 30 quarantined runs\n');
  });

  it('reject sends the count and the reason', async () => {
    const result = await runWith(['quarantine', 'reject', '--count', '3', '--reason', 'forged'], { answer: () => ({ status: 200, body: { ok: true, decision: 'rejected', count: 3, runIds: [] } }) });
    expect(result.sent[0].body).toBe('{"count":3,"reason":"forged"}');
    expect(result.stdout).toBe('rejected 3 quarantined runs\n');
  });

  it('prints the API refusal when the count is not the number held now, and exits 1', async () => {
    const result = await runWith(['quarantine', 'release', '--count', '29'], {
      answer: () => ({ status: 409, body: { error: '30 runs are quarantined now, not the count named: read GET /v1/quarantine and decide on what it shows', held: 30 } }),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('POST /v1/quarantine/release failed: HTTP 409: 30 runs are quarantined now');
  });

  it('refuses a count that is not a whole number before sending anything', async () => {
    const result = await runWith(['quarantine', 'release', '--count', 'all']);
    expect(result.code).toBe(2);
    expect(result.sent).toEqual([]);
    expect(result.stderr).toContain('--count must be a whole number of at least 1, got "all"');
  });
});
