/** Finding an action's definition among a module's exports: how the Lambda entries and the registry reach the catalog's modules. */
import type { ActionDefinition } from './define-action';

/** A value shaped as defineAction makes it: a name, a zod schema for its parameters and a run. */
export function isActionDefinition(value: unknown): value is ActionDefinition<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const { name, params, run, account } = value as Partial<Record<keyof ActionDefinition<unknown>, unknown>>;
  return (
    typeof name === 'string' &&
    typeof params === 'object' &&
    params !== null &&
    '_zod' in params &&
    typeof run === 'function' &&
    (account === undefined || typeof account === 'function')
  );
}

/** Every action definition a module exports. */
export function definitionsIn(moduleExports: object): ActionDefinition<unknown>[] {
  return Object.values(moduleExports).filter(isActionDefinition);
}

/** The definition of `action` among a module's exports; a module that lacks it, or has two, is a build error. */
export function definitionIn(moduleExports: object, action: string, moduleName = 'its module'): ActionDefinition<unknown> {
  const found = definitionsIn(moduleExports).filter((d) => d.name === action);
  if (found.length !== 1) throw new Error(`${moduleName} exports ${found.length} definitions of ${action}; the catalog names it there, so it must export exactly one`);
  return found[0];
}
