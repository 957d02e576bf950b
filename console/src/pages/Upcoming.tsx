/** The steps due in the next days (GET /v1/upcoming), by day: in the viewer's time zone, with the employee's beside it. */
import type { UpcomingStep } from '../../../lambdas/engine/model';
import { Head, Link, Loading, Problem, useApi } from '../ui';
import { typeLabel } from './types';
import { runPath, employeePath } from '../router';


const dayOf = (at: string) => new Date(at).toLocaleDateString(undefined, { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' });
const timeOf = (at: string) => new Date(at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
/** The employee's own day and time: their day may not be the viewer's. */
const theirTime = (at: string, timeZone: string) => new Date(at).toLocaleString(undefined, { weekday: 'short', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone, timeZoneName: 'short' });

export function Upcoming() {
  const days = Number(new URLSearchParams(location.search).get('days')) || 30;
  const upcoming = useApi<{ steps: UpcomingStep[]; truncated?: boolean }>(`/v1/upcoming?days=${days}`);
  const byDay = new Map<string, UpcomingStep[]>();
  for (const s of upcoming.data?.steps ?? []) byDay.set(dayOf(s.dueAt), [...(byDay.get(dayOf(s.dueAt)) ?? []), s]);
  return (
    <section aria-labelledby="upcoming">
      <h1 id="upcoming">Coming up in the next {days} days</h1>
      <p class="muted">Times in your time zone ({Intl.DateTimeFormat().resolvedOptions().timeZone}), with the employee's own beside it.</p>
      <Loading when={upcoming.loading && !upcoming.data} />
      <Problem error={upcoming.error} />
      {upcoming.data && byDay.size === 0 && <p>Nothing is due.</p>}
      {upcoming.data?.truncated && <p class="problem">More steps are due than one page shows; narrow the days.</p>}
      {[...byDay].map(([day, steps]) => (
        <section key={day} aria-label={day} class="day">
          <h2>{day}</h2>
          <table>
            <Head columns={['Time', "Employee's time", 'Employee', 'Step', 'Run']} />
            <tbody>
              {steps.map((s) => (
                <tr key={`${s.runId}/${s.stepId}`}>
                  <td>{timeOf(s.dueAt)}</td>
                  <td>{s.timezone ? theirTime(s.dueAt, s.timezone) : '—'}</td>
                  <td>
                    <Link href={employeePath(s.employeeId)}>{s.employeeName ?? s.employeeId}</Link>
                  </td>
                  <td>
                    {s.stepId} <span class="muted small">{s.action}</span>
                  </td>
                  <td>
                    <Link href={runPath(s.employeeId, s.runId)}>{typeLabel(s.type)}</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </section>
  );
}
