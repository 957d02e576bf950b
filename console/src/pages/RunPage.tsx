/** One run: a timeline of its steps (due, started, finished, attempts, note, provider answer, error) with retry and skip, and its audit trail. */
import { useState } from 'preact/hooks';
import { api } from '../api';
import { useMay } from '../me';
import { Head, Link, Loading, Problem, Status, useApi, When } from '../ui';
import { StepActions } from './StepActions';
import { personOf, type AuditEntry, type Run } from './types';

export function RunPage({ runId }: { employeeId: string; runId: string }) {
  const run = useApi<Run>(`/v1/runs/${encodeURIComponent(runId)}`);
  // The audit trail is the run's employee's (the URL's id is only a hint, and may be wrong).
  const r = run.data;
  const employee = useApi<{ audit?: AuditEntry[] }>(r ? `/v1/employees/${encodeURIComponent(r.employeeId)}` : undefined);
  const reload = () => {
    run.reload();
    employee.reload();
  };
  const audit = (employee.data?.audit ?? []).filter((a) => a.runId === runId);
  return (
    <section aria-labelledby="run">
      <Loading when={run.loading && !r} />
      <Problem error={run.error} />
      {r && (
        <>
          <h1 id="run">
            {r.type.replace('_', ' ')} of <Link href={`/employees/${encodeURIComponent(r.employeeId)}`}>{personOf(r)}</Link>
          </h1>
          <p class="meta">
            <Status value={r.status} /> · effective {r.effectiveDate}
            {r.urgent ? ' · urgent' : ''} · run <code>{r.runId}</code> · updated <When at={r.updatedAt} />
          </p>
          <RunButtons run={r} reload={reload} />
          <table class="timeline">
            <caption>Steps</caption>
            <Head columns={['Step', 'Status', 'Due', 'Started', 'Finished', 'Attempts', 'What happened']} />
            <tbody>
              {r.steps.map((s) => (
                <tr key={s.stepId} id={`step-${s.stepId}`} class={`row-${s.status}`}>
                  <th scope="row">
                    {s.stepId}
                    <div class="muted small">{s.action}</div>
                  </th>
                  <td>
                    <Status value={s.status} />
                  </td>
                  <td>
                    <When at={s.dueAt} />
                  </td>
                  <td>
                    <When at={s.startedAt} />
                  </td>
                  <td>
                    <When at={s.finishedAt} />
                  </td>
                  <td>{s.attempts}</td>
                  <td>
                    {s.note && <div>{s.note}</div>}
                    {s.lastError && (
                      <div class="problem-inline">
                        {s.lastError.message}
                        {s.lastError.providerAnswer && (
                          <div>
                            <span class="label">Provider said</span> <code>{s.lastError.providerAnswer}</code>
                          </div>
                        )}
                      </div>
                    )}
                    <StepActions runId={r.runId} stepId={s.stepId} status={s.status} onDone={reload} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>Audit trail</h2>
          {audit.length === 0 ? (
            <p class="muted">No entries.</p>
          ) : (
            <ol class="audit">
              {audit.map((a, i) => (
                <li key={i}>
                  <When at={a.at} /> <strong>{a.actor}</strong> {a.stepId ? <code>{a.stepId}</code> : null} {a.change}
                  {a.from || a.to ? <span class="muted"> ({[a.from, a.to].filter(Boolean).join(' → ')})</span> : null}
                </li>
              ))}
            </ol>
          )}
        </>
      )}
    </section>
  );
}

/** Cancel (a leaver's cancel restores what was removed) for those who may, with the answer in place. */
function RunButtons({ run, reload }: { run: Run; reload: () => void }) {
  const mayCancel = useMay('cancel');
  const [error, setError] = useState<string>();
  const [said, setSaid] = useState<string>();
  if (!mayCancel || ['completed', 'cancelled', 'rejected'].includes(run.status)) return <Problem error={error} />;
  return (
    <div class="actions">
      <button
        type="button"
        class="danger"
        onClick={() => {
          if (!confirm(`Cancel this ${run.type.replace('_', ' ')}? Steps not yet run will not run.`)) return;
          api(`/v1/runs/${encodeURIComponent(run.runId)}/cancel`, { method: 'POST' })
            .then(() => {
              setSaid('Cancelled.');
              reload();
            })
            .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)));
        }}
      >
        Cancel run
      </button>
      {said && <span role="status">{said}</span>}
      <Problem error={error} />
    </div>
  );
}
