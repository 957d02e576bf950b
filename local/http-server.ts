/** The local HTTP API: turns a Node request into an API Gateway proxy event for the same handler. */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { MAX_BODY_BYTES } from '../lambdas/http/api-routes';
import { localContext } from './lambda-context';

export type ApiHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/** Larger bodies are cut off here; the handler rejects anything over its own limit anyway. */
const READ_LIMIT = 1024 * 1024;

async function readBody(req: IncomingMessage): Promise<{ body: string; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > READ_LIMIT) truncated = true;
    else chunks.push(chunk as Buffer);
  }
  return { body: Buffer.concat(chunks).toString('utf8'), truncated };
}

export function toProxyEvent(req: IncomingMessage, body: string): APIGatewayProxyEvent {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
  const query = Object.fromEntries(url.searchParams.entries());
  return {
    httpMethod: req.method ?? 'GET',
    path: url.pathname,
    resource: url.pathname,
    headers,
    multiValueHeaders: {},
    queryStringParameters: Object.keys(query).length ? query : null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body: body || null,
    isBase64Encoded: false,
    requestContext: {
      requestId: `local-${Date.now()}`,
      identity: { sourceIp: req.socket.remoteAddress ?? '127.0.0.1' },
    } as APIGatewayProxyEvent['requestContext'],
  };
}

/** A file the server answers itself, before the API (the operator console), or undefined for the API. */
export type StaticFiles = (method: string, path: string) => { statusCode: number; headers: Record<string, string>; body: Buffer | string } | undefined;

/**
 * Whether a request names this machine in its Host header. The server listens on 127.0.0.1 only, but a web page on
 * any site can point its own name at 127.0.0.1 (DNS rebinding) and then read from here in the browser: its requests
 * carry that site's name, and are refused.
 */
export function isLocalHost(host: string | undefined): boolean {
  if (!host) return false;
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0];
  return ['localhost', '127.0.0.1', '[::1]'].includes(name.toLowerCase());
}

export async function startHttpServer(handler: ApiHandler, port: number, host = '127.0.0.1', files?: StaticFiles): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    if (!isLocalHost(req.headers.host)) {
      res.writeHead(421, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: `this local server answers requests for localhost only, not for ${req.headers.host ?? 'no host'}` }));
      return;
    }
    const file = files?.(req.method ?? 'GET', new URL(req.url ?? '/', 'http://localhost').pathname);
    if (file) {
      res.writeHead(file.statusCode, file.headers);
      res.end(req.method === 'HEAD' ? undefined : file.body);
      return;
    }
    readBody(req)
      .then(async ({ body, truncated }) => {
        const result = truncated
          ? { statusCode: 400, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ error: 'invalid request: (body): too large', issues: [{ path: '(body)', message: `must be at most ${MAX_BODY_BYTES} bytes` }] }) }
          : await handler(toProxyEvent(req, body), localContext('api', 29));
        res.writeHead(result.statusCode, result.headers as Record<string, string>);
        res.end(result.body);
      })
      .catch((err: unknown) => {
        res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ error: `local server error: ${String(err)}` }));
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return { server, url: `http://localhost:${(server.address() as AddressInfo).port}` };
}
