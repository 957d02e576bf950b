/**
 * The one-shot HTTP listener the browser comes back to after the hosted sign-in: bound to 127.0.0.1 only, it takes
 * the first GET of the callback path, lets the login answer the browser once it knows the outcome, and closes.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LOGIN_CALLBACK_PATH, loginCallbackUrl } from './callback';

export interface CallbackRequest {
  /** The callback's query: code and state, or error and error_description. */
  params: URLSearchParams;
  /** Shows the outcome in the browser tab; the listener closes once it is sent. */
  answer(ok: boolean, message: string): void;
}

export interface CallbackListener {
  port: number;
  redirectUri: string;
  /** The first callback; rejects when none came within the time allowed. */
  next: Promise<CallbackRequest>;
  close(): Promise<void>;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const page = (ok: boolean, message: string) =>
  `<!DOCTYPE html><html><head><meta charset="utf-8"><title>lifecycle login</title></head><body><h1>${ok ? 'Signed in' : 'Sign-in failed'}</h1><p>${escapeHtml(message)}</p></body></html>`;

export class CallbackPortInUse extends Error {}

/**
 * Listens on 127.0.0.1 on the first free port of `ports` (each registered as a callback URL of the app client;
 * 0 takes any free port, for an emulator that registers it after).
 */
export async function listenForCallback(ports: readonly number[], timeoutMs: number): Promise<CallbackListener> {
  for (const [i, port] of ports.entries()) {
    try {
      return await listenOn(port, timeoutMs);
    } catch (err) {
      if (!(err instanceof CallbackPortInUse) || i === ports.length - 1) throw err;
    }
  }
  throw new Error('no callback port to listen on');
}

async function listenOn(port: number, timeoutMs: number): Promise<CallbackListener> {
  let deliver!: (request: CallbackRequest) => void;
  let expire!: (err: Error) => void;
  const next = new Promise<CallbackRequest>((resolve, reject) => {
    deliver = resolve;
    expire = reject;
  });
  let taken = false;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    // Browsers also ask for /favicon.ico; only the first GET of the callback path counts.
    if (req.method !== 'GET' || url.pathname !== LOGIN_CALLBACK_PATH || taken) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    taken = true;
    clearTimeout(timer);
    deliver({
      params: url.searchParams,
      answer: (ok, message) => {
        res.writeHead(ok ? 200 : 400, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'close' });
        res.end(page(ok, message), () => void close());
      },
    });
  });
  const timer = setTimeout(() => {
    expire(new Error(`no answer from the sign-in page within ${Math.ceil(timeoutMs / 1000)} s`));
    void close();
  }, timeoutMs);
  // A rejection nobody awaits yet (the login awaits `next` only after opening the browser) must not crash the process.
  next.catch(() => undefined);

  let closed: Promise<void> | undefined;
  function close(): Promise<void> {
    clearTimeout(timer);
    closed ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    return closed;
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(err.code === 'EADDRINUSE' ? new CallbackPortInUse(`port ${port} on 127.0.0.1 is in use: stop what holds it, or pass --port <n> with another port registered as a callback URL of the app client`) : err);
      void close();
    });
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return { port: actual, redirectUri: loginCallbackUrl(actual), next, close };
}
