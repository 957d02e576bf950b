/**
 * The operator console as the local runtime serves it beside the API: the built files under /console/, index.html
 * for every other /console path (deep links), and /console/config.json saying how to sign in (locally: the local
 * operator tokens, the same the banner prints; the server listens on 127.0.0.1 only).
 */
import type { ConsoleFile } from '../console/build';
import { CONSOLE_SECURITY_HEADERS } from '../console/security';
import { LOCAL_OPERATOR_TOKENS } from '../config/local-defaults';
import type { StaticFiles } from './http-server';

type LocalOperatorToken = (typeof LOCAL_OPERATOR_TOKENS)[number];

type StaticAnswer = NonNullable<ReturnType<StaticFiles>>;

export function consoleFiles(files: readonly ConsoleFile[], tokens: readonly LocalOperatorToken[]): StaticFiles {
  const byName = new Map(files.map((f) => [f.name, f]));
  const index = byName.get('index.html');
  // Only the well-known local tokens are offered; one set with LIFECYCLE_OPERATOR_TOKEN is kept secret (it is never
  // printed either) and is pasted on the sign-in page instead.
  const known = new Set(LOCAL_OPERATOR_TOKENS.map((t) => t.token));
  const offered = tokens.filter((t) => known.has(t.token));
  const config = JSON.stringify({ auth: 'local', identities: offered.map((t) => ({ name: t.name, groups: t.groups, token: t.token })) });
  return (method, path): StaticAnswer | undefined => {
    if (path !== '/console' && !path.startsWith('/console/')) return undefined;
    if (method !== 'GET' && method !== 'HEAD') return { statusCode: 405, headers: { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }, body: 'the console is read with GET' };
    const name = path.slice('/console/'.length);
    if (name === 'config.json') return { statusCode: 200, headers: { ...CONSOLE_SECURITY_HEADERS, 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }, body: config };
    const file = byName.get(name);
    if (file && name !== 'index.html') return { statusCode: 200, headers: { ...CONSOLE_SECURITY_HEADERS, 'Content-Type': file.contentType, 'Cache-Control': 'no-cache' }, body: file.body };
    if (!index) return { statusCode: 404, headers: { 'Content-Type': 'text/plain' }, body: 'the console is not built' };
    return { statusCode: 200, headers: { ...CONSOLE_SECURITY_HEADERS, 'Content-Type': index.contentType, 'Cache-Control': 'no-cache' }, body: index.body };
  };
}
