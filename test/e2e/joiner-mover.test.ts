/**
 * A joiner and then a mover, end to end with the default playbook and the sample role catalog in the Notion
 * emulator: signed events in, every step run against the emulators, the accounts read back through the real
 * Google, Gmail and Amazon Connect paths, the summary mailed to the manager and the operators, the welcome email
 * delivered at 09:00 on the first day.
 */
import { DescribeUserCommand, ListRoutingProfilesCommand, ListSecurityProfilesCommand, ListUsersCommand } from '@aws-sdk/client-connect';
import { createConnectClient, LOCAL_CONNECT_CREDENTIALS } from '../../lambdas/providers/connect/connect-client';
import { LOCAL_CONNECT_INSTANCE_ID } from '../../local/emulators/provider-emulators';
import { loadStageConfig } from '../../config/stages';
import { eventually, googleClientsOf, operator, postEvent } from '../support/harness';
import { useE2eRuntime } from '../support/e2e-runtime';

const EMPLOYEE = {
  id: 'E-JOIN',
  firstName: 'Jöhn',
  lastName: 'Müller',
  personalEmail: 'john@home.example',
  managerEmail: 'grace.hopper@example.com',
  role: 'support-agent',
  timezone: 'Europe/Berlin',
};
const ADDRESS = 'jmueller@example.com';
const ROTA = 'c_support000000000000000000000@group.calendar.google.com';
const ESCALATIONS = 'c_escalations0000000000000000@group.calendar.google.com';
const SENDER = loadStageConfig('local').welcomeEmail.sender;

describe('a joiner, then a mover, end to end', () => {
  let now = Date.parse('2099-01-10T10:00:00Z');
  // The emulators keep the same time, so the mail's delivery time can be read back. The sample tenant's two Business
  // Standard seats are taken; the mover needs a third.
  const { rt, settled } = useE2eRuntime(() => now, EMPLOYEE.id, { setUp: (runtime) => runtime.emulators.google.setSkuSeats('Google-Apps', '1010020028', 3) });
  const google = () => googleClientsOf(rt());
  const connect = () => createConnectClient({ endpoint: rt().emulatorUrl, region: 'eu-central-1', credentials: LOCAL_CONNECT_CREDENTIALS });

  const groupsOf = async (email: string) => ((await google().directory.groups.list({ userKey: email })).data.groups ?? []).map((g) => g.email).sort();
  const aclRole = async (calendarId: string, email: string) =>
    google()
      .calendar.acl.get({ calendarId, ruleId: `user:${email}` })
      .then((r) => r.data.role, (err: { code?: number }) => (err.code === 404 ? undefined : Promise.reject(err)));
  const licenseHeld = async (skuId: string) =>
    google()
      .licensing.get('Google-Apps', skuId, ADDRESS)
      .then(() => true, () => false);
  const connectAgent = async () => {
    const users = (await connect().send(new ListUsersCommand({ InstanceId: LOCAL_CONNECT_INSTANCE_ID }))).UserSummaryList ?? [];
    const found = users.find((u) => u.Username === 'jmueller');
    return found ? (await connect().send(new DescribeUserCommand({ InstanceId: LOCAL_CONNECT_INSTANCE_ID, UserId: found.Id! }))).User : undefined;
  };
  const connectNames = async () => {
    const routing = (await connect().send(new ListRoutingProfilesCommand({ InstanceId: LOCAL_CONNECT_INSTANCE_ID }))).RoutingProfileSummaryList ?? [];
    const security = (await connect().send(new ListSecurityProfilesCommand({ InstanceId: LOCAL_CONNECT_INSTANCE_ID }))).SecurityProfileSummaryList ?? [];
    return new Map([...routing, ...security].map((p) => [p.Id!, p.Name!]));
  };

  let hireRunId = '';

  it('plans the hire from the role: the account first, then everything the role grants, the welcome at 09:00 on the first day', async () => {
    const res = await postEvent(rt(), { eventId: 'join-1', type: 'hire', effectiveDate: '2099-01-20', employee: EMPLOYEE });
    expect(res.status).toBe(202);
    hireRunId = res.body.runId;
    const due = Object.fromEntries(res.body.steps.map((s: { stepId: string; dueAt: string }) => [s.stepId, s.dueAt]));
    expect(due).toEqual({
      'create-user': '2099-01-19T08:00:00.000Z',
      'welcome-email': '2099-01-20T08:00:00.000Z',
      'joiner-summary': '2099-01-19T08:00:00.000Z',
      'forward-event': '2099-01-19T08:00:00.000Z',
      'assign-license': '2099-01-19T08:00:00.000Z',
      'add-groups': '2099-01-19T08:00:00.000Z',
      'share-calendars': '2099-01-19T08:00:00.000Z',
      'create-connect-agent': '2099-01-19T08:00:00.000Z',
      'provision-zendesk-user': '2099-01-19T08:00:00.000Z',
      'provision-front-teammate': '2099-01-19T08:00:00.000Z',
    });
    const view = await operator(rt(), 'GET', `/v1/runs/${hireRunId}`);
    expect(view.body.role).toMatchObject({ name: 'support-agent', planned: 1 });
    expect(view.body.role.text).toContain('inherits junior-support-agent');
  });

  it('makes every account the role calls for the day before, under the derived address, read back through the real paths', async () => {
    now = Date.parse('2099-01-19T08:00:00Z');
    await rt().sweepNow();
    const run = await settled(hireRunId, ['create-user', 'assign-license', 'add-groups', 'share-calendars', 'create-connect-agent', 'forward-event'], 'the joiner steps');
    // The derived address is handed to every later step.
    expect(run.employee.email).toBe(ADDRESS);
    expect(run.steps.find((s) => s.stepId === 'welcome-email')?.status).toBe('pending');

    const user = (await google().directory.users.get({ userKey: ADDRESS, projection: 'full' })).data;
    expect(user).toMatchObject({ primaryEmail: ADDRESS, orgUnitPath: '/Staff', changePasswordAtNextLogin: true, customSchemas: { SAML: { role: 'helpdesk' } } });
    expect(await licenseHeld('1010020027')).toBe(true);
    expect(await groupsOf(ADDRESS)).toEqual(['all-staff@example.com']);
    expect(await aclRole(ROTA, ADDRESS)).toBeDefined();
    expect(await aclRole(ESCALATIONS, ADDRESS)).toBeDefined();
    const agent = await connectAgent();
    const names = await connectNames();
    expect(agent).toBeDefined();
    expect(names.get(agent!.RoutingProfileId!)).toBe('Support-Tier2');
    expect(agent!.SecurityProfileIds!.map((id) => names.get(id))).toEqual(['Agent']);
  });

  it('mails the manager, the operators in copy, a summary once the role’s access is in place: what was made, the role tree, what is left by hand', async () => {
    const run = await settled(hireRunId, ['joiner-summary'], 'the joiner summary');
    const summary = run.steps.find((s) => s.stepId === 'joiner-summary')!;
    // It waited for the role's steps: every one of them is reported done, none as in flight.
    expect(summary.result).toMatchObject({ done: 8, stillToCome: ['welcome-email'], waitingForOperator: [] });

    const gmail = await google().gmailSenderFor(SENDER);
    const sent = (await gmail.users.messages.list({ userId: 'me', labelIds: ['SENT'], q: `to:${EMPLOYEE.managerEmail}` })).data.messages ?? [];
    expect(sent).toHaveLength(1);
    const message = (await gmail.users.messages.get({ userId: 'me', id: sent[0].id!, format: 'full' })).data;
    const header = (name: string) => message.payload?.headers?.find((h) => h.name === name)?.value;
    expect(header('To')).toBe(EMPLOYEE.managerEmail);
    expect(header('Cc')).toBe(loadStageConfig('local').alertEmails.join(', '));
    const body = Buffer.from(message.payload!.body!.data!, 'base64url').toString('utf8');
    expect(body).toContain(`Company address: ${ADDRESS}`);
    for (const id of ['create-user', 'assign-license', 'add-groups', 'share-calendars', 'create-connect-agent']) expect(body).toMatch(new RegExp(`Done:[\\s\\S]*- ${id} `));
    expect(body).toMatch(/Left to do by hand:\r?\n {2}- Order a laptop\r?\n {2}- Issue a building badge/);
    expect(body).toContain('inherits junior-support-agent');
    expect(body).not.toMatch(/password:/i);
  });

  it('sends the welcome email at 09:00 local on the first day; its link reveals the initial password once', async () => {
    now = Date.parse('2099-01-20T08:00:00Z');
    // No sweep: the wake of the exact-time step queues it.
    const run = await settled(hireRunId, ['welcome-email'], 'the welcome email');
    expect(run.status).toBe('completed');

    const gmail = await google().gmailSenderFor(SENDER);
    const sent = (await gmail.users.messages.list({ userId: 'me', labelIds: ['SENT'], q: `to:${EMPLOYEE.personalEmail}` })).data.messages ?? [];
    expect(sent).toHaveLength(1);
    const message = (await gmail.users.messages.get({ userId: 'me', id: sent[0].id!, format: 'raw' })).data;
    expect(Number(message.internalDate)).toBe(Date.parse('2099-01-20T08:00:00Z'));
    const text = Buffer.from(message.raw!, 'base64url').toString('utf8');
    const body = Buffer.from(text.split('\r\n\r\n')[1].replace(/\r\n/g, ''), 'base64').toString('utf8');
    expect(body).toContain(ADDRESS);
    const link = /https?:\/\/\S+\/v1\/welcome\/\S+/.exec(body)?.[0];
    expect(link).toBeDefined();

    const page = await fetch(link!);
    expect(page.status).toBe(200);
    const revealed = await fetch(link!, { method: 'POST' });
    expect(revealed.status).toBe(200);
    expect(revealed.headers.get('cache-control')).toContain('no-store');
    expect(await revealed.text()).toMatch(/<code[^>]*>[^<]{12,}<\/code>/);
    expect((await fetch(link!, { method: 'POST' })).status).toBe(410);
  });

  it('moves the joiner to another role: adds what is new on the day, removes what only the old role had after the grace period', async () => {
    now = Date.parse('2099-01-25T10:00:00Z');
    // The mover's event leaves the address out: the one on record is used.
    const { personalEmail: _p, ...employee } = EMPLOYEE;
    const res = await postEvent(rt(), { eventId: 'move-1', type: 'role_change', effectiveDate: '2099-02-01', employee: { ...employee, role: 'engineer' } });
    expect(res.status).toBe(202);
    const runId: string = res.body.runId;
    const due = Object.fromEntries(res.body.steps.map((s: { stepId: string; dueAt: string }) => [s.stepId, s.dueAt]));
    expect(due).toEqual({
      'forward-event': '2099-01-31T23:00:00.000Z',
      'change-license': '2099-01-31T23:00:00.000Z',
      'add-groups': '2099-01-31T23:00:00.000Z',
      'scim-wiki-provision': '2099-01-31T23:00:00.000Z',
      'provision-nextcloud-user': '2099-01-31T23:00:00.000Z',
      'provision-openproject-user': '2099-01-31T23:00:00.000Z',
      'unshare-calendars': '2099-02-07T23:00:00.000Z',
      'remove-custom-schemas': '2099-02-07T23:00:00.000Z',
      'remove-connect-agent': '2099-02-07T23:00:00.000Z',
      'suspend-zendesk-user': '2099-02-07T23:00:00.000Z',
      'deactivate-front-teammate': '2099-02-07T23:00:00.000Z',
    });
    expect((await operator(rt(), 'GET', `/v1/runs/${runId}`)).body.role).toMatchObject({ name: 'engineer', previous: { name: 'support-agent', runId: hireRunId } });

    // The effective date: the new license instead of the old, the new groups; the old access stays for now.
    now = Date.parse('2099-01-31T23:00:00Z');
    await rt().sweepNow();
    await settled(runId, ['forward-event', 'change-license', 'add-groups'], 'the mover additions');
    expect(await licenseHeld('1010020028')).toBe(true);
    expect(await licenseHeld('1010020027')).toBe(false);
    expect(await groupsOf(ADDRESS)).toEqual(['all-staff@example.com', 'analytical-engine@example.com', 'engineering@example.com']);
    expect(await aclRole(ROTA, ADDRESS)).toBeDefined();
    expect(await connectAgent()).toBeDefined();

    // After the grace period: the calendars, the helpdesk SAML role and the Connect agent go, each recorded.
    now = Date.parse('2099-02-07T23:00:00Z');
    await rt().sweepNow();
    const run = await settled(runId, ['unshare-calendars', 'remove-custom-schemas', 'remove-connect-agent', 'suspend-zendesk-user'], 'the mover removals');
    expect(run.status).toBe('completed');
    expect(await aclRole(ROTA, ADDRESS)).toBeUndefined();
    expect(await aclRole(ESCALATIONS, ADDRESS)).toBeUndefined();
    expect(await connectAgent()).toBeUndefined();
    const user = (await google().directory.users.get({ userKey: ADDRESS, projection: 'full' })).data;
    expect((user.customSchemas as Record<string, Record<string, unknown>> | undefined)?.SAML?.role).toBeUndefined();
    // Shared access is untouched.
    expect(user.orgUnitPath).toBe('/Staff');
    expect(await groupsOf(ADDRESS)).toContain('all-staff@example.com');
    const results = Object.fromEntries(run.steps.map((s) => [s.stepId, s.result]));
    expect(JSON.stringify(results['unshare-calendars'])).toContain(ROTA);
    const tier2 = [...(await connectNames())].find(([, name]) => name === 'Support-Tier2')![0];
    expect(results['remove-connect-agent']).toMatchObject({ removed: { agent: { username: 'jmueller', routingProfileId: tier2 } } });
  });
});

describe('a joiner whose grants meet Google still creating the account', () => {
  let now = Date.parse('2099-03-10T10:00:00Z');
  // For a minute after users.insert Google refuses writes naming the new account.
  const { rt } = useE2eRuntime(() => now, 'E-FRESH', { setUp: (runtime) => runtime.emulators.google.setCreationDelay(60_000) });

  it('retries add-groups while Google answers 404 memberKey, then adds the joiner once it is done, each attempt in the audit trail', async () => {
    const employee = { ...EMPLOYEE, id: 'E-FRESH', firstName: 'Fresh', lastName: 'Hire' };
    const res = await postEvent(rt(), { eventId: 'fresh-1', type: 'hire', effectiveDate: '2099-03-20', employee });
    expect(res.status).toBe(202);
    const runId: string = res.body.runId;
    now = Date.parse('2099-03-19T08:00:00Z');
    await rt().sweepNow();

    // The first try meets the refusal: queued again, with why, not handed to an operator as "no such group".
    const refused = await eventually(async () => {
      const step = (await rt().engine.store.getRun(employee.id, runId))?.steps.find((s) => s.stepId === 'add-groups');
      return step && step.attempts >= 1 && step.status === 'queued' && step.lastError ? step : undefined;
    }, 20_000, 'add-groups to meet the refusal');
    expect(refused.lastError?.message).toMatch(/does not know fhire@example.com as a member yet/);
    expect(refused.lastError?.retryable).toBe(true);

    now += 60_000;
    const step = await eventually(async () => {
      const s = (await rt().engine.store.getRun(employee.id, runId))?.steps.find((x) => x.stepId === 'add-groups');
      if (s?.status === 'needs_attention') throw new Error(`add-groups went to an operator: ${s.lastError?.message}`);
      return s?.status === 'succeeded' ? s : undefined;
    }, 30_000, 'add-groups to succeed');
    expect(step.attempts).toBeGreaterThanOrEqual(2);
    expect(rt().emulators.google.groupsOf('fhire@example.com')).toEqual(['all-staff@example.com']);

    const view = await operator(rt(), 'GET', `/v1/employees/${employee.id}`);
    const trail = (view.body.audit as { stepId?: string; change: string }[]).filter((a) => a.stepId === 'add-groups').map((a) => a.change);
    expect(trail).toContain('attempt 1 failed; will retry');
    expect(trail).toContain('step succeeded');
  }, 60_000);
});
