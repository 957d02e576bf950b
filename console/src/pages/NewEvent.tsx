/**
 * A hire, role change or termination typed in by a person: the plan it would make is shown first (POST
 * /v1/events/preview writes nothing), then an approver sends it (POST /v1/operator/events records who did).
 */
import { useMemo, useState } from 'preact/hooks';
import { CONSOLE_EVENT_ID_PREFIX } from '../../../lambdas/engine/event-schema';
import type { EventPreview } from '../../../lambdas/engine/model';
import { api, ApiError, request } from '../api';
import { useMay } from '../me';
import { Head, Link, Problem, When } from '../ui';
import { type Run, typeLabel } from './types';
import { runPath } from '../router';
import { Fields } from './Fields';
import { MoverDiffTable } from './MoverDiff';

type EventType = 'hire' | 'role_change' | 'terminate';
const TYPES: [EventType, string][] = [
  ['hire', 'Hire'],
  ['role_change', 'Role change'],
  ['terminate', 'Termination'],
];
const EMPLOYEE_FIELDS = ['id', 'firstName', 'lastName', 'email', 'personalEmail', 'managerEmail', 'role', 'timezone'] as const;
type EmployeeField = (typeof EMPLOYEE_FIELDS)[number];
const LABELS: Record<EmployeeField, string> = {
  id: 'Employee id',
  firstName: 'First name',
  lastName: 'Last name',
  email: 'Work address',
  personalEmail: 'Personal address',
  managerEmail: "Manager's address",
  role: 'Role',
  timezone: 'Time zone',
};

interface Form {
  type: EventType;
  effectiveDate: string;
  urgent: boolean;
  employee: Record<EmployeeField, string>;
}

const newEventId = () => `${CONSOLE_EVENT_ID_PREFIX}${crypto.randomUUID()}`;
const today = () => new Date().toISOString().slice(0, 10);

/** The event as the API's contract has it: empty fields left out. */
export function eventOf(form: Form, eventId: string): Record<string, unknown> {
  const employee = Object.fromEntries(EMPLOYEE_FIELDS.map((f) => [f, form.employee[f].trim()]).filter(([, v]) => v !== ''));
  return { eventId, type: form.type, effectiveDate: form.effectiveDate, ...(form.type === 'terminate' && form.urgent ? { urgent: true } : {}), employee };
}

/** Field problems as the API names them (`employee.email`), for the inputs to show beside themselves. */
function fieldIssues(err: unknown): Record<string, string> {
  const body = err instanceof ApiError ? (err.body as { issues?: { path: string; message: string }[] } | undefined) : undefined;
  return Object.fromEntries((body?.issues ?? []).map((i) => [i.path, i.message]));
}

export function NewEvent() {
  const maySend = useMay('send-event');
  const [form, setForm] = useState<Form>({
    type: 'hire',
    effectiveDate: today(),
    urgent: false,
    employee: { id: '', firstName: '', lastName: '', email: '', personalEmail: '', managerEmail: '', role: '', timezone: Intl.DateTimeFormat().resolvedOptions().timeZone },
  });
  const [eventId, setEventId] = useState(newEventId);
  const [preview, setPreview] = useState<{ body: string; plan: EventPreview }>();
  const [issues, setIssues] = useState<Record<string, string>>({});
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState<{ runId: string; employeeId: string; status: number }>();
  const body = useMemo(() => eventOf(form, eventId), [form, eventId]);
  const bodyText = JSON.stringify(body);
  const previewed = preview?.body === bodyText ? preview.plan : undefined;

  const set = (patch: Partial<Form>) => setForm((f) => ({ ...f, ...patch }));
  const setEmployee = (field: EmployeeField, value: string) => setForm((f) => ({ ...f, employee: { ...f.employee, [field]: value } }));
  const call = async <T,>(path: string, then: (answer: T, status: number) => void) => {
    setBusy(true);
    setError(undefined);
    setIssues({});
    try {
      const answer = await request<T>(path, { method: 'POST', body });
      then(answer.body, answer.status);
    } catch (err) {
      setIssues(fieldIssues(err));
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  /** For a role change or termination: the employee's details as the last event gave them. */
  const load = async () => {
    setError(undefined);
    try {
      const found = await api<{ employee?: Partial<Record<EmployeeField, string>> }>(`/v1/employees/${encodeURIComponent(form.employee.id.trim())}`);
      const e = found.employee ?? {};
      setForm((f) => ({ ...f, employee: Object.fromEntries(EMPLOYEE_FIELDS.map((k) => [k, e[k] ?? f.employee[k]])) as Form['employee'] }));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  const input = (field: EmployeeField, opts: { type?: string; required?: boolean } = {}) => {
    const path = `employee.${field}`;
    const id = `f-${field}`;
    return (
      <div class="field" key={field}>
        <label for={id}>
          {LABELS[field]}
          {opts.required ? ' (required)' : ''}
        </label>
        <input
          id={id}
          type={opts.type ?? 'text'}
          value={form.employee[field]}
          required={opts.required}
          aria-invalid={issues[path] ? 'true' : undefined}
          aria-describedby={issues[path] ? `${id}-issue` : undefined}
          onInput={(e) => setEmployee(field, (e.target as HTMLInputElement).value)}
        />
        {issues[path] && (
          <span id={`${id}-issue`} class="problem-inline small">
            {issues[path]}
          </span>
        )}
      </div>
    );
  };

  if (sent)
    return (
      <section aria-labelledby="new-event">
        <h1 id="new-event">Event sent</h1>
        <p role="status">
          {sent.status === 200 ? 'This event had been received already: ' : 'Accepted: '}
          <Link href={runPath(sent.employeeId, sent.runId)}>run {sent.runId}</Link>.
        </p>
        <button
          type="button"
          onClick={() => {
            setSent(undefined);
            setPreview(undefined);
            setEventId(newEventId());
          }}
        >
          Start another event
        </button>
      </section>
    );
  return (
    <section aria-labelledby="new-event">
      <h1 id="new-event">New event</h1>
      <p class="muted">
        What HR's system would send, typed in here. Preview shows the plan it makes; nothing is written until an approver sends it, and nothing runs until
        a second approver approves it. Many hires, role changes or leavers at once: <Link href="/import">import a CSV</Link>.
      </p>
      <form
        class="event-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void call<EventPreview>('/v1/events/preview?from=console', (plan) => setPreview({ body: bodyText, plan }));
        }}
      >
        <fieldset>
          <legend>Event</legend>
          <div class="field">
            <label for="f-type">Type</label>
            <select id="f-type" value={form.type} onChange={(e) => set({ type: (e.target as HTMLSelectElement).value as EventType })}>
              {TYPES.map(([v, l]) => (
                <option key={v} value={v}>
                  {l}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="f-date">Effective date (required)</label>
            <input
              id="f-date"
              type="date"
              required
              value={form.effectiveDate}
              aria-invalid={issues.effectiveDate ? 'true' : undefined}
              aria-describedby={issues.effectiveDate ? 'f-date-issue' : undefined}
              onInput={(e) => set({ effectiveDate: (e.target as HTMLInputElement).value })}
            />
            {issues.effectiveDate && (
              <span id="f-date-issue" class="problem-inline small">
                {issues.effectiveDate}
              </span>
            )}
          </div>
          {form.type === 'terminate' && (
            <div class="field checkbox">
              <label>
                <input type="checkbox" checked={form.urgent} onChange={(e) => set({ urgent: (e.target as HTMLInputElement).checked })} /> Urgent: lock out now, not at the end of the day
              </label>
            </div>
          )}
          <div class="field">
            <span class="label">Event id</span> <code>{eventId}</code>
          </div>
        </fieldset>
        <fieldset>
          <legend>Employee</legend>
          <div class="field-row">
            {input('id', { required: true })}
            {form.type !== 'hire' && (
              <button type="button" class="secondary" disabled={!form.employee.id.trim()} onClick={() => void load()}>
                Fill in from their record
              </button>
            )}
          </div>
          {input('firstName', { required: true })}
          {input('lastName')}
          {input('email', { type: 'email' })}
          {input('personalEmail', { type: 'email' })}
          {input('managerEmail', { type: 'email' })}
          {input('role')}
          {input('timezone', { required: true })}
        </fieldset>
        <div class="actions">
          <button type="submit" disabled={busy}>
            Preview the plan
          </button>
        </div>
      </form>
      <Problem error={error} />
      {preview && !previewed && <p class="muted">The form changed since the preview: preview again to send it.</p>}
      {previewed && (
        <Plan
          plan={previewed}
          send={
            maySend
              ? () => {
                  const who = [form.employee.firstName, form.employee.lastName].filter((x) => x.trim()).join(' ') || form.employee.id;
                  const what = form.type === 'terminate' ? `termination${form.urgent ? ' (urgent: lockout as soon as it is approved)' : ''}` : form.type === 'hire' ? 'hire' : 'role change';
                  if (!confirm(`Send the ${what} of ${who}, effective ${form.effectiveDate}? Nothing runs until a second approver approves it.`)) return;
                  void call<Pick<Run, 'runId'>>('/v1/operator/events', (run, status) => {
                    setSent({ runId: run.runId, employeeId: form.employee.id.trim(), status });
                  });
                }
              : undefined
          }
          busy={busy}
        />
      )}
    </section>
  );
}

/** The plan an event would make, and the send button for an approver. */
function Plan({ plan, send, busy }: { plan: EventPreview; send?: () => void; busy: boolean }) {
  return (
    <section aria-labelledby="plan" class="card">
      <h2 id="plan">The plan</h2>
      <p>
        A {typeLabel(plan.type)} run for <code>{plan.employeeId}</code>, starting as <strong>{plan.status.replace(/_/g, ' ')}</strong>
        {plan.approvalRequiredBy ? `: it waits for an approver (${plan.approvalRequiredBy})` : ''}.
      </p>
      {plan.role?.errors?.length ? (
        <ul class="problem">
          {plan.role.errors.map((e, i) => (
            <li key={i}>
              Role {e.role} · {e.property}: {e.message}
            </li>
          ))}
        </ul>
      ) : null}
      {plan.moverDiff && <MoverDiffTable diff={plan.moverDiff} />}
      {plan.restoresRunId && <p>A rehire: it gives back what termination run {plan.restoresRunId} removed.</p>}
      {plan.supersedesRunIds?.length ? <p>It cancels the earlier terminations {plan.supersedesRunIds.join(', ')}, none of them started.</p> : null}
      {plan.notes?.map((n, i) => (
        <p key={i} class="notice">
          {n}
        </p>
      ))}
      <table>
        <caption>Steps</caption>
        <Head columns={['Step', 'Action', 'Due', 'After']} />
        <tbody>
          {plan.steps.map((s) => (
            <tr key={s.stepId}>
              <th scope="row">{s.stepId}</th>
              <td>
                {s.action}
                {s.removes ? <span class="muted small"> (removes access)</span> : null}
                <Fields label="With" value={s.params} />
              </td>
              <td>
                <When at={s.dueAt} />
              </td>
              <td>{s.after.join(', ') || '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {send ? (
        <div class="actions">
          <button type="button" disabled={busy} onClick={send}>
            Send this event
          </button>
          <span class="muted small">It is recorded as sent by you, and waits for a second approver before anything runs.</span>
        </div>
      ) : (
        <p class="muted">Only an approver sends events from the console.</p>
      )}
    </section>
  );
}
