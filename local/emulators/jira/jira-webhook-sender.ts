/**
 * Delivers the webhook Jira Cloud would send for a change to an emulated issue: the issue as it is now, the change's
 * changelog, signed with the webhook secret in X-Hub-Signature as Jira signs an admin webhook registered with one.
 */
import { jiraSignedHeaders } from '../../../lambdas/providers/jira/jira-signature';
import type { EmulatedIssue, JiraChange } from './jira-emulator';

export type JiraWebhookEvent = 'jira:issue_created' | 'jira:issue_updated';

/** The body Jira posts: the event, the issue with its fields, the user, and for an update the change's changelog. */
export function jiraWebhookBody(issue: EmulatedIssue, webhookEvent: JiraWebhookEvent, change?: { id: string; items: JiraChange[] }, at = Date.now()): Record<string, unknown> {
  return {
    timestamp: at,
    webhookEvent,
    issue_event_type_name: webhookEvent === 'jira:issue_created' ? 'issue_created' : change?.items.some((i) => i.field === 'status') ? 'issue_generic' : 'issue_updated',
    user: { accountId: '5b10a2844c20165700ede21g', displayName: 'HR partner', active: true },
    issue: { id: issue.id, key: issue.key, fields: issue.fields },
    ...(change ? { changelog: { id: change.id, items: change.items } } : {}),
  };
}

/** Posts a delivery to the intake, signed with `secret` (or unsigned with null); answers the status and the JSON answer. */
export async function sendJiraWebhook(url: string, secret: string | null, body: Record<string, unknown> | string): Promise<{ status: number; body: Record<string, any> }> {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const headers = secret === null ? { 'Content-Type': 'application/json' } : jiraSignedHeaders(secret, raw);
  const res = await fetch(url, { method: 'POST', headers, body: raw });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, any>) : {} };
}
