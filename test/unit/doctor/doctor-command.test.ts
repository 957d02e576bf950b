/** `lifecycle doctor` as typed: the table, the exit code, and the command-line errors. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FetchLike } from '../../../bin/cli/io';
import { runCli } from '../../../bin/cli/main';
import { LocalQueue } from '../../../local/local-queue';
import { startProviderEmulators, type ProviderEmulators } from '../../../local/emulators/provider-emulators';

let emulators: ProviderEmulators;
let dataDir: string;

beforeAll(async () => {
  emulators = await startProviderEmulators({ port: 0, dataDir: null, downstream: { name: 'sample-downstream', keys: () => ({ current: 'downstream-key' }) } });
});
afterAll(() => emulators.stop());
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'doctor-'));
});

const API = 'http://127.0.0.1:9';
/** The emulators over real HTTP; the local API's health answered as npm start answers it. */
const fetchWithApi: FetchLike = async (url, init) => {
  if (url === `${API}/health`) return { status: 200, text: async () => '{"status":"ok"}' };
  const res = await fetch(url, init);
  return { status: res.status, text: () => res.text() };
};

async function doctor(argv: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['doctor', ...argv], {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    env: { LIFECYCLE_DATA_DIR: dataDir, LIFECYCLE_API_URL: API, ...env },
    fetch: fetchWithApi,
  });
  return { code, stdout, stderr };
}

describe('lifecycle doctor', () => {
  it('--local prints one line per check and exits 0 when all pass', async () => {
    const { code, stdout, stderr } = await doctor(['--local', '--emulator-url', emulators.server.url]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`lifecycle doctor: local runtime (emulators at ${emulators.server.url})`);
    expect(lines[1]).toMatch(/^check +status +detail$/);
    expect(lines).toContainEqual(expect.stringMatching(/^dead-letter queue +ok +empty$/));
    expect(lines[lines.length - 1]).toMatch(/^all \d+ checks passed$/);
  });

  it('exits 1 and says how many failed when the dead-letter queue kept on disk holds a message', async () => {
    // As npm start leaves it: a message redriven to the dead-letter queue, kept in its file under the data dir.
    const dlq = new LocalQueue({ name: 'steps-dlq', visibilityTimeoutSeconds: 30, file: join(dataDir, 'queues', 'steps-dlq.json') });
    dlq.send(JSON.stringify({ employeeId: 'E1', runId: 'r1', stepId: 's1' }));
    dlq.flush();
    const { code, stdout, stderr } = await doctor(['--local', '--emulator-url', emulators.server.url]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^dead-letter queue +FAIL +1 message waiting/m);
    expect(stdout).toContain('1 check failed: fix each FAIL line and run doctor again (docs/doctor.md)');
    expect(stderr).toBe('lifecycle doctor: 1 failed\n');
  });

  it('fails the alert check when npm start does not answer', async () => {
    const { code, stdout } = await doctor(['--local', '--emulator-url', emulators.server.url], { LIFECYCLE_API_URL: 'http://127.0.0.1:1' });
    expect(code).toBe(1);
    expect(stdout).toMatch(/^alert subscribers +FAIL +npm start at http:\/\/127\.0\.0\.1:1: the local runtime does not answer/m);
  });

  it('--json answers the checks as data', async () => {
    const { code, stdout } = await doctor(['--local', '--emulator-url', emulators.server.url, '--json']);
    expect(code).toBe(0);
    const answer = JSON.parse(stdout) as { target: string; checks: { check: string; status: string; detail: string }[] };
    expect(answer.checks).toContainEqual({ check: 'dead-letter queue', status: 'ok', detail: 'empty' });
  });

  it.each([
    [[], 'give --stage dev|prod for a deployed stage, or --local for npm start'],
    [['--stage', 'staging'], '--stage must be dev or prod, got "staging"'],
    [['--stage', 'dev'], 'lifecycle doctor: no AWS region: give --region or set AWS_REGION'],
    [['--stage', 'dev', '--region', 'eu-central-1', '--output', 'AlertTopicArn'], 'got "AlertTopicArn"'],
  ])('refuses %j as a bad command line (exit 2)', async (argv, message) => {
    const { code, stderr } = await doctor(argv);
    expect(stderr).toContain(message);
    expect(code).toBe(2);
  });
});
