/**
 * The names both sides of an action call agree on: where the Actions Stacks register action name -> function ARN
 * (SSM Parameter Store, read by the dispatcher), and the stage prefix every action function is named with (the
 * dispatcher's invoke right is granted on that prefix, so it does not grow with the catalog).
 */
import type { StageName } from '../config/schema';

/** The one hard-coded parameter path in the infrastructure: the stacks and the dispatcher must agree on it. */
export function actionRegistryPath(stage: StageName): string {
  return `/account-lifecycle/${stage}/actions`;
}

/** The parameter holding one action's function ARN. */
export function actionParameterName(registryPath: string, actionName: string): string {
  return `${registryPath}/${actionName}`;
}

/** Lambda's limit on a function name. */
export const FUNCTION_NAME_MAX_LENGTH = 64;

/** Every action function of a stage is named with this prefix, and no other function is. */
export function actionFunctionPrefix(stage: StageName): string {
  return `lifecycle-${stage}-action-`;
}

/**
 * `google.suspendUser` on dev -> `lifecycle-dev-action-google-suspendUser`. Fails, naming the action, when the
 * name would pass Lambda's 64 characters or hold a character Lambda refuses.
 */
export function actionFunctionName(stage: StageName, actionName: string): string {
  const name = `${actionFunctionPrefix(stage)}${actionName.replace(/\./g, '-')}`;
  if (!/^[A-Za-z0-9_-]+$/.test(name)) {
    throw new Error(`action ${actionName}: its function name ${name} may hold only letters, digits, "-" and "_"`);
  }
  if (name.length > FUNCTION_NAME_MAX_LENGTH) {
    throw new Error(
      `action ${actionName}: its function name ${name} has ${name.length} characters, Lambda allows ${FUNCTION_NAME_MAX_LENGTH}; shorten the action name`,
    );
  }
  return name;
}

/** The directory read function's name (lib/directory-stack.ts): fixed, so the api may invoke it without a reference to its stack. */
export function directoryReadFunctionName(stage: StageName): string {
  return `lifecycle-${stage}-directory-read`;
}
