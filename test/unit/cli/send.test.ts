import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseLifecycleEvent } from '../../../lambdas/engine/event-schema';
import { HR_PURPOSE, verifySignature } from '../../../lambdas/http/signature';
import { acceptedRun, runWith } from './cli-harness';

/** 23:30 UTC is already the next day in Berlin: the sample's default date must follow the employee's zone. */
const NOW = new Date('2026-11-23T23:30:00.000Z');
const now = () => NOW;

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A stand-in for the API that checks signatures exactly as the real one does. */
async function signedApi(secret: string): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ headers: req.headers, body });
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v]));
      const check = verifySignature({ current: secret }, HR_PURPOSE, headers, body, Math.floor(Date.now() / 1000));
      res.writeHead(check.ok ? 202 : 401, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(check.ok ? acceptedRun : { error: check.error }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

function eventFile(content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'lifecycle-cli-')), 'event.json');
  writeFileSync(path, content);
  return path;
}

const validHire = {
  eventId: 'hr-2001',
  type: 'hire',
  effectiveDate: '2026-12-01',
  employee: { id: 'E300', firstName: 'Katherine', lastName: 'Johnson', email: 'katherine.johnson@example.com', timezone: 'America/New_York' },
};

describe('lifecycle send', () => {
  it('send --sample terminate --urgent posts a body the API schema accepts, signed so verifySignature passes', async () => {
    const api = await signedApi('team-secret');
    try {
      const result = await runWith(['send', '--sample', 'terminate', '--urgent'], {
        env: { LIFECYCLE_API_URL: api.url, LIFECYCLE_HMAC_SECRET: 'team-secret' },
        fetch: globalThis.fetch,
      });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(api.received).toHaveLength(1);
      const { headers, body } = api.received[0];
      expect(headers['content-type']).toBe('application/json');
      const parsed = parseLifecycleEvent(JSON.parse(body), NOW);
      expect(parsed.ok).toBe(true);
      expect(parsed.ok && parsed.event).toMatchObject({
        type: 'terminate',
        urgent: true,
        employee: { id: 'E100', firstName: 'Ada', lastName: 'Lovelace', email: 'ada.lovelace@example.com', timezone: 'Europe/Berlin' },
      });
      expect(result.stdout).toContain('run run-7f3a (terminate) is in_progress');
      expect(result.stdout).toMatch(/^suspend-google\s+google\.suspendUser\s+queued\s+2026-11-23T09:30:00\.000Z$/m);
    } finally {
      await api.close();
    }
  });

  it('signs with the default local secret when none is configured, which a server with another secret refuses (exit 1)', async () => {
    const api = await signedApi('team-secret');
    try {
      const result = await runWith(['send', '--sample', 'hire'], { env: { LIFECYCLE_API_URL: api.url }, fetch: globalThis.fetch });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('POST /v1/events failed: HTTP 401: signature does not match the body');
      expect(api.received).toHaveLength(1);
    } finally {
      await api.close();
    }
  });

  it('builds the sample from its options', async () => {
    const result = await runWith(['send', '--sample', 'hire', '--employee', 'E200', '--date', '2026-12-01', '--event-id', 'hr-42'], {
      now,
      answer: () => ({ status: 202, body: { ...acceptedRun, type: 'hire' } }),
    });
    expect(result.code).toBe(0);
    expect(result.sent).toHaveLength(1);
    expect(result.sent[0].url).toBe('http://localhost:3000/v1/events');
    expect(JSON.parse(result.sent[0].body ?? '')).toEqual({
      eventId: 'hr-42',
      type: 'hire',
      effectiveDate: '2026-12-01',
      urgent: false,
      employee: {
        id: 'E200',
        firstName: 'Ada',
        lastName: 'Lovelace',
        email: 'ada.lovelace@example.com',
        personalEmail: 'ada@home.example',
        managerEmail: 'grace.hopper@example.com',
        role: 'support-agent',
        timezone: 'Europe/Berlin',
      },
    });
  });

  it("defaults the sample's event id to cli-<type>-<ms> and its date to today in the employee's zone", async () => {
    const result = await runWith(['send', '--sample', 'role_change'], { now, answer: () => ({ status: 202, body: acceptedRun }) });
    const body = JSON.parse(result.sent[0].body ?? '');
    expect(body.eventId).toBe(`cli-role_change-${NOW.getTime()}`);
    expect(body.effectiveDate).toBe('2026-11-24');
    expect(result.sent[0].headers['X-Lifecycle-Timestamp']).toBe(String(Math.floor(NOW.getTime() / 1000)));
  });

  it('sends the event in a file', async () => {
    const result = await runWith(['send', eventFile(JSON.stringify(validHire, null, 2))], { answer: () => ({ status: 202, body: acceptedRun }) });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.sent[0].body ?? '')).toEqual(validHire);
    expect(result.stdout.split('\n')[0]).toBe('accepted event hr-2001: run run-7f3a (terminate) is in_progress');
  });

  it('reads the event from stdin with -', async () => {
    const result = await runWith(['send', '-'], { readStdin: async () => JSON.stringify(validHire), answer: () => ({ status: 202, body: acceptedRun }) });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.sent[0].body ?? '')).toEqual(validHire);
  });

  it('says so when the same eventId was already received (200)', async () => {
    const result = await runWith(['send', '--sample', 'terminate', '--event-id', 'hr-1'], { answer: () => ({ status: 200, body: acceptedRun }) });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('event hr-1 was already received: its run run-7f3a (terminate) is in_progress');
  });

  it('rejects an invalid event file naming the field, and sends nothing (exit 2)', async () => {
    const file = eventFile(JSON.stringify({ ...validHire, employee: { ...validHire.employee, email: 'not-an-email' } }));
    const result = await runWith(['send', file]);
    expect(result.code).toBe(2);
    expect(result.sent).toHaveLength(0);
    expect(result.stderr).toContain(`the event in ${file} is not a valid event; nothing was sent:`);
    expect(result.stderr).toContain('  employee.email: must be an email address');
  });

  it.each([
    ['an unknown sample type', ['send', '--sample', 'fire'], "argument 'fire' is invalid. Allowed choices are hire, role_change, terminate"],
    ['an urgent hire', ['send', '--sample', 'hire', '--urgent'], 'urgent: only a terminate event can be urgent'],
    ['an impossible date', ['send', '--sample', 'hire', '--date', '2026-02-30'], 'effectiveDate: must be a real calendar date written YYYY-MM-DD'],
    ['an unreadable file', ['send', '/nonexistent/event.json'], 'cannot read /nonexistent/event.json: ENOENT'],
    ['a file and a sample', ['send', 'event.json', '--sample', 'hire'], 'give an event file or --sample, not both'],
    ['sample options without a sample', ['send', 'event.json', '--employee', 'E2', '--urgent'], '--employee, --urgent: only with --sample'],
    ['a sample leaver of another employee', ['send', '--sample', 'terminate', '--employee', 'E300'], "--employee with --sample terminate: the sample carries Ada Lovelace's name and addresses, not E300's; write the event in a file"],
    ['a sample role change of another employee', ['send', '--sample', 'role_change', '--employee', 'E300', '--dry-run'], '--employee with --sample role_change'],
    ['nothing to send', ['send'], 'send needs an event file (- for stdin) or --sample <hire|role_change|terminate>'],
    ['an unknown option', ['send', '--sample', 'hire', '--urgnet'], "unknown option '--urgnet'"],
  ])('rejects %s with exit 2 and sends nothing', async (_what, argv, message) => {
    const result = await runWith(argv);
    expect(result.stderr).toContain(message);
    expect(result.code).toBe(2);
    expect(result.sent).toHaveLength(0);
  });

  it('rejects a file that is not JSON (exit 2)', async () => {
    const file = eventFile('{"eventId": "hr-1",');
    const result = await runWith(['send', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${file} is not valid JSON`);
    expect(result.sent).toHaveLength(0);
  });

  it('prints the status, the error and each issue of a 400 answer, and exits 1', async () => {
    const result = await runWith(['send', '--sample', 'hire'], {
      answer: () => ({
        status: 400,
        body: {
          error: 'invalid request: employee.role: no playbook for role support-agent',
          issues: [
            { path: 'employee.role', message: 'no playbook for role support-agent' },
            { path: 'effectiveDate', message: 'is too far in the past' },
          ],
        },
      }),
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')).toEqual([
      'POST /v1/events failed: HTTP 400: invalid request: employee.role: no playbook for role support-agent',
      '  employee.role: no playbook for role support-agent',
      '  effectiveDate: is too far in the past',
      '',
    ]);
  });

  it('prints the error of a 409 and exits 1', async () => {
    const result = await runWith(['send', '--sample', 'hire', '--event-id', 'hr-1'], {
      answer: () => ({ status: 409, body: { error: 'event hr-1 was already received with another body' } }),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('POST /v1/events failed: HTTP 409: event hr-1 was already received with another body\n');
  });

  it('--dry-run sends nothing and prints the body, both signature headers and a curl line', async () => {
    const result = await runWith(['send', '--sample', 'terminate', '--urgent', '--event-id', 'hr-9', '--dry-run'], {
      now,
      env: { LIFECYCLE_API_URL: 'https://lifecycle.example.com/', LIFECYCLE_HMAC_SECRET: 'team-secret' },
    });
    expect(result.code).toBe(0);
    expect(result.sent).toHaveLength(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe('dry run, nothing sent: POST https://lifecycle.example.com/v1/events');
    const ts = /^X-Lifecycle-Timestamp: (\d+)$/m.exec(result.stdout)?.[1];
    const sig = /^X-Lifecycle-Signature: (v2=[0-9a-f]{64})$/m.exec(result.stdout)?.[1];
    const body = lines.find((l) => l.startsWith('{'));
    expect(ts).toBe(String(Math.floor(NOW.getTime() / 1000)));
    expect(body && JSON.parse(body)).toMatchObject({ eventId: 'hr-9', type: 'terminate', urgent: true });
    const headers = { 'X-Lifecycle-Timestamp': ts, 'X-Lifecycle-Signature': sig };
    expect(verifySignature({ current: 'team-secret' }, HR_PURPOSE, headers, body ?? '', Number(ts))).toMatchObject({ ok: true });
    const curl = lines.find((l) => l.startsWith('curl '));
    expect(curl).toBe(
      `curl -sS -X POST 'https://lifecycle.example.com/v1/events' -H 'Content-Type: application/json' ` +
        `-H 'X-Lifecycle-Timestamp: ${ts}' -H 'X-Lifecycle-Signature: ${sig}' --data-raw '${body}'`,
    );
  });

  it('--dry-run --json prints the signed request as JSON', async () => {
    const result = await runWith(['--json', 'send', '--sample', 'hire', '--dry-run'], { now });
    expect(result.sent).toHaveLength(0);
    const printed = JSON.parse(result.stdout);
    expect(printed.url).toBe('http://localhost:3000/v1/events');
    expect(verifySignature({ current: 'local-dev-secret' }, HR_PURPOSE, printed.headers, printed.body, Math.floor(NOW.getTime() / 1000))).toMatchObject({ ok: true });
  });

  it('reports an API it cannot reach and exits 1', async () => {
    // A port that was just free and is closed again: nothing listens there.
    const api = await signedApi('x');
    await api.close();
    const result = await runWith(['send', '--sample', 'hire'], { env: { LIFECYCLE_API_URL: api.url }, fetch: globalThis.fetch });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^cannot reach the API at ${api.url.replace(/\./g, '\\.')}: connect ECONNREFUSED .+ \\(is npm start running\\?\\)\\n$`));
  });

  it('refuses an API URL that is not http(s) (exit 2)', async () => {
    const result = await runWith(['send', '--sample', 'hire'], { env: { LIFECYCLE_API_URL: 'localhost:3000' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('LIFECYCLE_API_URL must be an http(s) URL');
    expect(result.sent).toHaveLength(0);
  });
});

describe('lifecycle cancel-event', () => {
  it('sends a signed cancel naming the event it withdraws', async () => {
    const result = await runWith(['cancel-event', 'hr-2001'], {
      now,
      env: { LIFECYCLE_HMAC_SECRET: 'team-secret' },
      answer: () => ({ status: 202, body: { runId: 'run-c1', type: 'cancel', status: 'completed', steps: [], cancelsRunId: 'run-7f3a' } }),
    });
    expect(result.code).toBe(0);
    const sent = result.sent[0];
    expect(JSON.parse(sent.body ?? '')).toEqual({ eventId: `cancel-hr-2001-${NOW.getTime()}`, type: 'cancel', cancels: 'hr-2001' });
    expect(verifySignature({ current: 'team-secret' }, HR_PURPOSE, sent.headers, sent.body ?? '', Math.floor(NOW.getTime() / 1000))).toMatchObject({ ok: true });
    expect(result.stdout).toContain('cancels run run-7f3a');
  });

  it('prints why the API refused the cancel', async () => {
    const result = await runWith(['cancel-event', 'hr-404'], {
      answer: () => ({ status: 400, body: { error: 'invalid request: cancels: no event hr-404 was received', issues: [{ path: 'cancels', message: 'no event hr-404 was received' }] } }),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('  cancels: no event hr-404 was received');
  });
});
