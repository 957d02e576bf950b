/**
 * Delivers the webhook Jira Cloud would send for a change to an emulated issue: the issue as it is now, the change's
 * changelog, signed with the webhook secret in X-Hub-Signature as Jira signs an admin webhook registered with one.
 */
import { jiraSignedHeaders } from '../../../lambdas/providers/jira/jira-signature';
import { JIRA_WORKFLOW, type EmulatedIssue, type JiraChange, type JiraEmulator } from './jira-emulator';
import { openHireTicket, sampleHireEdit, type SampleHire } from './jira-sample';
import type { EmulatorRequest, EmulatorRoute } from '../server';

export type JiraWebhookEvent = 'jira:issue_created' | 'jira:issue_updated';

/** The body Jira posts: the event, the issue with its fields, the user, and for an update the change's changelog. */
export function jiraWebhookBody(issue: EmulatedIssue, webhookEvent: JiraWebhookEvent, change?: { id: string; items: JiraChange[] }, at = Date.now()): Record<string, unknown> {
  return {
    timestamp: at,
    webhookEvent,
    issue_event_type_name: webhookEvent === 'jira:issue_created' ? 'issue_created' : change?.items.some((i) => i.field === 'status') ? 'issue_generic' : 'issue_updated',
    user: { accountId: '5b10a2844c20165700ede21g', displayName: 'HR partner', active: true },
    // The ticket as it is when the delivery is made: a later change (a comment bumps `updated`) does not rewrite it.
    issue: { id: issue.id, key: issue.key, fields: structuredClone(issue.fields) },
    ...(change ? { changelog: { id: change.id, items: change.items } } : {}),
  };
}

/** Posts a delivery to the intake, signed with `secret` (or unsigned with null); answers the status and the JSON answer. */
export async function sendJiraWebhook(url: string, secret: string | null, body: Record<string, unknown> | string): Promise<{ status: number; body: Record<string, unknown> }> {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const headers = secret === null ? { 'Content-Type': 'application/json' } : jiraSignedHeaders(secret, raw);
  const res = await fetch(url, { method: 'POST', headers, body: raw });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** Where the emulator delivers its webhooks, as a Jira admin registers one: the URL and its secret. */
export interface JiraWebhookTarget {
  url: string;
  secret: string;
}

/**
 * Control routes under /_emulator/jira/ for trying the intake by hand: open a New hire ticket, move it, edit it; each
 * change is delivered, signed, to the webhook target (the local API), and the route answers the delivery's answer.
 */
export function jiraControlRoutes(jira: JiraEmulator, target: () => JiraWebhookTarget | undefined): EmulatorRoute[] {
  const deliver = async (issue: EmulatedIssue, event: JiraWebhookEvent, change?: { id: string; items: JiraChange[] }) => {
    const to = target();
    const delivery = to ? await sendJiraWebhook(to.url, to.secret, jiraWebhookBody(issue, event, change)) : undefined;
    return { status: 200, body: { issue: { key: issue.key, status: (issue.fields.status as { name: string }).name }, ...(delivery ? { delivery } : { delivery: null }) } };
  };
  const body = (req: EmulatorRequest) => JSON.parse(req.body || '{}') as Record<string, unknown>;
  const known = (key: string) => jira.issue(key) ?? (() => { throw new Error(`no issue ${key}`); })();
  return [
    {
      method: 'POST',
      pattern: /^\/_emulator\/jira\/hires$/,
      handle: async (req) => deliver(openHireTicket(jira, body(req) as unknown as SampleHire), 'jira:issue_created'),
    },
    {
      method: 'POST',
      pattern: /^\/_emulator\/jira\/issues\/([^/]+)\/move$/,
      handle: async (req) => {
        const issue = known(req.params[0]);
        const to = String(body(req).to ?? '');
        const step = JIRA_WORKFLOW.find((t) => t.status.name === to);
        if (!step) return { status: 400, body: { error: `to must be one of ${JIRA_WORKFLOW.map((t) => t.status.name).join(', ')}` } };
        let change: { id: string; items: JiraChange[] };
        try {
          change = jira.transition(issue.key, step.transitionId);
        } catch (err) {
          // The workflow offers no way there from where the ticket is.
          return { status: 400, body: { error: err instanceof Error ? err.message : String(err) } };
        }
        return deliver(issue, 'jira:issue_updated', change);
      },
    },
    {
      method: 'POST',
      pattern: /^\/_emulator\/jira\/issues\/([^/]+)\/edit$/,
      handle: async (req) => {
        const issue = known(req.params[0]);
        const edit = sampleHireEdit(body(req));
        if ('error' in edit) return { status: 400, body: { error: edit.error } };
        return deliver(issue, 'jira:issue_updated', jira.editIssue(issue.key, edit.fields));
      },
    },
  ];
}
