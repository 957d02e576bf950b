import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { REPO_ROOT } from '../../../lib/constructs/lifecycle-function';

/**
 * A test file sees the real process only through a copy of its environment, so the environment is set up and torn
 * down in a process of its own, the way Jest does it around each file.
 */
const AROUND_A_FILE = `
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ScratchEnvironment from './test/support/scratch-environment';
(async () => {
  const outer = tmpdir();
  const env = new ScratchEnvironment({ projectConfig: { testEnvironmentOptions: {}, globals: {} }, globalConfig: {} } as never, { console, docblockPragmas: {}, testPath: 'x.test.ts' } as never);
  await env.setup();
  const scratch = tmpdir();
  const emptyAtStart = readdirSync(scratch).length === 0;
  mkdirSync(join(scratch, 'cdk.out1234', 'asset.abc'), { recursive: true });
  writeFileSync(join(scratch, 'cdk.out1234', 'asset.abc', 'layer.zip'), 'zip');
  await env.teardown();
  console.log(JSON.stringify({ outer, scratch, emptyAtStart, leftBehind: existsSync(scratch), after: tmpdir() }));
})();
`;

describe('the scratch test environment', () => {
  it('gives this file a temp directory of its own, in its own copy of the environment too (for a child given it)', () => {
    expect(basename(tmpdir())).toMatch(/^lifecycle-test-/);
    expect(process.env.TMPDIR).toBe(tmpdir());
  });

  it('points the temp directory at a fresh one while a file runs, and removes it with all it holds when the file ends', () => {
    const run = spawnSync(join(REPO_ROOT, 'node_modules/.bin/tsx'), ['-e', AROUND_A_FILE], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const seen = JSON.parse(run.stdout) as { outer: string; scratch: string; emptyAtStart: boolean; leftBehind: boolean; after: string };
    expect(dirname(seen.scratch)).toBe(seen.outer);
    expect(basename(seen.scratch)).toMatch(/^lifecycle-test-/);
    expect(seen.emptyAtStart).toBe(true);
    expect(seen.leftBehind).toBe(false);
    expect(seen.after).toBe(seen.outer);
  });
});
