/** Operator alerts: who, which step, what the provider answered, and what to do next. */
import type { Alert, Run, Step, StepError } from './model';

/** Deterministic: the same failure delivered twice raises one alert. */
export function alertIdFor(run: Run, step: Step): string {
  return `${run.runId}:${step.stepId}:${step.attempts}`;
}

export function buildAlert(run: Run, step: Step, error: StepError | undefined, reason: string, raisedAt: string): Alert {
  const providerAnswer = error?.providerAnswer ?? error?.message ?? 'no answer recorded';
  return {
    alertId: alertIdFor(run, step),
    raisedAt,
    employeeId: run.employeeId,
    runId: run.runId,
    stepId: step.stepId,
    action: step.action,
    attempts: step.attempts,
    providerAnswer,
    message: `Employee ${run.employeeId}, ${run.type} run ${run.runId}: step ${step.stepId} (${step.action}) ${reason}. Last answer: ${providerAnswer}`,
    whatToDo:
      `Fix the cause, then retry: POST /v1/runs/${run.runId}/steps/${step.stepId}/retry ` +
      `(npx lifecycle retry ${run.runId} ${step.stepId}); if it was done by hand, skip it: ` +
      `POST /v1/runs/${run.runId}/steps/${step.stepId}/skip.`,
    status: 'open',
  };
}
