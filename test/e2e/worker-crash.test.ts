/**
 * A worker killed in the middle of a step: `npm start` runs as a real child process, is killed with
 * SIGKILL while the downstream call is in flight, and a fresh start finishes the step exactly once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FORWARD_ONLY_PLAYBOOKS } from '../support/playbooks';
import type { Run } from '../../lambdas/engine/model';
import { hrBody } from '../support/builders';
import { eventually, SECRET, TOKEN, tempDir } from '../support/harness';
import { startTarget } from '../support/http-target';
import { HR_PURPOSE, signedHeaders } from '../../lambdas/http/signature';

const root = join(__dirname, '..', '..');

function startProcess(env: Record<string, string>): ChildProcess {
  // tsx as a loader in this very process (not the tsx CLI, which would run the code in a grandchild
  // that a kill of its parent leaves running).
  return spawn(process.execPath, ['--import', 'tsx', join(root, 'local', 'main.ts')], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
}

/** The API address a started process prints in its banner: it listens on a port of its own choosing (port 0). */
function apiUrlOf(child: ChildProcess, timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`no API address in the banner within ${timeoutMs} ms; printed: ${seen.slice(0, 500)}`)), timeoutMs);
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      seen += chunk;
      const url = /HTTP API\s+(http:\/\/localhost:\d+)/.exec(seen)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve(url);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the process exited (${code}) before printing its API address`));
    });
  });
}

async function exited(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise((resolve) => child.once('exit', resolve));
}

describe('a worker killed mid-step', () => {
  it('leaves the step to be run again after its lease, and it completes once', async () => {
    let holdFirst = true;
    const target = await startTarget((_req, _n, res) => {
      if (holdFirst) {
        holdFirst = false;
        return; // never answers: the worker is killed while waiting
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"ok":true}');
    });
    let api = '';
    const playbooksFile = join(tempDir('playbooks-'), 'forward-only.json');
    writeFileSync(playbooksFile, JSON.stringify(FORWARD_ONLY_PLAYBOOKS));
    const env = {
      LIFECYCLE_PLAYBOOKS_FILE: playbooksFile,
      PORT: '0',
      LIFECYCLE_EMULATOR_PORT: '0',
      LIFECYCLE_DATA_DIR: tempDir('crash-'),
      LIFECYCLE_HMAC_SECRET: SECRET,
      LIFECYCLE_OPERATOR_TOKEN: TOKEN,
      LIFECYCLE_FORWARD_TO: JSON.stringify([{ name: 'crash-target', url: target.url, key: 'crash-target-key' }]),
      LIFECYCLE_VISIBILITY_TIMEOUT_SECONDS: '3',
      LIFECYCLE_LEASE_SECONDS: '2',
    };
    const employee = async (): Promise<{ runs: Run[]; audit: { change: string }[] } | undefined> => {
      const res = await fetch(`${api}/v1/employees/E-CRASH`, { headers: { Authorization: `Bearer ${TOKEN}` } }).catch(() => undefined);
      return res?.ok ? ((await res.json()) as { runs: Run[]; audit: { change: string }[] }) : undefined;
    };

    const first = startProcess(env);
    let second: ChildProcess | undefined;
    try {
      api = await apiUrlOf(first);
      await eventually(async () => (await fetch(`${api}/health`).catch(() => undefined))?.ok, 30_000, 'the first process to start');
      const body = JSON.stringify(hrBody({ eventId: 'crash-1', urgent: true, employee: { ...hrBody().employee, id: 'E-CRASH' } }));
      const res = await fetch(`${api}/v1/events`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...signedHeaders(SECRET, HR_PURPOSE, body) }, body });
      expect(res.status).toBe(202);

      await eventually(async () => target.received.length === 1, 20_000, 'the first delivery attempt');
      const mid = await employee();
      expect(mid?.runs[0].steps[0].status).toBe('running');
      first.kill('SIGKILL');
      await exited(first);

      second = startProcess(env);
      api = await apiUrlOf(second);
      const done = await eventually(async () => {
        const view = await employee();
        // The audit line is written just after the run: wait for both.
        return view?.runs[0].status === 'completed' && view.audit.some((a) => a.change === 'step succeeded') ? view : undefined;
      }, 40_000, 'the step to complete after the restart');

      expect(done.runs[0].steps[0]).toMatchObject({ status: 'succeeded', attempts: 2 });
      expect(done.audit.filter((a) => a.change === 'step succeeded')).toHaveLength(1);
      // Both attempts carried the same delivery id, so the receiver can tell the retry for what it is.
      expect(target.received).toHaveLength(2);
      expect(new Set(target.received.map((r) => r.headers['x-lifecycle-delivery'])).size).toBe(1);
    } finally {
      first.kill('SIGKILL');
      second?.kill('SIGINT');
      if (second) await exited(second);
      await target.close();
    }
  }, 90_000);
});
