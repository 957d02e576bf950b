/**
 * The joiner summary the manager and the operators receive once the new account and the role's access are in place:
 * what was made, what is still to come or waits for an operator, what is left to do by hand, and the role tree.
 * Pure: it reads only what the run tells the action.
 */
import type { ActionRequest } from '../engine/ports';
import { isInFlight } from '../engine/model';
import { WELCOME_EMAIL_ACTION } from '../engine/action-names';
import { localDate, wallClock } from '../engine/time';
import { humanDate } from './mime';

export type RunStepView = NonNullable<ActionRequest['runSteps']>[number];

export interface JoinerSummaryInput {
  employee: ActionRequest['employee'];
  firstDay: string;
  runId: string;
  role?: ActionRequest['role'];
  steps: RunStepView[];
}

const DONE = ['succeeded'];
const OPERATOR = ['needs_attention'];

export const fullName = (e: ActionRequest['employee']) => [e.firstName, e.lastName].filter(Boolean).join(' ');

/** "Friday 4 December 2026, 09:00 Europe/Berlin": a due time as the manager reads it, in the employee's zone. */
export function humanDueTime(dueAt: string, timeZone: string): string {
  const at = new Date(dueAt);
  if (Number.isNaN(at.getTime())) return dueAt;
  const { hour, minute } = wallClock(at, timeZone);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${humanDate(localDate(at, timeZone))}, ${two(hour)}:${two(minute)} ${timeZone}`;
}

function line(step: RunStepView, what: string | undefined): string {
  return `  - ${step.stepId} (${step.action})${what ? `: ${what}` : ''}`;
}

/** When a step still to come is due, and what its last attempt failed with when it is being retried. */
function waitingLine(step: RunStepView, timeZone: string): string {
  const when = step.dueAt ? `due ${humanDueTime(step.dueAt, timeZone)}` : step.status;
  return step.error ? `${when}; the last attempt failed, retrying: ${step.error}` : when;
}

function section(title: string, lines: string[], none: string): string[] {
  return [title, ...(lines.length ? lines : [`  ${none}`]), ''];
}

/** The steps by where they stand: made, still to come, waiting for an operator, skipped or cancelled. */
export function stepsByState(steps: RunStepView[]): { done: RunStepView[]; waiting: RunStepView[]; operator: RunStepView[]; dropped: RunStepView[] } {
  return {
    done: steps.filter((s) => DONE.includes(s.status)),
    waiting: steps.filter((s) => isInFlight(s.status)),
    operator: steps.filter((s) => OPERATOR.includes(s.status)),
    dropped: steps.filter((s) => !DONE.includes(s.status) && !isInFlight(s.status) && !OPERATOR.includes(s.status)),
  };
}

export function joinerSummarySubject(input: JoinerSummaryInput): string {
  const { operator } = stepsByState(input.steps);
  const attention = operator.length ? ` (${operator.length} step${operator.length === 1 ? '' : 's'} need${operator.length === 1 ? 's' : ''} an operator)` : '';
  return `New joiner: ${fullName(input.employee)} starts ${humanDate(input.firstDay)}${attention}`;
}

export function joinerSummaryText(input: JoinerSummaryInput): string {
  const e = input.employee;
  const { done, waiting, operator, dropped } = stepsByState(input.steps);
  const manual = input.role?.manualTasks ?? [];
  return [
    'Hello,',
    '',
    `${fullName(e)} starts on ${humanDate(input.firstDay)}${input.role ? ` as ${input.role.name}` : ''}.`,
    `Company address: ${e.email ?? '(none yet)'}`,
    ...(e.managerEmail ? [`Manager: ${e.managerEmail}`] : []),
    `Employee id: ${e.id}; lifecycle run: ${input.runId}`,
    '',
    ...section(
      'Done:',
      done.map((s) => line(s, s.note)),
      'nothing yet',
    ),
    ...section(
      'Still to come:',
      waiting.map((s) => line(s, waitingLine(s, e.timezone))),
      'nothing',
    ),
    ...section(
      'Waiting for an operator:',
      operator.map((s) => line(s, s.error)),
      'nothing',
    ),
    ...(dropped.length ? section('Skipped or cancelled:', dropped.map((s) => line(s, s.status)), 'nothing') : []),
    ...section(
      'Left to do by hand:',
      manual.map((task) => `  - ${task}`),
      input.role ? `nothing: the role ${input.role.name} lists no manual tasks` : 'nothing listed: the hire named no role',
    ),
    ...(input.role?.text ? ['The role, and which role grants what:', '', input.role.text, ''] : []),
    ...(input.steps.some((s) => s.action === WELCOME_EMAIL_ACTION)
      ? ['No password is in this email: the new employee receives a one-time link to their initial password in the welcome email.']
      : ['No password is in this email, and this run sends no welcome email: hand the initial password over another way (reset it).']),
  ].join('\n');
}
