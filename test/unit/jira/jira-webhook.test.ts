/** Reading a Jira webhook delivery: which ones start or revise a hire, how a ticket's fields map to the event, the signature. */
import { jiraSchema, parseJiraSettings, type JiraSettings } from '../../../config/jira';
import { loadStageConfig } from '../../../config/stages';
import { jiraSignature, verifyJiraSignature } from '../../../lambdas/providers/jira/jira-signature';
import { decideJiraWebhook, fieldText, jiraDeliveryTime, jiraEventBody, labelledLine, type JiraIssue, type JiraWebhookPayload } from '../../../lambdas/providers/jira/jira-webhook';
import { adfDoc } from '../../../local/emulators/jira/jira-sample';

const settings: JiraSettings = loadStageConfig('local').jira!;

const issue = (fields: Record<string, unknown> = {}): JiraIssue => ({
  key: 'HR-7',
  fields: {
    project: { key: 'HR' },
    issuetype: { name: 'New hire' },
    status: { name: 'Ready for IT' },
    description: adfDoc(['Hello IT,', 'Role: support-agent', '']),
    customfield_10050: 'E7',
    customfield_10051: 'Alan',
    customfield_10052: 'Turing',
    customfield_10053: { emailAddress: 'alan@home.example' },
    customfield_10054: null,
    customfield_10055: '2027-01-04',
    ...fields,
  },
});

const updated = (items: Record<string, unknown>[], fields: Record<string, unknown> = {}): JiraWebhookPayload => ({ webhookEvent: 'jira:issue_updated', issue: issue(fields), changelog: { id: '1', items } });

describe('decideJiraWebhook', () => {
  it('a move to the start status starts the request', () => {
    expect(decideJiraWebhook(settings, updated([{ field: 'status', fieldId: 'status', fromString: 'Open', toString: 'Ready for IT' }]))).toEqual({ kind: 'start', issueKey: 'HR-7' });
  });

  it('a ticket created in the start status starts it; one created elsewhere is ignored', () => {
    expect(decideJiraWebhook(settings, { webhookEvent: 'jira:issue_created', issue: issue() })).toEqual({ kind: 'start', issueKey: 'HR-7' });
    expect(decideJiraWebhook(settings, { webhookEvent: 'jira:issue_created', issue: issue({ status: { name: 'Open' } }) })).toEqual({ kind: 'ignored', reason: 'status Open is not Ready for IT' });
  });

  it('an edit of the description or a mapped field of a ticket in the start status is a revision; other edits are ignored', () => {
    expect(decideJiraWebhook(settings, updated([{ field: 'description', fieldId: 'description' }, { field: 'Start date', fieldId: 'customfield_10055' }]))).toEqual({
      kind: 'revision',
      issueKey: 'HR-7',
      changed: ['description', 'customfield_10055'],
    });
    expect(decideJiraWebhook(settings, updated([{ field: 'labels', fieldId: 'labels' }]))).toEqual({ kind: 'ignored', reason: 'no field the request is read from changed' });
    expect(decideJiraWebhook(settings, updated([{ field: 'description', fieldId: 'description' }], { status: { name: 'Open' } }))).toEqual({ kind: 'ignored', reason: 'status Open is not Ready for IT or Waiting for HR' });
  });

  it('a ticket the write-back moved to the needsAttention status is edited there: a revision; without that setting it is ignored', () => {
    const edit = updated([{ field: 'description', fieldId: 'description' }], { status: { name: 'Waiting for HR' } });
    expect(decideJiraWebhook(settings, edit)).toEqual({ kind: 'revision', issueKey: 'HR-7', changed: ['description'] });
    const { transitions: _t, ...without } = settings;
    expect(decideJiraWebhook(without, edit)).toEqual({ kind: 'ignored', reason: 'status Waiting for HR is not Ready for IT' });
  });

  it('the write-back moving the ticket back from the needsAttention status to the start status is no new request', () => {
    const back = updated([{ field: 'status', fieldId: 'status', fromString: 'Waiting for HR', toString: 'Ready for IT' }]);
    expect(decideJiraWebhook(settings, back)).toEqual({ kind: 'ignored', reason: 'status moved back from Waiting for HR to Ready for IT: its request goes on as it is, not a new one' });
    // From anywhere else, the move to the start status is the request.
    expect(decideJiraWebhook(settings, updated([{ field: 'status', fieldId: 'status', fromString: 'Open', toString: 'Ready for IT' }]))).toEqual({ kind: 'start', issueKey: 'HR-7' });
  });
});

describe('jiraDeliveryTime', () => {
  it("reads the issue's updated (Jira's +0000 offset), never the delivery's timestamp", () => {
    expect(jiraDeliveryTime({ timestamp: 1, issue: issue({ updated: '2026-12-05T06:28:11.123+0100' }) })).toBe('2026-12-05T05:28:11.123Z');
    // Without the ticket's updated time the delivery is not ordered: its timestamp is when Jira sent it, not the edit.
    expect(jiraDeliveryTime({ timestamp: Date.parse('2026-12-05T05:00:00Z'), issue: issue() })).toBeUndefined();
    expect(jiraDeliveryTime({ issue: issue({ updated: 'yesterday' }) })).toBeUndefined();
  });

  it('reads the changelog item "toString" as data, never as the object method', () => {
    expect(decideJiraWebhook(settings, updated([{ field: 'status', fieldId: 'status' }]))).toEqual({ kind: 'ignored', reason: 'status moved to (none), not Ready for IT' });
  });

  it.each([
    [{ webhookEvent: 'comment_created', issue: issue() }, 'webhook event comment_created is not read: only jira:issue_created and jira:issue_updated'],
    [{ webhookEvent: 'jira:issue_updated' }, 'the delivery carries no issue'],
    [updated([], { project: { key: 'OPS' } }), 'project OPS is not HR'],
    [updated([], { issuetype: { name: 'Task' } }), 'issue type Task is not New hire'],
  ])('ignores %#', (payload, reason) => {
    expect(decideJiraWebhook(settings, payload as JiraWebhookPayload)).toEqual({ kind: 'ignored', reason });
  });

  it('with a request type configured, reads it from its field (Jira Service Management)', () => {
    const jsm = { ...settings, requestType: { field: 'customfield_10010', name: 'Onboard a new hire' } };
    const moved = (rt: unknown) => updated([{ field: 'status', toString: 'Ready for IT' }], { customfield_10010: rt });
    expect(decideJiraWebhook(jsm, moved({ requestType: { id: '4', name: 'Onboard a new hire' } })).kind).toBe('start');
    expect(decideJiraWebhook(jsm, moved({ requestType: { id: '5', name: 'Laptop' } }))).toEqual({ kind: 'ignored', reason: 'request type Laptop is not Onboard a new hire' });
    expect(decideJiraWebhook(jsm, moved(null))).toEqual({ kind: 'ignored', reason: 'request type (none) is not Onboard a new hire' });
  });
});

describe('jiraEventBody', () => {
  it('maps the ticket to a hire event: custom fields, a user field by its address, a description line, the default time zone', () => {
    expect(jiraEventBody(settings, issue())).toEqual({
      ok: true,
      body: {
        eventId: 'jira-HR-7',
        type: 'hire',
        effectiveDate: '2027-01-04',
        employee: { id: 'E7', firstName: 'Alan', lastName: 'Turing', personalEmail: 'alan@home.example', role: 'support-agent', timezone: 'Europe/Berlin' },
      },
    });
  });

  it('takes the day of a date-time field', () => {
    const out = jiraEventBody(settings, issue({ customfield_10055: '2027-01-04T09:00:00.000+0100' }));
    expect(out.ok && out.body.effectiveDate).toBe('2027-01-04');
  });

  it('names every required field the ticket leaves empty by its Jira field', () => {
    expect(jiraEventBody(settings, issue({ customfield_10050: '  ', customfield_10055: null }))).toEqual({
      ok: false,
      issues: [
        { path: 'customfield_10050', eventField: 'employee.id', message: 'is empty on HR-7: it holds employee.id' },
        { path: 'customfield_10055', eventField: 'effectiveDate', message: 'is empty on HR-7: it holds effectiveDate' },
      ],
    });
  });
});

describe('field values', () => {
  it.each([
    ['text', ' x ', 'x'],
    ['number', 7, '7'],
    ['select option', { value: 'Berlin', id: '1' }, 'Berlin'],
    ['user', { accountId: 'a', emailAddress: 'g@example.com', displayName: 'G' }, 'g@example.com'],
    ['multi-select', [{ value: 'first' }, { value: 'second' }], 'first'],
    ['rich text', adfDoc(['hello']), 'hello'],
    ['empty', null, undefined],
  ])('%s', (_name, value, text) => {
    expect(fieldText(value)).toBe(text);
  });

  it('reads a labelled line from wiki markup or rich text, case and emphasis aside', () => {
    expect(labelledLine('h3. Request\n*Role:* senior-support-agent\nOther: x', 'role')).toBe('senior-support-agent');
    expect(labelledLine(adfDoc(['ROLE: support-agent']), 'Role')).toBe('support-agent');
    expect(labelledLine('Roles: many', 'Role')).toBeUndefined();
  });
});

describe('the jira stage setting', () => {
  it('the local stage has a valid one; it reads back from the environment form', () => {
    expect(parseJiraSettings(JSON.stringify(settings))).toEqual(settings);
    expect(parseJiraSettings(undefined)).toBeUndefined();
  });

  it('names each wrong field', () => {
    const { fields: _f, ...rest } = settings;
    expect(() => parseJiraSettings(JSON.stringify({ ...rest, projectKey: 'hr', fields: { 'employee.id': 'Custom Field 1', shoeSize: 'customfield_1' } }))).toThrow(
      /jira\.projectKey: must be a Jira project key.*jira\.fields\.employee\.id: must be a Jira field id.*jira\.fields: Unrecognized key: "shoeSize"/,
    );
    const noZone = jiraSchema.safeParse({ ...settings, defaultTimezone: undefined });
    expect(noZone.success).toBe(false);
    expect(noZone.error?.issues.map((i) => i.path.join('.'))).toEqual(['defaultTimezone']);
    const noDate = jiraSchema.safeParse({ ...settings, fields: { ...settings.fields, effectiveDate: undefined } });
    expect(noDate.error?.issues.map((i) => i.path.join('.'))).toEqual(['fields.effectiveDate']);
  });

  it('transitions and serviceDesk: each wrong value named; both need the write-back account', () => {
    expect(() => parseJiraSettings(JSON.stringify({ ...settings, transitions: { completed: '', closed: 'Closed' } }))).toThrow(
      /jira\.transitions\.completed: must be a status name such as Done.*jira\.transitions: Unrecognized key: "closed"/,
    );
    expect(() => parseJiraSettings(JSON.stringify({ ...settings, serviceDesk: 'yes' }))).toThrow(/jira\.serviceDesk: must be true or false/);
    expect(() => parseJiraSettings(JSON.stringify({ ...settings, transitions: { completed: 'Done', needsAttention: settings.startStatus } }))).toThrow(
      /jira\.transitions\.needsAttention: must not be the startStatus \(Ready for IT\)/,
    );
    expect(() => parseJiraSettings(JSON.stringify({ ...settings, transitions: { cancelled: settings.startStatus } }))).toThrow(/jira\.transitions\.cancelled: must not be the startStatus/);
    expect(() => parseJiraSettings(JSON.stringify({ ...settings, transitions: { completed: 'Done', needsAttention: 'Done' } }))).toThrow(/jira\.transitions\.needsAttention: must differ from completed and cancelled \(Done\)/);
    expect(() => parseJiraSettings(JSON.stringify({ ...settings, transitions: { cancelled: 'Closed', needsAttention: 'Closed' } }))).toThrow(/jira\.transitions\.needsAttention: must differ/);
    const { writeBackEmail: _w, ...noAccount } = settings;
    expect(() => parseJiraSettings(JSON.stringify({ ...noAccount, serviceDesk: true }))).toThrow(/jira\.transitions: needs writeBackEmail.*jira\.serviceDesk: needs writeBackEmail/);
    expect(parseJiraSettings(JSON.stringify({ ...settings, serviceDesk: true, transitions: { needsAttention: 'Waiting for HR' } }))).toMatchObject({ serviceDesk: true, transitions: { needsAttention: 'Waiting for HR' } });
  });
});

describe('verifyJiraSignature', () => {
  const body = '{"webhookEvent":"jira:issue_updated"}';
  it('accepts sha256=<hex HMAC of the raw body> in X-Hub-Signature, any header case, upper-case hex too', () => {
    expect(verifyJiraSignature('s3cret', { 'x-hub-signature': jiraSignature('s3cret', body) }, body)).toEqual({ ok: true });
    expect(verifyJiraSignature('s3cret', { 'X-Hub-Signature': jiraSignature('s3cret', body).toUpperCase().replace('SHA256', 'sha256') }, body)).toEqual({ ok: true });
  });

  it.each([
    ['missing', {}, /missing X-Hub-Signature/],
    ['another scheme', { 'X-Hub-Signature': 'sha1=abc' }, /must be sha256=/],
    ['another secret', { 'X-Hub-Signature': jiraSignature('other', body) }, /does not match/],
    ['another body', { 'X-Hub-Signature': jiraSignature('s3cret', `${body} `) }, /does not match/],
  ])('refuses a signature %s', (_name, headers, error) => {
    const out = verifyJiraSignature('s3cret', headers, body);
    expect(out.ok).toBe(false);
    expect(!out.ok && out.error).toMatch(error);
  });
});
