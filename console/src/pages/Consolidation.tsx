/**
 * The latest consolidation report (GET /v1/consolidation): when it ran, each system's read (time, calls, why one
 * failed), and each finding with its fixes, each one call that starts a run (POST /v1/consolidation/findings/{id}/fix).
 */
import { useState } from 'preact/hooks';
import { api } from '../api';
import { Head, Loading, Problem, When, useApi } from '../ui';
import type { ConsolidationReportView as Report, Finding } from '../../../lambdas/consolidation/report';

const KIND_LABELS: Record<string, string> = { unbound: 'Bound to nobody', leaver_active: 'Leaver still active', missing: 'Missing', extra: 'Extra access' };

function FixButtons({ finding, done }: { finding: Finding; done: (message: string) => void }) {
  const bind = finding.fixes.find((f) => f.fix === 'bind');
  const [employeeId, setEmployeeId] = useState(bind?.suggestedEmployeeId ?? '');
  const [error, setError] = useState<string>();
  const fix = async (kind: string) => {
    setError(undefined);
    try {
      const out = await api<{ runId: string; status: string; created: boolean }>(`/v1/consolidation/findings/${finding.id}/fix`, { method: 'POST', body: kind === 'bind' ? { fix: kind, employeeId } : { fix: kind } });
      done(`${kind}: run ${out.runId} ${out.created ? 'planned' : 'already planned'} (${out.status})`);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <div>
      {bind && (
        <label>
          Employee id <input value={employeeId} onInput={(e) => setEmployeeId((e.target as HTMLInputElement).value)} size={10} />
        </label>
      )}
      {finding.fixes.map((f) => (
        <button key={f.fix} type="button" title={f.description} onClick={() => void fix(f.fix)}>
          {f.fix}
        </button>
      ))}
      {finding.fixes.length === 0 && <span class="muted small">protected: by hand</span>}
      <Problem error={error} />
    </div>
  );
}

export function Consolidation() {
  const report = useApi<Report>('/v1/consolidation');
  const [running, setRunning] = useState(false);
  const [notice, setNotice] = useState<string>();
  const [runError, setRunError] = useState<string>();
  const runNow = async () => {
    setRunning(true);
    setRunError(undefined);
    try {
      await api('/v1/consolidation/run', { method: 'POST' });
      report.reload();
    } catch (err) {
      setRunError(err instanceof Error ? err.message : String(err));
    } finally {
      setRunning(false);
    }
  };
  const r = report.data;
  return (
    <section aria-labelledby="consolidation">
      <h1 id="consolidation">Consolidation</h1>
      <p class="muted">Every connected system's accounts against the records. Reading changes nothing; each fix is a run, approved and audited like any other.</p>
      <button type="button" disabled={running} onClick={() => void runNow()}>
        {running ? 'Reading every system…' : 'Run now'}
      </button>
      <Problem error={runError} />
      {notice && <p role="status">{notice}</p>}
      <Loading when={report.loading && !r} />
      {!r && report.error && <p class="muted">{report.error}</p>}
      {r && (
        <>
          <p>
            Ran <When at={r.startedAt} /> for {(r.durationMs / 1000).toFixed(1)} s, asked by {r.requestedBy}.
          </p>
          <table aria-label="Systems read">
            <Head columns={['System', 'Read', 'Accounts', 'Time', 'Calls', 'Pages']} />
            <tbody>
              {r.systems.map((s) => (
                <tr key={s.system}>
                  <td>{s.system}</td>
                  <td>{s.ok ? 'read' : <span class="problem">failed: {s.error}</span>}</td>
                  <td>{s.accounts}</td>
                  <td>{(s.ms / 1000).toFixed(1)} s</td>
                  <td>{s.calls}</td>
                  <td>{s.pages}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>Findings</h2>
          {r.findings.length === 0 && <p>Nothing to fix.</p>}
          {r.findings.length > 0 && (
            <table aria-label="Findings">
              <Head columns={['Kind', 'System', 'Account', 'Employee', 'What is wrong', 'Fix']} />
              <tbody>
                {r.findings.map((f) => (
                  <tr key={f.id}>
                    <td>{KIND_LABELS[f.kind] ?? f.kind}</td>
                    <td>{f.system}</td>
                    <td>{f.account ? (f.account.email ?? f.account.accountId) : '—'}</td>
                    <td>{f.employeeId ?? '—'}</td>
                    <td>{f.message}</td>
                    <td>
                      <FixButtons finding={f} done={setNotice} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
