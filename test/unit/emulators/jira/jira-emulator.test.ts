/** The Jira emulator through the real client (jira.js Version3Client): comments, transitions, auth, faults and quota. */
import { JiraClient, sameDocument } from '../../../../lambdas/providers/jira/jira-client';
import { ProviderError } from '../../../../lambdas/providers/provider-error';
import { JIRA_WORKFLOW, JiraEmulator } from '../../../../local/emulators/jira/jira-emulator';
import { adfDoc, openHireTicket, SAMPLE_JIRA, seedJiraSample } from '../../../../local/emulators/jira/jira-sample';
import { startEmulatorServer, type EmulatorServer } from '../../../../local/emulators/server';
import type { AdfDoc } from '../../../../lambdas/providers/jira/adf';
import { reportMarker } from '../../../../lambdas/providers/jira/adf';

let jira: JiraEmulator;
let server: EmulatorServer;
const client = (apiToken: string = SAMPLE_JIRA.account.apiToken) => new JiraClient({ baseUrl: server.url, email: SAMPLE_JIRA.account.email, apiToken });

beforeAll(async () => {
  jira = seedJiraSample(new JiraEmulator());
  server = await startEmulatorServer(jira.routes(), 0);
});
afterAll(async () => {
  await server.stop();
});
beforeEach(() => {
  jira.faults.clear();
});

const report = (runId: string, line: string) => ({ ...(adfDoc([reportMarker(runId), line]) as object) }) as AdfDoc;
const ticket = () => openHireTicket(jira, { id: 'E1', firstName: 'Alan', startDate: '2027-01-04', role: 'support-agent' });

async function refusal(call: Promise<unknown>): Promise<ProviderError> {
  const err = await call.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

describe('comments', () => {
  it('a run has one comment: written, then edited in place, each read back', async () => {
    const issue = ticket();
    jira.issue(issue.key)!.comments.push({ id: '1', author: { accountId: 'x', emailAddress: 'hr@example.com', displayName: 'HR' }, body: adfDoc(['hello']), created: '', updated: '' });
    const first = await client().writeRunComment(issue.key, 'run-1', report('run-1', 'planned'));
    const second = await client().writeRunComment(issue.key, 'run-1', report('run-1', 'revised'));
    expect(first.created).toBe(true);
    expect(second).toEqual({ commentId: first.commentId, created: false });
    const comments = jira.issue(issue.key)!.comments;
    expect(comments).toHaveLength(2);
    expect(comments[1]).toMatchObject({ id: first.commentId, author: { emailAddress: SAMPLE_JIRA.account.email }, body: report('run-1', 'revised') });
    // Another run on the same ticket has its own.
    expect((await client().writeRunComment(issue.key, 'run-2', report('run-2', 'x'))).created).toBe(true);
  });

  it('two writers that each find no comment and each add one: the oldest is kept with the body, the other deleted', async () => {
    const issue = ticket();
    const [a, b] = await Promise.all([client().writeRunComment(issue.key, 'run-2w', report('run-2w', 'from the api')), client().writeRunComment(issue.key, 'run-2w', report('run-2w', 'from a dispatcher'))]);
    const comments = jira.issue(issue.key)!.comments;
    expect(comments).toHaveLength(1);
    expect(a.commentId).toBe(comments[0].id);
    expect(b.commentId).toBe(comments[0].id);
    expect([a.created, b.created].filter(Boolean)).toHaveLength(1);
    // Another run's comment on the ticket is not touched; a later write edits the one kept.
    await client().writeRunComment(issue.key, 'run-other', report('run-other', 'x'));
    expect(await client().writeRunComment(issue.key, 'run-2w', report('run-2w', 'later'))).toEqual({ commentId: comments[0].id, created: false });
    expect(jira.issue(issue.key)!.comments).toHaveLength(2);
  });

  it('finds the run comment on a later page', async () => {
    const issue = ticket();
    for (let i = 0; i < 120; i++) jira.issue(issue.key)!.comments.push({ id: `c${i}`, author: SAMPLE_JIRA.account, body: adfDoc([`note ${i}`]), created: '', updated: '' } as never);
    const { commentId } = await client().writeRunComment(issue.key, 'run-p', report('run-p', 'a'));
    expect(await client().findRunComment(issue.key, 'run-p')).toBe(commentId);
  });

  it('a service desk comment is written internal (sd.public.comment), kept so when edited, and read back as jsdPublic false', async () => {
    const issue = ticket();
    const first = await client().writeRunComment(issue.key, 'run-i', report('run-i', 'planned'), { internal: true });
    await client().writeRunComment(issue.key, 'run-i', report('run-i', 'done'), { internal: true });
    const kept = jira.issue(issue.key)!.comments.find((c) => c.id === first.commentId)!;
    expect(kept.properties).toEqual([{ key: 'sd.public.comment', value: { internal: true } }]);
    const auth = `Basic ${Buffer.from(`${SAMPLE_JIRA.account.email}:${SAMPLE_JIRA.account.apiToken}`).toString('base64')}`;
    const read = await fetch(`${server.url}/rest/api/3/issue/${issue.key}/comment/${first.commentId}?expand=properties`, { headers: { Authorization: auth } });
    expect(await read.json()).toMatchObject({ jsdPublic: false, properties: [{ key: 'sd.public.comment', value: { internal: true } }] });
    // A public comment is public.
    const open = await client().writeRunComment(issue.key, 'run-o', report('run-o', 'x'));
    expect(jira.issue(issue.key)!.comments.find((c) => c.id === open.commentId)!.properties).toBeUndefined();
  });

  it('a site that does not keep the comment internal (not a service desk) is refused, not retryable', async () => {
    const issue = ticket();
    jira.issue(issue.key)!.comments.push({ id: '9', author: SAMPLE_JIRA.account, body: report('run-x', 'a'), created: '', updated: '' } as never);
    // The emulator keeps what it is sent; a site that drops the property answers jsdPublic true: read back, that is a refusal.
    const dropping = new JiraClient({ baseUrl: server.url, email: SAMPLE_JIRA.account.email, apiToken: SAMPLE_JIRA.account.apiToken });
    (dropping as unknown as { client: { issueComments: { updateComment: (p: unknown) => Promise<unknown> } } }).client.issueComments.updateComment = async () => ({ id: '9', body: report('run-x', 'b'), jsdPublic: true });
    const err = await refusal(dropping.writeRunComment(issue.key, 'run-x', report('run-x', 'b'), { internal: true }));
    expect(err).toMatchObject({ retryable: false, message: expect.stringContaining('did not keep the comment on') });
  });

  it('the read-back compares the document, not its key order', () => {
    expect(sameDocument({ type: 'doc', version: 1, content: [{ type: 'text', text: 'a', marks: [{ type: 'strong' }] }] }, { content: [{ marks: [{ type: 'strong' }], text: 'a', type: 'text' }], version: 1, type: 'doc' })).toBe(true);
    expect(sameDocument({ content: [{ text: 'a' }, { text: 'b' }] }, { content: [{ text: 'b' }, { text: 'a' }] })).toBe(false);
    expect(sameDocument({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(sameDocument({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(sameDocument([1], { 0: 1 })).toBe(false);
  });

  it('a comment Jira answers with its keys in another order is accepted', async () => {
    const issue = ticket();
    const reordered = (doc: unknown): unknown => (Array.isArray(doc) ? doc.map(reordered) : doc && typeof doc === 'object' ? Object.fromEntries(Object.entries(doc).reverse().map(([k, v]) => [k, reordered(v)])) : doc);
    jira.faults.clear();
    const c = client();
    const inner = (c as unknown as { client: { issueComments: { addComment: (p: { comment: unknown }) => Promise<{ id: string; body: unknown }> } } }).client.issueComments;
    const add = inner.addComment.bind(inner);
    inner.addComment = async (p) => {
      const out = await add(p);
      return { ...out, body: reordered(out.body) };
    };
    expect((await c.writeRunComment(issue.key, 'run-r', report('run-r', 'x'))).created).toBe(true);
  });

  it('a body that is not a document is refused with Jira error body', async () => {
    const issue = ticket();
    const auth = `Basic ${Buffer.from(`${SAMPLE_JIRA.account.email}:${SAMPLE_JIRA.account.apiToken}`).toString('base64')}`;
    const res = await fetch(`${server.url}/rest/api/3/issue/${issue.key}/comment`, { method: 'POST', headers: { Authorization: auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ body: 'plain text' }) });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ errorMessages: [], errors: { comment: 'Comment body is not valid!' } });
  });
});

describe('errors', () => {
  it('a wrong API token is a 401, not retryable', async () => {
    const err = await refusal(client('wrong').writeRunComment(ticket().key, 'r', report('r', 'x')));
    expect(err).toMatchObject({ retryable: false, message: expect.stringContaining('Jira answered 401 to list the comments') });
    expect(err.message).toContain('You are not authenticated');
  });

  it('an unknown issue is a 404 in Jira words, not retryable', async () => {
    const err = await refusal(client().writeRunComment('HR-999', 'r', report('r', 'x')));
    expect(err).toMatchObject({ retryable: false, message: 'Jira answered 404 to list the comments of HR-999: Issue does not exist or you do not have permission to see it.' });
  });

  it('a 5xx is retryable', async () => {
    jira.faults.failNext({ path: '/comment$', count: 1, status: 503, message: 'Service Unavailable' });
    const err = await refusal(client().writeRunComment(ticket().key, 'r', report('r', 'x')));
    expect(err).toMatchObject({ retryable: true, providerAnswer: '503 Service Unavailable' });
  });

  it('a 429 is not waited out, even with a short Retry-After: retryable, the wait named, nothing written', async () => {
    const issue = ticket();
    jira.faults.failNext({ method: 'POST', path: '/comment$', count: 1, status: 429, message: 'Rate limit exceeded.', retryAfterSeconds: 2 });
    const started = Date.now();
    const err = await refusal(client().writeRunComment(issue.key, 'r429', report('r429', 'x')));
    expect(Date.now() - started).toBeLessThan(1500);
    expect(err).toMatchObject({ retryable: true, message: expect.stringContaining('Jira answered 429 to comment on') });
    expect(err.message).toContain('(retry after 2 s)');
    expect(jira.issue(issue.key)!.comments).toEqual([]);
  });

  it('a site that does not answer fails the call at the time limit, retryable', async () => {
    const { createServer } = await import('node:http');
    const silent = createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    try {
      const hung = new JiraClient({ baseUrl: `http://127.0.0.1:${port}`, email: SAMPLE_JIRA.account.email, apiToken: SAMPLE_JIRA.account.apiToken }, { timeoutMs: 200 });
      const started = Date.now();
      const err = await refusal(hung.findRunComment('HR-1', 'r'));
      expect(Date.now() - started).toBeLessThan(1500);
      expect(err).toMatchObject({ retryable: true, message: expect.stringContaining('Jira could not be reached to list the comments of HR-1') });
    } finally {
      silent.closeAllConnections();
      await new Promise((r) => silent.close(r));
    }
  });

  it('past the per-minute quota Jira answers 429 with Retry-After', async () => {
    const issue = ticket();
    jira.faults.setQuota(1);
    await client().findRunComment(issue.key, 'q');
    const err = await refusal(client().findRunComment(issue.key, 'q'));
    expect(err).toMatchObject({ retryable: true, message: expect.stringMatching(/Jira answered 429 .*retry after \d+ s/) });
  });
});

describe('transitions', () => {
  const auth = () => `Basic ${Buffer.from(`${SAMPLE_JIRA.account.email}:${SAMPLE_JIRA.account.apiToken}`).toString('base64')}`;
  const ready = (key: string) => jira.transition(key, JIRA_WORKFLOW.find((t) => t.status.name === 'Ready for IT')!.transitionId);

  it('moves a ticket to a status by the transition its workflow offers; already there is false', async () => {
    const issue = ticket();
    ready(issue.key);
    expect(await client().moveTo(issue.key, 'Done')).toBe(true);
    expect((jira.issue(issue.key)!.fields.status as { name: string }).name).toBe('Done');
    expect(jira.issue(issue.key)!.changelog.at(-1)!.items[0]).toMatchObject({ field: 'status', fromString: 'Ready for IT', toString: 'Done' });
    expect(await client().moveTo(issue.key, 'Done')).toBe(false);
    expect(jira.issue(issue.key)!.changelog).toHaveLength(2);
  });

  it('a status the workflow does not offer from where the ticket is is refused, naming what it offers', async () => {
    const err = await refusal(client().moveTo(ticket().key, 'Done'));
    expect(err).toMatchObject({ retryable: false, message: expect.stringContaining('cannot move to Done from where it is: its workflow offers Ready for IT, Cancelled') });
    expect((await refusal(client().moveTo(ticket().key, 'Closed'))).message).toContain('cannot move to Closed');
  });

  it('GET …/transitions lists only what the status offers; POST of another is a 400 in Jira words', async () => {
    const issue = ticket();
    const listed = await fetch(`${server.url}/rest/api/3/issue/${issue.key}/transitions`, { headers: { Authorization: auth() } });
    expect(((await listed.json()) as { transitions: { id: string; to: { name: string } }[] }).transitions.map((t) => [t.id, t.to.name])).toEqual([
      ['21', 'Ready for IT'],
      ['51', 'Cancelled'],
    ]);
    const refused = await fetch(`${server.url}/rest/api/3/issue/${issue.key}/transitions`, {
      method: 'POST',
      headers: { Authorization: auth(), 'Content-Type': 'application/json' },
      body: JSON.stringify({ transition: { id: '41' } }),
    });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ errorMessages: ["Transition id '41' is not valid for this issue."], errors: {} });
    expect((jira.issue(issue.key)!.fields.status as { name: string }).name).toBe('Open');
  });

  it('an edit through the API is logged as the webhook changelog carries it', async () => {
    const issue = ticket();
    const auth = `Basic ${Buffer.from(`${SAMPLE_JIRA.account.email}:${SAMPLE_JIRA.account.apiToken}`).toString('base64')}`;
    const res = await fetch(`${server.url}/rest/api/3/issue/${issue.key}`, { method: 'PUT', headers: { Authorization: auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ fields: { customfield_10055: '2027-02-01' } }) });
    expect(res.status).toBe(204);
    expect(jira.issue(issue.key)!.changelog.at(-1)!.items).toEqual([{ field: 'customfield_10055', fieldId: 'customfield_10055', fieldtype: 'custom', from: null, fromString: '2027-01-04', to: null, toString: '2027-02-01' }]);
  });
});

describe('the project and what a comment does to the issue', () => {
  const auth = () => `Basic ${Buffer.from(`${SAMPLE_JIRA.account.email}:${SAMPLE_JIRA.account.apiToken}`).toString('base64')}`;

  it('GET /rest/api/3/project/{key} answers its type; an unknown key is a 404 in Jira words', async () => {
    ticket();
    expect(await client().isServiceDesk('HR')).toBe(false);
    jira.setProjectType('HR', 'service_desk');
    try {
      expect(await client().isServiceDesk('HR')).toBe(true);
    } finally {
      jira.setProjectType('HR', 'software');
    }
    const res = await fetch(`${server.url}/rest/api/3/project/NOPE`, { headers: { Authorization: auth() } });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ errorMessages: ["No project could be found with key 'NOPE'."], errors: {} });
  });

  it('a comment added, edited or deleted bumps the issue updated time, as a move does', async () => {
    let now = Date.parse('2026-12-05T08:00:00.000Z');
    const timed = seedJiraSample(new JiraEmulator(() => now));
    const local = await startEmulatorServer(timed.routes(), 0);
    try {
      const c = new JiraClient({ baseUrl: local.url, email: SAMPLE_JIRA.account.email, apiToken: SAMPLE_JIRA.account.apiToken });
      const issue = openHireTicket(timed, { id: 'E1', firstName: 'Alan', startDate: '2027-01-04' });
      expect(issue.fields.updated).toBe('2026-12-05T08:00:00.000+0000');
      now += 60_000;
      await c.writeRunComment(issue.key, 'r', report('r', 'a'));
      expect(timed.issue(issue.key)!.fields.updated).toBe('2026-12-05T08:01:00.000+0000');
      now += 60_000;
      const { commentId } = await c.writeRunComment(issue.key, 'r', report('r', 'b'));
      expect(timed.issue(issue.key)!.fields.updated).toBe('2026-12-05T08:02:00.000+0000');
      now += 60_000;
      const del = await fetch(`${local.url}/rest/api/3/issue/${issue.key}/comment/${commentId}`, { method: 'DELETE', headers: { Authorization: auth() } });
      expect(del.status).toBe(204);
      expect(timed.issue(issue.key)!.comments).toEqual([]);
      expect(timed.issue(issue.key)!.fields.updated).toBe('2026-12-05T08:03:00.000+0000');
      const again = await fetch(`${local.url}/rest/api/3/issue/${issue.key}/comment/${commentId}`, { method: 'DELETE', headers: { Authorization: auth() } });
      expect(again.status).toBe(404);
    } finally {
      await local.stop();
    }
  });
});
