import { humanDueTime, joinerSummarySubject, joinerSummaryText, stepsByState, type JoinerSummaryInput } from '../../../lambdas/mail/joiner-summary';
import { mailRaw } from '../../../lambdas/mail/mime';

const input: JoinerSummaryInput = {
  employee: { id: 'E1', firstName: 'Zoë', lastName: 'Ångström', email: 'zangstroem@example.com', timezone: 'Europe/Berlin' },
  firstDay: '2026-12-01',
  runId: 'run-1',
  steps: [{ stepId: 'create-user', action: 'google.createUser', status: 'succeeded', note: 'created' }],
};

describe('the joiner summary', () => {
  it('sorts the steps by where they stand', () => {
    const by = stepsByState([
      { stepId: 'a', action: 'x', status: 'succeeded' },
      { stepId: 'b', action: 'x', status: 'pending' },
      { stepId: 'c', action: 'x', status: 'queued' },
      { stepId: 'd', action: 'x', status: 'running' },
      { stepId: 'e', action: 'x', status: 'needs_attention' },
      { stepId: 'f', action: 'x', status: 'skipped' },
      { stepId: 'g', action: 'x', status: 'cancelled' },
    ]);
    expect(Object.fromEntries(Object.entries(by).map(([k, v]) => [k, v.map((s) => s.stepId)]))).toEqual({ done: ['a'], waiting: ['b', 'c', 'd'], operator: ['e'], dropped: ['f', 'g'] });
  });

  it('with no welcome step it says the password must be handed over another way', () => {
    expect(joinerSummaryText(input)).toContain('this run sends no welcome email');
    expect(joinerSummaryText({ ...input, steps: [...input.steps, { stepId: 'w', action: 'google.sendWelcomeEmail', status: 'pending' }] })).toContain('one-time link');
  });

  it('gives a due time in the employee’s zone, summer time included', () => {
    expect(humanDueTime('2026-12-04T08:00:00.000Z', 'Europe/Berlin')).toBe('Friday 4 December 2026, 09:00 Europe/Berlin');
    expect(humanDueTime('2026-07-01T22:30:00.000Z', 'Europe/Berlin')).toBe('Thursday 2 July 2026, 00:30 Europe/Berlin');
    expect(humanDueTime('not a time', 'Europe/Berlin')).toBe('not a time');
  });

  it('shows what a step still to come failed with while it is retried', () => {
    const text = joinerSummaryText({
      ...input,
      steps: [...input.steps, { stepId: 'add-groups', action: 'google.addToGroups', status: 'queued', dueAt: '2026-12-04T08:00:00.000Z', error: '503 from Directory API: backend error' }],
    });
    expect(text).toContain('add-groups (google.addToGroups): due Friday 4 December 2026, 09:00 Europe/Berlin; the last attempt failed, retrying: 503 from Directory API: backend error');
  });

  it('a role with no manual tasks says so', () => {
    expect(joinerSummaryText({ ...input, role: { name: 'Engineer', manualTasks: [] } })).toContain('nothing: the role Engineer lists no manual tasks');
  });

  it('no step waiting for an operator: the subject does not say any', () => {
    expect(joinerSummarySubject(input)).toBe('New joiner: Zoë Ångström starts Tuesday 1 December 2026');
    expect(joinerSummarySubject({ ...input, steps: [{ stepId: 'a', action: 'x', status: 'needs_attention' }, { stepId: 'b', action: 'x', status: 'needs_attention' }] })).toMatch(/\(2 steps need an operator\)$/);
  });
});

describe('mailRaw', () => {
  const decoded = (raw: string) => Buffer.from(raw, 'base64url').toString('utf8');

  it('encodes a non-ASCII subject as an RFC 2047 word and keeps a line break in HR data out of the headers', () => {
    const text = decoded(mailRaw({ from: 'a@example.com', to: ['b@example.com\r\nBcc: evil@example.com'], cc: ['c@example.com', 'd@example.com'], subject: 'Zoë', text: 'hi\nthere', step: 'r/s', date: new Date(0) }));
    const [head, body] = text.split('\r\n\r\n');
    expect(head.split('\r\n')).toEqual(expect.arrayContaining(['To: b@example.com Bcc: evil@example.com', 'Cc: c@example.com, d@example.com', `Subject: =?UTF-8?B?${Buffer.from('Zoë').toString('base64')}?=`, 'X-Lifecycle-Step: r/s']));
    expect(head).not.toMatch(/^Bcc:/m);
    expect(Buffer.from(body.replace(/\r\n/g, ''), 'base64').toString('utf8')).toBe('hi\r\nthere');
  });

  it('has no Cc header when nobody is copied', () => {
    expect(decoded(mailRaw({ from: 'a@example.com', to: ['b@example.com'], subject: 's', text: 't', step: 'r/s', date: new Date(0) }))).not.toMatch(/^Cc:/m);
  });
});
