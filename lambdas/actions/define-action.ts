/** The shape of an action: a name, a zod input, and a run that answers what the provider said. */
import type { z } from 'zod';
import type { ActionRequest, ActionResponse, Clock } from '../engine/ports';

/** What an action may use; each action takes only what it needs. */
export interface ActionContext {
  fetch: typeof fetch;
  clock: Clock;
  hmacSecret(): Promise<string>;
  forwardUrls: string[];
}

export interface ActionDefinition<I> {
  name: string;
  /** Validates the step's parameters. */
  params: z.ZodType<I>;
  run(ctx: ActionContext, params: I, request: ActionRequest): Promise<Extract<ActionResponse, { ok: true }>>;
}

export function defineAction<I>(definition: ActionDefinition<I>): ActionDefinition<I> {
  return definition;
}

/** A provider answered with an error; `retryable` says whether another try can help. */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly providerAnswer?: string,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}

/** 408, 429 and 5xx may pass; any other 4xx will answer the same again. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}
