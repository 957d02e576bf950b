/**
 * Replay memory of refused HR requests: a signed request the intake refused stays refused for as long as its
 * signature is valid, so nobody can replay it once the reason it failed has gone (a cancel sent before its target).
 * Accepted requests are not remembered here: their replay answers the same run, so HR's retries stay safe.
 */
import { createHash } from 'node:crypto';
import type { APIGatewayProxyResult } from 'aws-lambda';
import type { LifecycleStore } from '../store/lifecycle-store';
import { error } from './responses';
import { MAX_AGE_SECONDS } from './signature';

/** The answers that are refusals: a 503 (the role catalog unavailable) is not, HR must be able to retry it. */
export const REMEMBERED_STATUSES: readonly number[] = [400, 409];

const hashOf = (signature: string) => createHash('sha256').update(signature).digest('hex');

/** The verified request a refusal is remembered by. */
export interface SignedRequestId {
  signature: string;
  /** Signed unix seconds: the signature, and so the memory, lasts MAX_AGE_SECONDS from it. */
  timestamp: number;
}

/** The 409 for a request refused before, or undefined when it is new (or its refusal has expired). */
export async function refusedBefore(store: LifecycleStore, request: SignedRequestId, now: Date): Promise<APIGatewayProxyResult | undefined> {
  const refusal = await store.findRefusal(hashOf(request.signature), now.toISOString());
  if (!refusal) return undefined;
  return error(
    409,
    `this signed request was refused before (${refusal.status}: ${refusal.error}); to try again, sign it anew with a new timestamp`,
    { refusedAt: refusal.refusedAt },
  );
}

/** Remembers the answer if it is a refusal; any other answer passes untouched. */
export async function rememberIfRefused(store: LifecycleStore, request: SignedRequestId, answer: APIGatewayProxyResult, now: Date): Promise<void> {
  if (!REMEMBERED_STATUSES.includes(answer.statusCode)) return;
  await store.rememberRefusal({
    signatureHash: hashOf(request.signature),
    status: answer.statusCode,
    error: errorText(answer.body).slice(0, 500),
    refusedAt: now.toISOString(),
    // The check compares whole seconds, so the signature still passes until the end of its last second.
    expiresAt: new Date((request.timestamp + MAX_AGE_SECONDS + 1) * 1000).toISOString(),
  });
}

function errorText(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object' && 'error' in parsed && typeof parsed.error === 'string') return parsed.error;
  } catch {
    // Not JSON: the body is the message.
  }
  return body;
}
