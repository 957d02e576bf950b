import { findControlChar } from '../../../lambdas/shared/control-chars';
import { runWith, type SentRequest } from './cli-harness';

const run = {
  runId: 'run-7f3a',
  employeeId: 'E100',
  eventId: 'hr-77',
  type: 'terminate',
  status: 'needs_attention',
  effectiveDate: '2026-11-30',
  urgent: true,
  updatedAt: '2026-11-23T09:31:00.000Z',
  version: 4,
  steps: [
    { stepId: 'suspend-google', action: 'google.suspendUser', status: 'succeeded', dueAt: '2026-11-23T09:30:00.000Z', attempts: 1, after: [], params: {} },
    {
      stepId: 'remove-connect',
      action: 'connect.deleteUser',
      status: 'needs_attention',
      dueAt: '2026-11-23T09:30:00.000Z',
      attempts: 4,
      after: ['suspend-google'],
      params: {},
      lastError: { message: '403 from Connect: AccessDenied', retryable: false, providerAnswer: '403 AccessDeniedException: User is not authorized to perform connect:DeleteUser [request 5e1f]' },
    },
  ],
};

const view = {
  employee: {
    id: 'E100',
    firstName: 'Ada',
    lastName: 'Lovelace',
    email: 'ada.lovelace@example.com',
    managerEmail: 'grace.hopper@example.com',
    role: 'support-agent',
    timezone: 'Europe/Berlin',
  },
  runs: [run],
  audit: [
    { at: '2026-11-23T09:30:00.000Z', employeeId: 'E100', runId: 'run-7f3a', actor: 'hr-event', change: 'terminate run planned', to: 'scheduled' },
    { at: '2026-11-23T09:31:00.000Z', employeeId: 'E100', runId: 'run-7f3a', stepId: 'remove-connect', actor: 'dispatcher', change: 'step failed', from: 'running', to: 'needs_attention' },
  ],
};

const alert = {
  alertId: 'run-7f3a:remove-connect:4',
  raisedAt: '2026-11-23T09:31:00.000Z',
  employeeId: 'E100',
  runId: 'run-7f3a',
  stepId: 'remove-connect',
  action: 'connect.deleteUser',
  attempts: 4,
  providerAnswer: '403 AccessDenied',
  message: 'Employee E100, terminate run run-7f3a: step remove-connect (connect.deleteUser) failed. Last answer: 403 AccessDenied',
  whatToDo: 'Fix the cause, then retry: npx lifecycle retry run-7f3a remove-connect',
  status: 'open',
};

const ok = (body: unknown) => () => ({ status: 200, body });

describe('lifecycle operator commands', () => {
  it('status prints the profile line and each run with its steps table', async () => {
    const result = await runWith(['status', 'E100'], { answer: ok(view) });
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')).toEqual([
      'employee E100: Ada Lovelace  <ada.lovelace@example.com>  role support-agent  manager grace.hopper@example.com  tz Europe/Berlin',
      'accounts: (none bound yet)',
      '',
      'run run-7f3a  terminate  needs_attention  effective 2026-11-30 (urgent)  event hr-77',
      'stepId          action              status           dueAt                     attempts',
      'suspend-google  google.suspendUser  succeeded        2026-11-23T09:30:00.000Z  1',
      'remove-connect  connect.deleteUser  needs_attention  2026-11-23T09:30:00.000Z  4',
      'needs attention:',
      '  remove-connect: 403 from Connect: AccessDenied',
      "    provider's answer: 403 AccessDeniedException: User is not authorized to perform connect:DeleteUser [request 5e1f]",
      '    once the cause is fixed: npx lifecycle retry run-7f3a remove-connect',
      '    if it was done by hand:  npx lifecycle skip run-7f3a remove-connect --reason "..."',
      '',
    ]);
    expect(result.stdout).not.toContain('audit:');
  });

  it('status lists the accounts bound to the employee and the address a hire was given', async () => {
    const accounts = [
      { system: 'google', address: 'ada.lovelace@example.com', accountId: '1001', state: 'suspended', boundBy: 'created' },
      { system: 'connect', address: 'ada.lovelace', accountId: 'd-1', state: 'deleted', boundBy: 'adopted' },
    ];
    const result = await runWith(['status', 'E100'], { answer: ok({ ...view, accounts, hireAddress: 'ada.lovelace@example.com' }) });
    expect(result.stdout.split('\n').slice(1, 6)).toEqual([
      'accounts:',
      'system   account                   id    state      bound',
      'google   ada.lovelace@example.com  1001  suspended  created',
      'connect  ada.lovelace              d-1   deleted    adopted',
      'address given at hire: ada.lovelace@example.com',
    ]);
  });

  it('status sends the operator token and encodes the employee id into the path', async () => {
    const result = await runWith(['status', 'E 1/2'], { env: { LIFECYCLE_OPERATOR_TOKEN: 'ops-token', LIFECYCLE_API_URL: 'https://api.test:8080' }, answer: ok(view) });
    expect(result.sent).toEqual<SentRequest[]>([
      { url: 'https://api.test:8080/v1/employees/E%201%2F2', method: 'GET', headers: { Authorization: 'Bearer ops-token', Accept: 'application/json' }, body: undefined },
    ]);
  });

  it('status uses the local operator token by default', async () => {
    const result = await runWith(['status', 'E100'], { answer: ok(view) });
    expect(result.sent[0].headers.Authorization).toBe('Bearer local-operator-token');
  });

  it('status --audit adds the audit trail', async () => {
    const result = await runWith(['status', 'E100', '--audit'], { answer: ok(view) });
    expect(result.stdout).toContain(
      [
        'audit:',
        'at                        actor       stepId          change',
        '2026-11-23T09:30:00.000Z  hr-event                    terminate run planned (- -> scheduled)',
        '2026-11-23T09:31:00.000Z  dispatcher  remove-connect  step failed (running -> needs_attention)',
      ].join('\n'),
    );
  });

  it('--json prints the answer as JSON instead of tables', async () => {
    const result = await runWith(['status', 'E100', '--json'], { answer: ok(view) });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(view);
    expect(result.stdout).not.toContain('stepId          action');
  });

  it('runs asks for needs_attention by default and lists the runs', async () => {
    const result = await runWith(['runs'], { answer: ok({ runs: [run] }) });
    expect(result.sent[0].url).toBe('http://localhost:3000/v1/runs?status=needs_attention');
    expect(result.stdout).toMatch(/^run-7f3a\s+E100\s+terminate\s+needs_attention\s+2026-11-30\s+2026-11-23T09:31:00\.000Z\s+remove-connect$/m);
  });

  it('runs --status passes the status and says when none match', async () => {
    const result = await runWith(['runs', '--status', 'completed'], { answer: ok({ runs: [] }) });
    expect(result.sent[0].url).toBe('http://localhost:3000/v1/runs?status=completed');
    expect(result.stdout).toBe('no runs with status completed\n');
  });

  it('runs refuses a status that does not exist, without calling the API (exit 2)', async () => {
    const result = await runWith(['runs', '--status', 'broken']);
    expect(result.code).toBe(2);
    expect(result.sent).toHaveLength(0);
    expect(result.stderr).toContain('Allowed choices are awaiting_approval, scheduled, in_progress, completed, needs_attention, cancelled, rejected');
  });

  it('alerts --status open lists the alerts and what to do', async () => {
    const result = await runWith(['alerts', '--status', 'open'], { answer: ok({ alerts: [alert] }) });
    expect(result.sent[0].url).toBe('http://localhost:3000/v1/alerts?status=open');
    expect(result.stdout).toMatch(/^run-7f3a:remove-connect:4\s+open\s+2026-11-23T09:31:00\.000Z\s+E100\s+run-7f3a\s+remove-connect\s+connect\.deleteUser\s+4$/m);
    expect(result.stdout).toContain('  what to do: Fix the cause, then retry: npx lifecycle retry run-7f3a remove-connect');
  });

  it('alerts --status resolved says why the engine resolved one', async () => {
    const resolved = { ...alert, status: 'resolved', resolvedAt: '2026-11-23T10:00:00.000Z', resolution: 'run cancelled by event hr-9-cancel (hr-event)' };
    const result = await runWith(['alerts', '--status', 'resolved'], { answer: ok({ alerts: [resolved] }) });
    expect(result.stdout).toContain('  resolved: run cancelled by event hr-9-cancel (hr-event)');
  });

  it('alerts without --status asks for all alerts', async () => {
    const result = await runWith(['alerts'], { answer: ok({ alerts: [] }) });
    expect(result.sent[0].url).toBe('http://localhost:3000/v1/alerts');
    expect(result.stdout).toBe('no alerts\n');
  });

  it.each([
    [['cancel', 'run-7f3a'], 'http://localhost:3000/v1/runs/run-7f3a/cancel', 'cancelled run run-7f3a'],
    [['retry', 'run-7f3a', 'remove-connect'], 'http://localhost:3000/v1/runs/run-7f3a/steps/remove-connect/retry', 'step remove-connect of run run-7f3a is queued again'],
    [['skip', 'run-7f3a', 'remove-connect'], 'http://localhost:3000/v1/runs/run-7f3a/steps/remove-connect/skip', 'step remove-connect of run run-7f3a skipped'],
  ])('%j POSTs to its route and prints a short result, not the whole run', async (argv, url, lead) => {
    // The answer is the whole run, role tree and all: none of it but the change is printed.
    const withRole = { ...run, role: { name: 'support-agent', text: 'support-agent\n  google group support@example.com\n  connect routing profile Basic' } };
    const result = await runWith(argv, { answer: ok(withRole) });
    expect(result.code).toBe(0);
    expect(result.sent.map((s) => [s.method, s.url, s.headers.Authorization])).toEqual([['POST', url, 'Bearer local-operator-token']]);
    expect(result.stdout.split('\n')[0]).toBe(lead);
    expect(result.stdout).toContain('run run-7f3a (terminate): needs_attention, 1 step needs attention\nwhole run: npx lifecycle run run-7f3a\n');
    expect(result.stdout).not.toContain('stepId          action');
    expect(result.stdout).not.toContain('role ');
    expect(result.stdout.trimEnd().split('\n').length).toBeLessThanOrEqual(5);
  });

  it('retry names the step, its new status and the run status', async () => {
    const retried = { ...run, status: 'in_progress', steps: [run.steps[0], { ...run.steps[1], status: 'queued', lastError: undefined }] };
    const result = await runWith(['retry', 'run-7f3a', 'remove-connect'], { answer: ok(retried) });
    expect(result.stdout).toBe(
      [
        'step remove-connect of run run-7f3a is queued again',
        'step remove-connect (connect.deleteUser): queued',
        'run run-7f3a (terminate): in_progress',
        'whole run: npx lifecycle run run-7f3a',
        '',
      ].join('\n'),
    );
  });

  it('retry of a step that failed: its new status, and the old error labelled as the one before the retry', async () => {
    const lastError = { message: 'Connect deleting user: 503 injected failure', retryable: false, providerAnswer: '503 ServiceUnavailableException: injected failure' };
    const retried = { ...run, status: 'in_progress', steps: [run.steps[0], { ...run.steps[1], status: 'queued', lastError }] };
    const result = await runWith(['retry', 'run-7f3a', 'remove-connect'], { answer: ok(retried) });
    expect(result.stdout.split('\n').slice(1, 4)).toEqual([
      'step remove-connect (connect.deleteUser): queued',
      '  last error before the retry: Connect deleting user: 503 injected failure',
      "    provider's answer: 503 ServiceUnavailableException: injected failure",
    ]);
    expect(result.stdout).not.toContain('queued: ');
  });

  it('skip of a step that still needs attention shows its error and the provider\'s answer under the step line', async () => {
    const result = await runWith(['skip', 'run-7f3a', 'remove-connect'], { answer: ok(run) });
    expect(result.stdout.split('\n').slice(1, 3)).toEqual([
      'step remove-connect (connect.deleteUser): needs_attention: 403 from Connect: AccessDenied',
      "  provider's answer: 403 AccessDeniedException: User is not authorized to perform connect:DeleteUser [request 5e1f]",
    ]);
  });

  it('skip sends the reason it is given, and no body without one', async () => {
    const skipped = { ...run, status: 'completed', steps: [run.steps[0], { ...run.steps[1], status: 'skipped', lastError: undefined }] };
    const withReason = await runWith(['skip', 'run-7f3a', 'remove-connect', '--reason', 'deleted in the Connect console'], { answer: ok(skipped) });
    expect(withReason.code).toBe(0);
    expect(JSON.parse(withReason.sent[0].body ?? 'null')).toEqual({ reason: 'deleted in the Connect console' });
    expect(withReason.stdout).toBe(
      [
        'step remove-connect of run run-7f3a skipped',
        'step remove-connect (connect.deleteUser): skipped',
        'run run-7f3a (terminate): completed',
        'whole run: npx lifecycle run run-7f3a',
        '',
      ].join('\n'),
    );
    const without = await runWith(['skip', 'run-7f3a', 'remove-connect'], { answer: ok(skipped) });
    expect(without.sent[0].body).toBeUndefined();
  });

  it('--json keeps printing the whole run a change answers', async () => {
    const result = await runWith(['retry', 'run-7f3a', 'remove-connect', '--json'], { answer: ok(run) });
    expect(JSON.parse(result.stdout)).toEqual(run);
  });

  it.each([
    ['lastError', { lastError: { message: '403 from Connect: AccessDenied', retryable: false } }],
    ['a plain error', { lastError: undefined, error: '403 from Connect: AccessDenied' }],
    ['an error object', { lastError: undefined, error: { message: '403 from Connect: AccessDenied' } }],
  ])('run prints the error of a step that needs attention, kept as %s', async (_kind, fields) => {
    const failed = { ...run, steps: [run.steps[0], { ...run.steps[1], ...fields }] };
    const result = await runWith(['run', 'run-7f3a'], { answer: ok(failed) });
    expect(result.stdout).toContain('needs attention:\n  remove-connect: 403 from Connect: AccessDenied\n');
  });

  it.each([
    ['lastError', { lastError: { message: '403 from Connect: AccessDenied', retryable: false, providerAnswer: '403 AccessDeniedException: User is not authorized to perform connect:DeleteUser [request 5e1f]' } }],
    ['an error object', { lastError: undefined, error: { message: '403 from Connect: AccessDenied', providerAnswer: '403 AccessDeniedException: User is not authorized to perform connect:DeleteUser [request 5e1f]' } }],
  ])("run prints the provider's answer under the error, kept in %s", async (_kind, fields) => {
    const failed = { ...run, steps: [run.steps[0], { ...run.steps[1], ...fields }] };
    const result = await runWith(['run', 'run-7f3a'], { answer: ok(failed) });
    expect(result.stdout).toContain("  remove-connect: 403 from Connect: AccessDenied\n    provider's answer: 403 AccessDeniedException: User is not authorized to perform connect:DeleteUser [request 5e1f]\n");
  });

  it.each([
    ['the same text', '403 from Connect: AccessDenied'],
    ['quoted in the error', 'AccessDenied'],
  ])("run leaves out a provider's answer that is %s", async (_how, providerAnswer) => {
    const same = { ...run, steps: [run.steps[0], { ...run.steps[1], lastError: { message: '403 from Connect: AccessDenied', retryable: false, providerAnswer } }] };
    const result = await runWith(['run', 'run-7f3a'], { answer: ok(same) });
    expect(result.stdout).toContain('  remove-connect: 403 from Connect: AccessDenied\n');
    expect(result.stdout).not.toContain("provider's answer");
  });

  it('run says where to look when a step needs attention but carries no error', async () => {
    const bare = { ...run, steps: [run.steps[0], { ...run.steps[1], lastError: undefined }] };
    const result = await runWith(['run', 'run-7f3a'], { answer: ok(bare) });
    expect(result.stdout).toContain('needs attention:\n  remove-connect: no error kept on the step; see npx lifecycle alerts --status open');
  });

  it('status prints the error of a step that failed and waits for its next attempt', async () => {
    const lastError = { message: '503 from Connect', retryable: true, providerAnswer: '503 ServiceUnavailableException: Service is unavailable' };
    const retrying = { ...run, status: 'in_progress', steps: [run.steps[0], { ...run.steps[1], status: 'queued', attempts: 2, lastError }] };
    const result = await runWith(['status', 'E100'], { answer: ok({ ...view, runs: [retrying] }) });
    expect(result.stdout).toContain(
      "failed, to be tried again:\n  remove-connect (queued, 2 attempts so far): 503 from Connect\n    provider's answer: 503 ServiceUnavailableException: Service is unavailable\n",
    );
    expect(result.stdout).not.toContain('needs attention:');
  });

  it('retry needs both the run and the step (exit 2)', async () => {
    const result = await runWith(['retry', 'run-7f3a']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("missing required argument 'stepId'");
    expect(result.sent).toHaveLength(0);
  });

  it('sweep POSTs /v1/sweep and prints the report', async () => {
    const result = await runWith(['sweep'], { answer: ok({ itemsRead: 3, runsDue: 2, stepsQueued: 5, failures: 0 }) });
    expect(result.sent.map((s) => `${s.method} ${s.url}`)).toEqual(['POST http://localhost:3000/v1/sweep']);
    expect(result.stdout).toBe('sweep: 2 runs due, 5 steps queued, 0 failures (3 index items read)\n');
  });

  it('prints the HTTP status and error of a refused operator call and exits 1', async () => {
    const result = await runWith(['status', 'E9'], { answer: () => ({ status: 404, body: { error: 'employee E9 not found' } }) });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('GET /v1/employees/E9 failed: HTTP 404: employee E9 not found\n');
  });

  it('shows the start of an error answer that is not JSON', async () => {
    const result = await runWith(['runs'], { answer: () => ({ status: 502, body: '<html>Bad Gateway</html>' }) });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('GET /v1/runs failed: HTTP 502\n  <html>Bad Gateway</html>\n');
  });

  it('reports a 2xx answer of the wrong shape instead of printing half a table (exit 1)', async () => {
    const result = await runWith(['status', 'E100'], { answer: ok({ employee: { id: 'E100' }, runs: [] }) });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('unexpected answer to GET /v1/employees/E100 (HTTP 200); rerun with --json to see it:');
    expect(result.stderr).toContain('  employee.firstName:');
    expect(result.stderr).toContain('  audit:');
  });

  describe('text from the API cannot drive the terminal', () => {
    // ESC ] 0 ; … BEL retitles the window, ESC [ 2 J clears the screen, CSI (0x9B) is ESC [ on some terminals.
    const hostile = {
      ...view,
      employee: { ...view.employee, firstName: 'Ada\u001b]0;owned\u0007', lastName: 'Love\u001b[2Jlace\u009b1m', role: 'agent\nfake-line\u202e' },
    };
    /** Whether any line holds a character that would act on a terminal (line breaks themselves are the layout). */
    const acts = (text: string) => text.split('\n').some((line) => findControlChar(line) !== undefined);

    it('status prints escapes as visible text and keeps its one profile line', async () => {
      const result = await runWith(['status', 'E100'], { answer: ok(hostile) });
      expect(result.code).toBe(0);
      expect(acts(result.stdout)).toBe(false);
      expect(result.stdout.split('\n')[0]).toBe(
        'employee E100: Ada\\u001b]0;owned\\u0007 Love\\u001b[2Jlace\\u009b1m  <ada.lovelace@example.com>  role agent\\u000afake-line\\u202e  manager grace.hopper@example.com  tz Europe/Berlin',
      );
    });

    it('status --json stays valid JSON with the same values, and carries no raw control character', async () => {
      const result = await runWith(['status', 'E100', '--json'], { answer: ok(hostile) });
      expect(acts(result.stdout)).toBe(false);
      expect(JSON.parse(result.stdout).employee).toEqual(hostile.employee);
    });

    it('an error message from the API is printed escaped', async () => {
      const result = await runWith(['status', 'E100'], { answer: () => ({ status: 404, body: { error: 'employee \u001b[31mE100\u001b[0m not found' } }) });
      expect(result.code).toBe(1);
      expect(acts(result.stderr)).toBe(false);
      expect(result.stderr).toContain('employee \\u001b[31mE100\\u001b[0m not found');
    });
  });
});
