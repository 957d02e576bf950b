/** Operator alerts: who, which step, what the provider answered, and what to do next. */
import type { Alert, Run, Step, StepError } from './model';
import type { RoleError } from '../roles/role-model';

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

/** The step name an alert about the run's plan carries: no step has run, the plan itself waits. */
export const PLAN_STEP = 'plan';

/** The role a run names cannot be resolved: nothing was created, an operator fixes the catalog and replans. */
export function buildRoleAlert(run: Run, errors: RoleError[], planned: number, raisedAt: string): Alert {
  const role = run.role?.name ?? run.employee.role ?? '(none)';
  const problems = errors.map((e) => `${e.role} / ${e.property}: ${e.message}`).join('; ');
  return {
    alertId: `${run.runId}:${PLAN_STEP}:${planned}`,
    raisedAt,
    employeeId: run.employeeId,
    runId: run.runId,
    stepId: PLAN_STEP,
    action: 'roles.resolve',
    attempts: planned,
    providerAnswer: problems,
    message: `Employee ${run.employeeId}, ${run.type} run ${run.runId}: role "${role}" cannot be planned from, so no account was touched: ${problems}`,
    whatToDo:
      `Fix the role in the Notion catalog (GET /v1/roles/${encodeURIComponent(role)} shows it checked), then plan the run again: ` +
      `POST /v1/runs/${run.runId}/replan (npx lifecycle replan ${run.runId}); or cancel it: POST /v1/runs/${run.runId}/cancel.`,
    status: 'open',
  };
}
