/** Runs by status (the API's index of runs by status), newest change first. */
import { navigate } from '../router';
import { Link, Loading, Problem, Status, useApi, When } from '../ui';
import { personOf, type Run } from './types';

export const RUN_STATUSES = ['needs_attention', 'in_progress', 'scheduled', 'awaiting_approval', 'quarantined', 'completed', 'cancelled', 'rejected'] as const;

export function Runs() {
  const params = new URLSearchParams(location.search);
  const status = params.get('status') ?? 'needs_attention';
  const runs = useApi<{ runs: Run[] }>(`/v1/runs?status=${encodeURIComponent(status)}`);
  return (
    <section aria-labelledby="runs">
      <h1 id="runs">Runs</h1>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Status{' '}
          <select value={status} onChange={(e) => navigate(`/runs?status=${(e.target as HTMLSelectElement).value}`)}>
            {RUN_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s.replace(/_/g, ' ')}
              </option>
            ))}
          </select>
        </label>
      </form>
      <Loading when={runs.loading && !runs.data} />
      <Problem error={runs.error} />
      {runs.data && (
        <table>
          <caption class="visually-hidden">Runs with status {status}</caption>
          <thead>
            <tr>
              <th scope="col">Employee</th>
              <th scope="col">Type</th>
              <th scope="col">Status</th>
              <th scope="col">Effective</th>
              <th scope="col">Steps done</th>
              <th scope="col">Updated</th>
            </tr>
          </thead>
          <tbody>
            {runs.data.runs.length === 0 && (
              <tr>
                <td colSpan={6}>No run has this status.</td>
              </tr>
            )}
            {runs.data.runs.map((r) => (
              <tr key={r.runId}>
                <td>
                  <Link href={`/runs/${encodeURIComponent(r.employeeId)}/${encodeURIComponent(r.runId)}`}>{personOf(r)}</Link> <span class="muted">{r.employeeId}</span>
                </td>
                <td>
                  {r.type.replace('_', ' ')}
                  {r.urgent ? ' (urgent)' : ''}
                </td>
                <td>
                  <Status value={r.status} />
                </td>
                <td>{r.effectiveDate}</td>
                <td>
                  {r.steps.filter((s) => ['succeeded', 'skipped'].includes(s.status)).length} of {r.steps.length}
                </td>
                <td>
                  <When at={r.updatedAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
