/**
 * A status change whose handling claimed it and died (or is still going): a delivery of it within the claim's life is
 * not dropped. memberTaskChanged answers `busy`, the webhook route answers 503 (OpenProject delivers it again), the
 * poll keeps its cursor before the task; once the claim is stale, the change is handled. `ignored` is for a change done.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { Run } from '../../../lambdas/engine/model';
import { postOpenProjectWebhook } from '../../../lambdas/http/openproject-route';
import { HANDLING_CLAIM_STALE_MS, lastStatusChange, memberTaskChanged, openMemberTask, pollMemberTasks, type MemberTaskDeps } from '../../../lambdas/openproject/member-tasks';
import { openProjectWebhookSignature } from '../../../lambdas/providers/openproject/openproject-webhook';
import { memoryEngine, type MemoryEngine } from '../../support/memory-engine';
import { proposedRun, memberTasksOn, useOpenProjectTestBed } from '../../support/openproject-emulator';

describe('member task: a change claimed by a handling not finished', () => {
  const bed = useOpenProjectTestBed();
  let engine: MemoryEngine;
  let tasks: MemberTaskDeps;
  let runId: string;
  let id: number;

  beforeEach(async () => {
    engine = memoryEngine();
    tasks = memberTasksOn(engine.deps, bed);
    const proposed = await proposedRun(engine.deps);
    runId = proposed.runId;
    ({ workPackageId: id } = (await openMemberTask(tasks, proposed))!);
  });

  /** The task set to scheduled, and a handling of that change claimed by a Lambda killed (a timeout) before anything else. */
  const scheduledAndDied = async () => {
    await bed().emulator.personEdits(id, { status: 'scheduled', asLogin: 'grace.hopper' });
    const change = (await lastStatusChange(bed().openproject.client, id))!;
    const run: Run = (await engine.store.findRun(runId))!;
    await engine.store.saveRun({ ...run, memberTask: { ...run.memberTask!, handled: { change: `journal:${change.activityId}`, at: engine.clock.now().toISOString() } }, version: run.version + 1 });
    engine.clock.advance(60_000);
  };
  const wp = async () => (await bed().openproject.client.getWorkPackage(id))!;
  const stored = async () => (await engine.store.findRun(runId))!;

  it('a delivery within the claim is busy, not ignored; once the claim is stale it is handled, then ignored as done', async () => {
    await scheduledAndDied();
    expect(await memberTaskChanged(tasks, await wp())).toEqual({ outcome: 'busy', reason: expect.stringMatching(/being handled; deliver it again later/) });
    expect((await stored()).status).toBe('awaiting_approval');
    engine.clock.advance(HANDLING_CLAIM_STALE_MS);
    expect(await memberTaskChanged(tasks, await wp())).toMatchObject({ outcome: 'started', approved: true });
    expect(await stored()).toMatchObject({ status: 'scheduled', approval: { decidedBy: 'openproject:grace.hopper' } });
    expect(await memberTaskChanged(tasks, await wp())).toMatchObject({ outcome: 'ignored' });
  });

  it('the webhook route answers 503 to a busy change, so OpenProject delivers it again', async () => {
    await scheduledAndDied();
    const body = bed().emulator.webhookBody(bed().emulator.workPackage(id)!);
    const intake = { memberTasks: tasks, webhookSecret: async () => 's3cret' };
    const res = await postOpenProjectWebhook(engine.deps, intake, { headers: { 'X-OP-Signature': openProjectWebhookSignature('s3cret', body) }, body } as unknown as APIGatewayProxyEvent, body);
    expect(res.statusCode).toBe(503);
    expect((await stored()).status).toBe('awaiting_approval');
  });

  it('the poll does not move its cursor past a busy task, and the next poll handles it', async () => {
    const since = new Date(engine.clock.now().getTime() - 60 * 60_000).toISOString();
    await scheduledAndDied();
    const polled = await pollMemberTasks(tasks, since);
    expect(polled.outcomes).toEqual([expect.objectContaining({ outcome: 'busy' })]);
    expect(polled.next).toBe(since);
    engine.clock.advance(HANDLING_CLAIM_STALE_MS);
    const again = await pollMemberTasks(tasks, polled.next);
    expect(again.outcomes).toEqual([expect.objectContaining({ outcome: 'started', approved: true })]);
    expect(again.next > since).toBe(true);
  });
});
