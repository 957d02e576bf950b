/**
 * How a function's code is built and started: shared by the stacks and the bundles benchmark, so what is measured
 * is what is deployed. No aws-cdk-lib here: the benchmark loads this file.
 */
import type { ActionSpec } from '../lambdas/actions/catalog';

/** Node flags every function runs with: stack traces through the source maps that ship beside the code. */
export const FUNCTION_NODE_OPTIONS = '--enable-source-maps';

/**
 * Where a function's v3 SDK comes from. By default, the runtime's copy: each client package loads whole. With
 * `bundleSdk`, the SDK is bundled from its ES modules, tree-shaken to the commands the function sends (the
 * Connect client loads about a third faster so).
 */
export function sdkBundling(bundleSdk: boolean): { externalModules: string[]; mainFields?: string[] } {
  return bundleSdk ? { externalModules: [], mainFields: ['module', 'main'] } : { externalModules: ['@aws-sdk/*'] };
}

/**
 * The actions that bundle the v3 SDK instead of using the runtime's: those that call Amazon Connect. The credential
 * actions keep the runtime's DynamoDB and KMS clients: bundled beside the Google clients they pass 1 MB.
 */
export function bundlesSdk(action: ActionSpec): boolean {
  return Boolean(action.needs.connect);
}
