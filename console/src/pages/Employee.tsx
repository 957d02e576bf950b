/** One employee: profile, bound accounts, every run. Search by id. */
import { useState } from 'preact/hooks';
import { employeePath, navigate, runPath } from '../router';
import { Head, Link, Loading, Problem, Status, useApi, When } from '../ui';
import { type Run, typeLabel } from './types';

interface EmployeeView {
  employee?: { id: string; firstName?: string; lastName?: string; email?: string; managerEmail?: string; role?: string };
  accounts?: { system: string; address: string; state?: string; boundBy?: string }[];
  runs?: Run[];
}

interface Found {
  id: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  role?: string;
}

/** Search by the start of an id, a name or an address (GET /v1/employees?q=); the query is kept in the URL. */
export function EmployeeSearch() {
  const initial = new URLSearchParams(location.search).get('q') ?? '';
  const [q, setQ] = useState(initial);
  const found = useApi<{ employees: Found[] }>(initial.length >= 2 ? `/v1/employees?q=${encodeURIComponent(initial)}` : undefined);
  return (
    <>
      <form
        class="search"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          if (q.trim()) navigate(`/employees?q=${encodeURIComponent(q.trim())}`);
        }}
      >
        <label>
          Id, name or address <input value={q} onInput={(e) => setQ((e.target as HTMLInputElement).value)} placeholder="E100, Ada, ada.lovelace@" />
        </label>
        <button type="submit">Search</button>
      </form>
      {initial.length >= 2 && <Problem error={found.error} />}
      {initial.length >= 2 && found.data && (
        <ul class="found">
          {found.data.employees.length === 0 && <li>No employee starts with “{initial}”.</li>}
          {found.data.employees.map((f) => (
            <li key={f.id}>
              <Link href={employeePath(f.id)}>{[f.firstName, f.lastName].filter(Boolean).join(' ') || f.id}</Link> <span class="muted">{f.id}{f.email ? ` · ${f.email}` : ''}{f.role ? ` · ${f.role}` : ''}</span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

export function EmployeePage({ id }: { id: string }) {
  const view = useApi<EmployeeView>(`/v1/employees/${encodeURIComponent(id)}`);
  const e = view.data?.employee;
  return (
    <section aria-labelledby="employee">
      <h1 id="employee">{e ? [e.firstName, e.lastName].filter(Boolean).join(' ') || e.id : `Employee ${id}`}</h1>
      <EmployeeSearch />
      <Loading when={view.loading && !view.data} />
      <Problem error={view.error} />
      {e && (
        <dl class="profile">
          <dt>Id</dt>
          <dd>{e.id}</dd>
          <dt>Address</dt>
          <dd>{e.email ?? '—'}</dd>
          <dt>Manager</dt>
          <dd>{e.managerEmail ?? '—'}</dd>
          <dt>Role</dt>
          <dd>{e.role ?? '—'}</dd>
          <dt>Accounts</dt>
          <dd>{view.data?.accounts?.length ? view.data.accounts.map((a) => `${a.system}: ${a.address}${a.state ? ` (${a.state})` : ''}`).join(', ') : '—'}</dd>
        </dl>
      )}
      {view.data?.runs && (
        <table>
          <caption>Runs</caption>
          <Head columns={['Run', 'Status', 'Effective', 'Created']} />
          <tbody>
            {view.data.runs.map((r) => (
              <tr key={r.runId}>
                <td>
                  <Link href={runPath(id, r.runId)}>{typeLabel(r.type)}</Link>
                </td>
                <td>
                  <Status value={r.status} />
                </td>
                <td>{r.effectiveDate}</td>
                <td>
                  <When at={r.createdAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
