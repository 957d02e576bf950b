/**
 * The write-back to a Jira Cloud ticket through jira.js (REST API v3, Basic auth with an account's email and API
 * token): one comment per run, found again by its first line and edited in place, and a move of the ticket to a
 * status. Jira's errors become ProviderErrors in plain words. Each call has a time limit and a 429 is not waited out:
 * the write-back runs inside the engine's run writes, and the run's next report brings the comment up to date.
 */
import { Version3Client } from 'jira.js';
import { isRetryableStatus, ProviderError } from '../provider-error';
import { reportMarker, type AdfDoc } from './adf';

export interface JiraSite {
  /** `https://<site>.atlassian.net` (the emulator's URL locally). */
  baseUrl: string;
  email: string;
  apiToken: string;
}

/** The longest one call to Jira may take (an axios timeout): a hung site fails the call, not the run write around it. */
export const JIRA_CALL_TIMEOUT_MS = 2_000;
const PAGE = 100;

interface FailedCall {
  status?: number;
  response?: { data?: unknown };
  cause?: { response?: { headers?: Record<string, unknown> } };
}

/** Jira's `{"errorMessages":[…],"errors":{field:…}}` in one line. */
export function jiraErrorText(body: unknown): string {
  if (!body || typeof body !== 'object') return typeof body === 'string' ? body.slice(0, 300) : '';
  const b = body as { errorMessages?: unknown; errors?: unknown };
  const messages = Array.isArray(b.errorMessages) ? b.errorMessages.map(String) : [];
  const fields = b.errors && typeof b.errors === 'object' ? Object.entries(b.errors as Record<string, unknown>).map(([k, v]) => `${k}: ${String(v)}`) : [];
  return [...messages, ...fields].join('; ');
}

function retryAfterOf(err: FailedCall): number | undefined {
  const value = err.cause?.response?.headers?.['retry-after'];
  const seconds = Number(value);
  return value !== undefined && Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}

function providerError(what: string, err: unknown): ProviderError {
  const failed = err as FailedCall;
  const status = typeof failed.status === 'number' ? failed.status : undefined;
  if (!status) return new ProviderError(`Jira could not be reached to ${what}: ${err instanceof Error ? err.message : String(err)}`, true);
  const said = jiraErrorText(failed.response?.data);
  const retryAfter = retryAfterOf(failed);
  return new ProviderError(
    `Jira answered ${status} to ${what}${said ? `: ${said}` : ''}${status === 429 && retryAfter !== undefined ? ` (retry after ${retryAfter} s)` : ''}`,
    isRetryableStatus(status),
    `${status} ${said}`.trim(),
  );
}

/** The comment property that makes a Jira Service Management comment internal (agents only). */
export const JSM_VISIBILITY_PROPERTY = 'sd.public.comment';

/** The same JSON value: objects compared by their keys whatever their order, arrays in order. */
export function sameDocument(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameDocument(x, b[i]));
  if (!a || !b || typeof a !== 'object' || typeof b !== 'object') return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && sameDocument((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

export class JiraClient {
  private readonly client: Version3Client;

  constructor(site: JiraSite, options: { timeoutMs?: number } = {}) {
    this.client = new Version3Client({
      host: site.baseUrl,
      authentication: { basic: { email: site.email, apiToken: site.apiToken } },
      baseRequestConfig: { timeout: options.timeoutMs ?? JIRA_CALL_TIMEOUT_MS },
    });
  }

  /** One call; any failure (a 429 too: not waited out) a ProviderError. */
  private async call<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      throw providerError(what, err);
    }
  }

  /** The id of the run's comment on the ticket, if there is one (every page of comments is read). */
  async findRunComment(issueKey: string, runId: string): Promise<string | undefined> {
    return (await this.findRunComments(issueKey, runId, true))[0];
  }

  /** The ids of the comments carrying the run's first line, oldest first (every page read; `first`: stop at one). */
  private async findRunComments(issueKey: string, runId: string, first = false): Promise<string[]> {
    const marker = reportMarker(runId);
    const found: string[] = [];
    for (let startAt = 0; ; startAt += PAGE) {
      const page = await this.call(`list the comments of ${issueKey}`, () => this.client.issueComments.getComments({ issueIdOrKey: issueKey, startAt, maxResults: PAGE, orderBy: 'created' }));
      const comments = page.comments ?? [];
      for (const c of comments) {
        if (c.id && JSON.stringify(c.body ?? '').includes(marker)) {
          found.push(c.id);
          if (first) return found;
        }
      }
      if (comments.length === 0 || startAt + comments.length >= (page.total ?? 0)) return found;
    }
  }

  /**
   * Writes the run's comment: edits the one there, or adds it; read back, it must carry the body written (compared as
   * a document: Jira may order an object's keys otherwise). `internal`: a Jira Service Management desk's internal
   * comment (the `sd.public.comment` property), which the answer shows as `jsdPublic: false`. Two writers that each
   * found none (two functions reporting at once) may each add one: after adding, the run's comments are listed again,
   * the oldest kept (with this body) and the others deleted.
   */
  async writeRunComment(issueKey: string, runId: string, body: AdfDoc, options: { internal?: boolean } = {}): Promise<{ commentId: string; created: boolean }> {
    const existing = await this.findRunComment(issueKey, runId);
    const written = await this.putRunComment(issueKey, existing, body, options);
    if (existing) return { commentId: written, created: false };
    const [kept, ...extra] = await this.findRunComments(issueKey, runId);
    for (const id of extra) {
      await this.call(`delete comment ${id} of ${issueKey}`, async () => {
        // Deleted already by the other writer, which saw the same two.
        await this.client.issueComments.deleteComment({ issueIdOrKey: issueKey, id }).catch((err: unknown) => {
          if ((err as FailedCall).status !== 404) throw err;
        });
      });
    }
    if (kept && kept !== written) return { commentId: await this.putRunComment(issueKey, kept, body, options), created: false };
    return { commentId: written, created: true };
  }

  /** Adds the comment (no id) or edits it, and reads back what Jira kept; answers its id. */
  private async putRunComment(issueKey: string, existing: string | undefined, body: AdfDoc, options: { internal?: boolean }): Promise<string> {
    const document = body as unknown as Parameters<Version3Client['issueComments']['addComment']>[0]['comment'];
    const properties = options.internal ? [{ key: JSM_VISIBILITY_PROPERTY, value: { internal: true } }] : undefined;
    const written = existing
      ? await this.call(`edit comment ${existing} of ${issueKey}`, () => this.client.issueComments.updateComment({ issueIdOrKey: issueKey, id: existing, body: document as never, ...(properties ? { properties } : {}) }))
      : await this.call(`comment on ${issueKey}`, () => this.client.issueComments.addComment({ issueIdOrKey: issueKey, comment: document, ...(properties ? { properties } : {}) }));
    if (!written.id || !sameDocument(written.body, body)) throw new ProviderError(`Jira did not keep the comment written on ${issueKey}`, true);
    if (options.internal && written.jsdPublic !== false) throw new ProviderError(`Jira did not keep the comment on ${issueKey} internal (is the project a service desk?)`, false);
    return written.id;
  }

  /** Whether the project is a Jira Service Management desk (`projectTypeKey: "service_desk"`), where a comment can be internal. */
  async isServiceDesk(projectKey: string): Promise<boolean> {
    const project = await this.call(`read project ${projectKey}`, () => this.client.projects.getProject({ projectIdOrKey: projectKey }));
    return project.projectTypeKey === 'service_desk';
  }

  /**
   * Moves the ticket to the named status by a transition available now; false when it is in that status already, or
   * in one of `notFrom` (a status it must not be moved away from, such as where a run's end put it), or, with
   * `onlyFrom`, in none of those (a move back from where the write-back put it, never from where a person moved it).
   */
  async moveTo(issueKey: string, statusName: string, options: { notFrom?: readonly string[]; onlyFrom?: readonly string[] } = {}): Promise<boolean> {
    const issue = await this.call(`read ${issueKey}`, () => this.client.issues.getIssue({ issueIdOrKey: issueKey, fields: ['status'] }));
    const now = (issue.fields?.status as { name?: string } | undefined)?.name;
    if (now === statusName || (now !== undefined && options.notFrom?.includes(now))) return false;
    if (options.onlyFrom && (now === undefined || !options.onlyFrom.includes(now))) return false;
    const { transitions = [] } = await this.call(`list the transitions of ${issueKey}`, () => this.client.issues.getTransitions({ issueIdOrKey: issueKey }));
    const transition = transitions.find((t) => t.to?.name === statusName);
    if (!transition?.id) throw new ProviderError(`${issueKey} cannot move to ${statusName} from where it is: its workflow offers ${transitions.map((t) => t.to?.name).join(', ') || 'no transition'}`, false);
    await this.call(`move ${issueKey} to ${statusName}`, () => this.client.issues.doTransition({ issueIdOrKey: issueKey, transition: { id: transition.id } }));
    return true;
  }
}
