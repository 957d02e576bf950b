/** `lifecycle run`, `approve` and `reject` against the local runtime with hires held for approval. */
import type { Runtime } from '../../../local/runtime';
import { hrBody } from '../../support/builders';
import { postEvent, runReaches, start, TOKEN } from '../../support/harness';
import { runWith } from './cli-harness';

describe('lifecycle approve and reject', () => {
  let rt: Runtime;
  let env: Record<string, string>;
  beforeAll(async () => {
    rt = await start({ settings: { retryBaseSeconds: 1, approveHires: true } });
    env = { LIFECYCLE_API_URL: rt.apiUrl, LIFECYCLE_OPERATOR_TOKEN: TOKEN };
  });
  afterAll(async () => {
    await rt.stop();
  });

  const hire = (id: string) => postEvent(rt, hrBody({ eventId: `cli-hire-${id}`, type: 'hire', effectiveDate: '2026-01-05', employee: { ...hrBody().employee, id } }));
  const cli = (argv: string[]) => runWith(argv, { env, fetch: globalThis.fetch });

  it('run shows the plan and its hash; approve with that hash runs it', async () => {
    const res = await hire('E-CLI-OK');
    const shown = await cli(['run', res.body.runId]);
    expect(shown.code).toBe(0);
    const hash = res.body.approval.planHash as string;
    expect(shown.stdout).toContain(`awaiting approval (stage setting approveHires): plan ${hash}`);
    expect(shown.stdout).toContain(`npx lifecycle approve ${res.body.runId} --plan-hash ${hash}`);

    const approved = await cli(['approve', res.body.runId, '--plan-hash', hash]);
    expect(approved.code).toBe(0);
    expect(approved.stdout).toContain(`approved the plan of run ${res.body.runId}`);
    // A short answer: the run's new status and where to see it whole, not the plan again.
    expect(approved.stdout).toMatch(new RegExp(`^run ${res.body.runId} \\(hire\\): \\w+`, 'm'));
    expect(approved.stdout).toMatch(new RegExp(`^approved by \\S+ at \\S+ \\(plan ${hash}\\)$`, 'm'));
    expect(approved.stdout).toContain(`whole run: npx lifecycle run ${res.body.runId}`);
    expect(approved.stdout).not.toContain('stepId');
    expect(approved.stdout.trimEnd().split('\n').length).toBeLessThanOrEqual(5);
    await runReaches(rt, 'E-CLI-OK', res.body.runId, 'completed');
  });

  it('approve with another hash fails with the API answer and changes nothing; reject needs a reason', async () => {
    const res = await hire('E-CLI-NO');
    const wrong = await cli(['approve', res.body.runId, '--plan-hash', '0'.repeat(32)]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('409');
    const noReason = await cli(['reject', res.body.runId, '--plan-hash', res.body.approval.planHash]);
    expect(noReason.code).toBe(2);
    const rejected = await cli(['reject', res.body.runId, '--plan-hash', res.body.approval.planHash, '--reason', 'start date moved']);
    expect(rejected.code).toBe(0);
    expect(rejected.stdout).toMatch(/rejected by .* start date moved/);
  });
});
