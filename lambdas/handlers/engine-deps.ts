/** The composition root of the engine's Lambda handlers: the platform's adapters plus the action catalog. */
import { awsEngineDeps } from '../adapters/aws/aws-engine-deps';
import { isKnownAction, priorityOf, restoreRuleFor } from '../actions/catalog';
import type { ActionCatalog, EngineDeps } from '../engine/ports';

/** The catalog as the engine sees it; the local runtime hands the engine the same one. */
export const actionCatalog: ActionCatalog = { isKnownAction, restoreRuleFor, priorityOf };

let deps: EngineDeps | undefined;

/** Built once per container. */
export function awsEngine(): EngineDeps {
  deps ??= { ...awsEngineDeps(), actions: actionCatalog };
  return deps;
}
