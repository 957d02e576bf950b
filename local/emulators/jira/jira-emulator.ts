/**
 * A Jira Cloud site as the REST API v3 shows it, for the paths the intake and the write-back use: issues (read and
 * edit), their comments (list, add, edit, delete; bodies in Atlassian Document Format), their workflow transitions and
 * the project (its type: a Jira Service Management desk is `service_desk`). A comment or a move bumps the issue's
 * `updated`, as Jira does. Basic
 * auth with an account's email and API token; errors in Jira's `{"errorMessages":[…],"errors":{…}}` shape; fault
 * injection and a per-minute quota answering 429 with Retry-After (FaultInjector). Edits are kept in a changelog, so a
 * test or `npx lifecycle jira-webhook` can deliver the webhook Jira would send for them (jira-webhook-sender.ts).
 */
import { FaultInjector } from '../faults';
import type { EmulatorRequest, EmulatorResponse, EmulatorRoute } from '../server';

export interface JiraComment {
  id: string;
  author: { accountId: string; emailAddress: string; displayName: string };
  body: unknown;
  created: string;
  updated: string;
  /** The comment's entity properties (a service desk's `sd.public.comment` `{ internal: true }` makes it internal). */
  properties?: { key: string; value: unknown }[];
}

export interface JiraChange {
  field: string;
  fieldId: string;
  fieldtype: 'jira' | 'custom';
  from: string | null;
  fromString: string | null;
  to: string | null;
  toString: string | null;
}

export interface EmulatedIssue {
  id: string;
  key: string;
  fields: Record<string, unknown>;
  comments: JiraComment[];
  /** Each edit or transition, in order: what the webhook of that change carries as its changelog. */
  changelog: { id: string; items: JiraChange[] }[];
}

export interface JiraStatus {
  id: string;
  name: string;
  statusCategory: { id: number; key: 'new' | 'indeterminate' | 'done'; name: string };
}

const STATUS = {
  open: { id: '10000', name: 'Open', statusCategory: { id: 2, key: 'new', name: 'To Do' } },
  ready: { id: '10001', name: 'Ready for IT', statusCategory: { id: 4, key: 'indeterminate', name: 'In Progress' } },
  waiting: { id: '10002', name: 'Waiting for HR', statusCategory: { id: 4, key: 'indeterminate', name: 'In Progress' } },
  done: { id: '10003', name: 'Done', statusCategory: { id: 3, key: 'done', name: 'Done' } },
  cancelled: { id: '10004', name: 'Cancelled', statusCategory: { id: 3, key: 'done', name: 'Done' } },
} as const satisfies Record<string, JiraStatus>;

/**
 * The sample workflow: one transition into each status, available only from the statuses listed in `from` (as a Jira
 * workflow's transitions are): a ticket goes Open → Ready for IT ⇄ Waiting for HR, then Done from Ready for IT or
 * Waiting for HR; it may be cancelled until it is done, and reopened once done or cancelled. A transition not available from where the ticket is
 * is neither listed by GET …/transitions nor accepted by POST (400).
 */
export const JIRA_WORKFLOW: readonly { transitionId: string; name: string; status: JiraStatus; from: readonly string[] }[] = [
  { transitionId: '11', name: 'Reopen', status: STATUS.open, from: ['Done', 'Cancelled'] },
  { transitionId: '21', name: 'Ready for IT', status: STATUS.ready, from: ['Open', 'Waiting for HR'] },
  { transitionId: '31', name: 'Ask HR', status: STATUS.waiting, from: ['Ready for IT'] },
  { transitionId: '41', name: 'Done', status: STATUS.done, from: ['Ready for IT', 'Waiting for HR'] },
  { transitionId: '51', name: 'Cancel', status: STATUS.cancelled, from: ['Open', 'Ready for IT', 'Waiting for HR'] },
];

/** A project's type as Jira names it (`projectTypeKey`). */
export type JiraProjectType = 'software' | 'business' | 'service_desk';

export interface JiraAccount {
  email: string;
  apiToken: string;
  accountId: string;
  displayName: string;
}

/** Jira's error body; `errors` names fields, `errorMessages` says what is wrong otherwise. */
export function jiraErrorResponse(status: number, errorMessages: string[], errors: Record<string, string> = {}): EmulatorResponse {
  return { status, body: { errorMessages, errors } };
}

class JiraApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorMessages: string[],
    readonly errors: Record<string, string> = {},
  ) {
    super(errorMessages[0] ?? Object.values(errors)[0] ?? `HTTP ${status}`);
  }
}

const NOT_FOUND = 'Issue does not exist or you do not have permission to see it.';

const isAdfDoc = (body: unknown): boolean =>
  !!body && typeof body === 'object' && (body as { type?: unknown }).type === 'doc' && (body as { version?: unknown }).version === 1 && Array.isArray((body as { content?: unknown }).content);

/** A field's value as the changelog shows it. */
const shown = (value: unknown): string | null => {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && 'value' in (value as object)) return String((value as { value: unknown }).value);
  if (typeof value === 'object' && 'name' in (value as object)) return String((value as { name: unknown }).name);
  return JSON.stringify(value);
};

export class JiraEmulator {
  readonly faults = new FaultInjector('jira', (status, message) => jiraErrorResponse(status, [message]));
  private readonly issues = new Map<string, EmulatedIssue>();
  private readonly accounts: JiraAccount[] = [];
  private readonly projectTypes = new Map<string, JiraProjectType>();
  private nextIssueId = 10001;
  private nextCommentId = 10100;
  private nextChangeId = 20001;

  constructor(private readonly now: () => number = Date.now) {}

  addAccount(account: JiraAccount): void {
    this.accounts.push(account);
  }

  /** Sets a project's type (`software` unless set): a Jira Service Management desk is `service_desk`. */
  setProjectType(projectKey: string, type: JiraProjectType): void {
    this.projectTypes.set(projectKey, type);
  }

  /** GET /rest/api/3/project/{key}: the project as Jira answers it (a project is known once it has an issue or a type). */
  private projectView(key: string, base: string) {
    const known = this.projectTypes.has(key) || [...this.issues.values()].some((i) => (i.fields.project as { key?: string } | undefined)?.key === key);
    if (!known) throw new JiraApiError(404, [`No project could be found with key '${key}'.`]);
    return {
      expand: 'description,lead,issueTypes,url,projectKeys,permissions,insight',
      self: `${base}/rest/api/3/project/10000`,
      id: '10000',
      key,
      name: key,
      assigneeType: 'UNASSIGNED',
      projectTypeKey: this.projectTypes.get(key) ?? 'software',
      simplified: false,
      style: 'classic',
      isPrivate: false,
      properties: {},
    };
  }

  /** Creates an issue (as a person would in Jira); answers it. */
  createIssue(projectKey: string, fields: Record<string, unknown>): EmulatedIssue {
    const number = [...this.issues.values()].filter((i) => i.key.startsWith(`${projectKey}-`)).length + 1;
    const id = String(this.nextIssueId++);
    const status = JIRA_WORKFLOW[0].status;
    const issue: EmulatedIssue = {
      id,
      key: `${projectKey}-${number}`,
      fields: { project: { id: '10000', key: projectKey, name: projectKey }, status, created: this.stamp(), updated: this.stamp(), ...fields },
      comments: [],
      changelog: [],
    };
    this.issues.set(issue.key, issue);
    return issue;
  }

  issue(key: string): EmulatedIssue | undefined {
    return this.issues.get(key);
  }

  /** Edits fields as a person would; the change is logged and answered (the webhook's changelog). */
  editIssue(key: string, fields: Record<string, unknown>): { id: string; items: JiraChange[] } {
    const issue = this.require(key);
    const items: JiraChange[] = Object.entries(fields).map(([fieldId, value]) => ({
      field: fieldId,
      fieldId,
      fieldtype: fieldId.startsWith('customfield_') ? 'custom' : 'jira',
      from: null,
      fromString: shown(issue.fields[fieldId]),
      to: null,
      toString: shown(value),
    }));
    Object.assign(issue.fields, fields, { updated: this.stamp() });
    return this.log(issue, items);
  }

  /** Moves an issue to a status by a transition id, as POST …/transitions does. */
  transition(key: string, transitionId: string): { id: string; items: JiraChange[] } {
    const issue = this.require(key);
    const step = this.transitionsOf(issue).find((t) => t.transitionId === transitionId);
    if (!step) throw new JiraApiError(400, [`Transition id '${transitionId}' is not valid for this issue.`]);
    const from = issue.fields.status as JiraStatus;
    issue.fields.status = step.status;
    issue.fields.updated = this.stamp();
    return this.log(issue, [{ field: 'status', fieldId: 'status', fieldtype: 'jira', from: from.id, fromString: from.name, to: step.status.id, toString: step.status.name }]);
  }

  /** The transitions the workflow offers from the issue's status now. */
  private transitionsOf(issue: EmulatedIssue) {
    return JIRA_WORKFLOW.filter((t) => t.from.includes((issue.fields.status as JiraStatus).name));
  }

  private log(issue: EmulatedIssue, items: JiraChange[]) {
    const entry = { id: String(this.nextChangeId++), items };
    issue.changelog.push(entry);
    return entry;
  }

  private stamp(): string {
    return new Date(this.now()).toISOString().replace('Z', '+0000');
  }

  private require(key: string): EmulatedIssue {
    const issue = this.issues.get(key) ?? [...this.issues.values()].find((i) => i.id === key);
    if (!issue) throw new JiraApiError(404, [NOT_FOUND]);
    return issue;
  }

  /** The account a request authenticates as (Basic email:API token), or the 401 Jira answers. */
  private authenticate(req: EmulatorRequest): JiraAccount {
    const auth = req.headers.authorization ?? '';
    const m = /^Basic (.+)$/i.exec(auth);
    const [email, token] = m ? Buffer.from(m[1], 'base64').toString('utf8').split(/:(.*)/s) : [];
    const account = this.accounts.find((a) => a.email === email && a.apiToken === token);
    if (!account) throw new JiraApiError(401, ['You are not authenticated. Authentication required to perform this operation.']);
    return account;
  }

  /** A comment as Jira answers it: `jsdPublic` false for an internal one; its properties with `expand=properties`. */
  private commentView(issue: EmulatedIssue, c: JiraComment, req: EmulatorRequest) {
    const internal = c.properties?.some((p) => p.key === 'sd.public.comment' && (p.value as { internal?: unknown } | null)?.internal === true) ?? false;
    const expand = (req.query.get('expand') ?? '').split(',');
    return {
      self: `http://${req.headers.host ?? 'localhost'}/rest/api/3/issue/${issue.id}/comment/${c.id}`,
      id: c.id,
      author: c.author,
      body: c.body,
      updateAuthor: c.author,
      created: c.created,
      updated: c.updated,
      jsdPublic: !internal,
      ...(expand.includes('properties') ? { properties: c.properties ?? [] } : {}),
    };
  }

  /** The properties a comment request sets: entity properties, `[{ key, value }]`. */
  private commentProperties(req: EmulatorRequest): JiraComment['properties'] {
    const { properties } = JSON.parse(req.body || '{}') as { properties?: unknown };
    if (properties === undefined) return undefined;
    if (!Array.isArray(properties) || properties.some((p) => !p || typeof p !== 'object' || typeof (p as { key?: unknown }).key !== 'string')) {
      throw new JiraApiError(400, [], { properties: 'Properties must be a list of objects with a key and a value.' });
    }
    return (properties as { key: string; value: unknown }[]).map(({ key, value }) => ({ key, value }));
  }

  private issueView(issue: EmulatedIssue, base: string) {
    return { expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations', id: issue.id, self: `${base}/rest/api/3/issue/${issue.id}`, key: issue.key, fields: issue.fields };
  }

  private commentBody(req: EmulatorRequest): unknown {
    let json: { body?: unknown };
    try {
      json = JSON.parse(req.body || '{}') as { body?: unknown };
    } catch {
      throw new JiraApiError(400, ['Unexpected character in the request body: it is not valid JSON.']);
    }
    if (!isAdfDoc(json.body)) throw new JiraApiError(400, [], { comment: 'Comment body is not valid!' });
    return json.body;
  }

  routes(): EmulatorRoute[] {
    const SEG = '([^/]+)';
    const base = (req: EmulatorRequest) => `http://${req.headers.host ?? 'localhost'}`;
    const api = (method: string, pattern: RegExp, handle: (req: EmulatorRequest, account: JiraAccount) => EmulatorResponse): EmulatorRoute => ({
      method,
      pattern,
      handle: (req) => {
        try {
          return handle(req, this.authenticate(req));
        } catch (err) {
          if (err instanceof JiraApiError) return jiraErrorResponse(err.status, err.errorMessages, err.errors);
          throw err;
        }
      },
    });
    const routes: EmulatorRoute[] = [
      api('GET', new RegExp(`^/rest/api/3/issue/${SEG}$`), (req) => ({ status: 200, body: this.issueView(this.require(req.params[0]), base(req)) })),
      api('PUT', new RegExp(`^/rest/api/3/issue/${SEG}$`), (req) => {
        const { fields } = JSON.parse(req.body || '{}') as { fields?: Record<string, unknown> };
        if (!fields || typeof fields !== 'object') throw new JiraApiError(400, [], { fields: 'Specify the fields to edit.' });
        this.editIssue(this.require(req.params[0]).key, fields);
        return { status: 204 };
      }),
      api('GET', new RegExp(`^/rest/api/3/issue/${SEG}/comment$`), (req) => {
        const issue = this.require(req.params[0]);
        const startAt = Math.max(0, Number(req.query.get('startAt') ?? 0) || 0);
        const maxResults = Math.min(100, Math.max(1, Number(req.query.get('maxResults') ?? 50) || 50));
        const page = issue.comments.slice(startAt, startAt + maxResults).map((c) => this.commentView(issue, c, req));
        return { status: 200, body: { startAt, maxResults, total: issue.comments.length, comments: page } };
      }),
      api('POST', new RegExp(`^/rest/api/3/issue/${SEG}/comment$`), (req, account) => {
        const issue = this.require(req.params[0]);
        const body = this.commentBody(req);
        const at = this.stamp();
        const properties = this.commentProperties(req);
        const comment: JiraComment = { id: String(this.nextCommentId++), author: { accountId: account.accountId, emailAddress: account.email, displayName: account.displayName }, body, created: at, updated: at, ...(properties ? { properties } : {}) };
        issue.comments.push(comment);
        issue.fields.updated = at;
        return { status: 201, body: this.commentView(issue, comment, req) };
      }),
      api('GET', new RegExp(`^/rest/api/3/issue/${SEG}/comment/${SEG}$`), (req) => {
        const issue = this.require(req.params[0]);
        const comment = issue.comments.find((c) => c.id === req.params[1]);
        if (!comment) throw new JiraApiError(404, ['Can not find a comment for the id: ' + req.params[1] + '.']);
        return { status: 200, body: this.commentView(issue, comment, req) };
      }),
      api('PUT', new RegExp(`^/rest/api/3/issue/${SEG}/comment/${SEG}$`), (req, account) => {
        const issue = this.require(req.params[0]);
        const comment = issue.comments.find((c) => c.id === req.params[1]);
        if (!comment) throw new JiraApiError(404, ['Can not find a comment for the id: ' + req.params[1] + '.']);
        if (comment.author.accountId !== account.accountId) throw new JiraApiError(403, ['You do not have the permission to edit this comment.']);
        comment.body = this.commentBody(req);
        const properties = this.commentProperties(req);
        // A property sent again replaces the one of that key; the others stay.
        if (properties) comment.properties = [...(comment.properties ?? []).filter((p) => !properties.some((q) => q.key === p.key)), ...properties];
        comment.updated = this.stamp();
        issue.fields.updated = comment.updated;
        return { status: 200, body: this.commentView(issue, comment, req) };
      }),
      api('DELETE', new RegExp(`^/rest/api/3/issue/${SEG}/comment/${SEG}$`), (req, account) => {
        const issue = this.require(req.params[0]);
        const at = issue.comments.findIndex((c) => c.id === req.params[1]);
        if (at < 0) throw new JiraApiError(404, ['Can not find a comment for the id: ' + req.params[1] + '.']);
        if (issue.comments[at].author.accountId !== account.accountId) throw new JiraApiError(403, ['You do not have the permission to delete this comment.']);
        issue.comments.splice(at, 1);
        issue.fields.updated = this.stamp();
        return { status: 204 };
      }),
      api('GET', new RegExp(`^/rest/api/3/project/${SEG}$`), (req) => ({ status: 200, body: this.projectView(req.params[0], base(req)) })),
      api('GET', new RegExp(`^/rest/api/3/issue/${SEG}/transitions$`), (req) => {
        const issue = this.require(req.params[0]);
        return {
          status: 200,
          body: { expand: 'transitions', transitions: this.transitionsOf(issue).map((t) => ({ id: t.transitionId, name: t.name, to: t.status, hasScreen: false, isGlobal: false, isInitial: false, isAvailable: true, isConditional: false, isLooped: false })) },
        };
      }),
      api('POST', new RegExp(`^/rest/api/3/issue/${SEG}/transitions$`), (req) => {
        const { transition } = JSON.parse(req.body || '{}') as { transition?: { id?: string } };
        if (!transition?.id) throw new JiraApiError(400, [], { transition: 'You must specify the transition to perform.' });
        this.transition(this.require(req.params[0]).key, String(transition.id));
        return { status: 204 };
      }),
    ];
    return [
      ...this.faults.wrap(routes),
      ...this.faults.controlRoutes(),
      { method: 'GET', pattern: /^\/_emulator\/jira\/state$/, handle: () => ({ status: 200, body: { issues: [...this.issues.values()] } }) },
    ];
  }
}
