/** A hire proposed from a name and an email: through the normal intake, always held for approval, once per reference. */
import { derivedEmployeeId } from '../../../lambdas/engine/hire-import';
import { proposalEventId, proposeHire, type HireProposal } from '../../../lambdas/engine/proposals';
import { memoryEngine } from '../../support/memory-engine';

const ADA: HireProposal = { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@home.example', proposedBy: '@alice:example.org', source: 'matrix', reference: '$event-1', proposedAt: '2026-11-30T07:00:00.000Z' };

describe('proposeHire', () => {
  it('makes a hire held for approval, naming the proposer, with the employee id derived from the address; nothing is queued', async () => {
    const engine = memoryEngine();
    const result = await proposeHire(engine.deps, ADA);
    expect(result.outcome).toBe('proposed');
    if (result.outcome !== 'proposed') return;
    expect(result.run).toMatchObject({
      type: 'hire',
      status: 'awaiting_approval',
      eventId: proposalEventId(ADA),
      employeeId: derivedEmployeeId('ada@home.example'),
      effectiveDate: '2026-12-07',
      employee: { firstName: 'Ada', lastName: 'Lovelace', personalEmail: 'ada@home.example', timezone: 'UTC' },
      proposal: { source: 'matrix', proposedBy: '@alice:example.org', reference: '$event-1' },
    });
    // No company address given: the username rules make it when the account is made.
    expect(result.run.employee.email).toBeUndefined();
    expect(result.run.approval?.requiredBy).toBe('proposed in Matrix by @alice:example.org');
    expect(engine.queue.sent).toHaveLength(0);
    const audit = await engine.store.listAudit(result.run.employeeId);
    expect(audit[0]).toMatchObject({ actor: 'matrix:@alice:example.org', change: expect.stringContaining('proposed in Matrix by @alice:example.org, awaiting approval') });
  });

  it('is held even on a stage that does not hold hires, and takes the stage start day, zone and role', async () => {
    const engine = memoryEngine({ settings: { approveHires: false } });
    const result = await proposeHire({ ...engine.deps, proposals: { startInDays: 14, timezone: 'Europe/Berlin' } }, ADA);
    expect(result).toMatchObject({ outcome: 'proposed', run: { status: 'awaiting_approval', effectiveDate: '2026-12-14', employee: { timezone: 'Europe/Berlin' } } });
  });

  it('the same reference twice is one run; the follow-up hooks hear of it each time, and a failing one is thrown without undoing it', async () => {
    const engine = memoryEngine();
    const heard: string[] = [];
    let down = true;
    const deps = { ...engine.deps, proposals: { onAccepted: [async () => { if (down) throw new Error('member task down'); }, async (_d: unknown, run: { runId: string }) => void heard.push(run.runId)] } };
    // The caller (the Matrix bot) does not count the command as answered, and proposes it again later.
    await expect(proposeHire(deps, ADA)).rejects.toThrow('member task down');
    const [recorded] = await engine.store.listRuns((await proposeHire(engine.deps, ADA) as { run: { employeeId: string } }).run.employeeId);
    expect(heard).toEqual([]);
    down = false;
    const again = await proposeHire(deps, ADA);
    const more = await proposeHire(deps, ADA);
    expect(again.outcome).toBe('duplicate');
    expect(more.outcome).toBe('duplicate');
    if (again.outcome !== 'duplicate') return;
    expect(again.run.runId).toBe(recorded.runId);
    expect(heard).toEqual([recorded.runId, recorded.runId]);
    expect(await engine.store.listRuns(recorded.employeeId)).toHaveLength(1);
  });

  it('a follow-up refused for good (a 4xx) raises one operator alert and the proposal stands answered; a 429, a 5xx or no answer is thrown to be tried again', async () => {
    const engine = memoryEngine();
    const refusal = Object.assign(new Error('OpenProject create work package: 422 PropertyConstraintViolation Type is not set to one of the allowed values'), { status: 422 });
    const deps = { ...engine.deps, proposals: { onAccepted: [async () => { throw refusal; }] } };
    const first = await proposeHire(deps, ADA);
    expect(first.outcome).toBe('proposed');
    if (first.outcome !== 'proposed') return;
    expect(await proposeHire(deps, ADA)).toMatchObject({ outcome: 'duplicate' });
    expect(engine.published).toEqual([expect.objectContaining({ runId: first.run.runId, stepId: 'proposal-follow-up', providerAnswer: refusal.message, whatToDo: expect.stringContaining('propose the same hire again') })]);
    expect((await engine.store.findRun(first.run.runId))?.status).toBe('awaiting_approval');
    for (const err of [Object.assign(new Error('throttled'), { status: 429 }), Object.assign(new Error('down'), { status: 503 }), new TypeError('fetch failed'), Object.assign(new Error('claim held'), { retryable: true })]) {
      await expect(proposeHire({ ...engine.deps, proposals: { onAccepted: [async () => { throw err; }] } }, { ...ADA, reference: `$${err.message}` })).rejects.toBe(err);
    }
    expect(engine.published).toHaveLength(1);
  });

  it.each([
    [{ email: 'not-an-email' }, 'email'],
    [{ firstName: '' }, 'firstName'],
    [{ lastName: '   ' }, 'lastName'],
    [{ lastName: '王' }, 'lastName'],
    [{ firstName: '李' }, 'firstName'],
    [{ firstName: 'Ada\u0007' }, 'firstName'],
  ])('%o is refused naming %s, and nothing is written', async (change, field) => {
    const engine = memoryEngine();
    const result = await proposeHire(engine.deps, { ...ADA, ...change });
    expect(result).toMatchObject({ outcome: 'invalid', field });
    expect(await engine.store.listAllRunsByStatus('awaiting_approval')).toHaveLength(0);
    expect(await engine.store.getEvent(proposalEventId(ADA))).toBeUndefined();
  });

  it('another proposal of someone who has a hire in progress goes by the intake rules: it never starts anything', async () => {
    const engine = memoryEngine({ settings: { approveHires: false } });
    await proposeHire(engine.deps, ADA);
    const second = await proposeHire(engine.deps, { ...ADA, reference: '$event-2' });
    if (second.outcome === 'proposed' || second.outcome === 'duplicate') expect(second.run.status).toBe('awaiting_approval');
    expect(engine.queue.sent).toHaveLength(0);
  });
});
