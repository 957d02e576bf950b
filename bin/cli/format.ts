/** Plain-text rendering of API answers: aligned tables an operator can read in a terminal. */
import { printableLine, printableText } from '../../lambdas/shared/control-chars';
import type { AlertView, AuditView, EmployeeAnswer, QuarantineAnswer, QuarantineDecisionAnswer, RunView, StepView, SweepAnswer } from './api-answers';

/**
 * An API answer with every string made safe for a terminal: a name or message holding ESC, a line break or a
 * bidi override is shown with its escape (`\u001b`) instead of moving the cursor, retitling the window or
 * breaking a table row. The API refuses such text in events; this holds for older data and other writers too.
 */
export function printableAnswer<T>(value: T): T {
  if (typeof value === 'string') return printableLine(value) as T;
  if (Array.isArray(value)) return value.map(printableAnswer) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [printableLine(k), printableAnswer(v)])) as T;
  }
  return value;
}

/** Whole output for a terminal: its own line breaks kept, any other control character escaped (JSON stays valid JSON). */
export const printable = printableText;

type Cell = string | number | undefined;

/** Left-aligned columns two spaces apart; no trailing spaces, so output diffs and greps cleanly. */
export function table(headers: string[], rows: Cell[][]): string {
  const text = [headers, ...rows.map((r) => headers.map((_, i) => (r[i] === undefined ? '' : String(r[i]))))];
  const widths = headers.map((_, i) => Math.max(...text.map((r) => r[i].length)));
  return text.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd()).join('\n');
}

export function stepsTable(run: RunView, withAttempts = true): string {
  const headers = withAttempts ? ['stepId', 'action', 'status', 'dueAt', 'attempts'] : ['stepId', 'action', 'status', 'dueAt'];
  return table(
    headers,
    run.steps.map((s) => [s.stepId, s.action, s.status, s.dueAt, ...(withAttempts ? [s.attempts] : [])]),
  );
}

/** The error a step carries, whichever field the API puts it in (`lastError`, or a plain `error`). */
export function stepError(step: StepView): string | undefined {
  if (step.lastError?.message) return step.lastError.message;
  if (typeof step.error === 'string') return step.error || undefined;
  return step.error?.message || undefined;
}

/**
 * What the provider answered to the step's last attempt (status and body excerpt), unless the error already quotes it
 * (most do: "Connect deleting user …: 403 AccessDeniedException: …"): it is what to search for or quote to the
 * provider's support.
 */
export function stepProviderAnswer(step: StepView): string | undefined {
  const answer = step.lastError?.providerAnswer ?? (typeof step.error === 'object' ? step.error.providerAnswer : undefined);
  if (!answer || stepError(step)?.includes(answer)) return undefined;
  return answer;
}

const providerLine = (s: StepView, indent: string): string[] => {
  const answer = stepProviderAnswer(s);
  return answer ? [`${indent}provider's answer: ${answer}`] : [];
};

/** Why a step stopped and what to do about it: the operator decides between retry and skip from these lines. */
function attentionLines(runId: string, s: StepView): string[] {
  if (s.hold) return [`  ${s.stepId}: held (${s.hold}${s.heldAccount ? `: ${s.heldAccount.system} ${s.heldAccount.account}` : ''}); see npx lifecycle alerts --status open`];
  const error = stepError(s);
  return [
    `  ${s.stepId}: ${error ?? s.note ?? 'no error kept on the step; see npx lifecycle alerts --status open'}`,
    ...providerLine(s, '    '),
    `    once the cause is fixed: npx lifecycle retry ${runId} ${s.stepId}`,
    `    if it was done by hand:  npx lifecycle skip ${runId} ${s.stepId} --reason "..."`,
  ];
}

/** Steps that stopped, and steps that failed and wait for their next attempt, each with its error and the provider's answer. */
function stepProblems(run: RunView): string[] {
  const stopped = run.steps.filter((s) => s.status === 'needs_attention').flatMap((s) => attentionLines(run.runId, s));
  const retrying = run.steps
    .filter((s) => s.status !== 'needs_attention' && RETRIED_STATUSES.has(s.status) && stepError(s))
    .flatMap((s) => [`  ${s.stepId} (${s.status}${s.attempts ? `, ${s.attempts} attempt${s.attempts === 1 ? '' : 's'} so far` : ''}): ${stepError(s)}`, ...providerLine(s, '    ')]);
  return [...(stopped.length ? ['needs attention:', ...stopped] : []), ...(retrying.length ? ['failed, to be tried again:', ...retrying] : [])];
}

/** Statuses in which an error on a step is from an attempt that will be retried (not a finished step's old error). */
const RETRIED_STATUSES = new Set(['pending', 'queued', 'running']);

export function runHeading(run: RunView): string {
  const parts = [`run ${run.runId}`, run.type, run.status];
  if (run.effectiveDate) parts.push(`effective ${run.effectiveDate}${run.urgent ? ' (urgent)' : ''}`);
  if (run.eventId) parts.push(`event ${run.eventId}`);
  if (run.cancelsRunId) parts.push(`cancels run ${run.cancelsRunId}`);
  if (run.revoke) parts.push(`revokes the ${run.revoke.system} account ${run.revoke.email ?? run.revoke.accountId} (${run.revoke.reason}: ${run.revoke.detail})`);
  return parts.join('  ');
}

/** A run with its steps, as the operator commands answer it. */
export function renderRun(run: RunView): string {
  return [runHeading(run), ...roleLines(run), ...approvalLines(run), stepsTable(run), ...stepProblems(run)].join('\n');
}

/**
 * What an operator's change did, in a few lines: the step it named (its new status and any error), the run's status,
 * and where to see the whole run.
 */
export function renderChange(lead: string, run: RunView, stepId?: string): string {
  const lines = [lead];
  const step = stepId === undefined ? undefined : run.steps.find((s) => s.stepId === stepId);
  if (step) {
    const error = step.status === 'needs_attention' || RETRIED_STATUSES.has(step.status) ? stepError(step) : undefined;
    if (step.status === 'needs_attention') {
      lines.push(`step ${step.stepId} (${step.action}): ${step.status}${error ? `: ${error}` : ''}`);
      if (error) lines.push(...providerLine(step, '  '));
    } else {
      // A step queued again still carries the error of the attempt before: it is history, not its state.
      lines.push(`step ${step.stepId} (${step.action}): ${step.status}`);
      if (error) lines.push(`  last error before the retry: ${error}`, ...providerLine(step, '    '));
    }
  }
  if (run.approval?.decision) lines.push(...approvalLines(run));
  const waiting = run.steps.filter((s) => s.status === 'needs_attention').length;
  lines.push(`run ${run.runId} (${run.type}): ${run.status}${waiting ? `, ${waiting} step${waiting === 1 ? '' : 's'} need${waiting === 1 ? 's' : ''} attention` : ''}`);
  lines.push(`whole run: npx lifecycle run ${run.runId}`);
  return lines.join('\n');
}

/** The role the run was planned from, its tree, or why it cannot be planned from and how to go on. */
function roleLines(run: RunView): string[] {
  const r = run.role;
  if (!r) return [];
  if (r.errors?.length) {
    return [
      `role ${r.name} cannot be planned from; nothing runs until it is fixed:`,
      ...r.errors.map((e) => `  ${e.role} / ${e.property}: ${e.message}`),
      `  after fixing it in Notion: npx lifecycle replan ${run.runId}`,
    ];
  }
  // The tree's text reaches here made printable as one line (printableAnswer escapes its breaks); its breaks are its layout.
  const treeLines = r.text ? r.text.split(/\n|\\u000a/).map((l) => `  ${l}`) : [];
  // A leaver's run names the role held, whose grants its cut-off revokes, and the run that granted it.
  const held = run.type === 'terminate' && r.grantedByRunId ? ` (held, granted by run ${r.grantedByRunId}: its grants are revoked at the cut-off)` : '';
  return [`role ${r.name}${r.previous ? ` (was ${r.previous.name}, run ${r.previous.runId})` : ''}${held}`, ...treeLines];
}

/** What an approver needs: why the run waits, the hash to approve this plan, or what was decided. */
function approvalLines(run: RunView): string[] {
  const a = run.approval;
  if (!a) return [];
  if (!a.decision) return [`awaiting approval (${a.requiredBy}): plan ${a.planHash}`, `  approve: npx lifecycle approve ${run.runId} --plan-hash ${a.planHash}`];
  return [`${a.decision} by ${a.decidedBy ?? '?'} at ${a.decidedAt ?? '?'}${a.reason ? `: ${a.reason}` : ''} (plan ${a.planHash})`];
}

export function renderEventAnswer(status: number, eventId: string, run: RunView): string {
  const lead =
    status === 202
      ? `accepted event ${eventId}: run ${run.runId} (${run.type}) is ${run.status}`
      : `event ${eventId} was already received: its run ${run.runId} (${run.type}) is ${run.status}`;
  const cancels = run.cancelsRunId ? [`cancels run ${run.cancelsRunId}`] : [];
  return [lead, ...cancels, run.steps.length ? stepsTable(run, false) : '(no steps)'].join('\n');
}

export function renderAudit(audit: AuditView[]): string {
  if (audit.length === 0) return 'audit: (empty)';
  const change = (a: AuditView) => (a.from || a.to ? `${a.change} (${a.from ?? '-'} -> ${a.to ?? '-'})` : a.change);
  return ['audit:', table(['at', 'actor', 'stepId', 'change'], audit.map((a) => [a.at, a.actor, a.stepId ?? '', change(a)]))].join('\n');
}

export function renderEmployee(view: EmployeeAnswer, withAudit: boolean): string {
  const e = view.employee;
  const name = [e.firstName, e.lastName].filter(Boolean).join(' ');
  const profile = [
    `employee ${e.id}: ${name}`,
    e.email && `<${e.email}>`,
    e.role && `role ${e.role}`,
    e.managerEmail && `manager ${e.managerEmail}`,
    e.timezone && `tz ${e.timezone}`,
  ]
    .filter(Boolean)
    .join('  ');
  const accounts = view.accounts.length
    ? ['accounts:', table(['system', 'account', 'id', 'state', 'bound'], view.accounts.map((a) => [a.system, a.address, a.accountId, a.state, a.boundBy]))]
    : ['accounts: (none bound yet)'];
  const given = view.hireAddress ? [`address given at hire: ${view.hireAddress}`] : [];
  const runs = view.runs.length ? view.runs.map(renderRun) : ['(no runs)'];
  return [profile, ...accounts, ...given, ...runs.map((r) => `\n${r}`), ...(withAudit ? [`\n${renderAudit(view.audit)}`] : [])].join('\n');
}

export function renderRuns(runs: RunView[], status: string): string {
  if (runs.length === 0) return `no runs with status ${status}`;
  const attention = (r: RunView) => r.steps.filter((s) => s.status === 'needs_attention').map((s) => s.stepId).join(',');
  return table(
    ['runId', 'employeeId', 'type', 'status', 'effectiveDate', 'updatedAt', 'stepsNeedingAttention'],
    runs.map((r) => [r.runId, r.employeeId, r.type, r.status, r.effectiveDate, r.updatedAt, attention(r)]),
  );
}

export function renderAlerts(alerts: AlertView[], status: string | undefined): string {
  if (alerts.length === 0) return status ? `no ${status} alerts` : 'no alerts';
  const overview = table(
    ['alertId', 'status', 'raisedAt', 'employeeId', 'runId', 'stepId', 'action', 'attempts'],
    alerts.map((a) => [a.alertId, a.status, a.raisedAt, a.employeeId, a.runId, a.stepId, a.action, a.attempts]),
  );
  // The long texts do not fit a column; they follow the table, one block per alert.
  const details = alerts.map((a) => `${a.alertId}: ${a.message}\n  what to do: ${a.whatToDo}${a.resolution ? `\n  resolved: ${a.resolution}` : ''}`);
  return [overview, ...details.map((d) => `\n${d}`)].join('\n');
}

export function renderSweep(report: SweepAnswer): string {
  return `sweep: ${report.runsDue} runs due, ${report.stepsQueued} steps queued, ${report.failures} failures (${report.itemsRead} index items read)`;
}

/** A value for a POSIX shell, in single quotes: the event body may hold quotes, $ and spaces. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The quarantine: how many are held, under which alert, and the two calls that decide them (naming that count). */
export function renderQuarantine(q: QuarantineAnswer, runs: RunView[]): string {
  const rule = `threshold ${q.threshold} per ${q.windowMinutes} min`;
  if (q.held === 0) return `no runs quarantined (${rule})`;
  const lines = [`${q.held} runs quarantined (${rule})${q.batch ? `, alert ${q.batch.alertId} since ${q.batch.openedAt}` : ''}`];
  lines.push(renderRuns(runs, 'quarantined'));
  if (runs.length < q.held) lines.push(`(${runs.length} of ${q.held} shown)`);
  lines.push(`release: npx lifecycle quarantine release --count ${q.held}`, `reject:  npx lifecycle quarantine reject --count ${q.held} --reason "..."`);
  return lines.join('\n');
}

export function renderQuarantineDecision(d: QuarantineDecisionAnswer): string {
  return `${d.decision} ${d.count} quarantined runs`;
}
