/** Reaches the directory read function from the api: an asynchronous invoke for a consolidation, a bounded synchronous one for the inactivity dry run. */
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { DirectoryReadEvent, DirectoryReadInvoker } from '../../consolidation/directory-read';

export class LambdaDirectoryRead implements DirectoryReadInvoker {
  constructor(
    private readonly lambda: Pick<LambdaClient, 'send'>,
    private readonly functionName: string,
  ) {}

  async start(event: DirectoryReadEvent): Promise<void> {
    const out = await this.lambda.send(new InvokeCommand({ FunctionName: this.functionName, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify(event)) }));
    if (out.StatusCode !== 202) throw new Error(`the directory read function did not accept the ${event.job} (status ${String(out.StatusCode)})`);
  }

  async call(event: DirectoryReadEvent, timeoutMs: number): Promise<unknown> {
    const out = await this.lambda.send(new InvokeCommand({ FunctionName: this.functionName, InvocationType: 'RequestResponse', Payload: Buffer.from(JSON.stringify(event)) }), {
      abortSignal: AbortSignal.timeout(timeoutMs),
    });
    const payload = out.Payload ? Buffer.from(out.Payload).toString('utf8') : '';
    if (out.FunctionError) throw new Error(`the directory read function failed the ${event.job} (${out.FunctionError})`);
    return JSON.parse(payload) as unknown;
  }
}
