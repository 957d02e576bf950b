/**
 * Where `lifecycle login` keeps what it learns, in the user's config directory (XDG_CONFIG_HOME, else ~/.config;
 * %APPDATA% on Windows), under account-lifecycle/:
 *   config.json         each stage's sign-in settings (hosted domain, client id, API URL, callback port)
 *   tokens/<stage>.json  the stage's tokens: ID, access and refresh
 * Both files are 0600 and both directories 0700, written whole through a rename so a reader never sees half a file.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import * as z from '../../../lambdas/shared/zod';

export type Env = Readonly<Record<string, string | undefined>>;

const stageSettings = z.object({
  authDomain: z.string(),
  clientId: z.string(),
  apiUrl: z.optional(z.string()),
  /** The callback ports to try, in order: the app client's registered ones, or the one `--port` gave. */
  ports: z.array(z.number()),
  scopes: z.array(z.string()),
});
export type StageSettings = z.infer<typeof stageSettings>;

const configFile = z.looseObject({ stages: z.record(z.string(), stageSettings) });

const storedTokens = z.object({
  stage: z.string(),
  /** The domain and client that issued the tokens: refresh and revoke go there, whatever config.json says later. */
  authDomain: z.string(),
  clientId: z.string(),
  idToken: z.string(),
  accessToken: z.string(),
  refreshToken: z.string(),
  /** When the access and ID tokens run out (ISO 8601). */
  expiresAt: z.string(),
});
export type StoredTokens = z.infer<typeof storedTokens>;

/** A stage name becomes a file name: letters, digits, `-` and `_` only, so no name can point outside the directory. */
const STAGE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export function checkStageName(stage: string): string | undefined {
  return STAGE_NAME.test(stage) ? undefined : `--stage must be letters, digits, - or _ (at most 64), such as dev or prod; got "${stage}"`;
}

export function signInDir(env: Env, platform: NodeJS.Platform = process.platform): string {
  const xdg = env.XDG_CONFIG_HOME;
  const base = xdg && isAbsolute(xdg) ? xdg : platform === 'win32' && env.APPDATA ? env.APPDATA : join(env.HOME || homedir(), '.config');
  return join(base, 'account-lifecycle');
}

export const tokenFilePath = (env: Env, stage: string): string => join(signInDir(env), 'tokens', `${stage}.json`);
const configFilePath = (env: Env): string => join(signInDir(env), 'config.json');

/** A sign-in file exists but cannot be used: named, so the user knows what to remove or redo. */
export class SignInFileError extends Error {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`${path} cannot be read (${reason}): remove it, then run lifecycle login again`);
    this.name = 'SignInFileError';
  }
}

function ensurePrivateDir(env: Env, dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // The directories we own are tightened even when they existed already; the parent config directory is not ours.
  chmodSync(signInDir(env), 0o700);
  chmodSync(dir, 0o700);
}

function writePrivateJson(env: Env, path: string, value: unknown): void {
  ensurePrivateDir(env, dirname(path));
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  try {
    renameSync(temporary, path);
  } catch (err) {
    rmSync(temporary, { force: true });
    throw err;
  }
  chmodSync(path, 0o600);
}

function readJson<S extends z.ZodMiniType>(path: string, schema: S): z.infer<S> | undefined {
  if (!existsSync(path)) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new SignInFileError(path, err instanceof SyntaxError ? 'not JSON' : String(err));
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new SignInFileError(path, parsed.error.issues.map((i) => `${i.path.map(String).join('.') || '(file)'}: ${i.message}`).join('; '));
  return parsed.data;
}

export function readStageSettings(env: Env, stage: string): StageSettings | undefined {
  return readJson(configFilePath(env), configFile)?.stages[stage];
}

export function writeStageSettings(env: Env, stage: string, settings: StageSettings): void {
  const path = configFilePath(env);
  const current = readJson(path, configFile) ?? { stages: {} };
  writePrivateJson(env, path, { ...current, stages: { ...current.stages, [stage]: settings } });
}

export function readTokens(env: Env, stage: string): StoredTokens | undefined {
  return readJson(tokenFilePath(env, stage), storedTokens);
}

export function writeTokens(env: Env, tokens: StoredTokens): string {
  const path = tokenFilePath(env, tokens.stage);
  writePrivateJson(env, path, tokens);
  return path;
}

/** Answers whether there was a file to remove. */
export function removeTokens(env: Env, stage: string): boolean {
  const path = tokenFilePath(env, stage);
  if (!existsSync(path)) return false;
  rmSync(path, { force: true });
  return true;
}
