/** Builds a stage's stacks the way bin/app.ts does, with cdk.json's context, but with stub code instead of bundles. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { stageConfigSchema, type StageConfig } from '../../config/schema';
import { loadStageConfig } from '../../config/stages';
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

/** The stage as bin/app.ts builds it; `overrides` changes config values a test needs (e.g. alert emails). */
export function buildStage(stage: DeployedStage, overrides: Partial<StageConfig> = {}): BuiltStage {
  const app = testApp(stage);
  // Re-validated, so an override cannot build a stage the real config could never describe.
  const config = stageConfigSchema.parse({ ...loadStageConfig(stage), ...overrides });
  const stacks = addLifecycleStacks(app, config, { functionFactory: new InlineFunctionFactory() });
  return { app, config, ...stacks };
}
