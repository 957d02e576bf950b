/** The login's callback listener: 127.0.0.1 only, the first free registered port, one callback, then closed. */
import { createServer, type Server } from 'node:net';
import { CallbackPortInUse, listenForCallback } from '../../../bin/cli/sign-in/callback-listener';

let holder: Server;
let busy: number;

beforeEach(async () => {
  holder = createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  busy = (holder.address() as { port: number }).port;
});
afterEach(() => new Promise<void>((resolve) => holder.close(() => resolve())));

describe('the login callback listener', () => {
  it('listens on the next registered port when the first is taken, and names it in the redirect URI', async () => {
    const listener = await listenForCallback([busy, 0], 60_000);
    expect(listener.port).not.toBe(busy);
    expect(listener.redirectUri).toBe(`http://localhost:${listener.port}/callback`);
    await listener.close();
  });

  it('says which port is in use when none is free', async () => {
    await expect(listenForCallback([busy], 60_000)).rejects.toThrow(CallbackPortInUse);
    await expect(listenForCallback([busy], 60_000)).rejects.toThrow(`port ${busy} on 127.0.0.1 is in use`);
  });

  it('takes the first callback only, answers the browser with the outcome, then stops listening', async () => {
    const listener = await listenForCallback([0], 60_000);
    const other = await fetch(`http://127.0.0.1:${listener.port}/favicon.ico`);
    expect(other.status).toBe(404);
    const browser = fetch(`http://127.0.0.1:${listener.port}/callback?code=c&state=s`);
    const callback = await listener.next;
    expect(Object.fromEntries(callback.params)).toEqual({ code: 'c', state: 's' });
    callback.answer(true, 'Signed in <as> ada');
    const page = await browser;
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Signed in &#60;as&#62; ada');
    await listener.close();
    await expect(fetch(`http://127.0.0.1:${listener.port}/callback?code=c2&state=s`)).rejects.toThrow();
  });

  it('gives up when the browser does not come back in time', async () => {
    const listener = await listenForCallback([0], 1);
    await expect(listener.next).rejects.toThrow('no answer from the sign-in page within 1 s');
  });
});
