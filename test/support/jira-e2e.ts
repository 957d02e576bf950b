/**
 * The Jira end-to-end tests' shared setup: a runtime whose Jira webhook secret is known, the intake's URL, a hire
 * ticket's fields, a ticket opened and moved to the start status (the delivery Jira sends for that), and a signed
 * delivery whose answer is read loosely, as the tests read answers.
 */
import type { Runtime, RuntimeOptions } from '../../local/runtime';
import { JIRA_WORKFLOW, type EmulatedIssue } from '../../local/emulators/jira/jira-emulator';
import { openHireTicket, SAMPLE_JIRA, type SampleHire } from '../../local/emulators/jira/jira-sample';
import { jiraWebhookBody, sendJiraWebhook } from '../../local/emulators/jira/jira-webhook-sender';
import { adfText } from '../../lambdas/providers/jira/jira-webhook';
import { daysFromToday } from './builders';
import { start } from './harness';

export const JIRA_SECRET = 'e2e-jira-webhook-secret';

/** The sample workflow's transition into a status, by the status's name. */
export const transitionInto = (status: string): string => JIRA_WORKFLOW.find((t) => t.status.name === status)!.transitionId;

export interface JiraE2e {
  /** The runtime (set once beforeAll has run). */
  readonly rt: Runtime;
  /** POST /v1/intake/jira of that runtime. */
  readonly url: string;
  /** A signed delivery of `body` (the secret unless given; null: unsigned). */
  send(body: Record<string, unknown> | string, secret?: string | null): Promise<{ status: number; body: Record<string, any> }>;
  /** A New hire ticket's fields: Alan, starting in 30 days as a support agent, unless told otherwise. */
  hire(id: string, more?: Partial<SampleHire>): SampleHire;
  /** Opens a ticket and moves it to Ready for IT: the ticket and the delivery Jira sends for that move (not sent). */
  readyTicket(h: SampleHire): { issue: EmulatedIssue; body: Record<string, unknown> };
  /** The ticket's comments written by the write-back account, as plain text. */
  ours(key: string): { id: string; text: string }[];
  /** The ticket's status now. */
  statusOf(key: string): string;
}

/** Starts a runtime for the file's tests (beforeAll) and stops it after them (afterAll). */
export function jiraE2e(options: RuntimeOptions = {}): JiraE2e {
  let rt: Runtime | undefined;
  beforeAll(async () => {
    // The default playbooks: a hire is planned from its role in the Notion catalog.
    rt = await start({ jiraWebhookSecret: JIRA_SECRET, playbooks: undefined, ...options });
  });
  afterAll(async () => {
    await rt?.stop();
  });
  const runtime = () => {
    if (!rt) throw new Error('the runtime is not started yet: use it inside a test');
    return rt;
  };
  return {
    get rt() {
      return runtime();
    },
    get url() {
      return `${runtime().apiUrl}/v1/intake/jira`;
    },
    send: async (body, secret = JIRA_SECRET) => (await sendJiraWebhook(`${runtime().apiUrl}/v1/intake/jira`, secret, body)) as { status: number; body: Record<string, any> },
    hire: (id, more = {}) => ({
      id,
      firstName: 'Alan',
      lastName: 'Turing',
      personalEmail: 'alan@home.example',
      managerEmail: 'grace.hopper@example.com',
      startDate: daysFromToday(30),
      role: 'support-agent',
      ...more,
    }),
    readyTicket: (h) => {
      const jira = runtime().emulators.jira;
      const issue = openHireTicket(jira, h);
      const change = jira.transition(issue.key, transitionInto('Ready for IT'));
      return { issue, body: jiraWebhookBody(issue, 'jira:issue_updated', change) };
    },
    ours: (key) =>
      runtime()
        .emulators.jira.issue(key)!
        .comments.filter((c) => c.author.emailAddress === SAMPLE_JIRA.account.email)
        .map((c) => ({ id: c.id, text: adfText(c.body) })),
    statusOf: (key) => (runtime().emulators.jira.issue(key)!.fields.status as { name: string }).name,
  };
}
