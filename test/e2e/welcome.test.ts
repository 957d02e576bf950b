/** A joiner's welcome email end to end on the local runtime: the account, the mail, and the link that shows the password once. */
import { createHash } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { parsePlaybooks } from '../../config/playbooks';
import { createDocumentClient } from '../../lambdas/store/dynamo-store';
import { LOCAL_DEFAULTS } from '../../config/local-defaults';
import { LOCAL_AWS } from '../../local/embedded-store';
import type { Runtime } from '../../local/runtime';
import { postEvent, runReaches, start } from '../support/harness';

const WELCOME_PLAYBOOKS = parsePlaybooks({
  hire: {
    steps: [
      { id: 'create-user', action: 'google.createUser', offsetDays: -1, at: '09:00' },
      { id: 'welcome-email', action: 'google.sendWelcomeEmail', at: '09:00', after: ['create-user'] },
    ],
  },
  role_change: { steps: [] },
  terminate: { steps: [] },
});

/** 09:00 in London on the first day: the engine and Gmail both read this clock. */
const FIRST_DAY_0900 = new Date('2026-01-05T09:00:00Z');
const clock = { now: () => FIRST_DAY_0900 };

let rt: Runtime;
beforeAll(async () => {
  rt = await start({ playbooks: WELCOME_PLAYBOOKS, clock, providerClock: clock });
});
afterAll(async () => {
  await rt.stop();
});

const hire = {
  eventId: 'hire-welcome-1',
  type: 'hire',
  effectiveDate: '2026-01-05',
  urgent: false,
  employee: { id: 'E-WELCOME', firstName: 'Mary', lastName: 'Somerville', email: 'mary.somerville@example.com', personalEmail: 'mary@home.example', timezone: 'Europe/London' },
};

describe('the welcome email on the local runtime', () => {
  it('creates the account, mails the personal address once, and its link shows the password exactly once; nothing secret is stored', async () => {
    const res = await postEvent(rt, hire);
    expect(res.status).toBe(202);
    await rt.sweepNow();
    await runReaches(rt, 'E-WELCOME', res.body.runId, 'completed');

    const mail = (await (await fetch(`${rt.emulatorUrl}/_emulator/google/mail?to=mary@home.example`)).json()) as { messages: { text: string; internalDate: string }[] };
    expect(mail.messages).toHaveLength(1);
    // Delivered at 09:00 local on the first day, by Gmail's own clock.
    expect(mail.messages[0].internalDate).toBe('2026-01-05T09:00:00.000Z');
    expect(mail.messages[0].text).toContain('mary.somerville@example.com');
    const link = /(http\S+\/v1\/welcome\/[A-Za-z0-9_-]{43})/.exec(mail.messages[0].text)?.[1] ?? '';
    expect(link.startsWith(`${rt.apiUrl}/v1/welcome/`)).toBe(true);

    const preview = await fetch(link);
    expect(preview.status).toBe(200);
    expect(await preview.text()).toContain('<form method="post">');
    const shown = await fetch(link, { method: 'POST' });
    expect(shown.status).toBe(200);
    expect(shown.headers.get('cache-control')).toBe('no-store');
    const password = /<code>([^<]+)<\/code>/.exec(await shown.text())?.[1] ?? '';
    expect(createHash('sha256').update(password).digest('hex')).toBe(rt.emulators.google.user('mary.somerville@example.com')?.passwordSha256);
    expect((await fetch(link, { method: 'POST' })).status).toBe(410);

    const token = link.split('/').pop() ?? '';
    const items = await createDocumentClient({ ...LOCAL_AWS, endpoint: rt.storeEndpoint }).send(new ScanCommand({ TableName: LOCAL_DEFAULTS.tableName }));
    const stored = JSON.stringify(items.Items);
    expect(stored).not.toContain(password);
    expect(stored).not.toContain(token);
  });
});
