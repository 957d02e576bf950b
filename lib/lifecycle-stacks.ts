/**
 * Assembles one stage's stacks: Core, then Providers (the secrets actions share), then one Actions Stack per
 * provider part (lib/action-stacks.ts). References between them are strong (CloudFormation exports and imports),
 * always from the later stacks to the earlier ones. Shared by bin/app.ts and the infra tests.
 */
import type { App } from 'aws-cdk-lib';
import type * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import type { StageConfig } from '../config/schema';
import { ACTION_CATALOG, type ActionSpec } from '../lambdas/actions/catalog';
import { actionStackLayout } from './action-stacks';
import { ActionsStack } from './actions-stack';
import type { FunctionFactory } from './constructs/lifecycle-function';
import { ProviderResources } from './constructs/provider-resources';
import { CoreStack } from './core-stack';
import { ProvidersStack } from './providers-stack';
import { DirectoryStack } from './directory-stack';

export interface LifecycleStacks {
  readonly core: CoreStack;
  /** Present when some action needs a shared provider secret. */
  readonly providers?: ProvidersStack;
  /** One per provider part, in layout order. */
  readonly actions: readonly ActionsStack[];
  /** The directory read function: consolidation and the inactivity check (docs/consolidation.md#on-aws). */
  readonly directory: DirectoryStack;
}

export interface LifecycleStacksOptions {
  /** Default: real esbuild bundling. */
  readonly functionFactory?: FunctionFactory;
  /** Default: ACTION_CATALOG; the growth test passes a larger one. */
  readonly catalog?: readonly ActionSpec[];
  /** The console's built files; default: built at synth (console/build.ts). */
  readonly consoleAssets?: s3deploy.ISource;
}

export const stackName = (stage: string, part: 'Core' | 'Providers' | 'Directory' | `Actions-${string}`): string => `AccountLifecycle-${stage}-${part}`;

export function addLifecycleStacks(app: App, config: StageConfig, options: LifecycleStacksOptions = {}): LifecycleStacks {
  if (config.stage === 'local') throw new Error('stage "local" runs with `npm start`, not on AWS: use dev or prod');
  const catalog = options.catalog ?? ACTION_CATALOG;
  const core = new CoreStack(app, stackName(config.stage, 'Core'), {
    config,
    functionFactory: options.functionFactory,
    consoleAssets: options.consoleAssets,
    description: `account-lifecycle ${config.stage}: table, queues, API, the lifecycle engine and the operator console`,
  });
  const providers = ProviderResources.neededBy(catalog)
    ? new ProvidersStack(app, stackName(config.stage, 'Providers'), {
        config,
        catalog,
        description: `account-lifecycle ${config.stage}: the provider secrets the actions share`,
      })
    : undefined;
  const actions = actionStackLayout(catalog).map((part) => {
    const stack = new ActionsStack(app, stackName(config.stage, `Actions-${part.id}`), {
      config,
      core,
      catalog: part.actions,
      providers: providers?.resources,
      functionFactory: options.functionFactory,
      description: `account-lifecycle ${config.stage}: the ${part.provider} actions${part.id.toLowerCase() === part.provider ? '' : ` (part ${part.id})`}, registered with the core`,
    });
    // Implied by the references too; stated so deploy order holds even if a reference moves.
    stack.addStackDependency(core);
    if (providers) stack.addStackDependency(providers);
    return stack;
  });
  const directory = new DirectoryStack(app, stackName(config.stage, 'Directory'), {
    config,
    core,
    providers: providers?.resources,
    functionFactory: options.functionFactory,
    description: `account-lifecycle ${config.stage}: the directory read function (consolidation and the inactivity check) and its schedules`,
  });
  directory.addStackDependency(core);
  if (providers) directory.addStackDependency(providers);
  return { core, providers, actions, directory };
}
