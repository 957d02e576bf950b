/** Runs by status (the API's index of runs by status), newest change first. */
import { DONE_STEP_STATUSES, RUN_STATUSES, type RunStatus, type RunType } from '../../../lambdas/engine/model';
import { navigate, runPath } from '../router';
import { Head, Link, Loading, Problem, Status, useApi, When } from '../ui';
import { personOf, type Run, typeLabel } from './types';

/** The model's statuses, those an operator acts on first. */
const FIRST: readonly RunStatus[] = ['needs_attention', 'in_progress', 'scheduled', 'awaiting_approval', 'quarantined'];
const STATUS_CHOICES: readonly RunStatus[] = [...FIRST, ...RUN_STATUSES.filter((s) => !FIRST.includes(s))];

const TYPES = ['hire', 'role_change', 'terminate', 'revoke'] as const satisfies readonly RunType[];
const FILTERS = ['status', 'type', 'employee', 'from', 'to', 'next'] as const;

/** The filters as the URL holds them (so a filtered list is a link), empty ones left out: the API refuses an empty value. */
function query(params: URLSearchParams, change: Record<string, string> = {}): string {
  const q = new URLSearchParams();
  for (const f of FILTERS) {
    const v = f in change ? change[f] : params.get(f);
    if (v) q.set(f, v);
  }
  return q.toString();
}

export function Runs() {
  const params = new URLSearchParams(location.search);
  // No status named: what needs attention, as the API answers; "any" (with an employee) leaves the status out.
  const status = params.get('status') ?? 'needs_attention';
  const runs = useApi<{ runs: Run[]; next?: string }>(`/v1/runs?${query(params, { status: status === 'any' ? '' : status })}`);
  // Any change of filter starts again from the first page.
  const set = (f: string, v: string) => navigate(`/runs?${query(params, { [f]: v, next: '' })}`);
  return (
    <section aria-labelledby="runs">
      <h1 id="runs">Runs</h1>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Status{' '}
          <select value={status} onChange={(e) => set('status', (e.target as HTMLSelectElement).value)}>
            <option value="any" disabled={!params.get('employee')}>
              any (one employee)
            </option>
            {STATUS_CHOICES.map((s) => (
              <option key={s} value={s}>
                {s.replace(/_/g, ' ')}
              </option>
            ))}
          </select>
        </label>
        <label>
          Type{' '}
          <select value={params.get('type') ?? ''} onChange={(e) => set('type', (e.target as HTMLSelectElement).value)}>
            <option value="">any</option>
            {TYPES.map((t) => (
              <option key={t} value={t}>
                {typeLabel(t)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Employee id <input value={params.get('employee') ?? ''} onChange={(e) => set('employee', (e.target as HTMLInputElement).value.trim())} />
        </label>
        <label>
          Effective from <input type="date" value={params.get('from') ?? ''} onChange={(e) => set('from', (e.target as HTMLInputElement).value)} />
        </label>
        <label>
          to <input type="date" value={params.get('to') ?? ''} onChange={(e) => set('to', (e.target as HTMLInputElement).value)} />
        </label>
      </form>
      <Loading when={runs.loading && !runs.data} />
      <Problem error={runs.error} />
      {runs.data && (
        <table>
          <caption class="visually-hidden">Runs with status {status.replace(/_/g, ' ')}</caption>
          <Head columns={['Employee', 'Type', 'Status', 'Effective', 'Steps done', 'Updated']} />
          <tbody>
            {runs.data.runs.length === 0 && (
              <tr>
                <td colSpan={6}>No run has this status.</td>
              </tr>
            )}
            {runs.data.runs.map((r) => (
              <tr key={r.runId}>
                <td>
                  <Link href={runPath(r.employeeId, r.runId)}>{personOf(r)}</Link> <span class="muted">{r.employeeId}</span>
                </td>
                <td>
                  {typeLabel(r.type)}
                  {r.urgent ? ' (urgent)' : ''}
                </td>
                <td>
                  <Status value={r.status} />
                </td>
                <td>{r.effectiveDate}</td>
                <td>
                  {r.steps.filter((s) => DONE_STEP_STATUSES.includes(s.status)).length} of {r.steps.length}
                </td>
                <td>
                  <When at={r.updatedAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {runs.data?.next && (
        <p>
          <Link href={`/runs?${query(params, { next: runs.data.next })}`}>Next page</Link>
        </p>
      )}
    </section>
  );
}
