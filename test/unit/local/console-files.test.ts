/** The local server's console files and its Host check: only this machine's name is answered, and a secret token is never offered. */
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LOCAL_OPERATOR_TOKENS } from '../../../config/local-defaults';
import { CONSOLE_SECURITY_HEADERS, consoleContentSecurityPolicy } from '../../../console/security';
import { consoleFiles } from '../../../local/console-files';
import { isLocalHost, startHttpServer } from '../../../local/http-server';
import { localOperatorTokens } from '../../../local/runtime';

const files = [
  { name: 'app.js', contentType: 'text/javascript; charset=utf-8', body: Buffer.from('x') },
  { name: 'index.html', contentType: 'text/html; charset=utf-8', body: Buffer.from('<!doctype html>') },
];

describe('the console files', () => {
  it('answers index.html for every page path (deep links), the files by name, with the security headers', () => {
    const serve = consoleFiles(files, localOperatorTokens());
    expect(serve('GET', '/console/runs/E100/abc')).toMatchObject({ statusCode: 200, headers: { 'Content-Type': 'text/html; charset=utf-8', ...CONSOLE_SECURITY_HEADERS } });
    expect(serve('GET', '/console/app.js')?.body.toString()).toBe('x');
    expect(serve('POST', '/console/')?.statusCode).toBe(405);
    expect(serve('GET', '/v1/runs')).toBeUndefined();
  });

  it('offers the well-known local tokens, and never one set with LIFECYCLE_OPERATOR_TOKEN', () => {
    const offered = (tokens: ReturnType<typeof localOperatorTokens>) => JSON.parse(String(consoleFiles(files, tokens)('GET', '/console/config.json')?.body)) as { identities: { name: string; token: string }[] };
    expect(offered(localOperatorTokens()).identities.map((i) => i.name)).toEqual(LOCAL_OPERATOR_TOKENS.map((t) => t.name));
    const secret = offered(localOperatorTokens('a-secret-admin-token'));
    expect(secret.identities.map((i) => i.name)).not.toContain('local-admin');
    expect(JSON.stringify(secret)).not.toContain('a-secret-admin-token');
  });
});

describe("the console files with a user pool's console client", () => {
  const cognito = {
    userPoolId: 'eu-central-1_LocalPool',
    domain: 'http://localhost:4020',
    clientIds: ['console-client'],
    console: { clientId: 'console-client' },
  };

  it('say to sign in with the hosted domain, as config.json on AWS does, with the port the server got', () => {
    let origin = 'http://localhost:0';
    const serve = consoleFiles(files, localOperatorTokens(), { cognito, consoleOrigin: () => origin });
    origin = 'http://localhost:3456';
    expect(JSON.parse(String(serve('GET', '/console/config.json')?.body))).toEqual({
      auth: 'cognito',
      region: 'eu-central-1',
      domain: 'http://localhost:4020',
      clientId: 'console-client',
      redirectUri: 'http://localhost:3456/console/callback',
      signOutUri: 'http://localhost:3456/console/',
    });
  });

  it("let the pages reach the hosted domain's origin in connect-src and form-action, as CloudFront's policy does", () => {
    const serve = consoleFiles(files, localOperatorTokens(), { cognito: { ...cognito, domain: 'http://localhost:4020/' }, consoleOrigin: () => 'http://localhost:3456' });
    const csp = serve('GET', '/console/')?.headers['Content-Security-Policy'];
    expect(csp).toBe(consoleContentSecurityPolicy('http://localhost:4020'));
    expect(csp).toContain("connect-src 'self' http://localhost:4020;");
    expect(csp).toMatch(/form-action 'self' http:\/\/localhost:4020$/);
  });
});

describe('the Host check', () => {
  it.each([
    ['localhost:3000', true],
    ['127.0.0.1:3000', true],
    ['[::1]:3000', true],
    ['LOCALHOST', true],
    ['evil.example:3000', false],
    ['localhost.evil.example', false],
    [undefined, false],
  ])('%s is local: %s', (host, local) => {
    expect(isLocalHost(host)).toBe(local);
  });

  it('refuses a request naming another host (a rebound DNS name) with 421, for the console and the API alike', async () => {
    let reached = false;
    const { server } = await startHttpServer(async () => {
      reached = true;
      return { statusCode: 200, body: '{}' };
    }, 0, '127.0.0.1', consoleFiles(files, localOperatorTokens()));
    const port = (server.address() as AddressInfo).port;
    const get = (path: string, host: string) =>
      new Promise<number>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path, headers: { Host: host } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    try {
      expect(await get('/console/config.json', 'evil.example:80')).toBe(421);
      expect(await get('/v1/runs', 'evil.example:80')).toBe(421);
      expect(reached).toBe(false);
      expect(await get('/console/config.json', `localhost:${port}`)).toBe(200);
    } finally {
      server.close();
      server.closeAllConnections();
    }
  });
});
