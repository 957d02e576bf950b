/**
 * A seam for measuring the local runtime (the cost benchmark): each Lambda handler and the store's client pass
 * through it as the runtime assembles them. By default it hands back what it was given.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';

export type LambdaHandler<E, R> = (event: E, context: Context) => Promise<R>;

export interface RuntimeInstrument {
  /** The handler the runtime invokes as `functionName` (api, sweep, dispatcher, dead-letter). */
  handler<E, R>(functionName: string, handler: LambdaHandler<E, R>): LambdaHandler<E, R>;
  /** The store's document client, before any repository uses it. */
  documentClient(doc: DynamoDBDocumentClient): DynamoDBDocumentClient;
}

export const noInstrument: RuntimeInstrument = { handler: (_name, handler) => handler, documentClient: (doc) => doc };
