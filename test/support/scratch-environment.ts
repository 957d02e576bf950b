/**
 * The node test environment, with a scratch directory of its own for each test file. Everything the file makes under
 * the system temp directory (the local runtime's data, CDK's cloud assemblies with their copied assets, CLI
 * configs) lands in it, and it is removed when the file ends, after its afterAll hooks. Without it a full run leaves
 * gigabytes behind, and a machine that runs CI many times fills its disk.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestEnvironment } from 'jest-environment-node';

export default class ScratchEnvironment extends TestEnvironment {
  private scratch?: string;
  private outerTmpdir?: string;

  override async setup(): Promise<void> {
    await super.setup();
    this.outerTmpdir = process.env.TMPDIR;
    this.scratch = mkdtempSync(join(tmpdir(), 'lifecycle-test-'));
    // os.tmpdir() reads TMPDIR on every call, and a child process started without an env of its own inherits it. The
    // file's own process.env is a copy made before this: set there too, for a child given `{ ...process.env, … }`.
    process.env.TMPDIR = this.scratch;
    (this.global.process as NodeJS.Process).env.TMPDIR = this.scratch;
  }

  override async teardown(): Promise<void> {
    if (this.outerTmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = this.outerTmpdir;
    if (this.scratch) rmSync(this.scratch, { recursive: true, force: true, maxRetries: 3 });
    await super.teardown();
  }
}
