/** Gmail users.messages send/list/get through the real @googleapis/gmail client, as the mailbox (token naming it). */
import { gmail_v1 } from '@googleapis/gmail';
import { OAuth2Client } from 'google-auth-library';
import { GOOGLE_TOKEN_SCOPES as GOOGLE_SCOPES } from '../../../../lambdas/providers/google/google-scopes';
import { localAccessToken } from '../../../../local/credentials/google-local-token';
import { googleError, startGoogle, type GoogleHarness } from './google-harness';

const ACCEPTED_AT = Date.parse('2026-12-01T09:00:00Z');
let now = ACCEPTED_AT;
let g: GoogleHarness;
beforeEach(async () => {
  now = ACCEPTED_AT;
  g = await startGoogle({ now: () => now });
});
afterEach(() => g.stop());

const admin = 'admin@example.com';
/** Gmail as a user would get it with domain-wide delegation: a token naming the user and its scopes. */
const gmailAs = (email: string, scopes: readonly string[] = GOOGLE_SCOPES.gmailSend) => {
  const auth = new OAuth2Client();
  auth.setCredentials({ access_token: localAccessToken('local', email, scopes) });
  return new gmail_v1.Gmail({ rootUrl: g.rootUrl, auth, retry: false, fetchImplementation: fetch });
};
const raw = (lines: string[], body = 'Hello there') => Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body}\r\n`).toString('base64url');
const message = (to = 'new.joiner@home.example', extra: string[] = []) =>
  raw([`From: Welcome <${admin}>`, `To: ${to}`, 'Subject: =?UTF-8?B?V2VsY29tZSwgWm/Dqw==?=', 'X-Lifecycle-Step: run-1/welcome', ...extra]);

describe('users.messages.send', () => {
  it('accepts a raw RFC 822 message into the sender’s SENT at the emulator clock’s time', async () => {
    const sent = await gmailAs(admin).users.messages.send({ userId: 'me', requestBody: { raw: message() } });
    expect(sent.data).toEqual({ id: expect.stringMatching(/^[0-9a-f]{16}$/), threadId: sent.data.id, labelIds: ['SENT'] });
    const [mail] = g.emulator.sentMail();
    expect(mail).toMatchObject({ mailbox: admin, to: 'new.joiner@home.example', subject: 'Welcome, Zoë', internalDate: '2026-12-01T09:00:00.000Z', text: 'Hello there\r\n' });
    expect(mail.headers['X-Lifecycle-Step']).toBe('run-1/welcome');
    expect(mail.headers['Message-ID']).toMatch(/^<.+@mail\.gmail\.com>$/);
  });

  it('sends as the mailbox itself when From names someone else', async () => {
    await gmailAs(admin).users.messages.send({ userId: admin, requestBody: { raw: raw(['From: ceo@example.com', 'To: x@home.example', 'Subject: hi']) } });
    expect(g.emulator.sentMail()[0].from).toBe(admin);
  });

  it.each([
    ['an invalid To header', raw(['To: not an address', 'Subject: x']), 'Invalid To header'],
    ['no recipient at all', raw(['Subject: x']), 'Recipient address required'],
    ['no raw', '', "'raw' RFC822 payload message string or uploading message via /upload/* URL required"],
  ])('refuses %s with 400 and Google’s message', async (_what, body, text) => {
    const err = await googleError(gmailAs(admin).users.messages.send({ userId: 'me', requestBody: { raw: body } }));
    expect(err.status).toBe(400);
    expect(err.error).toMatchObject({ code: 400, message: text, status: 'INVALID_ARGUMENT', errors: [{ reason: 'invalidArgument' }] });
    expect(g.emulator.sentMail()).toEqual([]);
  });

  it('needs a send scope, and the mailbox the token names', async () => {
    expect((await googleError(gmailAs(admin, GOOGLE_SCOPES.gmail).users.messages.send({ userId: 'me', requestBody: { raw: message() } }))).status).toBe(403);
    const denied = await googleError(gmailAs(admin).users.messages.send({ userId: 'grace.hopper@example.com', requestBody: { raw: message() } }));
    expect(denied).toMatchObject({ status: 403, error: { message: `Delegation denied for ${admin}` } });
  });

  it('a suspended or unknown sender gets the token endpoint’s refusal', async () => {
    const err = await googleError(gmailAs('charles.babbage@example.com').users.messages.send({ userId: 'me', requestBody: { raw: message() } }));
    expect(err.status).toBe(400);
  });
});

describe('users.messages.list and get', () => {
  const sendAt = async (at: number, to: string, step: string) => {
    now = at;
    return (await gmailAs(admin).users.messages.send({ userId: 'me', requestBody: { raw: message(to, [`X-Step-Of-Test: ${step}`]) } })).data.id!;
  };

  it('lists newest first, filtered by label and by q (to:, subject:, rfc822msgid:, bare words)', async () => {
    const first = await sendAt(ACCEPTED_AT, 'a@home.example', 'one');
    const second = await sendAt(ACCEPTED_AT + 60_000, 'b@home.example', 'two');
    const gmail = gmailAs(admin);
    expect((await gmail.users.messages.list({ userId: 'me', labelIds: ['SENT'] })).data).toEqual({
      messages: [{ id: second, threadId: second }, { id: first, threadId: first }],
      resultSizeEstimate: 2,
    });
    expect((await gmail.users.messages.list({ userId: 'me', labelIds: ['SENT'], q: 'to:a@home.example' })).data.messages).toEqual([{ id: first, threadId: first }]);
    expect((await gmail.users.messages.list({ userId: 'me', q: 'subject:"welcome, zoë" to:b@home.example' })).data.messages).toEqual([{ id: second, threadId: second }]);
    expect((await gmail.users.messages.list({ userId: 'me', labelIds: ['INBOX'] })).data).toEqual({ resultSizeEstimate: 0 });
    expect((await gmail.users.messages.list({ userId: 'me', q: 'hello' })).data.resultSizeEstimate).toBe(2);
    const id = (await gmail.users.messages.get({ userId: 'me', id: first, format: 'metadata', metadataHeaders: ['Message-ID'] })).data.payload?.headers?.[0].value ?? '';
    expect((await gmail.users.messages.list({ userId: 'me', q: `rfc822msgid:${id}` })).data.messages).toEqual([{ id: first, threadId: first }]);
    // Another mailbox sees none of it.
    expect((await gmailAs('grace.hopper@example.com').users.messages.list({ userId: 'me' })).data.resultSizeEstimate).toBe(0);
  });

  it('pages with maxResults and pageToken', async () => {
    for (let i = 0; i < 3; i++) await sendAt(ACCEPTED_AT + i, `p${i}@home.example`, String(i));
    const page1 = await gmailAs(admin).users.messages.list({ userId: 'me', maxResults: 2 });
    expect(page1.data.messages).toHaveLength(2);
    const page2 = await gmailAs(admin).users.messages.list({ userId: 'me', maxResults: 2, pageToken: page1.data.nextPageToken! });
    expect(page2.data.messages).toHaveLength(1);
    expect(page2.data.nextPageToken).toBeUndefined();
  });

  it('gets a message as metadata (chosen headers), full (payload with body) and raw, with internalDate from the clock', async () => {
    const id = await sendAt(ACCEPTED_AT, 'a@home.example', 'one');
    const gmail = gmailAs(admin);
    const metadata = (await gmail.users.messages.get({ userId: 'me', id, format: 'metadata', metadataHeaders: ['X-Lifecycle-Step', 'Subject'] })).data;
    expect(metadata).toMatchObject({ id, threadId: id, labelIds: ['SENT'], internalDate: String(ACCEPTED_AT), snippet: 'Hello there' });
    expect(metadata.payload).toEqual({ headers: [{ name: 'Subject', value: 'Welcome, Zoë' }, { name: 'X-Lifecycle-Step', value: 'run-1/welcome' }] });
    const full = (await gmail.users.messages.get({ userId: 'me', id })).data;
    expect(full.payload).toMatchObject({ partId: '', mimeType: 'text/plain', filename: '' });
    expect(Buffer.from(full.payload?.body?.data ?? '', 'base64url').toString()).toBe('Hello there\r\n');
    const asRaw = (await gmail.users.messages.get({ userId: 'me', id, format: 'raw' })).data;
    expect(Buffer.from(asRaw.raw ?? '', 'base64url').toString()).toContain('X-Lifecycle-Step: run-1/welcome');
    expect(asRaw.payload).toBeUndefined();
  });

  it('answers 404 for a message of another mailbox or none, 400 for an unknown format', async () => {
    const id = await sendAt(ACCEPTED_AT, 'a@home.example', 'one');
    expect((await googleError(gmailAs('grace.hopper@example.com').users.messages.get({ userId: 'me', id }))).error).toMatchObject({ code: 404, message: 'Requested entity was not found.' });
    expect((await googleError(gmailAs(admin).users.messages.get({ userId: 'me', id: 'ffffffffffffffff' }))).status).toBe(404);
    expect((await googleError(gmailAs(admin).users.messages.get({ userId: 'me', id, format: 'pretty' }))).status).toBe(400);
  });

  it('with only gmail.metadata: no q, no full format', async () => {
    await sendAt(ACCEPTED_AT, 'a@home.example', 'one');
    const metadataOnly = gmailAs(admin, ['https://www.googleapis.com/auth/gmail.metadata']);
    expect((await metadataOnly.users.messages.list({ userId: 'me', labelIds: ['SENT'] })).data.resultSizeEstimate).toBe(1);
    expect((await googleError(metadataOnly.users.messages.list({ userId: 'me', q: 'to:a@home.example' }))).error.message).toBe("Metadata scope does not support 'q' parameter");
  });
});

describe('the mail view for people', () => {
  it('GET /_emulator/google/mail lists outbound mail with its text, newest first, optionally by recipient', async () => {
    await gmailAs(admin).users.messages.send({ userId: 'me', requestBody: { raw: message('a@home.example') } });
    now += 1000;
    await gmailAs(admin).users.messages.send({ userId: 'me', requestBody: { raw: message('b@home.example') } });
    const all = (await (await fetch(`${g.server.url}/_emulator/google/mail`)).json()) as { messages: { to: string; text: string }[] };
    expect(all.messages.map((m) => m.to)).toEqual(['b@home.example', 'a@home.example']);
    const one = (await (await fetch(`${g.server.url}/_emulator/google/mail?to=a@home.example`)).json()) as { messages: { to: string; text: string }[] };
    expect(one.messages).toEqual([expect.objectContaining({ to: 'a@home.example', text: 'Hello there\r\n' })]);
  });

  it('keeps sent mail in the saved state', async () => {
    await gmailAs(admin).users.messages.send({ userId: 'me', requestBody: { raw: message() } });
    expect(g.emulator.toJSON().messages).toHaveLength(1);
  });
});
