/** Answering a steps batch: parallel within a bound, one run's records one after another in order, and the time left checked first. */
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { answerRecords, parseStepMessage, stepLane, type RecordLanes } from '../../../lambdas/handlers/step-records';
import { sqsRecord } from '../../support/sqs-record';

const record = (messageId: string, lane: string): SQSRecord => sqsRecord(messageId, { lane });

const laneOf = (r: SQSRecord) => (JSON.parse(r.body) as { lane: string }).lane;

describe('answerRecords', () => {
  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => jest.useRealTimers());

  async function run(event: SQSEvent, lanes: Partial<RecordLanes>, durationMs: (r: SQSRecord) => number) {
    const log: string[] = [];
    let running = 0;
    let most = 0;
    const handedBack: string[] = [];
    const handle = async (r: SQSRecord) => {
      running += 1;
      most = Math.max(most, running);
      log.push(`start ${r.messageId}`);
      await new Promise((resolve) => setTimeout(resolve, durationMs(r)));
      log.push(`end ${r.messageId}`);
      running -= 1;
      if (r.messageId.startsWith('fail')) throw new Error('HTTP 503');
    };
    const answer = answerRecords(event, handle, {
      parallel: 3,
      laneOf,
      worstCaseMs: 0,
      remainingMs: () => 60_000,
      handBack: async (r) => void handedBack.push(r.messageId),
      ...lanes,
    });
    await jest.advanceTimersByTimeAsync(120_000);
    return { answer: await answer, log, most, handedBack };
  }

  it('runs one run\'s records one after another, in the batch\'s order, and other runs beside them', async () => {
    const event = { Records: [record('a1', 'A'), record('b1', 'B'), record('a2', 'A'), record('b2', 'B')] };
    const { log, most } = await run(event, {}, () => 1_000);
    expect(log.indexOf('start a2')).toBeGreaterThan(log.indexOf('end a1'));
    expect(log.indexOf('start b2')).toBeGreaterThan(log.indexOf('end b1'));
    expect(log.indexOf('start b1')).toBeLessThan(log.indexOf('end a1'));
    expect(most).toBe(2);
  });

  it('never runs more records at once than its bound', async () => {
    const event = { Records: Array.from({ length: 10 }, (_, i) => record(`r${i}`, `run-${i}`)) };
    const { most } = await run(event, {}, () => 1_000);
    expect(most).toBe(3);
  });

  it('answers with the records that failed, and goes on with the next of the same run', async () => {
    const event = { Records: [record('fail-a1', 'A'), record('a2', 'A')] };
    const { answer, log } = await run(event, {}, () => 10);
    expect(answer.batchItemFailures).toEqual([{ itemIdentifier: 'fail-a1' }]);
    expect(log).toContain('end a2');
  });

  it('hands back, unstarted, the records that start with less time left than their worst case', async () => {
    const event = { Records: [record('slow', 'A'), record('next', 'A'), record('other', 'B')] };
    const start = Date.now();
    const { answer, log, handedBack } = await run(event, { worstCaseMs: 35_000, remainingMs: () => 60_000 - (Date.now() - start) }, (r) => (r.messageId === 'slow' ? 30_000 : 10));
    expect(handedBack).toEqual(['next']);
    expect(log).not.toContain('start next');
    expect(answer.batchItemFailures).toEqual([]);
  });
});

describe('parseStepMessage', () => {
  it("keeps the step's priority class, which names the queue a retry's backoff and a hand-back go to", () => {
    const body = { runId: 'r1', employeeId: 'E1', stepId: 'sign-out', priority: 'lockout' };
    expect(parseStepMessage(sqsRecord('m1', body))).toEqual(body);
    expect(parseStepMessage(sqsRecord('m2', { ...body, priority: 'urgent' }))).toBeUndefined();
  });
});

describe('stepLane', () => {
  const message = (stepId: string, priority?: 'lockout' | 'protect' | 'housekeeping') => ({ runId: 'run-1', employeeId: 'E1', stepId, ...(priority ? { priority } : {}) });

  it("gives each lockout step a lane of its own, so a leaver's sign-out, password and tokens run side by side", () => {
    expect(stepLane(message('sign-out', 'lockout'), 'm1')).not.toBe(stepLane(message('revoke-tokens', 'lockout'), 'm2'));
  });

  it("keeps protect and housekeeping steps, and a message naming no class, in their run's one lane", () => {
    const lanes = [stepLane(message('set-auto-reply', 'protect'), 'm1'), stepLane(message('hide-from-directory', 'protect'), 'm2'), stepLane(message('forward-event', 'housekeeping'), 'm3'), stepLane(message('old'), 'm4')];
    expect(new Set(lanes)).toEqual(new Set(['run-1']));
    expect(stepLane(message('sign-out', 'lockout'), 'm5')).not.toBe('run-1');
  });

  it('puts a body that is not a step in a lane of its own', () => {
    expect(stepLane(undefined, 'm1')).toBe('m1');
  });
});
