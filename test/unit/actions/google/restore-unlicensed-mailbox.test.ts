/**
 * A termination cancelled after google.removeLicenses: Gmail answers "Mail service not enabled" to a mailbox whose
 * user holds no license, so the restore puts the license back (phase 1) before any Gmail setting (phase 2).
 */
import { restoreRuleFor, type ActionName } from '../../../../lambdas/actions/catalog';
import type { ActionDefinition } from '../../../../lambdas/actions/define-action';
import { delegateToManager } from '../../../../lambdas/actions/google/delegate-to-manager';
import { removeExternalForwarding } from '../../../../lambdas/actions/google/remove-external-forwarding';
import { removeLicenses } from '../../../../lambdas/actions/google/remove-licenses';
import { restoreDelegates } from '../../../../lambdas/actions/google/restore-delegates';
import { setAutoReply } from '../../../../lambdas/actions/google/set-auto-reply';
import { suspendUser } from '../../../../lambdas/actions/google/suspend-user';
import { actionDefinition } from '../../../../lambdas/actions/registry';
import { runAction } from '../../../../lambdas/actions/run-action';
import type { Step } from '../../../../lambdas/engine/model';
import { planRestoreSteps } from '../../../../lambdas/engine/restore';
import { expectOk, useGoogleTestBed, type GoogleTestBed } from '../../../support/google-emulator';

const currentBed = useGoogleTestBed();
let bed: GoogleTestBed;
beforeEach(() => {
  bed = currentBed();
});

type Def = ActionDefinition<unknown>;
const ada = () => bed.sample.users.ada.email;
const gmail = async () => (await bed.ctx.providers.google!().gmailFor(ada())).users.settings;

/** Runs the leaver steps in order, as the playbook does, and answers them as a run records them. */
async function terminate(steps: [string, Def, Record<string, unknown>][]): Promise<Step[]> {
  const done: Step[] = [];
  for (const [stepId, def, params] of steps) {
    const res = expectOk(await runAction(def, bed.ctx, bed.request(def.name, { stepId, params })));
    done.push({ stepId, action: def.name, params, status: 'succeeded', dueAt: '2026-11-30T23:00:00.000Z', after: [], attempts: 1, result: res.result, finishedAt: `2026-11-30T23:00:0${done.length}.000Z` });
  }
  return done;
}

const leaverSteps = (): [string, Def, Record<string, unknown>][] => [
  ['remove-external-forwarding', removeExternalForwarding as Def, {}],
  ['set-auto-reply', setAutoReply as Def, { subject: 'Ada has left', message: 'Please write to {managerEmail}.' }],
  ['delegate-to-manager', delegateToManager as Def, {}],
  ['suspend-user', suspendUser as Def, {}],
  ['remove-licenses', removeLicenses as Def, {}],
];

describe('a cancel after the licenses were removed', () => {
  it('a Gmail restore before the license is back fails for an operator, saying to give the license back', async () => {
    bed.emulator.seedForwardingAddress(ada(), 'ada@home.example');
    const done = await terminate(leaverSteps());
    expect(bed.emulator.licensesOf(ada())).toEqual([]);
    // Unsuspended, but still no license: Gmail has no mail service for her.
    await bed.ctx.providers.google!().directory.users.patch({ userKey: ada(), requestBody: { suspended: false } });
    const delegation = done.find((s) => s.stepId === 'delegate-to-manager')!;
    const res = await runAction(restoreDelegates as Def, bed.ctx, bed.request('google.restoreDelegates', { eventType: 'cancel', params: { result: delegation.result } }));
    expect(res).toMatchObject({ ok: false, error: { retryable: false } });
    expect(!res.ok && res.error.message).toContain('Gmail answers "Mail service not enabled" for ada.lovelace@example.com: the user holds no Google Workspace license');
    expect(!res.ok && res.error.message).toContain('google.restoreLicenses');
  });

  it('restores cleanly in the catalog\'s order: license and suspension first, then the mailbox', async () => {
    bed.emulator.seedForwardingAddress(ada(), 'ada@home.example');
    const before = bed.emulator.gmail(ada());
    const licensesBefore = bed.emulator.licensesOf(ada());
    const done = await terminate(leaverSteps());

    const plan = planRestoreSteps(done, restoreRuleFor, '2026-12-02T10:00:00.000Z');
    const finished = new Set<string>();
    // Each restore runs once every step it waits for has finished, as the engine runs them.
    while (finished.size < plan.length) {
      const ready = plan.filter((s) => !finished.has(s.stepId) && s.after.every((a) => finished.has(a)));
      expect(ready.length).toBeGreaterThan(0);
      for (const step of ready) {
        const res = await runAction(actionDefinition(step.action as ActionName), bed.ctx, bed.request(step.action, { eventType: 'cancel', stepId: step.stepId, params: step.params }));
        expect({ step: step.stepId, ...res }).toMatchObject({ step: step.stepId, ok: true });
        finished.add(step.stepId);
      }
    }

    expect(bed.emulator.licensesOf(ada())).toEqual(licensesBefore);
    expect(bed.emulator.user(ada())?.suspended).toBe(false);
    const after = bed.emulator.gmail(ada());
    expect(after.delegates).toEqual(before.delegates);
    expect(after.forwardingAddresses.map((f) => f.forwardingEmail).sort()).toEqual(before.forwardingAddresses.map((f) => f.forwardingEmail).sort());
    expect((await (await gmail()).getVacation({ userId: ada() })).data.enableAutoReply).toBe(false);
  });
});
