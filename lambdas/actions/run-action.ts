/** Runs an action and turns every outcome, thrown or not, into an answer the dispatcher records. */
import type { ActionRequest, ActionResponse } from '../engine/ports';
import * as z from '../shared/zod';
import { AccountHoldError, type ActionContext, type ActionDefinition } from './define-action';
import { ProviderError } from '../providers/provider-error';
import { googleScopesOf } from './catalog';
import { priorityOfStep } from './step-priority';
import { deferredByBudget } from './budget-deferral';

/**
 * The context an action runs with: its Google tokens carry only the scopes its catalog entry declares, and its Google
 * requests take from the budget as the class of the step it serves (`lockout` first).
 */
function scopedContext(ctx: ActionContext, request: ActionRequest): ActionContext {
  const google = ctx.providers.google;
  if (!google) return ctx;
  const scopes = googleScopesOf(request.action);
  const clients = () => {
    const all = google().withPriority(priorityOfStep(request));
    return scopes ? all.withScopes(scopes) : all;
  };
  return { ...ctx, providers: { ...ctx.providers, google: clients } };
}

export async function runAction<I>(definition: ActionDefinition<I>, ctx: ActionContext, request: ActionRequest): Promise<ActionResponse> {
  if (request.action !== definition.name) {
    return { ok: false, error: { message: `request for ${request.action} reached ${definition.name}`, retryable: false } };
  }
  const params = z.safeParse(definition.params, request.params);
  if (!params.success) {
    const detail = params.error.issues.map((i) => `${i.path.join('.') || '(params)'}: ${i.message}`).join('; ');
    return { ok: false, error: { message: `step ${request.stepId} has invalid parameters: ${detail}`, retryable: false } };
  }
  try {
    // Its Google tokens carry only the scopes its catalog entry declares, the account check's too.
    const scoped = scopedContext(ctx, request);
    // Whose account it is comes first: nothing is changed on an account that is not the employee's own.
    // null: the check ran and found no account, so the action need not look for one again.
    const checked = definition.account ? ((await definition.account(scoped, request)) ?? null) : undefined;
    const response = await definition.run(scoped, params.data, request, checked);
    const account = checked?.account;
    if (!account || !response.ok || response.account) return response;
    const { accountState, ...rest } = response;
    return { ...rest, account: accountState ? { ...account, state: accountState } : account };
  } catch (err) {
    // A request (the account check's too) whose turn in the provider's budget comes later than the step can wait: not yet.
    const deferred = deferredByBudget(err, ctx.clock.now(), request.progress, request.action);
    if (deferred) return deferred;
    if (err instanceof AccountHoldError) {
      return { ok: false, error: { message: err.message, retryable: false, providerAnswer: err.providerAnswer, hold: err.hold, ...(err.account ? { heldAccount: err.account } : {}) } };
    }
    if (err instanceof ProviderError) {
      return { ok: false, error: { message: err.message, retryable: err.retryable, providerAnswer: err.providerAnswer, ...(err.progress ? { progress: err.progress } : {}) } };
    }
    // Network failures and timeouts: the provider may answer next time.
    return { ok: false, error: { message: `${definition.name}: ${err instanceof Error ? err.message : String(err)}`, retryable: true } };
  }
}
