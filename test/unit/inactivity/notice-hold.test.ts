/**
 * A revoke without approval (`approve: false`) never acts before its notice: held until the notice is sent, with the
 * reason its approval shows saying why when the mail fails, and released with its steps due noticeDays after the notice.
 */
import { checkInactivity, type InactivityCheckDeps } from '../../../lambdas/inactivity/check';
import type { InactivityMailer, InactivityNotice } from '../../../lambdas/inactivity/notice-mailer';
import type { InactivityAccount } from '../../../lambdas/inactivity/decide';
import { sweep } from '../../../lambdas/engine/sweep';
import type { Run } from '../../../lambdas/engine/model';
import { DEFAULT_INACTIVITY } from '../../../config/inactivity';
import { DEFAULT_ACCOUNT_POLICY } from '../../../config/account-policy';
import { playbooksForSet } from '../../../config/playbooks';
import { memoryEngine, type MemoryEngine } from '../../support/memory-engine';

const DAY = 86_400_000;

/** A mailer that fails while `failing` is set, and otherwise sends at the engine's time. */
class FlakyMailer implements InactivityMailer {
  failing = true;
  readonly sent: InactivityNotice[] = [];
  constructor(private readonly engine: MemoryEngine) {}
  async send(notice: InactivityNotice) {
    if (this.failing) throw new Error('Gmail answered 503 backendError');
    this.sent.push(notice);
    return { messageId: `m${this.sent.length}`, sentAt: this.engine.clock.now().toISOString(), alreadySent: false };
  }
}

function setUp(mailer: (engine: MemoryEngine) => InactivityMailer | undefined) {
  const engine = memoryEngine({ deps: { playbooks: playbooksForSet('default') } });
  const lastSignInAt = new Date(engine.clock.now().getTime() - 100 * DAY).toISOString();
  const accounts: InactivityAccount[] = [{ system: 'google', accountId: 'g1', email: 'ada@example.com', employeeId: 'E1', active: true, signInKnown: true, lastSignInAt, access: [] }];
  const deps: InactivityCheckDeps = {
    engine: engine.deps,
    readers: [{ system: 'google', accounts: async function* () { yield* accounts; } }],
    settings: { ...DEFAULT_INACTIVITY, enabled: true, approve: false, noticeDays: 7 },
    policy: DEFAULT_ACCOUNT_POLICY,
    mailer: mailer(engine),
  };
  return { engine, deps };
}

const revokeOf = async (engine: MemoryEngine): Promise<Run> => (await engine.store.listRuns('E1')).find((r) => r.type === 'revoke')!;
const queued = (engine: MemoryEngine) => engine.queue.sent.map((m) => m.message.stepId);

describe('a revoke without approval and its notice', () => {
  it('held while the notice fails, the operator sees why; once sent, its steps run noticeDays after the notice', async () => {
    let mailer: FlakyMailer | undefined;
    const { engine, deps } = setUp((e) => (mailer = new FlakyMailer(e)));
    await engine.deps.store.putEmployee({ id: 'E1', firstName: 'Ada', lastName: 'Lovelace', managerEmail: 'grace@example.com', timezone: 'UTC' }, engine.clock.now().toISOString());

    const report = await checkInactivity(deps, { dryRun: false });
    expect(report.created).toEqual([expect.objectContaining({ accountId: 'g1', status: 'awaiting_approval' })]);
    expect(report.notices).toEqual([expect.objectContaining({ error: 'Gmail answered 503 backendError' })]);
    let run = await revokeOf(engine);
    expect(run.status).toBe('awaiting_approval');
    expect(run.approval?.requiredBy).toMatch(/waits for its notice \(approve: false\).*the notice could not be sent: Gmail answered 503 backendError$/);
    expect((await engine.store.listAudit('E1')).map((a) => a.change)).toContain(
      'revoke still held: its notice could not be sent (Gmail answered 503 backendError); nothing runs until it is sent, or an operator approves or rejects it',
    );

    // The time the run was planned for comes and goes: nothing runs.
    engine.clock.advance(8 * DAY);
    await sweep(engine.deps);
    await checkInactivity(deps, { dryRun: false }); // the mail still fails
    await sweep(engine.deps);
    run = await revokeOf(engine);
    expect(run.status).toBe('awaiting_approval');
    expect(run.steps.every((s) => s.status === 'pending')).toBe(true);
    expect(queued(engine)).toEqual([]);

    // The mail works again: the next check sends it and releases the run, due a week from the notice.
    mailer!.failing = false;
    const sentAt = engine.clock.now();
    const next = await checkInactivity(deps, { dryRun: false });
    const dueAt = new Date(sentAt.getTime() + 7 * DAY).toISOString();
    expect(next.notices).toEqual([expect.objectContaining({ to: ['ada@example.com', 'grace@example.com'], releasedDueAt: dueAt })]);
    expect(mailer!.sent).toEqual([expect.objectContaining({ approval: false, revokeAt: dueAt })]);
    run = await revokeOf(engine);
    expect(run).toMatchObject({ status: 'scheduled', revoke: { noticeSentAt: sentAt.toISOString() }, approval: { decision: 'approved', decidedBy: 'inactivity-check' } });
    expect(run.revoke?.releaseAfterNoticeDays).toBeUndefined();
    expect(new Set(run.steps.map((s) => s.dueAt))).toEqual(new Set([dueAt]));
    expect((await engine.store.listAudit('E1')).map((a) => a.change)).toContainEqual(expect.stringMatching(/^revoke released after its notice \(sent .* to ada@example.com, grace@example.com\): its steps fall due/));

    engine.clock.advance(7 * DAY - 60_000);
    await sweep(engine.deps);
    expect(queued(engine)).toEqual([]);
    engine.clock.advance(60_000);
    await sweep(engine.deps);
    expect(queued(engine)).toEqual(expect.arrayContaining(['sign-out']));
  });

  it('with no mail sender at all, the revoke stays held and says so', async () => {
    const { engine, deps } = setUp(() => undefined);
    await checkInactivity(deps, { dryRun: false });
    engine.clock.advance(30 * DAY);
    await sweep(engine.deps);
    const run = await revokeOf(engine);
    expect(run.status).toBe('awaiting_approval');
    expect(run.approval?.requiredBy).toMatch(/the notice could not be sent: no mail sender is configured: no notice sent$/);
    expect(queued(engine)).toEqual([]);
  });

  it('the notice sent at once: released at once, its steps due noticeDays after it', async () => {
    const { engine, deps } = setUp((e) => Object.assign(new FlakyMailer(e), { failing: false }));
    await engine.deps.store.putEmployee({ id: 'E1', firstName: 'Ada', email: 'ada@example.com', timezone: 'UTC' }, engine.clock.now().toISOString());
    const sentAt = engine.clock.now().toISOString();
    await checkInactivity(deps, { dryRun: false });
    const run = await revokeOf(engine);
    expect(run.status).toBe('scheduled');
    expect(run.steps[0].dueAt).toBe(new Date(Date.parse(sentAt) + 7 * DAY).toISOString());
  });
});
