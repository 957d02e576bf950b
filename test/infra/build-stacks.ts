/** Builds a stage's stacks the way bin/app.ts does, with cdk.json's context, but with stub code instead of bundles. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { stageConfigSchema, type StageConfig } from '../../config/schema';
import { loadStageConfig } from '../../config/stages';
import type { ActionSpec } from '../../lambdas/actions/catalog';
import { InlineFunctionFactory, REPO_ROOT } from '../../lib/constructs/lifecycle-function';
import { addLifecycleStacks, type LifecycleStacks } from '../../lib/lifecycle-stacks';

export const DEPLOYED_STAGES = ['dev', 'prod'] as const;
export type DeployedStage = (typeof DEPLOYED_STAGES)[number];

/** The feature flags real synth uses; without them the tests would check a different template. */
function cdkJsonContext(): Record<string, unknown> {
  const cdkJson: unknown = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8'));
  if (typeof cdkJson !== 'object' || cdkJson === null || !('context' in cdkJson)) throw new Error('cdk.json has no context');
  return cdkJson.context as Record<string, unknown>;
}

export interface BuiltStage extends LifecycleStacks {
  readonly app: App;
  readonly config: StageConfig;
}

/** A fresh app with the real feature flags; tests that assemble stacks by hand start here. */
export function testApp(stage: DeployedStage): App {
  return new App({ context: { ...cdkJsonContext(), stage } });
}

/** Stands in for the built console: synth needs no esbuild run (console-hosting.test.ts builds the real one). */
export const STUB_CONSOLE_ASSETS = (): s3deploy.ISource => s3deploy.Source.data('index.html', '<!doctype html><title>console</title>');

/** The stage as bin/app.ts builds it; `overrides` changes config values a test needs (e.g. alert emails), `catalog` the actions. */
export function buildStage(stage: DeployedStage, overrides: Partial<StageConfig> = {}, options: { catalog?: readonly ActionSpec[] } = {}): BuiltStage {
  const app = testApp(stage);
  // Re-validated, so an override cannot build a stage the real config could never describe.
  const config = stageConfigSchema.parse({ ...loadStageConfig(stage), ...overrides });
  const stacks = addLifecycleStacks(app, config, { functionFactory: new InlineFunctionFactory(), catalog: options.catalog, consoleAssets: STUB_CONSOLE_ASSETS() });
  return { app, config, ...stacks };
}

/**
 * Several stacks' resources as one template, so a test can ask about every action function at once. An import of an
 * export made by one of these stacks is replaced by the exported value (a Providers secret reads as `{ Ref }`);
 * imports from stacks not given stay `Fn::ImportValue`. Logical ids are unique across them (each names its action);
 * a clash fails here rather than hiding a resource.
 */
export function actionsTemplate(stacks: readonly (Stack | undefined)[]): Template {
  const templates = stacks.filter((s): s is Stack => s !== undefined).map((stack) => Template.fromStack(stack).toJSON());
  const exported = new Map<string, unknown>();
  for (const t of templates) {
    for (const output of Object.values((t.Outputs ?? {}) as Record<string, { Value: unknown; Export?: { Name: unknown } }>)) {
      if (typeof output.Export?.Name === 'string') exported.set(output.Export.Name, output.Value);
    }
  }
  const resolve = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(resolve);
    if (typeof node !== 'object' || node === null) return node;
    const name = (node as Record<string, unknown>)['Fn::ImportValue'];
    if (typeof name === 'string' && exported.has(name)) return exported.get(name);
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, resolve(v)]));
  };
  const resources: Record<string, unknown> = {};
  for (const t of templates) {
    for (const [id, resource] of Object.entries(t.Resources as Record<string, unknown>)) {
      if (id in resources) throw new Error(`logical id ${id} is in two stacks`);
      resources[id] = resolve(resource);
    }
  }
  return Template.fromJSON({ Resources: resources });
}

/** Every stack of a built stage, in deploy order. */
export function allStacks(built: LifecycleStacks): Stack[] {
  return [built.core, ...(built.providers ? [built.providers] : []), ...built.actions, built.directory];
}
