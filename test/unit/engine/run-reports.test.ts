import { combineReports } from '../../../lambdas/engine/run-reports';
import type { RunNotice, RunReports } from '../../../lambdas/engine/ports';
import type { Run } from '../../../lambdas/engine/model';

const run = { runId: 'r1' } as Run;
const notice: RunNotice = { needsAttention: [], handedBack: [] } as unknown as RunNotice;

function recorder(name: string, heard: string[], fails = false): RunReports {
  return { runChanged: async (r) => { heard.push(`${name}:${r.runId}`); if (fails) throw new Error(`${name} failed`); } };
}

describe('combineReports', () => {
  it('is nothing when no reporter is given, and the one itself when one is', () => {
    const one = recorder('a', []);
    expect(combineReports(undefined, undefined)).toBeUndefined();
    expect(combineReports(undefined, one)).toBe(one);
  });

  it('tells every reporter, even after one fails, and then throws the first failure', async () => {
    const heard: string[] = [];
    const both = combineReports(recorder('a', heard, true), recorder('b', heard))!;
    await expect(both.runChanged(run, notice)).rejects.toThrow('a failed');
    expect(heard.sort()).toEqual(['a:r1', 'b:r1']);
  });
});
