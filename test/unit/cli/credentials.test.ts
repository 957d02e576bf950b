/** The CLI's credentials: the npm start defaults only for an API on this machine, and no bearer token over plain http elsewhere. */
import { isLoopback } from '../../../bin/cli/api-client';
import { HR_PURPOSE, verifySignature } from '../../../lambdas/http/signature';
import { runWith } from './cli-harness';
import { daysFromToday } from '../../support/builders';

const NOW = new Date('2026-11-23T10:00:00.000Z');
const accepted = { status: 202, body: { runId: 'run-1', type: 'hire', status: 'scheduled', steps: [] } };
const employee = { status: 200, body: { employee: { id: 'E100', firstName: 'Ada', timezone: 'Europe/Berlin' }, runs: [], audit: [] } };

describe('isLoopback', () => {
  it.each([
    ['http://localhost:3000', true],
    ['http://127.0.0.1:3000', true],
    ['http://127.8.9.10', true],
    ['http://127.1:3000', true],
    ['http://[::1]:3000', true],
    ['https://lifecycle.example.com', false],
    ['http://128.0.0.1', false],
    ['http://localhost.example.com', false],
    ['http://[::2]', false],
    ['http://10.0.0.5:3000', false],
  ])('%s: %s', (url, loopback) => {
    expect(isLoopback(new URL(url))).toBe(loopback);
  });
});

describe('lifecycle CLI credentials', () => {
  it('refuses to sign an event for a remote API with the local default key, and sends nothing (exit 2)', async () => {
    const result = await runWith(['send', '--sample', 'hire'], { env: { LIFECYCLE_API_URL: 'https://lifecycle.example.com' }, answer: () => accepted });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('LIFECYCLE_HMAC_SECRET is not set');
    expect(result.stderr).toContain('https://lifecycle.example.com is not');
    expect(result.sent).toHaveLength(0);
  });

  it('refuses a dry run for a remote API without its key too: it would print a signature made with the local one', async () => {
    const result = await runWith(['send', '--sample', 'hire', '--dry-run'], { env: { LIFECYCLE_API_URL: 'https://lifecycle.example.com' } });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
  });

  it('refuses an import to a remote API without the key', async () => {
    const result = await runWith(['import', 'hires.csv'], { env: { LIFECYCLE_API_URL: 'https://10.1.2.3' }, readFile: async () => `firstName,lastName,email,startDate\nAda,Lovelace,ada@example.com,${daysFromToday(30)}\n` });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('LIFECYCLE_HMAC_SECRET is not set');
    expect(result.sent).toHaveLength(0);
  });

  it('refuses an operator call to a remote API without the token, and sends nothing (exit 2)', async () => {
    const result = await runWith(['status', 'E100'], { env: { LIFECYCLE_API_URL: 'https://lifecycle.example.com', LIFECYCLE_HMAC_SECRET: 'team-secret' }, answer: () => employee });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('LIFECYCLE_OPERATOR_TOKEN is not set');
    expect(result.sent).toHaveLength(0);
  });

  it('never sends the bearer token over plain http to a host that is not this machine', async () => {
    const result = await runWith(['status', 'E100'], { env: { LIFECYCLE_API_URL: 'http://lifecycle.example.com', LIFECYCLE_OPERATOR_TOKEN: 'ops-token' }, answer: () => employee });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('refusing to send the operator token over plain http to lifecycle.example.com');
    expect(result.sent).toHaveLength(0);
  });

  it('sends given credentials to a remote API over https', async () => {
    const env = { LIFECYCLE_API_URL: 'https://lifecycle.example.com', LIFECYCLE_OPERATOR_TOKEN: 'ops-token', LIFECYCLE_HMAC_SECRET: '{"current":"hr-key-version-2","previous":"hr-key-version-1"}' };
    const status = await runWith(['status', 'E100'], { env, answer: () => employee });
    expect(status.code).toBe(0);
    expect(status.sent[0].headers.Authorization).toBe('Bearer ops-token');
    const send = await runWith(['send', '--sample', 'hire'], { env, now: () => NOW, answer: () => accepted });
    expect(send.code).toBe(0);
    // The secret's stored form is accepted; events are signed with its current version.
    const sent = send.sent[0];
    const at = Math.floor(NOW.getTime() / 1000);
    expect(verifySignature({ current: 'hr-key-version-2' }, HR_PURPOSE, sent.headers, sent.body ?? '', at).ok).toBe(true);
    expect(verifySignature({ current: 'hr-key-version-1' }, HR_PURPOSE, sent.headers, sent.body ?? '', at).ok).toBe(false);
  });

  it.each(['http://localhost:3000', 'http://127.0.0.2:3000', 'http://[::1]:3000'])('uses the npm start defaults for %s', async (url) => {
    const status = await runWith(['status', 'E100'], { env: { LIFECYCLE_API_URL: url }, answer: () => employee });
    expect(status.code).toBe(0);
    expect(status.sent[0].headers.Authorization).toBe('Bearer local-operator-token');
    const send = await runWith(['send', '--sample', 'hire'], { env: { LIFECYCLE_API_URL: url }, now: () => NOW, answer: () => accepted });
    expect(send.code).toBe(0);
    const sent = send.sent[0];
    expect(verifySignature({ current: 'local-dev-secret' }, HR_PURPOSE, sent.headers, sent.body ?? '', Math.floor(NOW.getTime() / 1000)).ok).toBe(true);
  });
});
