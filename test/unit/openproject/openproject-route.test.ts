/** POST /v1/intake/openproject before the workflow: configuration, size, signature, JSON, and deliveries that are not member tasks. */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { silentLog, type EngineDeps } from '../../../lambdas/engine/ports';
import { postOpenProjectWebhook, type OpenProjectIntake } from '../../../lambdas/http/openproject-route';
import type { MemberTaskDeps } from '../../../lambdas/openproject/member-tasks';
import { openProjectWebhookSignature } from '../../../lambdas/providers/openproject/openproject-webhook';

const engine = { log: silentLog } as unknown as EngineDeps;
const intake: OpenProjectIntake = {
  memberTasks: { engine, openproject: () => { throw new Error('not called'); }, settings: { project: 'community', typeId: 8, statuses: { inSpecification: 'In specification', scheduled: 'scheduled', inProgress: 'in progress' } } } as MemberTaskDeps,
  webhookSecret: async () => 's3cret',
};
const post = (body: string, headers: Record<string, string> = { 'X-OP-Signature': openProjectWebhookSignature('s3cret', body) }, to: OpenProjectIntake | null = intake) =>
  postOpenProjectWebhook(engine, to ?? undefined, { headers, body } as unknown as APIGatewayProxyEvent, body).then((r) => ({ status: r.statusCode, body: JSON.parse(r.body) }));

describe('POST /v1/intake/openproject', () => {
  const task = (project: string, type = 8) => JSON.stringify({ action: 'work_package:updated', work_package: { id: 5, _links: { project: { href: '/api/v3/projects/3' }, type: { href: `/api/v3/types/${type}`, title: 'Task' }, status: { href: '/api/v3/statuses/14' } }, _embedded: { project: { id: 3, identifier: project } } } });

  it('answers 404 where the stage has no member tasks', async () => {
    expect(await post(task('community'), {}, null)).toMatchObject({ status: 404, body: { error: expect.stringMatching(/openproject\.memberTasks/) } });
  });

  it('refuses an unsigned or wrongly signed delivery with 401', async () => {
    expect(await post(task('community'), {})).toMatchObject({ status: 401, body: { error: expect.stringMatching(/missing X-OP-Signature/) } });
    expect(await post(task('community'), { 'X-OP-Signature': openProjectWebhookSignature('other', task('community')) })).toMatchObject({ status: 401 });
  });

  it('names the body when it is not JSON, not an object, or too large', async () => {
    expect(await post('{nope')).toMatchObject({ status: 400, body: { issues: [{ path: '(body)', message: 'must be valid JSON' }] } });
    expect(await post('[1]')).toMatchObject({ status: 400, body: { issues: [{ path: '(body)', message: 'must be a JSON object' }] } });
    expect(await post('x'.repeat(600 * 1024))).toMatchObject({ status: 400, body: { issues: [{ path: '(body)' }] } });
  });

  it('answers 202 with why a delivery of another project, type or event is ignored', async () => {
    expect(await post(task('elsewhere'))).toEqual({ status: 202, body: { ignored: true, reason: 'project elsewhere is not community' } });
    expect(await post(task('community', 1))).toMatchObject({ status: 202, body: { ignored: true, reason: expect.stringMatching(/not the member task type 8/) } });
    expect(await post(JSON.stringify({ action: 'project:updated' }))).toMatchObject({ status: 202, body: { ignored: true } });
  });
});
