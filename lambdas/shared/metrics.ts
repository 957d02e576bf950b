/**
 * Powertools metrics, built once, and the adapter that hands them to the engine. Only the engine's
 * functions count (steps succeeded and failed, due to done); an action Lambda does not load this.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { EngineMetrics } from '../engine/ports';

export const metrics = new Metrics({ namespace: 'AccountLifecycle', serviceName: 'account-lifecycle' });

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
