/** Runs actions in this process: the local runtime's stand-in for one Lambda per action. */
import type { ActionContext } from '../actions/define-action';
import { isKnownAction } from '../actions/catalog';
import { actionDefinition } from '../actions/registry';
import { runAction } from '../actions/run-action';
import type { ActionInvoker, ActionRequest, ActionResponse } from '../engine/ports';

export class InProcessActionInvoker implements ActionInvoker {
  constructor(private readonly ctx: ActionContext) {}

  async invoke(request: ActionRequest): Promise<ActionResponse> {
    if (!isKnownAction(request.action)) return { ok: false, error: { message: `unknown action ${request.action}`, retryable: false } };
    return runAction(actionDefinition(request.action), this.ctx, request);
  }
}
