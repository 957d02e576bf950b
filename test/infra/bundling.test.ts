/** The real bundling of one Connect action and one Google action: the SDK bundled for the first, the runtime's for the second. */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ACTION_CATALOG, actionSpec } from '../../lambdas/actions/catalog';
import { writeActionEntry } from '../../lib/action-entries';
import { bundlesSdk, FUNCTION_NODE_OPTIONS } from '../../lib/bundling';
import { BundledFunctionFactory } from '../../lib/constructs/lifecycle-function';

const outdirs: string[] = [];
afterAll(() => outdirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** The bundle of one function, synthesized into a cloud assembly of its own. */
function bundled(entry: string, bundleSdk: boolean): string {
  const outdir = mkdtempSync(join(tmpdir(), 'lifecycle-bundling-'));
  outdirs.push(outdir);
  const app = new App({ outdir });
  const stack = new Stack(app, `Bundle${entry.replace(/[^A-Za-z]/g, '').slice(-40)}`);
  new BundledFunctionFactory().createFunction(stack, 'Fn', { entry, bundleSdk, options: { runtime: lambda.Runtime.NODEJS_22_X } });
  const assembly = app.synth();
  const dirs = readdirSync(assembly.directory).filter((d) => d.startsWith('asset.'));
  if (dirs.length !== 1) throw new Error(`expected one asset for ${entry}, found ${dirs.join(', ') || 'none'}`);
  return readFileSync(join(assembly.directory, dirs[0], 'index.js'), 'utf8');
}

describe('bundling as deployed', () => {
  it('bundles the SDK, tree-shaken, into exactly the Connect actions', () => {
    expect(ACTION_CATALOG.filter((a) => bundlesSdk(a)).map((a) => a.name).sort()).toEqual(
      ACTION_CATALOG.filter((a) => a.name.startsWith('connect.')).map((a) => a.name).sort(),
    );
    expect(FUNCTION_NODE_OPTIONS).toBe('--enable-source-maps');
  });

  it('a Connect action carries its own Connect client, not the runtime’s; a Google action leaves the SDK to the runtime', () => {
    const requires = (code: string) => [...code.matchAll(/require\("(@aws-sdk\/[^"]+)"\)/g)].map((m) => m[1]);
    const entryOf = (name: string) => {
      const spec = actionSpec(name);
      if (!spec) throw new Error(`${name} is not in the catalog`);
      return writeActionEntry(spec);
    };
    const connect = bundled(entryOf('connect.removeAgent'), true);
    // Only the optional CRT signer (a require in a try, never installed) is left to resolve at run time.
    expect(new Set(requires(connect))).toEqual(new Set(['@aws-sdk/signature-v4-crt']));
    expect(connect.includes('"/users/{InstanceId}/{UserId}"')).toBe(true);
    expect(connect.length).toBeLessThan(1_000_000);
    const google = bundled(entryOf('google.createUser'), false);
    expect(new Set(requires(google))).toEqual(new Set(['@aws-sdk/client-kms', '@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb']));
  }, 120_000);
});
