/** A revoke held for its notice that an operator approves before the notice goes: the notice names the date the run acts on. */
import { checkInactivity, type InactivityCheckDeps } from '../../../lambdas/inactivity/check';
import type { InactivityMailer, InactivityNotice } from '../../../lambdas/inactivity/notice-mailer';
import type { InactivityAccount } from '../../../lambdas/inactivity/decide';
import { operatorApprove } from '../../../lambdas/engine/operator';
import { DEFAULT_INACTIVITY } from '../../../config/inactivity';
import { DEFAULT_ACCOUNT_POLICY } from '../../../config/account-policy';
import { playbooksForSet } from '../../../config/playbooks';
import { memoryEngine } from '../../support/memory-engine';

const DAY = 86_400_000;

it('an operator approves a revoke held for its notice; the notice sent later names the date its steps fall due', async () => {
  const engine = memoryEngine({ deps: { playbooks: playbooksForSet('default') } });
  const lastSignInAt = new Date(engine.clock.now().getTime() - 100 * DAY).toISOString();
  const accounts: InactivityAccount[] = [{ system: 'google', accountId: 'g1', email: 'ada@example.com', employeeId: 'E1', active: true, signInKnown: true, lastSignInAt, access: [] }];
  let failing = true;
  const sent: InactivityNotice[] = [];
  const mailer: InactivityMailer = { send: async (n) => { if (failing) throw new Error('Gmail answered 503'); sent.push(n); return { messageId: 'm1', sentAt: engine.clock.now().toISOString(), alreadySent: false }; } };
  const deps: InactivityCheckDeps = { engine: engine.deps, readers: [{ system: 'google', accounts: async function* () { yield* accounts; } }], settings: { ...DEFAULT_INACTIVITY, enabled: true, approve: false, noticeDays: 7 }, policy: DEFAULT_ACCOUNT_POLICY, mailer };
  await engine.deps.store.putEmployee({ id: 'E1', firstName: 'Ada', managerEmail: 'grace@example.com', timezone: 'UTC' }, engine.clock.now().toISOString());
  await checkInactivity(deps, { dryRun: false });
  const held = (await engine.store.listRuns('E1')).find((r) => r.type === 'revoke')!;
  const approved = await operatorApprove(engine.deps, held.runId, held.approval!.planHash, 'operator@example.com');
  const actsAt = approved.steps.map((s) => s.dueAt).sort()[0];
  engine.clock.advance(3 * DAY);
  failing = false;
  await checkInactivity(deps, { dryRun: false });
  expect(sent[0]?.revokeAt).toBe(actsAt);
});
