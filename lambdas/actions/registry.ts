/** Every action definition by name, loaded from the module its catalog entry names: what the in-process invoker (local runtime, tests) runs. */
import type { ActionDefinition } from './define-action';
import { actionSpec, type ActionName } from './catalog';
import { definitionIn } from './action-module';

const loaded = new Map<string, ActionDefinition<unknown>>();

/** The definition of a catalog action, its module loaded on first use. */
export function actionDefinition(action: ActionName): ActionDefinition<unknown> {
  const known = loaded.get(action);
  if (known) return known;
  const spec = actionSpec(action);
  if (!spec) throw new Error(`${action} is not in the action catalog`);
  // A plain require, so the module loads through whatever runs this (tsx, jest) exactly as a static import would.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const module: unknown = require(`./${spec.module}`);
  if (typeof module !== 'object' || module === null) throw new Error(`lambdas/actions/${spec.module} exports nothing`);
  const definition = definitionIn(module, action, `lambdas/actions/${spec.module}`);
  loaded.set(action, definition);
  return definition;
}

