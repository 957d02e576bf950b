/** Where the Actions Stack registers action name -> function ARN, and the dispatcher looks them up (SSM Parameter Store). */
import type { StageName } from '../config/schema';

/** The one hard-coded name in the infrastructure: both stacks and the dispatcher must agree on it. */
export function actionRegistryPath(stage: StageName): string {
  return `/account-lifecycle/${stage}/actions`;
}

/** The parameter holding one action's function ARN. */
export function actionParameterName(registryPath: string, actionName: string): string {
  return `${registryPath}/${actionName}`;
}
