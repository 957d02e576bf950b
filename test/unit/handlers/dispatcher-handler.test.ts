/**
 * The dispatcher's SQS entry: each invocation answers for its own records, however many run at once. Locally
 * several pollers share one handler; a failure reported to the wrong invocation would have its message deleted.
 */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createDispatcherHandler } from '../../../lambdas/handlers/dispatcher';
import type { StepMessage } from '../../../lambdas/engine/ports';
import { localContext } from '../../../local/lambda-context';
import { terminateEvent } from '../../support/builders';
import { memoryEngine, type MemoryEngine } from '../../support/memory-engine';
import { accept } from '../engine/engine-fixtures';
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
});
