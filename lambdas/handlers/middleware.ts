/** The middy stack of the engine's handlers: the action Lambdas' logging, plus metrics flushed per invocation. */
import type middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { metrics } from '../shared/metrics';
import { withLogging } from './logging';

/** Flushes the invocation's metrics, if it recorded any (an idle sweep records none, and that is fine). */
const flushMetrics = (): middy.MiddlewareObj => {
  const flush = async () => {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  };
  return { after: flush, onError: flush };
};

export function withObservability<E, R>(fn: (event: E, context: Context) => Promise<R>) {
  return withLogging(fn).use(flushMetrics());
}
