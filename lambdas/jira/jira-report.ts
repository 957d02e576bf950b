/**
 * What the ticket's one comment says about its run, in Atlassian Document Format: the plan with the role tree, each
 * step that waits for an operator with the provider's answer in plain words and what to change, and once the run has
 * settled what was made and what is left by hand. The first line names the run: it is how the comment is found again.
 */
import type { Run, Step } from '../engine/model';
import { reportMarker, type AdfDoc, type AdfNode } from '../providers/jira/adf';
import { answerStatus } from '../shared/log-fields';

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

/** The run's status in words; a run waiting names who must act, as the advice and the ticket's move do. */
function statusWords(run: Run): string {
  if (['completed', 'cancelled', 'rejected', 'awaiting_approval', 'quarantined'].includes(run.status)) return STATUS_WORDS[run.status];
  const requester = runNeedsTicketChange(run);
  const it = run.steps.some((s) => whoMustAct(s) === 'it');
  if (requester && it) return 'waiting for a change on this ticket, and for IT: see below';
  if (requester) return 'waiting for a change on this ticket: see below';
  if (it) return 'waiting for IT: a step needs an operator; nothing to change on the ticket';
  return STATUS_WORDS[run.status === 'needs_attention' ? 'in_progress' : run.status];
}

const STEP_WORDS: Record<Step['status'], string> = {
  pending: 'planned',
  queued: 'about to run',
  running: 'running',
  succeeded: 'done',
  needs_attention: 'needs an operator',
  skipped: 'done by hand (skipped)',
  cancelled: 'cancelled',
};

/** Who must act for a step that waits: the person who filed the ticket (its data is refused), or IT. */
export type WhoActs = 'requester' | 'it';

/** A refusal naming a field of the employee as the ticket gives it (names, addresses, the role). */
const EMPLOYEE_DATA = /\b(?:(?:given|family|first|last|display|user)[ _]?name|(?:primary|personal|recovery|manager)?[ _]?e-?mail|name|address|alias|login|role)\b/i;

/** A refusal by a rule the service's own account keeps (a blocklist, an allowed domain): IT changes it, not the data. */
const SERVICE_POLICY = /\b(?:block|allow|black|white)[ -]?list|not allowed in this account|domain is not allowed/i;

/**
 * Who must act for a step waiting for an operator, decided from what its error carries (its provider's status at the
 * head of `providerAnswer`, whether a retry can help, a hold), never from the words of its message alone. The
 * requester only for a refusal of the request's own data: a 400 or 422 validation naming a field of the employee, a
 * 409 conflict of an address or name (another name helps), unless it cites a rule the service's account keeps (a
 * blocklist, the allowed domains). Everything else is IT's: a license, seat or quota
 * shortage, a 403 permission, a 404 of a configured object, a 412 precondition, a retryable error, an account hold, and
 * a refusal that names no status. One decision for the comment's advice, its status line and the ticket's move.
 */
export function whoMustAct(step: Step): WhoActs | undefined {
  if (step.status !== 'needs_attention') return undefined;
  const error = step.lastError;
  if (step.hold || !error || error.hold || error.retryable) return 'it';
  const status = answerStatus(error.providerAnswer);
  const answer = error.providerAnswer ?? '';
  if ((status === 400 || status === 422 || status === 409) && EMPLOYEE_DATA.test(answer) && !SERVICE_POLICY.test(answer)) return 'requester';
  return 'it';
}

/** The step waits for the person who filed the ticket to change something on it (see whoMustAct). */
export const needsTicketChange = (step: Step): boolean => whoMustAct(step) === 'requester';

/** The role the ticket names is not in the catalog: the requester names another (a broken role page is IT's). */
export const roleNeedsTicketChange = (run: Pick<Run, 'role'>): boolean =>
  run.role?.errors?.some((e) => e.role === run.role?.name && e.property === 'Name' && /no role of that name/.test(e.message)) ?? false;

/** Whether anything on the run waits for the person who filed the ticket. */
export const runNeedsTicketChange = (run: Pick<Run, 'role' | 'steps'>): boolean => run.steps.some(needsTicketChange) || roleNeedsTicketChange(run);

/** What the provider's refusal means, and who changes what, in plain words. */
export function plainAdvice(step: Step): { said: string; change: string } {
  const said = step.lastError?.message ?? step.note ?? 'the step failed';
  if (step.hold) return { said, change: 'IT confirms which account this is (the account exists and is not bound to this employee); nothing to change on the ticket.' };
  if (step.lastError?.retryable) return { said, change: 'The service was unavailable for now: nothing to change on the ticket; IT retries the step.' };
  if (whoMustAct(step) === 'requester') {
    return {
      said,
      change: 'The service refused the employee data as the ticket gives it: correct it on this ticket (the name, addresses or role it names) and save; the request is planned again.',
    };
  }
  return {
    said,
    change: 'IT fixes this in the service (a license, a permission, a setting it names) and retries or skips the step; nothing to change on the ticket.',
  };
}

const when = (iso: string) => iso.replace('T', ' ').replace(/:\d\d\.\d{3}Z$/, ' UTC');

/** The comment for a run as it is now; `notes`: what the write-back itself has to say (a move of the ticket it could not make). */
export function jiraReport(run: Run, notes: string[] = []): AdfDoc {
  const who = [run.employee.firstName, run.employee.lastName].filter(Boolean).join(' ');
  const content: AdfNode[] = [
    paragraph(text(reportMarker(run.runId), true), text(` · event ${run.eventId}${run.revision ? ` · revision ${run.revision.number}` : ''}`)),
    heading(3, `${run.type === 'hire' ? 'Hire' : run.type} of ${who} (${run.employeeId}), first day ${run.effectiveDate}`),
    paragraph(text('Status: ', true), text(statusWords(run))),
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
    content.push(
      paragraph(
        text('What to do: ', true),
        text(roleNeedsTicketChange(run) ? 'name a role of the catalog on this ticket and save; the request is planned again.' : 'IT fixes the role in the catalog and plans the run again; nothing to change on the ticket.'),
      ),
    );
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
