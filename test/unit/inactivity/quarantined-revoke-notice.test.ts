/** approve: false and the mass-change guard: a quarantined inactivity revoke is held for its notice too, and noticed only once released. */
import { checkInactivity, type InactivityCheckDeps } from '../../../lambdas/inactivity/check';
import type { InactivityMailer } from '../../../lambdas/inactivity/notice-mailer';
import type { InactivityAccount } from '../../../lambdas/inactivity/decide';
import { sweep } from '../../../lambdas/engine/sweep';
import { operatorReleaseQuarantine } from '../../../lambdas/engine/operator';
import { DEFAULT_INACTIVITY } from '../../../config/inactivity';
import { DEFAULT_ACCOUNT_POLICY } from '../../../config/account-policy';
import { playbooksForSet } from '../../../config/playbooks';
import { memoryEngine } from '../../support/memory-engine';

const DAY = 86_400_000;

it('a quarantined revoke released by an operator waits for its notice: not noticed while quarantined, nothing runs while the mail fails', async () => {
  const engine = memoryEngine({ deps: { playbooks: playbooksForSet('default') }, settings: { massChange: { threshold: 1, windowMinutes: 60 } } as never });
  const lastSignInAt = new Date(engine.clock.now().getTime() - 100 * DAY).toISOString();
  const accounts: InactivityAccount[] = ['E1', 'E2'].map((id, i) => ({ system: 'google', accountId: `g${i}`, email: `${id}@example.com`, employeeId: id, active: true, signInKnown: true, lastSignInAt, access: [] }));
  const failing: InactivityMailer = { send: async () => { throw new Error('Gmail answered 503 backendError'); } };
  const deps: InactivityCheckDeps = {
    engine: engine.deps,
    readers: [{ system: 'google', accounts: async function* () { yield* accounts; } }],
    settings: { ...DEFAULT_INACTIVITY, enabled: true, approve: false, noticeDays: 7 },
    policy: DEFAULT_ACCOUNT_POLICY,
    mailer: failing,
  };
  for (const id of ['E1', 'E2']) await engine.deps.store.putEmployee({ id, firstName: id, managerEmail: 'm@example.com', timezone: 'UTC' }, engine.clock.now().toISOString());
  const report = await checkInactivity(deps, { dryRun: false });
  expect(report.created.map((c) => c.status).sort()).toEqual(['awaiting_approval', 'quarantined']);
  const decision = await operatorReleaseQuarantine(engine.deps, 1, 'operator@example.com');
  expect(decision).toBeDefined();
  engine.clock.advance(8 * DAY);
  await checkInactivity(deps, { dryRun: false }); // the mail still fails
  await sweep(engine.deps);
  // Released, it waits for its notice like the other (the mail still fails): nothing is queued.
  expect(engine.queue.sent).toEqual([]);
  const runs = (await Promise.all(['E1', 'E2'].map((id) => engine.store.listRuns(id)))).flat().filter((r) => r.type === 'revoke');
  expect(runs.map((r) => r.status)).toEqual(['awaiting_approval', 'awaiting_approval']);
  for (const r of runs) expect(r.approval?.requiredBy).toMatch(/the notice could not be sent: Gmail answered 503/);
});
