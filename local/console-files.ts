/**
 * The operator console as the local runtime serves it beside the API: the built files under /console/, index.html
 * for every other /console path (deep links), and /console/config.json saying how to sign in (locally: the local
 * operator tokens, the same the banner prints; the server listens on 127.0.0.1 only). With a user pool's console
 * client, it says what it says on AWS instead (Cognito's hosted sign-in), and the pages may reach that domain.
 */
import type { ConsoleFile } from '../console/build';
import { CONSOLE_SECURITY_HEADERS, consoleContentSecurityPolicy } from '../console/security';
import { consoleCognitoConfig } from '../console/sign-in-config';
import { LOCAL_OPERATOR_TOKENS } from '../config/local-defaults';
import { regionOfPool, type LocalCognito } from './cognito-authorizer';
import type { StaticFiles } from './http-server';

type LocalOperatorToken = (typeof LOCAL_OPERATOR_TOKENS)[number];

type StaticAnswer = NonNullable<ReturnType<StaticFiles>>;

/** Signing in with a user pool's console client: the pool, and the console's origin once the server listens. */
export interface ConsoleCognitoSignIn {
  cognito: LocalCognito;
  consoleOrigin: () => string;
}

/** What /console/config.json answers: the local tokens offered, or the console's Cognito client. */
function signInConfig(tokens: readonly LocalOperatorToken[], signIn?: ConsoleCognitoSignIn): () => string {
  const client = signIn?.cognito.console;
  if (signIn && client) {
    const { cognito, consoleOrigin } = signIn;
    const domain = cognito.domain.replace(/\/+$/, '');
    return () => JSON.stringify(consoleCognitoConfig({ region: regionOfPool(cognito.userPoolId), domain, clientId: client.clientId, consoleOrigin: consoleOrigin() }));
  }
  // Only the well-known local tokens are offered; one set with LIFECYCLE_OPERATOR_TOKEN is kept secret (it is never
  // printed either) and is pasted on the sign-in page instead.
  const known = new Set(LOCAL_OPERATOR_TOKENS.map((t) => t.token));
  const offered = tokens.filter((t) => known.has(t.token));
  const config = JSON.stringify({ auth: 'local', identities: offered.map((t) => ({ name: t.name, groups: t.groups, token: t.token })) });
  return () => config;
}

export function consoleFiles(files: readonly ConsoleFile[], tokens: readonly LocalOperatorToken[], signIn?: ConsoleCognitoSignIn): StaticFiles {
  const byName = new Map(files.map((f) => [f.name, f]));
  const index = byName.get('index.html');
  const config = signInConfig(tokens, signIn);
  // As on AWS: the page may call the hosted sign-in domain's token endpoint (and post a form to it), nothing else.
  const securityHeaders = signIn?.cognito.console
    ? { ...CONSOLE_SECURITY_HEADERS, 'Content-Security-Policy': consoleContentSecurityPolicy(new URL(signIn.cognito.domain).origin) }
    : CONSOLE_SECURITY_HEADERS;
  return (method, path): StaticAnswer | undefined => {
    if (path !== '/console' && !path.startsWith('/console/')) return undefined;
    if (method !== 'GET' && method !== 'HEAD') return { statusCode: 405, headers: { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }, body: 'the console is read with GET' };
    const name = path.slice('/console/'.length);
    if (name === 'config.json') return { statusCode: 200, headers: { ...securityHeaders, 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }, body: config() };
    const file = byName.get(name);
    if (file && name !== 'index.html') return { statusCode: 200, headers: { ...securityHeaders, 'Content-Type': file.contentType, 'Cache-Control': 'no-cache' }, body: file.body };
    if (!index) return { statusCode: 404, headers: { 'Content-Type': 'text/plain' }, body: 'the console is not built' };
    return { statusCode: 200, headers: { ...securityHeaders, 'Content-Type': index.contentType, 'Cache-Control': 'no-cache' }, body: index.body };
  };
}
