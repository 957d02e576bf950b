/** Runs the CLI in-process against a scripted API and captures what it printed and sent. */
import type { FetchLike } from '../../../bin/cli/io';
import { runCli, type CliIo } from '../../../bin/cli/main';

export interface SentRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

export interface ScriptedAnswer {
  status: number;
  /** Serialized as JSON unless it is already a string. */
  body?: unknown;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  sent: SentRequest[];
}

export interface RunOptions extends Partial<Omit<CliIo, 'stdout' | 'stderr' | 'fetch'>> {
  answer?: (request: SentRequest) => ScriptedAnswer;
  fetch?: FetchLike;
}

export async function runWith(argv: string[], options: RunOptions = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const sent: SentRequest[] = [];
  const answer = options.answer ?? (() => ({ status: 500, body: { error: 'no answer scripted for this test' } }));
  const fakeFetch: FetchLike = async (url, init) => {
    const request = { url, method: init.method, headers: init.headers, body: init.body };
    sent.push(request);
    const a = answer(request);
    const text = typeof a.body === 'string' ? a.body : a.body === undefined ? '' : JSON.stringify(a.body);
    return { status: a.status, text: async () => text };
  };
  const code = await runCli(argv, {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    env: options.env ?? {},
    fetch: options.fetch ?? fakeFetch,
    readFile: options.readFile,
    writeFile: options.writeFile,
    readStdin: options.readStdin,
    now: options.now,
    stderrIsTTY: options.stderrIsTTY,
    // Never the real opener: a test that signs in passes its own "browser".
    openBrowser: options.openBrowser ?? (() => undefined),
  });
  return { code, stdout, stderr, sent };
}

/** A run as POST /v1/events answers it. */
export const acceptedRun = {
  runId: 'run-7f3a',
  type: 'terminate',
  status: 'in_progress',
  steps: [
    { stepId: 'suspend-google', action: 'google.suspendUser', status: 'queued', dueAt: '2026-11-23T09:30:00.000Z' },
    { stepId: 'forward-mail', action: 'google.forwardMail', status: 'pending', dueAt: '2026-11-23T09:30:00.000Z' },
  ],
};
