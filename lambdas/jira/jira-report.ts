/**
 * What the ticket's one comment says about its run, in Atlassian Document Format: the plan with the role tree, each
 * step that waits for an operator with the provider's answer in plain words and what to change, and once the run has
 * settled what was made and what is left by hand. The first line names the run: it is how the comment is found again.
 */
import type { Run, Step } from '../engine/model';
import { reportMarker, type AdfDoc, type AdfNode } from '../providers/jira/adf';

export { reportMarker, type AdfDoc };

const text = (value: string, strong = false): AdfNode => ({ type: 'text', text: value, ...(strong ? { marks: [{ type: 'strong' }] } : {}) });
const paragraph = (...content: AdfNode[]): AdfNode => ({ type: 'paragraph', content });
const heading = (level: number, value: string): AdfNode => ({ type: 'heading', attrs: { level }, content: [text(value)] });
const bullets = (items: AdfNode[][]): AdfNode => ({ type: 'bulletList', content: items.map((content) => ({ type: 'listItem', content: [paragraph(...content)] })) });

const STATUS_WORDS: Record<Run['status'], string> = {
  awaiting_approval: 'waiting for an approver',
  scheduled: 'planned, nothing due yet',
  in_progress: 'in progress',
  completed: 'done',
  needs_attention: 'waiting for IT: a step needs an operator',
  cancelled: 'cancelled',
  rejected: 'rejected by an approver',
  quarantined: 'held by the mass-change guard',
};

const STEP_WORDS: Record<Step['status'], string> = {
  pending: 'planned',
  queued: 'about to run',
  running: 'running',
  succeeded: 'done',
  needs_attention: 'needs an operator',
  skipped: 'done by hand (skipped)',
  cancelled: 'cancelled',
};

/**
 * The step waits for the person who filed the ticket to change something on it: not a hold on whose account it is and
 * not a service that was unavailable for now (IT settles those; nothing on the ticket changes them).
 */
export const needsTicketChange = (step: Step): boolean => step.status === 'needs_attention' && !step.hold && !step.lastError?.hold && !step.lastError?.retryable;

/** What the provider's refusal means, and what the person who filed the ticket changes, in plain words. */
export function plainAdvice(step: Step): { said: string; change: string } {
  const said = step.lastError?.message ?? step.note ?? 'the step failed';
  if (step.hold) return { said, change: 'IT confirms which account this is (the account exists and is not bound to this employee); nothing to change on the ticket.' };
  if (step.lastError?.retryable) return { said, change: 'The service was unavailable for now: nothing to change on the ticket; IT retries the step.' };
  return {
    said,
    change: 'The service refused the request as it is: correct the employee data on this ticket (name, addresses, start date, role) and save; the request is planned again. Or ask IT to retry or skip the step.',
  };
}

const when = (iso: string) => iso.replace('T', ' ').replace(/:\d\d\.\d{3}Z$/, ' UTC');

/** The comment for a run as it is now; `notes`: what the write-back itself has to say (a move of the ticket it could not make). */
export function jiraReport(run: Run, notes: string[] = []): AdfDoc {
  const who = [run.employee.firstName, run.employee.lastName].filter(Boolean).join(' ');
  const content: AdfNode[] = [
    paragraph(text(reportMarker(run.runId), true), text(` · event ${run.eventId}${run.revision ? ` · revision ${run.revision.number}` : ''}`)),
    heading(3, `${run.type === 'hire' ? 'Hire' : run.type} of ${who} (${run.employeeId}), first day ${run.effectiveDate}`),
    paragraph(text('Status: ', true), text(STATUS_WORDS[run.status])),
  ];
  const waiting = run.steps.filter((s) => s.status === 'needs_attention');
  if (waiting.length) {
    content.push(heading(4, 'Needs a change or an operator'));
    content.push(
      bullets(
        waiting.map((s) => {
          const advice = plainAdvice(s);
          return [text(`${s.stepId}: `, true), text(`${advice.said}. `), text('What to do: ', true), text(advice.change)];
        }),
      ),
    );
  }
  content.push(heading(4, 'Plan'));
  content.push(bullets(run.steps.map((s) => [text(`${s.stepId} `, true), text(`(${s.action}): ${STEP_WORDS[s.status]}${['pending', 'queued'].includes(s.status) ? `, due ${when(s.dueAt)}` : ''}`)])));
  if (run.role?.text) {
    content.push(heading(4, `Role ${run.role.name}`));
    content.push({ type: 'codeBlock', content: [text(run.role.text)] });
  } else if (run.role?.errors?.length) {
    content.push(heading(4, `Role ${run.role.name} cannot be planned from`));
    content.push(bullets(run.role.errors.map((e) => [text(`${e.role} ${e.property}: ${e.message}`)])));
  }
  if (['completed', 'cancelled', 'rejected'].includes(run.status)) {
    const made = run.steps.filter((s) => s.status === 'succeeded');
    const byHand = [
      ...run.steps.filter((s) => s.status === 'skipped' || s.status === 'cancelled').map((s) => `${s.stepId} (${STEP_WORDS[s.status]})`),
      ...(run.role?.resolved?.lists.manualTasks ?? []).map((g) => `${g.value} (role ${g.grantedBy})`),
    ];
    content.push(heading(4, 'Outcome'));
    content.push(paragraph(text('Made: ', true), text(made.length ? made.map((s) => s.note ?? s.stepId).join('; ') : 'nothing')));
    content.push(paragraph(text('Left to do by hand: ', true), text(byHand.length ? byHand.join('; ') : 'nothing')));
  }
  if (notes.length) {
    content.push(heading(4, 'Notes'));
    content.push(bullets(notes.map((n) => [text(n)])));
  }
  return { type: 'doc', version: 1, content };
}
