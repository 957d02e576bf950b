/** Assembles one stage's stacks (Core, then Actions on top of it); shared by bin/app.ts and the infra tests. */
import type { App } from 'aws-cdk-lib';
import type { StageConfig } from '../config/schema';
import { ActionsStack } from './actions-stack';
import type { FunctionFactory } from './constructs/lifecycle-function';
import { CoreStack } from './core-stack';

export interface LifecycleStacks {
  readonly core: CoreStack;
  readonly actions: ActionsStack;
}

export interface LifecycleStacksOptions {
  /** Default: real esbuild bundling. */
  readonly functionFactory?: FunctionFactory;
}

export const stackName = (stage: string, part: 'Core' | 'Actions'): string => `AccountLifecycle-${stage}-${part}`;

export function addLifecycleStacks(app: App, config: StageConfig, options: LifecycleStacksOptions = {}): LifecycleStacks {
  if (config.stage === 'local') throw new Error('stage "local" runs with `npm start`, not on AWS: use dev or prod');
  const core = new CoreStack(app, stackName(config.stage, 'Core'), {
    config,
    functionFactory: options.functionFactory,
    description: `account-lifecycle ${config.stage}: table, queues, API and the lifecycle engine`,
  });
  const actions = new ActionsStack(app, stackName(config.stage, 'Actions'), {
    config,
    core,
    functionFactory: options.functionFactory,
    description: `account-lifecycle ${config.stage}: one function per action, registered with the core`,
  });
  // Implied by the references too; stated so deploy order holds even if a reference moves.
  actions.addStackDependency(core);
  return { core, actions };
}
