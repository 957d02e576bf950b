/** Operator alerts: who, which step, what the provider answered, and what to do next. */
import type { AccountHold, Alert, Run, Step, StepError } from './model';
import type { RoleError } from '../roles/role-model';

/**
 * Deterministic: the same failure delivered twice raises one alert. An operator's retry, and a revision that plans
 * the step again, start a new episode (its attempts count from zero again), so the episode is part of the id: a step
 * that fails again after a retry or a replan alerts again.
 */
export function alertIdFor(run: Run, step: Step): string {
  return `${run.runId}:${step.stepId}:${episodeOf(step)}${step.attempts}`;
}

/** The failure episode as an id part: empty before any retry or replan, so the ids of alerts already raised stay as they were. */
const episodeOf = (step: Step) => `${step.replans ? `replan${step.replans}:` : ''}${step.retries ? `retry${step.retries}:` : ''}`;

/** The fields every alert about one step of a run carries. */
function stepAlert(run: Run, step: Step, raisedAt: string, alert: Pick<Alert, 'alertId' | 'providerAnswer' | 'message' | 'whatToDo'>): Alert {
  return { ...alert, raisedAt, employeeId: run.employeeId, runId: run.runId, stepId: step.stepId, action: step.action, attempts: step.attempts, status: 'open' };
}

export function buildAlert(run: Run, step: Step, error: StepError | undefined, reason: string, raisedAt: string): Alert {
  const providerAnswer = error?.providerAnswer ?? error?.message ?? 'no answer recorded';
  return stepAlert(run, step, raisedAt, {
    alertId: alertIdFor(run, step),
    providerAnswer,
    message: `Employee ${run.employeeId}, ${run.type} run ${run.runId}: step ${step.stepId} (${step.action}) ${reason}. Last answer: ${providerAnswer}`,
    whatToDo:
      `Fix the cause, then retry: POST /v1/runs/${run.runId}/steps/${step.stepId}/retry ` +
      `(npx lifecycle retry ${run.runId} ${step.stepId}); if it was done by hand, skip it: ` +
      `POST /v1/runs/${run.runId}/steps/${step.stepId}/skip.`,
  });
}

/** What an operator can do about each account hold. */
const HOLD_ADVICE: Record<AccountHold, (run: Run) => string> = {
  bound_elsewhere: (run) =>
    `The account belongs to another employee: check the HR data (a mistaken or forged event). Nothing can confirm it; send a corrected HR event, then cancel this run (POST /v1/runs/${run.runId}/cancel) or skip the step.`,
  unbound: (run) =>
    `The account is bound to no employee. If it is employee ${run.employeeId}'s, adopt it for this run: POST /v1/runs/${run.runId}/confirm-account {"system","account","confirms":"adopt"} (npx lifecycle confirm-account ${run.runId} <system> <account> adopt); the held steps run again. Otherwise cancel the run.`,
  address_mismatch: (run) => `The employee's account is another address than the event named: send the right address in an HR event and cancel this run (POST /v1/runs/${run.runId}/cancel).`,
  protected: (run) =>
    `The account is protected (an admin, a protected org unit or address). Go ahead only if this is meant: POST /v1/runs/${run.runId}/confirm-account {"system","account","confirms":"protected"} (npx lifecycle confirm-account ${run.runId} <system> <account> protected); or skip the step.`,
  beneficiary: (run) =>
    `Nothing was handed over. Send the right managerEmail in an HR event, then retry the step (POST /v1/runs/${run.runId}/steps/<stepId>/retry); or skip it (POST /v1/runs/${run.runId}/steps/<stepId>/skip).`,
};

/**
 * A step held because of whose account it is: one alert per step and kind of hold, raised again after each operator
 * confirmation that did not settle it.
 */
export function buildAccountHoldAlert(run: Run, step: Step, error: StepError & { hold: AccountHold }, raisedAt: string): Alert {
  return stepAlert(run, step, raisedAt, {
    // Per step: a retry or skip of one held step resolves its own alert, not the alert of another step still held.
    alertId: `${run.runId}:${step.stepId}:${episodeOf(step)}account:${error.hold}:${run.accountConfirmations?.length ?? 0}`,
    providerAnswer: error.providerAnswer ?? `held: ${error.hold}`,
    message: `Employee ${run.employeeId}, ${run.type} run ${run.runId}: step ${step.stepId} (${step.action}) held (${error.hold === 'protected' ? 'protected account' : error.hold.replace('_', ' ')}): ${error.message}`,
    whatToDo: HOLD_ADVICE[error.hold](run),
  });
}

/** The step name an alert about the run's plan carries: no step has run, the plan itself waits. */
export const PLAN_STEP = 'plan';

/** The role a run names cannot be resolved: nothing was created, an operator fixes the catalog and replans. */
/** The pseudo-step an alert on what follows a proposal is raised on (no step of the run failed). */
export const FOLLOW_UP_STEP = 'proposal-follow-up';

/** The alert of a proposal whose follow-up (its member task) failed for good: the run waits, its task was not opened. */
export function buildFollowUpAlert(run: Run, answer: string, raisedAt: string): Alert {
  return {
    alertId: `${run.runId}:${FOLLOW_UP_STEP}`,
    raisedAt,
    employeeId: run.employeeId,
    runId: run.runId,
    stepId: FOLLOW_UP_STEP,
    action: 'proposal.followUp',
    attempts: 1,
    providerAnswer: answer,
    message: `Employee ${run.employeeId}, proposed hire run ${run.runId}: what follows the proposal (its member task) failed and is not tried again, so nobody is asked to specify it: ${answer}`,
    whatToDo:
      `Fix the cause (the stage's openproject.memberTasks setting, the token's rights in the project), then propose the same hire again ` +
      `(the same !on: it is the same proposal, and its task is opened); or approve or reject run ${run.runId} in the console (npx lifecycle approve ${run.runId}).`,
    status: 'open',
  };
}

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
