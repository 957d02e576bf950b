/** The Jira emulator's control routes for trying the intake by hand: an edit by the hire's field names, delivered as Jira would. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JiraSettings } from '../../../../config/jira';
import { loadStageConfig } from '../../../../config/stages';
import { decideJiraWebhook, jiraEventBody, type JiraWebhookPayload } from '../../../../lambdas/providers/jira/jira-webhook';
import { JIRA_WORKFLOW, JiraEmulator } from '../../../../local/emulators/jira/jira-emulator';
import { openHireTicket, seedJiraSample } from '../../../../local/emulators/jira/jira-sample';
import { jiraControlRoutes } from '../../../../local/emulators/jira/jira-webhook-sender';
import { startEmulatorServer, type EmulatorServer } from '../../../../local/emulators/server';

const settings: JiraSettings = loadStageConfig('local').jira!;
let jira: JiraEmulator;
let server: EmulatorServer;
let intake: Server;
const delivered: JiraWebhookPayload[] = [];

beforeAll(async () => {
  // Stands in for the local API's intake: keeps each delivery and answers 202.
  intake = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      delivered.push(JSON.parse(raw) as JiraWebhookPayload);
      res.writeHead(202, { 'Content-Type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => intake.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(intake.address() as AddressInfo).port}/v1/intake/jira`;
  jira = seedJiraSample(new JiraEmulator());
  server = await startEmulatorServer([...jira.routes(), ...jiraControlRoutes(jira, () => ({ url, secret: 'local-jira-webhook-secret' }))], 0);
});
afterAll(async () => {
  await server.stop();
  await new Promise((resolve) => intake.close(resolve));
});
beforeEach(() => {
  delivered.length = 0;
});

const ready = () => {
  const issue = openHireTicket(jira, { id: 'E300', firstName: 'Alan', startDate: '2027-01-04', role: 'support-agent' });
  jira.transition(issue.key, JIRA_WORKFLOW.find((t) => t.status.name === 'Ready for IT')!.transitionId);
  return issue;
};
const edit = (key: string, body: unknown) => fetch(`${server.url}/_emulator/jira/issues/${key}/edit`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

describe('POST /_emulator/jira/issues/{key}/edit', () => {
  it('brings the first day forward by the hire field name: the delivery is a revision with the new date', async () => {
    const issue = ready();
    const res = await edit(issue.key, { startDate: '2027-01-02' });
    expect(res.status).toBe(200);
    expect(jira.issue(issue.key)!.fields.customfield_10055).toBe('2027-01-02');
    expect(delivered).toHaveLength(1);
    expect(decideJiraWebhook(settings, delivered[0])).toEqual({ kind: 'revision', issueKey: issue.key, changed: ['customfield_10055'] });
    expect(jiraEventBody(settings, delivered[0].issue!)).toMatchObject({ ok: true, body: { effectiveDate: '2027-01-02' } });
  });

  it('takes every hire field by its name, the role as the description line, and Jira field ids under fields', async () => {
    const issue = ready();
    await edit(issue.key, { firstName: 'Alan M.', lastName: 'Turing', personalEmail: 'am@home.example', managerEmail: 'grace.hopper@example.com', role: 'senior-support-agent', fields: { duedate: '2027-01-09' } });
    const read = jiraEventBody(settings, delivered[0].issue!);
    expect(read).toMatchObject({ ok: true, body: { employee: { firstName: 'Alan M.', lastName: 'Turing', personalEmail: 'am@home.example', managerEmail: 'grace.hopper@example.com', role: 'senior-support-agent' } } });
    expect(jira.issue(issue.key)!.fields.duedate).toBe('2027-01-09');
  });

  it('an unknown key is a 400 naming it; nothing is edited or delivered', async () => {
    const issue = ready();
    const before = structuredClone(jira.issue(issue.key)!);
    const res = await edit(issue.key, { startDate: '2027-01-02', start_date: '2027-01-02' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/^start_date: not a field of a hire; edit one of id, firstName, lastName, personalEmail, managerEmail, startDate, role, fields$/);
    expect(jira.issue(issue.key)).toEqual(before);
    expect(delivered).toHaveLength(0);
    expect((await edit(issue.key, {})).status).toBe(400);
  });
});
