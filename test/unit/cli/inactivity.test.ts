/** `lifecycle inactivity`: the dry run of the inactivity check, as an operator reads it. */
import { runWith } from './cli-harness';

const report = {
  checkedAt: '2026-12-01T06:00:00.000Z',
  dryRun: true,
  enabled: true,
  days: 90,
  noticeDays: 7,
  approve: true,
  reads: [{ system: 'google', accounts: 1200, ms: 1830 }],
  decision: {
    checked: 1200,
    idle: [{ system: 'google', accountId: 'g1', email: 'alan.turing@example.com', employeeId: 'E101', since: '2026-08-03T09:00:00.000Z', sinceKind: 'last sign-in', idleDays: 120 }],
    excluded: [{ system: 'google', accountId: 'g2', email: 'svc-ci@example.com', code: 'service_account', reason: 'a service account (inactivity.serviceAccounts.localParts: svc-*)', idleDays: 400 }],
    withRun: [{ system: 'google', accountId: 'g3', email: 'kj@example.com', employeeId: 'E102', runId: 'run-3', status: 'awaiting_approval', idleDays: 95 }],
    usedAgain: [],
  },
  created: [],
  cancelled: [],
  notices: [],
  errors: [],
};

describe('lifecycle inactivity', () => {
  it('reads GET /v1/inactivity and lists the idle accounts, their runs and the exclusions with their reasons', async () => {
    const result = await runWith(['inactivity'], { answer: () => ({ status: 200, body: report }) });
    expect(result.code).toBe(0);
    expect(result.sent.map((r) => `${r.method} ${r.url}`)).toEqual(['GET http://localhost:3000/v1/inactivity']);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('inactivity on: unused for 90 days, notice 7 days before, approval first; 1200 accounts checked at 2026-12-01T06:00:00.000Z');
    expect(lines).toContain('  read google: 1200 accounts in 1830 ms');
    expect(lines).toContain('  google alan.turing@example.com (E101): 120 days, last sign-in 2026-08-03');
    expect(lines).toContain('  google kj@example.com (E102): run run-3 awaiting_approval');
    expect(lines).toContain('  google svc-ci@example.com: service_account: a service account (inactivity.serviceAccounts.localParts: svc-*)');
  });

  it('says why when the API has no check to run', async () => {
    const result = await runWith(['inactivity'], { answer: () => ({ status: 503, body: { error: 'no inactivity check is configured: no directory reader is wired in (docs/inactivity.md)' } }) });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('no inactivity check is configured');
  });
});

describe('lifecycle inactivity run', () => {
  it('POSTs /v1/inactivity/run and, where the check ran at once, shows what it planned, cancelled and sent', async () => {
    const ran = {
      ...report,
      dryRun: false,
      requestedBy: 'alice@corp.example',
      created: [{ system: 'google', accountId: 'g1', email: 'alan.turing@example.com', employeeId: 'E101', runId: 'run-7', status: 'awaiting_approval' }],
      notices: [{ runId: 'run-7', to: ['alan.turing@example.com', 'boss@example.com'], messageId: 'm1', alreadySent: false }],
      errors: [{ system: 'google', accountId: 'g9', message: 'the google account g9 is bound to no employee' }],
    };
    const result = await runWith(['inactivity', 'run'], { answer: () => ({ status: 200, body: ran }) });
    expect(result.code).toBe(0);
    expect(result.sent.map((r) => `${r.method} ${r.url}`)).toEqual(['POST http://localhost:3000/v1/inactivity/run']);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toContain('idle, a revoke run planned below (1):');
    expect(lines).not.toContain('idle, a revoke run would be planned (1):');
    expect(lines).toContain('run by alice@corp.example: revoke runs planned (1):');
    expect(lines).toContain('  google alan.turing@example.com (E101): run run-7 awaiting_approval');
    expect(lines).toContain('  run run-7 to alan.turing@example.com, boss@example.com: sent');
    expect(lines).toContain('  google g9: the google account g9 is bound to no employee');
  });

  it('says the check was handed over where it runs in the background (202)', async () => {
    const result = await runWith(['inactivity', 'run'], { answer: () => ({ status: 202, body: { accepted: true, message: 'inactivity check started: its revoke runs appear in GET /v1/runs?status=awaiting_approval as it plans them' } }) });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('inactivity check started');
  });

  it('fails, saying why, on a stage with the check off (409)', async () => {
    const result = await runWith(['inactivity', 'run'], { answer: () => ({ status: 409, body: { error: 'the inactivity check is off on this stage (inactivity.enabled): nothing was run' } }) });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('the inactivity check is off on this stage');
  });
});

describe('lifecycle run, of a revoke run', () => {
  it('names the account it revokes and why', async () => {
    const run = {
      runId: 'run-3',
      employeeId: 'E102',
      eventId: 'revoke-inactivity-google-0a1b2c3d4e5f6a7b-2026-12-01',
      type: 'revoke',
      status: 'awaiting_approval',
      effectiveDate: '2026-12-08',
      steps: [{ stepId: 'suspend-user', action: 'google.suspendUser', status: 'pending', dueAt: '2026-12-08T06:00:00.000Z' }],
      revoke: { system: 'google', accountId: 'g3', email: 'kj@example.com', reason: 'inactivity', detail: 'unused for 95 days in google (last sign-in 2026-08-28)', requestedBy: 'inactivity-check' },
      approval: { requiredBy: 'inactivity: unused for 95 days in google (last sign-in 2026-08-28) (requested by inactivity-check)', planHash: 'abc' },
    };
    const result = await runWith(['run', 'run-3'], { answer: () => ({ status: 200, body: run }) });
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')[0]).toContain('revokes the google account kj@example.com (inactivity: unused for 95 days in google (last sign-in 2026-08-28))');
  });
});
