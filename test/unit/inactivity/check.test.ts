/** The daily check on the in-memory engine with in-memory readers: it plans, mails once, and cancels a revoke used again. */
import { checkInactivity, type InactivityCheckDeps } from '../../../lambdas/inactivity/check';
import type { InactivityMailer, InactivityNotice } from '../../../lambdas/inactivity/notice-mailer';
import type { DirectoryReader } from '../../../lambdas/consolidation/directory';
import type { InactivityAccount } from '../../../lambdas/inactivity/decide';
import { DEFAULT_INACTIVITY } from '../../../config/inactivity';
import { DEFAULT_ACCOUNT_POLICY } from '../../../config/account-policy';
import { playbooksForSet } from '../../../config/playbooks';
import { memoryEngine, type MemoryEngine } from '../../support/memory-engine';

const DAY = 86_400_000;

/** A reader over a list the test changes between checks. */
const listReader = (system: string, accounts: () => InactivityAccount[]): DirectoryReader => ({
  system,
  async *accounts() {
    yield* accounts();
  },
});

class RecordingMailer implements InactivityMailer {
  readonly sent: InactivityNotice[] = [];
  async send(notice: InactivityNotice) {
    this.sent.push(notice);
    return { messageId: `m${this.sent.length}`, sentAt: new Date(0).toISOString(), alreadySent: false };
  }
}

function setUp(accounts: () => InactivityAccount[], over: Partial<InactivityCheckDeps> = {}) {
  const engine: MemoryEngine = memoryEngine({ deps: { playbooks: playbooksForSet('default') } });
  const mailer = new RecordingMailer();
  const deps: InactivityCheckDeps = {
    engine: engine.deps,
    readers: [listReader('google', accounts)],
    settings: { ...DEFAULT_INACTIVITY, enabled: true },
    policy: DEFAULT_ACCOUNT_POLICY,
    mailer,
    ...over,
  };
  return { engine, mailer, deps };
}

describe('the inactivity check', () => {
  const at = (engine: MemoryEngine, daysAgo: number) => new Date(engine.clock.now().getTime() - daysAgo * DAY).toISOString();

  it('plans a revoke due noticeDays later, mails the person and their manager once, and does neither twice', async () => {
    let lastSignInAt = '';
    const { engine, mailer, deps } = setUp(() => [{ system: 'google', accountId: 'g1', email: 'ada@example.com', employeeId: 'E1', active: true, signInKnown: true, lastSignInAt, access: [] }]);
    lastSignInAt = at(engine, 100);
    await engine.deps.store.putEmployee({ id: 'E1', firstName: 'Ada', lastName: 'Lovelace', managerEmail: 'grace@example.com', timezone: 'Europe/Berlin' }, lastSignInAt);

    const report = await checkInactivity(deps, { dryRun: false });
    expect(report.created).toEqual([expect.objectContaining({ accountId: 'g1', status: 'awaiting_approval' })]);
    const run = (await engine.store.listRuns('E1')).find((r) => r.type === 'revoke')!;
    expect(run.steps[0].dueAt).toBe(new Date(engine.clock.now().getTime() + 7 * DAY).toISOString());
    expect(mailer.sent).toEqual([expect.objectContaining({ to: ['ada@example.com', 'grace@example.com'], runId: run.runId, idleDays: 100, approval: true, name: 'Ada Lovelace' })]);
    expect(run.revoke).toMatchObject({ noticeTo: ['ada@example.com', 'grace@example.com'] });

    engine.clock.advance(DAY);
    const again = await checkInactivity(deps, { dryRun: false });
    expect(again.created).toEqual([]);
    expect(mailer.sent).toHaveLength(1);
  });

  it('the schedule’s check names only itself; a run now names the operator beside it, on the run and in the report', async () => {
    const idle = (engine: MemoryEngine, id: string): InactivityAccount => ({ system: 'google', accountId: id, email: `${id}@example.com`, employeeId: id.toUpperCase(), active: true, signInKnown: true, lastSignInAt: at(engine, 100), access: [] });
    const ref: { engine?: MemoryEngine; accounts: string[] } = { accounts: ['e1'] };
    const { engine, deps } = setUp(() => ref.accounts.map((id) => idle(ref.engine!, id)));
    ref.engine = engine;
    const scheduled = await checkInactivity(deps, { dryRun: false });
    expect(scheduled).not.toHaveProperty('requestedBy');
    expect((await engine.store.listRuns('E1'))[0].revoke).toMatchObject({ requestedBy: 'inactivity-check' });

    ref.accounts = ['e1', 'e2'];
    const now = await checkInactivity(deps, { dryRun: false, requestedBy: 'jane@corp.example' });
    expect(now).toMatchObject({ requestedBy: 'jane@corp.example', created: [expect.objectContaining({ employeeId: 'E2' })] });
    const run = (await engine.store.listRuns('E2'))[0];
    expect(run.revoke).toMatchObject({ requestedBy: 'inactivity-check run by jane@corp.example' });
    expect(run.approval?.requiredBy).toMatch(/\(requested by inactivity-check run by jane@corp\.example\)$/);
  });

  it('two checks at once send the notice once: the second finds it claimed; a send that fails lets the claim go', async () => {
    const { engine, mailer, deps } = setUp(() => [{ system: 'google', accountId: 'g1', email: 'ada@example.com', employeeId: 'E1', active: true, signInKnown: true, lastSignInAt: at(engine, 100), access: [] }]);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const slow: InactivityMailer = {
      send: async (notice) => {
        await held;
        return mailer.send(notice);
      },
    };
    const first = checkInactivity({ ...deps, mailer: slow }, { dryRun: false });
    // The first check is sending (waiting on the mail); a second, an operator's run now, plans nothing new and sends nothing.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = await checkInactivity({ ...deps, mailer: slow }, { dryRun: false, requestedBy: 'jane@corp.example' });
    expect(second.created).toEqual([]);
    expect(second.notices).toEqual([expect.objectContaining({ error: expect.stringMatching(/^another check is sending this notice/) })]);
    release();
    expect((await first).notices).toEqual([expect.objectContaining({ messageId: 'm1' })]);
    expect(mailer.sent).toHaveLength(1);
    const audit = (await engine.store.listAudit('E1')).map((a) => a.change).filter((c) => c.startsWith('inactivity notice'));
    expect(audit).toHaveLength(1);

    // Another account, whose first send fails: the claim is let go, and a run now right after sends it.
    const { engine: e2, mailer: m2, deps: d2 } = setUp(() => [{ system: 'google', accountId: 'g2', email: 'alan@example.com', employeeId: 'E2', active: true, signInKnown: true, lastSignInAt: at(e2, 100), access: [] }]);
    let failNext = true;
    const failed = await checkInactivity({ ...d2, mailer: { send: (n) => (failNext ? ((failNext = false), Promise.reject(new Error('503 from Gmail'))) : m2.send(n)) } }, { dryRun: false });
    expect(failed.notices).toEqual([expect.objectContaining({ error: '503 from Gmail' })]);
    expect((await e2.store.listRuns('E2'))[0].revoke).not.toHaveProperty('noticeClaimedAt');
    const retried = await checkInactivity(d2, { dryRun: false, requestedBy: 'jane@corp.example' });
    expect(retried.notices).toEqual([expect.objectContaining({ messageId: 'm1' })]);
  });

  it('a dry run, or a stage with inactivity off, plans nothing and mails no one', async () => {
    const idle = (engine: MemoryEngine): InactivityAccount[] => [{ system: 'google', accountId: 'g1', email: 'ada@example.com', employeeId: 'E1', active: true, signInKnown: true, lastSignInAt: at(engine, 100), access: [] }];
    const ref: { engine?: MemoryEngine } = {};
    const { engine, mailer, deps } = setUp(() => idle(ref.engine!));
    ref.engine = engine;
    expect((await checkInactivity(deps, { dryRun: true })).decision.idle).toHaveLength(1);
    const off = await checkInactivity({ ...deps, settings: { ...deps.settings, enabled: false } }, { dryRun: false });
    expect(off).toMatchObject({ dryRun: true, enabled: false, created: [] });
    expect(await engine.store.listRuns('E1')).toEqual([]);
    expect(mailer.sent).toEqual([]);
  });

  it('an account signed in to after its revoke was planned: the next check cancels the revoke', async () => {
    let lastSignInAt = '';
    const { engine, deps } = setUp(() => [{ system: 'google', accountId: 'g1', email: 'ada@example.com', employeeId: 'E1', active: true, signInKnown: true, lastSignInAt, access: [] }]);
    lastSignInAt = at(engine, 95);
    await checkInactivity(deps, { dryRun: false });
    engine.clock.advance(2 * DAY);
    lastSignInAt = at(engine, 1);
    const report = await checkInactivity(deps, { dryRun: false });
    expect(report.cancelled).toEqual([expect.objectContaining({ accountId: 'g1' })]);
    const run = (await engine.store.listRuns('E1')).find((r) => r.type === 'revoke')!;
    expect(run.status).toBe('cancelled');
    expect((await engine.store.listAudit('E1')).map((a) => a.change)).toContain('run cancelled: the google account ada@example.com was signed in to after its revoke was planned');
  });

  it('a system whose reader fails is not checked, and a system without a reader is reported', async () => {
    const failing: DirectoryReader = {
      system: 'google',
      // eslint-disable-next-line require-yield
      async *accounts() {
        throw new Error('503 from the Directory API');
      },
    };
    const { deps } = setUp(() => [], { readers: [failing], settings: { ...DEFAULT_INACTIVITY, enabled: true, systems: ['google', 'nextcloud'] } });
    const report = await checkInactivity(deps, { dryRun: false });
    expect(report.reads).toEqual([
      expect.objectContaining({ system: 'google', accounts: 0, error: '503 from the Directory API' }),
      expect.objectContaining({ system: 'nextcloud', error: 'no reader of nextcloud is configured: not checked' }),
    ]);
    expect(report.decision.checked).toBe(0);
  });

  it('without a mail sender the revoke is planned and the report says no notice went', async () => {
    const { engine, deps } = setUp(() => [{ system: 'google', accountId: 'g1', email: 'ada@example.com', employeeId: 'E1', active: true, signInKnown: true, lastSignInAt: '2020-01-01T00:00:00.000Z', access: [] }], { mailer: undefined });
    const report = await checkInactivity(deps, { dryRun: false });
    expect(report.created).toHaveLength(1);
    expect(report.notices).toEqual([expect.objectContaining({ error: 'no mail sender is configured: no notice sent' })]);
    expect((await engine.store.listRuns('E1'))[0].revoke?.noticeSentAt).toBeUndefined();
  });
});
