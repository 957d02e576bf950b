/** Invokes an action's own Lambda, found through the registry the Actions Stack writes to SSM. */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetParametersByPathCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { ActionInvoker, ActionRequest, ActionResponse } from '../../engine/ports';

export class LambdaActionInvoker implements ActionInvoker {
  private registry?: Promise<Map<string, string>>;

  constructor(
    private readonly lambda: LambdaClient,
    private readonly ssm: SSMClient,
    private readonly registryPath: string,
  ) {}

  private async loadRegistry(): Promise<Map<string, string>> {
    const map = new Map<string, string>();
    let next: string | undefined;
    do {
      const out = await this.ssm.send(new GetParametersByPathCommand({ Path: this.registryPath, NextToken: next }));
      for (const p of out.Parameters ?? []) if (p.Name && p.Value) map.set(p.Name.slice(this.registryPath.length + 1), p.Value);
      next = out.NextToken;
    } while (next);
    return map;
  }

  async invoke(request: ActionRequest): Promise<ActionResponse> {
    this.registry ??= this.loadRegistry().catch((err) => {
      this.registry = undefined;
      throw err;
    });
    const functionArn = (await this.registry).get(request.action);
    if (!functionArn) {
      return { ok: false, error: { message: `no function is registered for ${request.action} under ${this.registryPath}`, retryable: false } };
    }
    const out = await this.lambda.send(new InvokeCommand({ FunctionName: functionArn, Payload: Buffer.from(JSON.stringify(request)) }));
    const payload = out.Payload ? Buffer.from(out.Payload).toString('utf8') : '';
    if (out.FunctionError) {
      // A crash or timeout of the action function: another try may pass.
      return { ok: false, error: { message: `${request.action} function error ${out.FunctionError}`, retryable: true, providerAnswer: payload.slice(0, 500) } };
    }
    return JSON.parse(payload) as ActionResponse;
  }
}
