/** The Lambda entry shape every action shares: validate the request, run the action, answer as data. */
import type { ActionContext, ActionDefinition } from '../actions/define-action';
import { runAction } from '../actions/run-action';
import type { ActionResponse } from '../engine/ports';
import { logger } from '../shared/observability';
import { withLogging } from './logging';
import * as z from '../shared/zod';
import { ACCOUNT_SYSTEMS } from '../engine/model';

// Loose: the request's other fields (the role, the run's steps) reach the action as sent.
const requestSchema = z.looseObject({
  action: z.string(),
  runId: z.string(),
  stepId: z.string(),
  eventId: z.string(),
  eventType: z.enum(['hire', 'role_change', 'terminate', 'cancel']),
  effectiveDate: z.string(),
  urgent: z.boolean(),
  attempt: z.number().check(z.int()),
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
