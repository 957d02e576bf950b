/** The middy stack every handler shares: Lambda context in the logs, metrics flushed per invocation. */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context } from 'aws-lambda';
import { logger, metrics } from '../shared/observability';

/** Flushes the invocation's metrics, if it recorded any (an idle sweep records none, and that is fine). */
const flushMetrics = (): middy.MiddlewareObj => {
  const flush = async () => {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  };
  return { after: flush, onError: flush };
};

export function withObservability<E, R>(fn: (event: E, context: Context) => Promise<R>) {
  return middy(fn).use(injectLambdaContext(logger, { resetKeys: true })).use(flushMetrics());
}
