import { gmail_v1 } from '@googleapis/gmail';
import { googleError, startGoogle, type GoogleHarness } from './google-harness';

let g: GoogleHarness;
beforeEach(async () => {
  g = await startGoogle();
});
afterEach(() => g.stop());

const ada = 'ada.lovelace@example.com';

describe('Gmail settings through the real @googleapis/gmail client', () => {
  it('round-trips the vacation auto-reply', async () => {
    expect((await g.gmail.users.settings.getVacation({ userId: ada })).data).toEqual({ enableAutoReply: false });
    const set = await g.gmail.users.settings.updateVacation({
      userId: ada,
      requestBody: { enableAutoReply: true, responseSubject: 'Ada has left', responseBodyPlainText: 'Please write to Grace.', restrictToDomain: false, startTime: '1767225600000' },
    });
    expect(set.data).toMatchObject({ enableAutoReply: true, responseSubject: 'Ada has left', startTime: '1767225600000' });
    const read = await g.gmail.users.settings.getVacation({ userId: ada });
    expect(read.data.responseBodyPlainText).toBe('Please write to Grace.');
    expect(g.emulator.gmail(ada).vacation.enableAutoReply).toBe(true);
  });

  it('lists, creates, gets and deletes delegates; refuses a duplicate and a non-member', async () => {
    const before = await g.gmail.users.settings.delegates.list({ userId: ada });
    expect(before.data.delegates).toEqual([{ delegateEmail: 'alan.turing@example.com', verificationStatus: 'accepted' }]);
    const made = await g.gmail.users.settings.delegates.create({ userId: ada, requestBody: { delegateEmail: 'grace.hopper@example.com' } });
    expect(made.data).toEqual({ delegateEmail: 'grace.hopper@example.com', verificationStatus: 'accepted' });
    expect((await g.gmail.users.settings.delegates.get({ userId: ada, delegateEmail: 'grace.hopper@example.com' })).data.verificationStatus).toBe('accepted');
    expect((await googleError(g.gmail.users.settings.delegates.create({ userId: ada, requestBody: { delegateEmail: 'grace.hopper@example.com' } }))).status).toBe(409);
    expect((await googleError(g.gmail.users.settings.delegates.create({ userId: ada, requestBody: { delegateEmail: 'someone@elsewhere.org' } }))).status).toBe(400);
    expect((await g.gmail.users.settings.delegates.delete({ userId: ada, delegateEmail: 'alan.turing@example.com' })).status).toBe(204);
    expect(g.emulator.gmail(ada).delegates.map((d) => d.delegateEmail)).toEqual(['grace.hopper@example.com']);
    expect((await googleError(g.gmail.users.settings.delegates.get({ userId: ada, delegateEmail: 'alan.turing@example.com' }))).status).toBe(404);
  });

  it('forwards to a verified address only; an outside address stays pending', async () => {
    const outside = await g.gmail.users.settings.forwardingAddresses.create({ userId: ada, requestBody: { forwardingEmail: 'ada@analytical.org' } });
    expect(outside.data.verificationStatus).toBe('pending');
    const refused = await googleError(
      g.gmail.users.settings.updateAutoForwarding({ userId: ada, requestBody: { enabled: true, emailAddress: 'ada@analytical.org', disposition: 'archive' } }),
    );
    expect(refused).toMatchObject({ status: 400, error: { errors: [{ reason: 'failedPrecondition' }] } });

    const list = await g.gmail.users.settings.forwardingAddresses.list({ userId: ada });
    expect(list.data.forwardingAddresses?.map((f) => [f.forwardingEmail, f.verificationStatus])).toEqual([
      ['grace.hopper@example.com', 'accepted'],
      ['ada@analytical.org', 'pending'],
    ]);
    const on = await g.gmail.users.settings.updateAutoForwarding({
      userId: ada,
      requestBody: { enabled: true, emailAddress: 'grace.hopper@example.com', disposition: 'archive' },
    });
    expect(on.data).toEqual({ enabled: true, emailAddress: 'grace.hopper@example.com', disposition: 'archive' });
    expect((await g.gmail.users.settings.getAutoForwarding({ userId: ada })).data.enabled).toBe(true);

    await g.gmail.users.settings.forwardingAddresses.delete({ userId: ada, forwardingEmail: 'ada@analytical.org' });
    expect((await googleError(g.gmail.users.settings.forwardingAddresses.get({ userId: ada, forwardingEmail: 'ada@analytical.org' }))).status).toBe(404);
  });

  it('answers 400 failedPrecondition "Mail service not enabled" once the user is suspended', async () => {
    await g.directory.users.patch({ userKey: ada, requestBody: { suspended: true } });
    const err = await googleError(g.gmail.users.settings.updateVacation({ userId: ada, requestBody: { enableAutoReply: true } }));
    expect(err).toMatchObject({ status: 400, error: { message: 'Mail service not enabled', status: 'FAILED_PRECONDITION', errors: [{ reason: 'failedPrecondition' }] } });
    expect((await googleError(g.gmail.users.settings.delegates.list({ userId: ada }))).status).toBe(400);
  });

  it('takes "me" from the X-Emulator-Subject header, and says why when it is missing', async () => {
    const asAda = new gmail_v1.Gmail({ rootUrl: g.rootUrl, auth: g.auth, retry: false, fetchImplementation: fetch, headers: { 'X-Emulator-Subject': ada } });
    expect((await asAda.users.settings.delegates.list({ userId: 'me' })).data.delegates).toHaveLength(1);
    const err = await googleError(g.gmail.users.settings.getVacation({ userId: 'me' }));
    expect(err.status).toBe(400);
    expect(err.error.message).toContain('X-Emulator-Subject');
  });
});
