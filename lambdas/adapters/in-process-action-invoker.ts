/** Runs actions in this process: the local runtime's stand-in for one Lambda per action. */
import type { ActionContext } from '../actions/define-action';
import { isKnownAction } from '../actions/catalog';
import { actionDefinition } from '../actions/registry';
import { runAction } from '../actions/run-action';
import type { ActionInvoker, ActionRequest, ActionResponse } from '../engine/ports';

export interface InProcessInvokerOptions {
  /**
   * The action functions' timeout (the stage's actionTimeoutSeconds). An action's Lambda is stopped there and
   * the dispatcher gets a function error to retry; here the answer comes at the same time, so a slow action
   * cannot outlast the step's lease and be run by a second worker while its result is still awaited.
   */
  timeoutSeconds: number;
}

export class InProcessActionInvoker implements ActionInvoker {
  constructor(
    private readonly ctx: ActionContext,
    private readonly options: InProcessInvokerOptions,
  ) {}

  async invoke(request: ActionRequest): Promise<ActionResponse> {
    if (!isKnownAction(request.action)) return { ok: false, error: { message: `unknown action ${request.action}`, retryable: false } };
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<ActionResponse>((resolve) => {
      timer = setTimeout(
        () => resolve({ ok: false, error: { message: `${request.action} did not answer within ${this.options.timeoutSeconds} s (the action timeout)`, retryable: true } }),
        this.options.timeoutSeconds * 1000,
      );
      timer.unref();
    });
    try {
      return await Promise.race([runAction(actionDefinition(request.action), this.ctx, request), timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }
}
