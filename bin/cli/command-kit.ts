/** What every command shares: the clock, output, the API client for a kind of call, and sending and showing one request. */
import type { Command } from 'commander';
import type * as z from '../../lambdas/shared/zod';
import { errorAnswer } from './api-answers';
import { ENV } from '../../lambdas/shared/env-names';
import { ApiClient, apiConfigFromEnv, ApiUnreachable, type ApiAnswer, type ApiUse, type SignedInStage } from './api-client';
import { printable, printableAnswer } from './format';
import { EXIT, fail, type CliIo } from './io';
import { bearerToken, loginLine, SignInNeeded } from './sign-in/session';
import { checkStageName, readStageSettings, SignInFileError } from './sign-in/sign-in-files';

/** The stage the local runtime answers as: with no sign-in stored for it, the environment's token (or npm start's) is used. */
export const LOCAL_STAGE = 'local';

export interface CommandKit {
  io: CliIo;
  now(): Date;
  /** `--stage`, else $LIFECYCLE_STAGE; checked as a file name. Undefined: the local runtime or the environment's API. */
  stage(): string | undefined;
  /** Prints to stdout; no control character in the text reaches the terminal. */
  out(text: string): void;
  wantsJson(cmd: Command): boolean;
  /** The client for one kind of call: it carries only the credential that call needs. */
  client(use?: ApiUse): ApiClient;
  /** Sends one request and stops with exit 1 on anything but a 2xx, printing what the API said. */
  request(what: string, send: () => Promise<ApiAnswer>): Promise<ApiAnswer>;
  /** --json prints the answer as received; otherwise it must have the documented shape before it is rendered. */
  show<S extends z.ZodMiniType>(cmd: Command, what: string, answer: ApiAnswer, schema: S, render: (value: z.infer<S>) => string): void;
}

/** Keeps error output readable when a proxy answers with a whole HTML page. */
const excerpt = (text: string) => (text.length > 300 ? `${text.slice(0, 300)}…` : text);

export const seg = encodeURIComponent;

export function commandKit(io: CliIo, stageOption: () => string | undefined = () => undefined): CommandKit {
  const now = () => io.now?.() ?? new Date();

  const stage = (): string | undefined => {
    const name = stageOption() ?? (io.env[ENV.stage] || undefined);
    if (name === undefined) return undefined;
    const wrong = checkStageName(name);
    if (wrong) fail(io, EXIT.usage, wrong);
    return name;
  };

  /** The signed-in stage the calls go to, if one is chosen; `local` without a sign-in is the local runtime. */
  const signedInStage = (use: ApiUse): SignedInStage | undefined => {
    const name = stage();
    if (name === undefined) return undefined;
    let settings;
    try {
      settings = readStageSettings(io.env, name);
    } catch (err) {
      if (err instanceof SignInFileError) fail(io, EXIT.usage, err.message);
      throw err;
    }
    // Events are signed with the HR key, not a sign-in: without one stored, the environment says where they go.
    if (!settings && (name === LOCAL_STAGE || use === 'events')) return undefined;
    if (!settings) fail(io, EXIT.usage, `not signed in to stage ${name}: run ${loginLine(name)} --auth-domain <url> --client-id <id> --api-url <url>`);
    // A stage's sign-in goes only to that stage's API: an environment pointing elsewhere is refused, not obeyed.
    const fromEnv = io.env[ENV.apiUrl];
    if (fromEnv && settings.apiUrl && sameUrl(fromEnv, settings.apiUrl) === false) {
      fail(io, EXIT.usage, `${ENV.apiUrl} (${fromEnv}) is not the API of stage ${name} (${settings.apiUrl}): its sign-in is sent only there; unset ${ENV.apiUrl}, or run ${loginLine(name)} --api-url <url>`);
    }
    const apiUrl = settings.apiUrl || fromEnv;
    if (!apiUrl) fail(io, EXIT.usage, `no API URL for stage ${name}: run ${loginLine(name)} --api-url <url> (the API Gateway endpoint of the Core stack), or set ${ENV.apiUrl}`);
    return { stage: name, apiUrl, bearer: () => bearerToken({ env: io.env, fetch: io.fetch, now }, name) };
  };
  // Everything printed may hold text from the API: no control character in it reaches the terminal.
  const out = (text: string) => io.stdout(`${printable(text)}\n`);
  const wantsJson = (cmd: Command) => cmd.optsWithGlobals<{ json?: boolean }>().json === true;

  const client = (use: ApiUse = 'operator'): ApiClient => {
    const check = apiConfigFromEnv(io.env, use, signedInStage(use));
    if (!check.ok) fail(io, EXIT.usage, check.error);
    return new ApiClient(check.config, io.fetch, () => Math.floor(now().getTime() / 1000));
  };

  async function request(what: string, send: () => Promise<ApiAnswer>): Promise<ApiAnswer> {
    let answer: ApiAnswer;
    try {
      answer = await send();
    } catch (err) {
      if (err instanceof ApiUnreachable) fail(io, EXIT.failed, err.message);
      if (err instanceof SignInNeeded) fail(io, err.exitCode, err.message);
      if (err instanceof SignInFileError) fail(io, EXIT.usage, err.message);
      throw err;
    }
    if (answer.ok) return answer;
    const said = errorAnswer.safeParse(printableAnswer(answer.body));
    const lines = [`${what} failed: HTTP ${answer.status}${said.success ? `: ${said.data.error}` : ''}`];
    if (said.success) lines.push(...(said.data.issues ?? []).map((i) => `  ${i.path}: ${i.message}`));
    else if (answer.text) lines.push(`  ${excerpt(answer.text)}`);
    const name = answer.status === 401 ? stage() : undefined;
    if (name !== undefined && name !== LOCAL_STAGE) lines.push(`the API did not accept the sign-in to stage ${name}: run ${loginLine(name)} again`);
    return fail(io, EXIT.failed, lines);
  }

  function show<S extends z.ZodMiniType>(cmd: Command, what: string, answer: ApiAnswer, schema: S, render: (value: z.infer<S>) => string): void {
    if (wantsJson(cmd)) {
      out(answer.body === undefined ? answer.text : JSON.stringify(answer.body, null, 2));
      return;
    }
    const parsed = schema.safeParse(answer.body);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `  ${i.path.map(String).join('.') || '(body)'}: ${i.message}`);
      fail(io, EXIT.failed, [`unexpected answer to ${what} (HTTP ${answer.status}); rerun with --json to see it:`, ...issues]);
    }
    out(render(printableAnswer(parsed.data)));
  }

  return { io, now, stage, out, wantsJson, client, request, show };
}

/** Two API URLs name the same API (a trailing slash aside); false also when either is not a URL. */
function sameUrl(a: string, b: string): boolean {
  try {
    const norm = (u: string) => new URL(u).href.replace(/\/+$/, '');
    return norm(a) === norm(b);
  } catch {
    return false;
  }
}
