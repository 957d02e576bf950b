/** The OpenProject emulator over HTTP and the client against it: HAL shapes, error resources, auth, 409, 429. */
import { OpenProjectApiError, OpenProjectClient, idOfLink } from '../../../../lambdas/providers/openproject/openproject-client';
import { openProjectProviderError } from '../../../../lambdas/providers/openproject/openproject-errors';
import { LOCAL_OPENPROJECT_TOKEN, openProjectSignature } from '../../../../local/emulators/openproject/openproject-emulator';
import { SAMPLE_OPENPROJECT } from '../../../../local/emulators/openproject/openproject-sample';
import { useOpenProjectTestBed, type OpenProjectTestBed } from '../../../support/openproject-emulator';

const currentBed = useOpenProjectTestBed();
let bed: OpenProjectTestBed;
beforeEach(() => {
  bed = currentBed();
});

const auth = `Basic ${Buffer.from(`apikey:${LOCAL_OPENPROJECT_TOKEN}`).toString('base64')}`;
type Json = any;
const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Json; headers: Headers }> => {
  const res = await fetch(`${bed.url}${path}`, { method, headers: { Authorization: auth, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const text = await res.text();
  return { status: res.status, body: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text, headers: res.headers };
};
const S = SAMPLE_OPENPROJECT;
const client = () => bed.openproject.client;

describe('the OpenProject emulator', () => {
  it('answers users as HAL resources, listed in a Collection and filtered by login and name', async () => {
    const list = await call('GET', `/api/v3/users?filters=${encodeURIComponent(JSON.stringify([{ login: { operator: '=', values: ['ada.lovelace'] } }]))}`);
    expect(list.status).toBe(200);
    expect(list.headers.get('content-type')).toMatch(/application\/hal\+json/);
    expect(list.body).toMatchObject({ _type: 'Collection', total: 1, count: 1, _embedded: { elements: [{ _type: 'User', login: 'ada.lovelace', firstName: 'Ada', status: 'active', customField1: 'E100' }] } });
    const user = list.body._embedded.elements[0];
    expect(user._links.lock).toEqual({ href: `/api/v3/users/${user.id}/lock`, title: 'Set lock on ada.lovelace', method: 'post' });
    expect((await client().usersByEmail('ADA.lovelace@example.com')).map((u) => u.login)).toEqual(['ada.lovelace']);
  });

  it('pages users by offset (the page number) and pageSize, sorted by sortBy; an unknown sort column is 400 InvalidQuery', async () => {
    const ids = bed.emulator.state.users.map((u) => u.id).sort((a, b) => a - b);
    expect(ids.length).toBeGreaterThan(2);
    const page2 = await call('GET', `/api/v3/users?pageSize=2&offset=2&sortBy=${encodeURIComponent(JSON.stringify([['id', 'asc']]))}`);
    expect(page2.body).toMatchObject({ _type: 'Collection', total: ids.length, count: Math.min(2, ids.length - 2), pageSize: 2, offset: 2 });
    expect(page2.body._embedded.elements.map((u: Json) => u.id)).toEqual(ids.slice(2, 4));
    const byLogin = await call('GET', `/api/v3/users?pageSize=100&sortBy=${encodeURIComponent(JSON.stringify([['login', 'desc']]))}`);
    const logins = byLogin.body._embedded.elements.map((u: Json) => u.login);
    expect(logins).toEqual([...logins].sort().reverse());
    const bad = await call('GET', `/api/v3/users?sortBy=${encodeURIComponent(JSON.stringify([['lastLogin', 'asc']]))}`);
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ _type: 'Error', errorIdentifier: 'urn:openproject-org:api:v3:errors:InvalidQuery', message: 'Unknown sort column.' });
    // The client's pages: every user once, in id order, however small the page.
    const read: number[] = [];
    for await (const page of client().userPages(2)) read.push(...page.map((u) => u.id));
    expect(read).toEqual(ids);
  });

  it('locks (POST) and unlocks (DELETE) a user at /users/{id}/lock; a second lock is 400 InvalidUserStatusTransition', async () => {
    const ada = (await client().userByLogin('ada.lovelace'))!;
    expect((await call('POST', `/api/v3/users/${ada.id}/lock`)).body).toMatchObject({ status: 'locked', _links: { unlock: { method: 'delete' } } });
    const again = await call('POST', `/api/v3/users/${ada.id}/lock`);
    expect(again.status).toBe(400);
    expect(again.body).toEqual({ _type: 'Error', errorIdentifier: 'urn:openproject-org:api:v3:errors:InvalidUserStatusTransition', message: 'The current user account status does not allow this operation.' });
    expect((await client().unlockUser(ada.id)).status).toBe('active');
    const missing = await call('POST', '/api/v3/users/9999/lock');
    expect(missing.status).toBe(404);
    expect(missing.body.errorIdentifier).toBe('urn:openproject-org:api:v3:errors:NotFound');
  });

  it('refuses a taken login or email with 422 PropertyConstraintViolation naming the attribute', async () => {
    const err = await client().createUser({ login: 'ada.lovelace', firstName: 'A', lastName: 'L', email: 'new@example.com' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenProjectApiError);
    expect(err).toMatchObject({ status: 422, identifier: 'PropertyConstraintViolation', attribute: 'login', apiMessage: 'Username has already been taken.' });
    expect(openProjectProviderError(err).retryable).toBe(false);
    const made = await client().createUser({ login: 'nora', firstName: 'Nora', lastName: 'Project', email: 'nora@example.com', customFields: { customField1: 'E300' } });
    expect(made).toMatchObject({ login: 'nora', status: 'invited', customField1: 'E300' });
    expect(bed.emulator.state.invitations).toEqual([made.id]);
  });

  it('without the right token: 401 Unauthenticated', async () => {
    const res = await call('GET', '/api/v3/users', undefined, { Authorization: `Basic ${Buffer.from('apikey:wrong').toString('base64')}` });
    expect(res.status).toBe(401);
    expect(res.body.errorIdentifier).toBe('urn:openproject-org:api:v3:errors:Unauthenticated');
    const wrong = new OpenProjectClient({ baseUrl: bed.url, apiToken: async () => 'wrong', maxRetries: 0, requestsPerMinute: 100_000 });
    const err = openProjectProviderError(await wrong.getUser(1).catch((e: unknown) => e));
    expect(err.retryable).toBe(false);
    expect(err.message).toMatch(/API token/);
  });

  it('makes a work package in a project with its type and status, and refuses a PATCH with a stale lockVersion: 409 UpdateConflict', async () => {
    const wp = await client().createWorkPackage(S.project.identifier, { subject: 'Member: Nora', description: 'spec', typeId: S.types.memberTask, statusId: S.statuses.inSpecification });
    expect(wp).toMatchObject({ _type: 'WorkPackage', lockVersion: 0, subject: 'Member: Nora', description: { format: 'markdown', raw: 'spec' }, _links: { status: { title: 'In specification' }, type: { title: 'Member task' }, project: { title: 'Community' } } });
    expect(idOfLink(wp._links.status)).toBe(S.statuses.inSpecification);
    const moved = await client().updateWorkPackage(wp.id, 0, { statusId: S.statuses.scheduled });
    expect(moved.lockVersion).toBe(1);
    const stale = await client().updateWorkPackage(wp.id, 0, { statusId: S.statuses.inProgress }).catch((e: unknown) => e);
    expect(stale).toMatchObject({ status: 409, identifier: 'UpdateConflict' });
    expect(openProjectProviderError(stale).retryable).toBe(true);
    const noVersion = await call('PATCH', `/api/v3/work_packages/${wp.id}`, { subject: 'x' });
    expect(noVersion.status).toBe(409);
  });

  it('adds a comment as an activity and lists the work packages of a project updated since a time', async () => {
    const wp = await client().createWorkPackage(S.project.identifier, { subject: 'Member: Nora', description: 'spec', typeId: S.types.memberTask });
    expect(wp._links.status.title).toBe('New');
    const c = await client().comment(wp.id, 'Accounts ready');
    expect(c).toMatchObject({ _type: 'Activity::Comment', comment: { raw: 'Accounts ready' } });
    expect((await client().activities(wp.id)).filter((a) => a.comment.raw).map((a) => a.comment.raw)).toEqual(['Accounts ready']);
    expect((await client().workPackagesOf(S.project.identifier, { typeId: S.types.memberTask, updatedSince: '2000-01-01T00:00:00Z' })).map((w) => w.id)).toEqual([wp.id]);
    expect(await client().workPackagesOf(S.project.identifier, { updatedSince: '2999-01-01T00:00:00Z' })).toEqual([]);
    const blank = await call('POST', `/api/v3/work_packages/${wp.id}/activities`, { comment: { raw: ' ' } });
    expect(blank.status).toBe(422);
  });

  it('answers 429 with Retry-After past its quota; the client waits out a short one and hands a long one back', async () => {
    bed.emulator.faults.failNext({ path: '/api/v3/statuses', count: 1, status: 429, retryAfterSeconds: 1 });
    const patient = new OpenProjectClient({ baseUrl: bed.url, apiToken: async () => LOCAL_OPENPROJECT_TOKEN, requestsPerMinute: 100_000 });
    expect((await patient.statuses()).map((s) => s.name)).toContain('scheduled');
    bed.emulator.faults.setQuota(1);
    await client().statuses();
    const err = await client().statuses().catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 429 });
    expect((err as OpenProjectApiError).retryAfter).toBeGreaterThan(0);
    expect(openProjectProviderError(err).retryable).toBe(true);
  });

  it('signs its webhook as OpenProject does: X-OP-Signature sha1=HMAC-SHA1(body)', async () => {
    const wp = await client().createWorkPackage(S.project.identifier, { subject: 'Member: Nora', description: '', typeId: S.types.memberTask });
    const got: { body: string; headers: Record<string, string> }[] = [];
    bed.emulator.webhook = { secret: 's3cret', deliver: async (body, headers) => void got.push({ body, headers }) };
    await bed.emulator.personEdits(wp.id, { status: 'scheduled' });
    expect(got).toHaveLength(1);
    expect(got[0].headers['X-OP-Signature']).toBe(openProjectSignature('s3cret', got[0].body));
    expect(got[0].headers['X-OP-Signature']).toMatch(/^sha1=[0-9a-f]{40}$/);
    expect(JSON.parse(got[0].body)).toMatchObject({ action: 'work_package:updated', work_package: { id: wp.id, _embedded: { status: { name: 'scheduled' } } } });
  });
});
