/** What the CLI touches outside itself (output, environment, HTTP, files, clock), passed in so tests run it in-process. */
import { readFile, writeFile } from 'node:fs/promises';
import { CommanderError } from 'commander';
import { printableText } from '../../lambdas/shared/control-chars';
import { openInBrowser } from './sign-in/open-browser';

/** The part of fetch the client uses: the global fetch fits, and so does a few-line fake in a test. */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; signal?: AbortSignal },
) => Promise<{ status: number; text(): Promise<string> }>;

export interface CliIo {
  /** Receives text with its own line endings, as process.stdout.write does. */
  stdout(text: string): void;
  stderr(text: string): void;
  env: Readonly<Record<string, string | undefined>>;
  fetch: FetchLike;
  /** Defaults: the file system, process stdin and the system clock. */
  readFile?(path: string): Promise<string>;
  /** Writes a whole file as UTF-8 (a saved attestation); default: the file system. */
  writeFile?(path: string, text: string): Promise<void>;
  readStdin?(): Promise<string>;
  now?(): Date;
  /** Whether stderr is a terminal: a progress bar redrawn in place there, plain lines otherwise. */
  stderrIsTTY?: boolean;
  /** `lifecycle login` opens the hosted sign-in with it; default: the platform's opener (open, xdg-open, rundll32). */
  openBrowser?(url: string): void | Promise<void>;
}

/** Exit codes: scripts tell "the API said no" (1) from "the command line was wrong" (2). */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** Code carried by failures the CLI raises itself, so they are told apart from commander's parse errors. */
export const CLI_FAILURE = 'lifecycle.failed';

/**
 * The message of anything thrown. Duck-typed, not `instanceof Error`: errors from Node's fs and fetch
 * can come from another realm (jest's sandbox does this), where instanceof answers false.
 */
export function messageOf(err: unknown): string {
  if (err && typeof err === 'object' && 'message' in err && typeof err.message === 'string' && err.message) return err.message;
  return String(err);
}

/** Prints the lines to stderr and stops the command with the exit code (commander's own error type, so parseAsync rejects with it). */
export function fail(io: CliIo, exitCode: number, lines: string | string[]): never {
  // The lines may quote the API or an input file: no control character in them reaches the terminal.
  const text = printableText(Array.isArray(lines) ? lines.join('\n') : lines);
  io.stderr(`${text}\n`);
  throw new CommanderError(exitCode, CLI_FAILURE, text);
}

export async function readProcessStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('reading the event from stdin; end it with Ctrl-D\n');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

/** The real process: what bin/lifecycle.js runs with. */
export function processIo(): CliIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    env: process.env,
    fetch: globalThis.fetch,
    readFile: (path) => readFile(path, 'utf8'),
    writeFile: (path, text) => writeFile(path, text, 'utf8'),
    readStdin: readProcessStdin,
    now: () => new Date(),
    stderrIsTTY: process.stderr.isTTY === true,
    openBrowser: openInBrowser,
  };
}
