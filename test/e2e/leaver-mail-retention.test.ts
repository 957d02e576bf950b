/**
 * Mail retention by the role a leaver held, end to end with the default playbook and the sample role catalog: the
 * local stage keeps leavers' mail on a Vault hold, but the sample's `engineer` role says `archived-user-license`.
 * An engineer hired and later leaving gets no hold at the cut-off, and is archived at day +30, read back through
 * the real Google paths.
 */
import { playbooks } from '../../config/playbooks';
import { loadStageConfig } from '../../config/stages';
import type { Run } from '../../lambdas/engine/model';
import { googleClientsOf, postEvent } from '../support/harness';
import { freeSeat, useE2eRuntime } from '../support/e2e-runtime';

const EMPLOYEE = {
  id: 'E-ARCHIVE',
  firstName: 'Kay',
  lastName: 'Mbeki',
  personalEmail: 'kay@home.example',
  managerEmail: 'grace.hopper@example.com',
  role: 'engineer',
  timezone: 'Europe/Berlin',
};

describe("a leaver's mail kept as the role they held says, not as the stage says", () => {
  let now = Date.parse('2099-01-10T10:00:00Z');
  // A free Business Standard seat for the engineer (the sample's are all taken), and one of its Archived User license.
  const { rt, runOf, settled } = useE2eRuntime(() => now, EMPLOYEE.id, { emulatorsOnClock: false, setUp: freeSeat });
  const succeeded = (ids: string[]) => (run: Run) => ids.every((id) => run.steps.find((s) => s.stepId === id)?.status === 'succeeded');
  const step = (run: Run, id: string) => run.steps.find((s) => s.stepId === id)!;

  it('the local stage holds mail in Vault; the sample engineer role archives', () => {
    expect(loadStageConfig('local').mailRetention.method).toBe('vault-hold');
  });

  let address = '';
  it('an engineer is hired, their account made', async () => {
    const res = await postEvent(rt(), { eventId: 'archive-hire', type: 'hire', effectiveDate: '2099-01-20', employee: EMPLOYEE });
    expect(res.status).toBe(202);
    now = Date.parse('2099-01-19T08:00:00Z');
    await rt().sweepNow();
    const hired = await settled(res.body.runId, succeeded(['create-user', 'assign-license', 'add-groups']), 'the joiner steps');
    address = (step(hired, 'create-user').result as { created: { primaryEmail: string } }).created.primaryEmail;
    expect(address).toMatch(/@example\.com$/);
  });

  it('leaving at once: no Vault hold at the cut-off, and at day +30 the account is archived', async () => {
    now = Date.parse('2099-02-01T10:00:00Z');
    const { personalEmail: _p, role: _r, ...employee } = EMPLOYEE;
    const res = await postEvent(rt(), { eventId: 'archive-leave', type: 'terminate', effectiveDate: '2099-02-01', urgent: true, employee: { ...employee, email: address } });
    expect(res.status).toBe(202);
    const runId = res.body.runId as string;
    expect((await runOf(runId)).role).toMatchObject({ name: 'engineer', resolved: { single: { mailRetention: { value: 'archived-user-license', grantedBy: 'engineer' } } } });

    const cutoffIds = playbooks.terminate.steps.filter((s) => s.cutoff && s.enabled && !s.after?.length).map((s) => s.id);
    expect(cutoffIds).toContain('hold-mail');
    const afterCutoff = await settled(runId, succeeded(cutoffIds), 'the cut-off steps');
    expect(step(afterCutoff, 'hold-mail')).toMatchObject({
      note: 'the role engineer says archived-user-license, which another step of the playbook does',
      result: { decidedBy: { by: 'role', role: 'engineer', method: 'archived-user-license' } },
    });
    const g = googleClientsOf(rt());
    const matters = await g.vault.listMatters('OPEN');
    for (const m of matters) expect((await g.vault.listHolds(m.matterId)).flatMap((h) => h.accounts ?? []).map((a) => a.email)).not.toContain(address);

    now = Date.parse(step(afterCutoff, 'transfer-data').dueAt) + 1000;
    await rt().sweepNow();
    const transferred = await settled(runId, succeeded(['transfer-data']), 'the transfer');
    now = Date.parse(step(transferred, 'archive-mail').dueAt) + 1000;
    await rt().sweepNow();
    const done = await settled(runId, (run) => run.status === 'completed', 'the run to complete');
    expect(step(done, 'archive-mail')).toMatchObject({
      note: 'archived: holds Google Workspace Business Standard - Archived User (the role engineer says archived-user-license)',
      result: { retained: { method: 'archived-user-license' }, previous: { archived: false }, decidedBy: { by: 'role', role: 'engineer' } },
    });
    expect((await g.directory.users.get({ userKey: address })).data).toMatchObject({ archived: true, suspended: true });
    expect((await g.licensing.get('101034', '1010340006', address)).skuName).toBe('Google Workspace Business Standard - Archived User');
  }, 120_000);
});
