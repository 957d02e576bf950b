/**
 * The joiner's initial password from google.createUser to the welcome email and its one-time link, against the Google
 * emulator through the real clients and the lifecycle store on the embedded server: sealed, never in plain text.
 */
import { createHash } from 'node:crypto';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { createUser } from '../../../../lambdas/actions/google/create-user';
import { sendWelcomeEmail } from '../../../../lambdas/actions/google/send-welcome-email';
import { runAction } from '../../../../lambdas/actions/run-action';
import { revealTokenHash } from '../../../../lambdas/credentials/vault';
import type { EngineDeps, EngineLog } from '../../../../lambdas/engine/ports';
import { expectFailure as failure, expectOk, TEST_PUBLIC_API_URL, useGoogleTestBed, type GoogleTestBed } from '../../../support/google-emulator';

/** The emulator's clock: the welcome step runs at 09:00 London time on the first day. */
const FIRST_DAY_0900 = Date.parse('2026-12-01T09:00:00Z');
let emulatorNow = FIRST_DAY_0900;
const currentBed = useGoogleTestBed({ emulatorNow: () => emulatorNow });
let bed: GoogleTestBed;
beforeEach(() => {
  emulatorNow = FIRST_DAY_0900;
  bed = currentBed();
  bed.clock.set(new Date(FIRST_DAY_0900));
});

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
/** John Doe, hired with no address from HR, starting on 1 December. */
const john = { id: 'E200', firstName: 'John', lastName: 'Doe', email: undefined as string | undefined, personalEmail: 'johnny@home.example', timezone: 'Europe/London' };
const hire = { eventType: 'hire' as const, effectiveDate: '2026-12-01', runId: 'run-hire-1' };
const create = (employee = john) => runAction(createUser, bed.ctx, bed.request('google.createUser', { ...hire, stepId: 'create-user', employee }));
const welcome = (employee: Partial<typeof john> = {}) =>
  runAction(sendWelcomeEmail, bed.ctx, bed.request('google.sendWelcomeEmail', { ...hire, stepId: 'welcome-email', employee: { ...john, email: 'jdoe@example.com', ...employee } }));
const credential = () => bed.credentials.store.getCredential('E200', 'run-hire-1');
const opened = async () => bed.credentials.sealer.open((await credential())?.ciphertext ?? '', { employeeId: 'E200' });
const tokenIn = (text: string) => new RegExp(`${TEST_PUBLIC_API_URL}/v1/welcome/([A-Za-z0-9_-]{43})`).exec(text)?.[1] ?? '';

describe('google.createUser seals the initial password', () => {
  it('keeps the password it set only sealed, in the run’s credential record', async () => {
    const res = expectOk(await create());
    const record = await credential();
    expect(record).toMatchObject({ employeeId: 'E200', runId: 'run-hire-1', createdAt: '2026-12-01T09:00:00.000Z' });
    expect(record?.ciphertext).toMatch(/^aesgcm1:/);
    const password = await opened();
    // The sealed password is the one Google holds.
    expect(sha256(password)).toBe(bed.emulator.user('jdoe@example.com')?.passwordSha256);
    expect(JSON.stringify(res)).not.toContain(password);
    expect(JSON.stringify(record)).not.toContain(password);
  });

  it('run again, it keeps the sealed password and does not touch the account', async () => {
    expectOk(await create());
    const before = bed.emulator.user('jdoe@example.com')?.passwordSha256;
    const again = expectOk(await create());
    expect(again.result).toMatchObject({ existing: { primaryEmail: 'jdoe@example.com' }, initialPassword: 'sealed earlier' });
    expect(bed.emulator.user('jdoe@example.com')?.passwordSha256).toBe(before);
    expect(sha256(await opened())).toBe(before);
  });

  it('a retry that finds the account its lost answer made, but no sealed password, sets a new one and seals it', async () => {
    // What the first try did before its answer (and the sealing after it) was lost.
    await bed.ctx.providers.google!().directory.users.insert({
      requestBody: { primaryEmail: 'jdoe@example.com', name: { givenName: 'John', familyName: 'Doe' }, password: 'Lost-answer-1!', externalIds: [{ type: 'organization', value: 'E200' }] },
    });
    const res = expectOk(await create());
    expect(res.result).toMatchObject({ existing: { primaryEmail: 'jdoe@example.com' } });
    const user = bed.emulator.user('jdoe@example.com');
    expect(user?.passwordSha256).not.toBe(sha256('Lost-answer-1!'));
    expect(user?.changePasswordAtNextLogin).toBe(true);
    expect(sha256(await opened())).toBe(user?.passwordSha256);
  });

  it('without a credential vault it refuses before creating anything', async () => {
    const { credentials: _none, ...withoutVault } = bed.ctx;
    const error = failure(await runAction(createUser, withoutVault, bed.request('google.createUser', { ...hire, employee: john })));
    expect(error).toMatchObject({ retryable: false });
    expect(error.message).toMatch(/credential vault/);
    expect(bed.emulator.user('jdoe@example.com')).toBeUndefined();
  });

  it('a sealing failure is retryable and leaves no account', async () => {
    jest.spyOn(bed.credentials.sealer, 'seal').mockRejectedValueOnce(new Error('key service unavailable'));
    expect(failure(await create())).toMatchObject({ retryable: true });
    expect(bed.emulator.user('jdoe@example.com')).toBeUndefined();
  });
});

describe('google.sendWelcomeEmail', () => {
  it('sends one mail to the personal address at the scheduled time, with the company address, first day and a one-time link', async () => {
    expectOk(await create());
    const res = expectOk(await welcome());
    const [mail] = bed.emulator.sentMail();
    expect(bed.emulator.sentMail()).toHaveLength(1);
    expect(mail).toMatchObject({ mailbox: bed.sample.users.admin.email, to: 'johnny@home.example', internalDate: '2026-12-01T09:00:00.000Z' });
    expect(mail.headers['X-Lifecycle-Step']).toBe('run-hire-1/welcome-email');
    expect(mail.text).toContain('jdoe@example.com');
    expect(mail.text).toContain('Tuesday 1 December 2026');
    const token = tokenIn(mail.text);
    expect(token).toHaveLength(43);
    expect(res.result).toEqual({ messageId: expect.any(String), recipient: 'johnny@home.example', sentAt: '2026-12-01T09:00:00.000Z', linkExpiresAt: '2026-12-08T09:00:00.000Z' });
    expect(JSON.stringify(res)).not.toContain(token);
    // Only the token's hash is kept, with the link's own expiry.
    expect(await credential()).toMatchObject({ revealTokenHash: revealTokenHash(token), expiresAt: '2026-12-08T09:00:00.000Z', tokenIssuedAt: '2026-12-01T09:00:00.000Z' });
  });

  it('run again, it finds its mail in the sender’s sent mail and sends no second one', async () => {
    expectOk(await create());
    const first = expectOk(await welcome());
    emulatorNow += 60_000;
    const again = expectOk(await welcome());
    expect(again.result).toMatchObject({ messageId: first.result?.messageId, alreadySent: true, sentAt: '2026-12-01T09:00:00.000Z' });
    expect(bed.emulator.sentMail()).toHaveLength(1);
  });

  it('an answer lost after the send: the retry finds the mail, and its link still works', async () => {
    expectOk(await create());
    bed.emulator.faults.failNext({ method: 'GET', path: '^/gmail/v1/users/me/messages/[0-9a-f]+$', count: 1, status: 503 });
    expect(failure(await welcome())).toMatchObject({ retryable: true });
    expectOk(await welcome());
    const mails = bed.emulator.sentMail();
    expect(mails).toHaveLength(1);
    expect((await credential())?.revealTokenHash).toBe(revealTokenHash(tokenIn(mails[0].text)));
  });

  it('no personal address: not retryable, naming employee.personalEmail, and nothing sent', async () => {
    expectOk(await create());
    const error = failure(await welcome({ personalEmail: undefined }));
    expect(error).toMatchObject({ retryable: false });
    expect(error.message).toContain('employee.personalEmail');
    expect(bed.emulator.sentMail()).toEqual([]);
  });

  it('no sealed password for the run: not retryable, for an operator', async () => {
    bed.emulator.seedUser({ email: 'jdoe@example.com', givenName: 'John', familyName: 'Doe', employeeId: 'E200' });
    const error = failure(await welcome());
    expect(error).toMatchObject({ retryable: false });
    expect(error.message).toMatch(/no sealed initial password/);
    expect(bed.emulator.sentMail()).toEqual([]);
  });

  it.each([
    [503, true, undefined],
    [403, false, 'forbidden'],
  ])('a %s from Gmail on send is retryable: %s', async (status, retryable, reason) => {
    expectOk(await create());
    bed.emulator.faults.failNext({ method: 'POST', path: '^/gmail/v1/users/me/messages/send$', count: 1, status, reason });
    const error = failure(await welcome());
    expect(error).toMatchObject({ retryable });
    expect(error.providerAnswer).toMatch(new RegExp(`^${status}`));
    expect(bed.emulator.sentMail()).toEqual([]);
  });
});

describe('the whole flow never shows a password or a token outside the reveal page', () => {
  it('create, send, open the link twice: the table and the logs hold neither', async () => {
    const lines: string[] = [];
    const capture = (chunk: unknown) => {
      lines.push(String(chunk));
      return true;
    };
    const out = jest.spyOn(process.stdout, 'write').mockImplementation(capture);
    const err = jest.spyOn(process.stderr, 'write').mockImplementation(capture);
    const engineLog: EngineLog = { info: (m, e) => lines.push(m, JSON.stringify(e)), warn: (m, e) => lines.push(m, JSON.stringify(e)), error: (m, e) => lines.push(m, JSON.stringify(e)) };
    // The Lambda entries as deployed, with a logger that writes everything (tests run it silent otherwise).
    const level = process.env.POWERTOOLS_LOG_LEVEL;
    process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
    let entries!: {
      createActionHandler: typeof import('../../../../lambdas/handlers/action-handler').createActionHandler;
      createApiHandler: typeof import('../../../../lambdas/handlers/api').createApiHandler;
      logger: typeof import('../../../../lambdas/shared/observability').logger;
    };
    jest.isolateModules(() => {
      entries = {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        createActionHandler: (require('../../../../lambdas/handlers/action-handler') as typeof import('../../../../lambdas/handlers/action-handler')).createActionHandler,
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        createApiHandler: (require('../../../../lambdas/handlers/api') as typeof import('../../../../lambdas/handlers/api')).createApiHandler,
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        logger: (require('../../../../lambdas/shared/observability') as typeof import('../../../../lambdas/shared/observability')).logger,
      };
    });
    process.env.POWERTOOLS_LOG_LEVEL = level;
    const { createActionHandler, createApiHandler, logger } = entries;
    const context = { functionName: 'test', awsRequestId: 'r-1', getRemainingTimeInMillis: () => 30_000 } as unknown as Context;
    try {
      const createHandler = createActionHandler(createUser, () => bed.ctx);
      const welcomeHandler = createActionHandler(sendWelcomeEmail, () => bed.ctx);
      const results = [
        await createHandler(bed.request('google.createUser', { ...hire, stepId: 'create-user', employee: john }), context),
        await welcomeHandler(bed.request('google.sendWelcomeEmail', { ...hire, stepId: 'welcome-email', employee: { ...john, email: 'jdoe@example.com' } }), context),
      ];
      const password = await opened();
      const token = tokenIn(bed.emulator.sentMail()[0].text);
      const api = createApiHandler(() => ({
        engine: { store: bed.credentials.store, clock: bed.ctx.clock, log: engineLog } as unknown as EngineDeps,
        hrKeys: async () => ({ current: 'unused-hr-key' }),
        operator: () => undefined,
        passwords: () => bed.credentials.sealer,
      }));
      const call = (httpMethod: string) => api({ httpMethod, path: `/v1/welcome/${token}`, headers: {}, body: null } as unknown as APIGatewayProxyEvent, context);
      expect((await call('GET')).body).not.toContain(password);
      expect((await call('POST')).body).toContain(password);
      expect((await call('POST')).statusCode).toBe(410);

      const items = JSON.stringify(await bed.credentials.scanAll());
      const audit = JSON.stringify(await bed.credentials.store.listAudit('E200'));
      for (const secret of [password, token]) {
        expect(items).not.toContain(secret);
        expect(audit).not.toContain(secret);
        expect(JSON.stringify(results)).not.toContain(secret);
        expect(lines.join('\n')).not.toContain(secret);
      }
      // The capture itself works: a line the logger writes is seen.
      logger.info('welcome flow finished');
      expect(lines.join('\n')).toContain('welcome flow finished');
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  });
});
