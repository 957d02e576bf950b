/**
 * The dispatcher's SQS entry: each invocation answers for its own records, however many run at once. Locally
 * several pollers share one handler; a failure reported to the wrong invocation would have its message deleted.
 */
import { ChangeMessageVisibilityCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { parsePlaybooks, playbooks as defaultPlaybooks } from '../../../config/playbooks';
import { SqsStepQueue } from '../../../lambdas/adapters/aws/sqs-step-queue';
import { createDispatcherHandler } from '../../../lambdas/handlers/dispatcher';
import type { StepMessage } from '../../../lambdas/engine/ports';
import { localContext } from '../../../local/lambda-context';
import { terminateEvent } from '../../support/builders';
import { memoryEngine, type MemoryEngine } from '../../support/memory-engine';
import { accept } from '../engine/engine-fixtures';
import { recording } from '../../support/recording-client';
import { sqsRecord } from '../../support/sqs-record';

async function queuedLeaver(engine: MemoryEngine, id: string): Promise<StepMessage> {
  const base = terminateEvent().employee;
  const run = await accept(engine, terminateEvent({ urgent: true, eventId: `hr-${id}`, employee: { ...base, id, email: `${id.toLowerCase()}@example.com` } }));
  const sent = engine.queue.sent.at(-1)?.message;
  if (sent?.runId !== run.runId) throw new Error(`intake queued nothing for ${id}`);
  return sent;
}

const INVOCATIONS = 8;

describe('the dispatcher handler', () => {
  it('answers each of several concurrent invocations with its own failed records', async () => {
    // Sixteen leavers at once: the mass-change guard is raised so none is held.
    const engine = memoryEngine({ settings: { massChange: { threshold: 2 * INVOCATIONS, windowMinutes: 60 } } });
    // Each invocation gets two records: one step that succeeds and one that fails with an error a retry may fix.
    const events: SQSEvent[] = [];
    for (let i = 0; i < INVOCATIONS; i++) {
      const ok = await queuedLeaver(engine, `E-OK-${i}`);
      const failing = await queuedLeaver(engine, `E-FAIL-${i}`);
      events.push({ Records: [sqsRecord(`ok-${i}`, ok), sqsRecord(`fail-${i}`, failing)] });
    }
    // Answers arrive in an order unlike the invocations', so their record handling interleaves.
    engine.invoker.answer('forward.event', async (request) => {
      const i = Number(request.employee.id.split('-').at(-1));
      await new Promise((r) => setTimeout(r, ((i * 7) % 5) * 3));
      return request.employee.id.startsWith('E-FAIL') ? { ok: false, error: { message: 'HTTP 503 from downstream', retryable: true } } : { ok: true };
    });

    const handler = createDispatcherHandler(() => engine.deps);
    const answers = (await Promise.all(events.map((event) => handler(event, localContext('dispatcher'))))) as SQSBatchResponse[];

    expect(answers.map((a) => a.batchItemFailures)).toEqual(events.map((_, i) => [{ itemIdentifier: `fail-${i}` }]));
    for (let i = 0; i < INVOCATIONS; i++) {
      const failed = events[i].Records[1];
      const run = await engine.store.getRun(`E-FAIL-${i}`, (JSON.parse(failed.body) as StepMessage).runId);
      expect(run?.steps[0]).toMatchObject({ status: 'queued', lastError: { message: 'HTTP 503 from downstream' } });
    }
  });

  it("runs a leaver's lockout records side by side and its other records one after another", async () => {
    const engine = memoryEngine({ deps: { playbooks: defaultPlaybooks } });
    const run = await accept(engine, terminateEvent({ urgent: true }));
    const messages = engine.queue.sent.map((m) => m.message).filter((m) => m.runId === run.runId);
    const lockout = messages.filter((m) => m.priority === 'lockout');
    const others = messages.filter((m) => m.priority !== 'lockout');
    expect(lockout.length).toBeGreaterThan(2);
    expect(others.length).toBeGreaterThan(1);
    const running = { lockout: 0, other: 0 };
    const most = { lockout: 0, other: 0 };
    for (const m of messages) {
      const step = run.steps.find((s) => s.stepId === m.stepId)!;
      const kind = m.priority === 'lockout' ? 'lockout' : 'other';
      engine.invoker.answer(step.action, async () => {
        running[kind] += 1;
        most[kind] = Math.max(most[kind], running[kind]);
        await new Promise((r) => setTimeout(r, 20));
        running[kind] -= 1;
        return { ok: true };
      });
    }
    const handler = createDispatcherHandler(() => engine.deps);
    // Two batches, as two event source mappings hand them: the lockout queue's and the others'.
    const answers = (await Promise.all([lockout, others].map((batch, b) => handler({ Records: batch.map((m, i) => sqsRecord(`m-${b}-${i}`, m)) }, localContext('dispatcher'))))) as SQSBatchResponse[];
    expect(answers.flatMap((a) => a.batchItemFailures)).toEqual([]);
    expect(most).toEqual({ lockout: lockout.length, other: 1 });
    const done = await engine.store.getRun(run.employeeId, run.runId);
    expect(done?.steps.filter((s) => messages.some((m) => m.stepId === s.stepId)).map((s) => s.status)).toEqual(messages.map(() => 'succeeded'));
  });

  describe('backs off a failed step on the queue its record came from', () => {
    const QUEUES = 'https://sqs.eu-central-1.amazonaws.com/111122223333/lifecycle-steps';
    const URLS = { lockout: `${QUEUES}-lockout`, protect: QUEUES, housekeeping: `${QUEUES}-housekeeping` };
    const LOCKOUT_ARN = 'arn:aws:sqs:eu-central-1:111122223333:lifecycle-steps-lockout';
    const signOutOnly = parsePlaybooks({
      hire: { steps: [{ id: 'forward-event', action: 'forward.event' }] },
      role_change: { steps: [{ id: 'forward-event', action: 'forward.event' }] },
      terminate: { steps: [{ id: 'sign-out', action: 'google.signOut', cutoff: true }] },
    });

    async function backoffQueueUrl(body: (message: StepMessage) => StepMessage) {
      const sqs = recording(SQSClient, () => ({ Successful: [] }));
      const engine = memoryEngine({ deps: { queue: new SqsStepQueue(sqs.client, URLS), playbooks: signOutOnly } });
      await accept(engine, terminateEvent({ urgent: true }));
      const sent = sqs.sent.map((c) => c.input as { QueueUrl: string; Entries: { MessageBody: string }[] });
      expect(sent.map((c) => c.QueueUrl)).toEqual([URLS.lockout]);
      const message = JSON.parse(sent[0].Entries[0].MessageBody) as StepMessage;
      engine.invoker.answer('google.signOut', { ok: false, error: { message: 'HTTP 503 from Google', retryable: true } });
      const handler = createDispatcherHandler(() => engine.deps);
      // The one record of the batch failed: the handler reports the whole batch failed, and SQS redelivers it after the backoff.
      await expect(handler({ Records: [{ ...sqsRecord('m-1', body(message)), eventSourceARN: LOCKOUT_ARN }] }, localContext('dispatcher'))).rejects.toThrow('All records failed');
      const changed = sqs.sent.filter((c) => c instanceof ChangeMessageVisibilityCommand).map((c) => c.input as { QueueUrl: string; ReceiptHandle: string });
      expect(changed).toHaveLength(1);
      expect(changed[0].ReceiptHandle).toBe('receipt-m-1');
      return changed[0].QueueUrl;
    }

    it('a lockout record changes its visibility on the lockout queue', async () => {
      expect(await backoffQueueUrl((m) => m)).toBe(URLS.lockout);
    });

    it('a record whose body names no class (sent before messages carried one) still changes visibility on the queue it came from', async () => {
      expect(await backoffQueueUrl(({ priority: _p, ...m }) => m)).toBe(URLS.lockout);
    });
  });
});
