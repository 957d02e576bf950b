/** The Lambda entry every action shares: validate the request, run the action, answer as data. */
import type { ActionContext, ActionDefinition } from '../actions/define-action';
import { actionContextFromEnv, type ContextPartFor } from '../actions/action-context';
import { definitionIn } from '../actions/action-module';
import { actionSpec, type ActionName } from '../actions/catalog';
import { runAction } from '../actions/run-action';
import type { ActionResponse } from '../engine/ports';
import { logger } from '../shared/observability';
import { withLogging } from './logging';
import * as z from '../shared/zod';
import { ACCOUNT_SYSTEMS, RUN_TYPES } from '../engine/model';
import { PRIORITY_CLASSES } from '../engine/priority';

// Loose: the request's other fields (the role, the run's steps) reach the action as sent.
const requestSchema = z.looseObject({
  action: z.string(),
  runId: z.string(),
  stepId: z.string(),
  eventId: z.string(),
  eventType: z.enum(RUN_TYPES),
  effectiveDate: z.string(),
  urgent: z.boolean(),
  attempt: z.number().check(z.int()),
  priority: z.optional(z.enum(PRIORITY_CLASSES)),
  employee: z.looseObject({ id: z.string(), firstName: z.string(), timezone: z.string() }),
  params: z.record(z.string(), z.unknown()),
  progress: z.optional(z.record(z.string(), z.unknown())),
  /** The operators' confirmations of accounts: checked here, since they let a step act on an account it would hold for. */
  confirmedAccounts: z.optional(
    z.array(z.object({ system: z.enum(ACCOUNT_SYSTEMS), account: z.string().check(z.minLength(1)), confirms: z.enum(['adopt', 'protected']) })),
  ),
});

export function createActionHandler<I>(definition: ActionDefinition<I>, makeContext: () => ActionContext) {
  let ctx: ActionContext | undefined;
  const context = () => (ctx ??= makeContext());
  return withLogging(async (event: unknown): Promise<ActionResponse> => {
    const request = requestSchema.safeParse(event);
    if (!request.success) {
      return { ok: false, error: { message: `${definition.name}: malformed request: ${request.error.issues.map((i) => i.path.join('.')).join(', ')}`, retryable: false } };
    }
    logger.appendKeys({ runId: request.data.runId, stepId: request.data.stepId, action: definition.name });
    return runAction(definition, context(), request.data as Parameters<typeof runAction>[2]);
  });
}

/**
 * The handler of one action's Lambda, as its generated entry (lib/action-entries.ts) calls it: the definition found in
 * the module the catalog names, and a context of the parts its catalog needs name, built on the first request.
 */
export function actionLambda(action: ActionName, actionModule: object, parts: readonly ContextPartFor[]) {
  const spec = actionSpec(action);
  if (!spec) throw new Error(`${action} is not in the action catalog`);
  const definition = definitionIn(actionModule, action, `lambdas/actions/${spec.module}`);
  return createActionHandler(definition, () => actionContextFromEnv(parts.map((part) => part(spec.needs))));
}
