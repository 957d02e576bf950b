/** One local HTTP server for the provider emulators: each emulator adds its routes. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface EmulatorRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
  params: string[];
}

export interface EmulatorResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface EmulatorRoute {
  method: string;
  pattern: RegExp;
  handle(req: EmulatorRequest): EmulatorResponse | Promise<EmulatorResponse>;
}

export interface EmulatorServer {
  url: string;
  server: Server;
  stop(): Promise<void>;
}

function send(res: ServerResponse, out: EmulatorResponse) {
  const body = out.body === undefined ? '' : typeof out.body === 'string' ? out.body : JSON.stringify(out.body);
  res.writeHead(out.status, { 'Content-Type': 'application/json', ...out.headers });
  res.end(body);
}

export async function startEmulatorServer(routes: EmulatorRoute[], port: number): Promise<EmulatorServer> {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = routes.find((r) => r.method === req.method && r.pattern.test(url.pathname));
    if (!route) return send(res, { status: 404, body: { error: { code: 404, message: `no emulated route ${req.method} ${url.pathname}` } } });
    try {
      send(
        res,
        await route.handle({
          method: req.method ?? 'GET',
          path: url.pathname,
          query: url.searchParams,
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          params: route.pattern.exec(url.pathname)!.slice(1).map(decodeURIComponent),
        }),
      );
    } catch (err) {
      send(res, { status: 500, body: { error: { code: 500, message: String(err) } } });
    }
  });
  // Idle connections are kept a minute, as the providers' front ends keep them: a client pacing itself to a low quota
  // (Front's 50 a minute) must not meet Node's 5-second default closing the socket it is about to reuse.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://localhost:${(server.address() as AddressInfo).port}`,
    server,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
