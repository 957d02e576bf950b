/**
 * A Jira Cloud webhook delivery read as an intake: whether it starts a hire (the ticket moved to the start status),
 * revises one (a ticket already in it edited), or is none of ours, and the HR event a ticket's fields map to
 * (config/jira.ts, docs/jira.md). Pure: the route checks the signature and hands the event to the one intake.
 */
import type { JiraEventField, JiraSettings } from '../../../config/jira';

/** The webhook events read; Jira sends others (comments, worklogs, deletes) to the same URL if registered for them. */
export const JIRA_WEBHOOK_EVENTS = ['jira:issue_created', 'jira:issue_updated'] as const;

/** A changelog item as the webhook carries it: `field` is the field's name, `fieldId` its id, `toString` the new value shown. */
export type JiraChangelogItem = Record<string, unknown>;

export interface JiraIssue {
  id?: string;
  key: string;
  fields: Record<string, unknown>;
}

export interface JiraWebhookPayload {
  webhookEvent?: string;
  timestamp?: number;
  issue?: JiraIssue;
  changelog?: { id?: string; items?: JiraChangelogItem[] };
}

export type JiraDecision =
  | { kind: 'ignored'; reason: string }
  /** The ticket reached the start status (or was created in it): a new event. */
  | { kind: 'start'; issueKey: string }
  /** A ticket already in the start status was edited in its description or a mapped field: a revision of its event. */
  | { kind: 'revision'; issueKey: string; changed: string[] };

/** The event id of a ticket's request: one per ticket, so a delivery sent again is answered with the same run. */
export const jiraEventId = (issueKey: string): string => `jira-${issueKey}`;

const own = (item: JiraChangelogItem, name: string): unknown => (Object.prototype.hasOwnProperty.call(item, name) ? item[name] : undefined);
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** A named object's name (`issuetype`, `status`, `project.key`). */
function nameOf(value: unknown, prop = 'name'): string | undefined {
  return value && typeof value === 'object' ? text((value as Record<string, unknown>)[prop]) : undefined;
}

/** The ticket's fields that the mapping reads: the field ids, and `description` for labelled lines. */
export function mappedFieldIds(settings: JiraSettings): Set<string> {
  return new Set(Object.values(settings.fields).map((source) => (source.startsWith('description:') ? 'description' : source)));
}

/** Decides what a delivery is, from the settings alone. */
export function decideJiraWebhook(settings: JiraSettings, payload: JiraWebhookPayload): JiraDecision {
  const kind = payload.webhookEvent;
  if (!kind || !(JIRA_WEBHOOK_EVENTS as readonly string[]).includes(kind)) return { kind: 'ignored', reason: `webhook event ${kind ?? '(none)'} is not read: only ${JIRA_WEBHOOK_EVENTS.join(' and ')}` };
  const issue = payload.issue;
  if (!issue || typeof issue.key !== 'string' || !issue.fields || typeof issue.fields !== 'object') return { kind: 'ignored', reason: 'the delivery carries no issue' };
  const project = nameOf(issue.fields.project, 'key');
  if (project !== settings.projectKey) return { kind: 'ignored', reason: `project ${project ?? '(none)'} is not ${settings.projectKey}` };
  const type = nameOf(issue.fields.issuetype);
  if (type !== settings.issueType) return { kind: 'ignored', reason: `issue type ${type ?? '(none)'} is not ${settings.issueType}` };
  if (settings.requestType) {
    // Customer Request Type's value: { requestType: { name, … }, currentStatus, … }.
    const held = issue.fields[settings.requestType.field];
    const requestType = held && typeof held === 'object' ? nameOf((held as Record<string, unknown>).requestType) : undefined;
    if (requestType !== settings.requestType.name) return { kind: 'ignored', reason: `request type ${requestType ?? '(none)'} is not ${settings.requestType.name}` };
  }
  const status = nameOf(issue.fields.status);
  const items = payload.changelog?.items ?? [];
  if (kind === 'jira:issue_created') {
    return status === settings.startStatus ? { kind: 'start', issueKey: issue.key } : { kind: 'ignored', reason: `status ${status ?? '(none)'} is not ${settings.startStatus}` };
  }
  const moved = items.find((i) => own(i, 'field') === 'status' || own(i, 'fieldId') === 'status');
  if (moved) {
    const to = text(own(moved, 'toString'));
    const from = text(own(moved, 'fromString'));
    // Back from the status the write-back moves a ticket to while it waits for a change (and back from it, once nothing
    // waits any more): the request it was moved there for goes on; edits made there revised it already.
    if (to === settings.startStatus && from !== undefined && from === settings.transitions?.needsAttention) {
      return { kind: 'ignored', reason: `status moved back from ${from} to ${to}: its request goes on as it is, not a new one` };
    }
    return to === settings.startStatus ? { kind: 'start', issueKey: issue.key } : { kind: 'ignored', reason: `status moved to ${to ?? '(none)'}, not ${settings.startStatus}` };
  }
  // A ticket the write-back moved to the status that asks for a change (transitions.needsAttention) is edited there.
  const revisable = [settings.startStatus, ...(settings.transitions?.needsAttention ? [settings.transitions.needsAttention] : [])];
  if (!status || !revisable.includes(status)) return { kind: 'ignored', reason: `status ${status ?? '(none)'} is not ${revisable.join(' or ')}` };
  const read = mappedFieldIds(settings);
  const changed = items.map((i) => text(own(i, 'fieldId')) ?? text(own(i, 'field'))).filter((f): f is string => f !== undefined && read.has(f));
  if (!changed.length) return { kind: 'ignored', reason: 'no field the request is read from changed' };
  return { kind: 'revision', issueKey: issue.key, changed: [...new Set(changed)] };
}

/** The plain text of an Atlassian Document Format node (a description or a rich-text custom field). */
export function adfText(node: unknown): string {
  if (!node || typeof node !== 'object') return '';
  const n = node as { type?: unknown; text?: unknown; content?: unknown };
  if (n.type === 'text') return typeof n.text === 'string' ? n.text : '';
  if (n.type === 'hardBreak') return '\n';
  const inner = Array.isArray(n.content) ? n.content.map(adfText).join('') : '';
  return ['paragraph', 'heading', 'listItem', 'codeBlock', 'blockquote'].includes(String(n.type)) ? `${inner}\n` : inner;
}

/** A field's value as text: a string or number, an option (`value`), a user (`emailAddress`), a named object, or rich text. */
export function fieldText(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value.trim() || undefined;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return fieldText(value[0]);
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (v.type === 'doc') return adfText(v).trim() || undefined;
    for (const prop of ['value', 'emailAddress', 'name', 'displayName']) {
      const found = text(v[prop]);
      if (found?.trim()) return found.trim();
    }
  }
  return undefined;
}

/** The text after `label:` on a line of the description (wiki markup or rich text; `*Role:* x` too). */
export function labelledLine(description: unknown, label: string): string | undefined {
  const body = typeof description === 'string' ? description : adfText(description);
  const wanted = label.trim().toLowerCase();
  for (const line of body.split(/\r?\n/)) {
    const m = /^\s*[-*#_]*\s*([^:]+?)\s*[*_]*\s*:\s*[*_]*\s*(.*?)\s*$/.exec(line);
    if (m && m[1].replace(/[*_]/g, '').trim().toLowerCase() === wanted && m[2]) return m[2];
  }
  return undefined;
}

/** A value read from the ticket by its source in the mapping. */
export function readSource(issue: JiraIssue, source: string): string | undefined {
  if (source.startsWith('description:')) return labelledLine(issue.fields.description, source.slice('description:'.length));
  return fieldText(issue.fields[source]);
}

/** A field of the event that cannot be filled, named by the ticket's field it is read from. */
export interface JiraFieldIssue {
  /** The Jira field (`customfield_10050`, `description:Role`). */
  path: string;
  /** The event's field it fills. */
  eventField: string;
  message: string;
}

const REQUIRED: readonly JiraEventField[] = ['employee.id', 'employee.firstName', 'effectiveDate'];

/**
 * The HR event body a ticket maps to (checked afterwards by the event schema, as any HR event is), or the required
 * fields the ticket leaves empty, each named by its Jira field.
 */
export function jiraEventBody(settings: JiraSettings, issue: JiraIssue): { ok: true; body: Record<string, unknown> } | { ok: false; issues: JiraFieldIssue[] } {
  const values: Partial<Record<JiraEventField, string>> = {};
  const issues: JiraFieldIssue[] = [];
  for (const [field, source] of Object.entries(settings.fields) as [JiraEventField, string][]) {
    const value = readSource(issue, source);
    if (value !== undefined) values[field] = value;
    else if (REQUIRED.includes(field)) issues.push({ path: source, eventField: field, message: `is empty on ${issue.key}: it holds ${field}` });
  }
  if (issues.length) return { ok: false, issues };
  const timezone = values['employee.timezone'] ?? settings.defaultTimezone;
  const employee: Record<string, string> = {};
  for (const [field, value] of Object.entries(values)) if (field.startsWith('employee.')) employee[field.slice('employee.'.length)] = value;
  // A date-time field carries the day first; the event takes the day.
  const date = values.effectiveDate!;
  const effectiveDate = /^\d{4}-\d{2}-\d{2}T/.test(date) ? date.slice(0, 10) : date;
  return { ok: true, body: { eventId: jiraEventId(issue.key), type: 'hire', effectiveDate, employee: { ...employee, ...(timezone ? { timezone } : {}) } } };
}

/** The Jira field an event field is read from, to name it in a refusal; the event's path when it is not mapped. */
export function jiraFieldOf(settings: JiraSettings, eventPath: string): string {
  return settings.fields[eventPath as JiraEventField] ?? (eventPath === 'employee.timezone' ? 'defaultTimezone (stage config)' : eventPath);
}

/**
 * When the ticket was last changed, as the delivery shows it (ISO UTC): the issue's `updated`
 * (`2026-12-05T05:28:11.123+0000`); undefined when it is missing or does not read as a time. Orders deliveries. The
 * delivery's `timestamp` is not a stand-in: it is when Jira sent the event, later than the edit, and compared with
 * edit times it could make a genuine newer edit look older.
 */
export function jiraDeliveryTime(payload: JiraWebhookPayload): string | undefined {
  const updated = payload.issue?.fields?.updated;
  if (typeof updated !== 'string') return undefined;
  // Jira writes the offset without a colon (+0000), which Date.parse does not take everywhere.
  const ms = Date.parse(updated.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}
