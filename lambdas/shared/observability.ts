/** Powertools logger and metrics, built once; adapters that hand them to the engine. */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { EngineLog, EngineMetrics } from '../engine/ports';

export const logger = new Logger({ serviceName: 'account-lifecycle' });
export const metrics = new Metrics({ namespace: 'AccountLifecycle', serviceName: 'account-lifecycle' });

export const engineLog: EngineLog = {
  info: (message, extra) => logger.info(message, extra ?? {}),
  warn: (message, extra) => logger.warn(message, extra ?? {}),
  error: (message, extra) => logger.error(message, extra ?? {}),
};

export const engineMetrics: EngineMetrics = {
  stepSucceeded(action, dueToDoneMs) {
    const m = metrics.singleMetric();
    m.addDimension('action', action);
    m.addMetric('StepsSucceeded', MetricUnit.Count, 1);
    metrics.addMetric('DueToDone', MetricUnit.Milliseconds, dueToDoneMs);
  },
  stepFailed(action) {
    const m = metrics.singleMetric();
    m.addDimension('action', action);
    m.addMetric('StepsFailed', MetricUnit.Count, 1);
  },
};
