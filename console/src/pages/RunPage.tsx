/** One run: a timeline of its steps (due, started, finished, attempts, note, provider answer, error) with retry and skip, and its audit trail. */
import { useContext, useState } from 'preact/hooks';
import { api } from '../api';
import { MeContext, useMay } from '../me';
import { Head, Link, Loading, Problem, ReasonForm, Status, useApi, When } from '../ui';
import { type AuditEntry, personOf, type Run, typeLabel } from './types';
import { employeePath } from '../router';
import type { RunView } from '../../../lambdas/engine/model';
import { MoverDiffTable } from './MoverDiff';
import { Fields } from './Fields';
import { StepActions } from './StepActions';

export function RunPage({ runId }: { employeeId: string; runId: string }) {
  const run = useApi<RunView>(`/v1/runs/${encodeURIComponent(runId)}`);
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
      {run.error && !r && <h1 id="run">Run {runId}</h1>}
      <Problem error={run.error} />
      {r && (
        <>
          <h1 id="run">
            {typeLabel(r.type)} of <Link href={employeePath(r.employeeId)}>{personOf(r)}</Link>
          </h1>
          <p class="meta">
            <Status value={r.status} /> · effective {r.effectiveDate}
            {r.urgent ? ' · urgent' : ''}
            {r.role ? (
              <>
                {' '}
                · role <Link href={`/roles/${encodeURIComponent(r.role.name)}`}>{r.role.name}</Link>
              </>
            ) : null}
            {r.sentBy ? ` · sent from the console by ${r.sentBy}` : ''} · run <code>{r.runId}</code> · updated <When at={r.updatedAt} />
          </p>
          {r.notes?.map((n, i) => (
            <p key={i} class="card notice">
              {n}
            </p>
          ))}
          {r.status === 'awaiting_approval' && <ApprovalBox run={r} reload={reload} />}
          {r.approval?.decision && (
            <p class="meta">
              Plan {r.approval.decision} by {r.approval.decidedBy} <When at={r.approval.decidedAt} />
              {r.approval.reason ? `: ${r.approval.reason}` : ''}
            </p>
          )}
          {r.type === 'role_change' && r.status !== 'awaiting_approval' && <MoverDiff run={r} />}
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
                    <Fields label="With" value={s.params} />
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
                    {s.result && Object.keys(s.result).length > 0 && <Fields label="Recorded" value={s.result} />}
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
                    <StepActions runId={r.runId} stepId={s.stepId} status={s.status} runStatus={r.status} onDone={reload} />
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

/** A plan waiting for an approver: approve exactly the plan shown (its hash), or reject it with a reason. */
function ApprovalBox({ run, reload }: { run: RunView; reload: () => void }) {
  const me = useContext(MeContext);
  // Four eyes: whoever sent the event from the console cannot approve it (the API refuses it too).
  const ownEvent = run.sentBy !== undefined && run.sentBy.toLowerCase() === me?.name?.toLowerCase();
  const mayApprove = useMay('approve') && !ownEvent;
  const mayReject = useMay('reject');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [said, setSaid] = useState<string>();
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const planHash = run.approval?.planHash;
  const decide = async (what: 'approve' | 'reject') => {
    setBusy(true);
    setError(undefined);
    try {
      await api(`/v1/runs/${encodeURIComponent(run.runId)}/${what}`, { method: 'POST', body: what === 'approve' ? { planHash } : { planHash, reason } });
      setSaid(what === 'approve' ? 'Approved: the steps run as planned.' : 'Rejected: no step runs.');
      reload();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="card approval" role="region" aria-label="Approval">
      <h2>Waiting for approval</h2>
      <p>
        {run.approval?.requiredBy ? `Why it waits: ${run.approval.requiredBy}. ` : ''}
        The steps below are the plan: approving approves exactly these.
      </p>
      {run.type === 'role_change' && <MoverDiff run={run} />}
      {!said && (mayApprove || mayReject) && (
        <div class="actions">
          {mayApprove && (
            <button type="button" disabled={busy} onClick={() => void decide('approve')}>
              Approve plan
            </button>
          )}
          {mayReject && !rejecting && (
            <button type="button" class="secondary" disabled={busy} onClick={() => setRejecting(true)}>
              Reject…
            </button>
          )}
          {rejecting && (
            <ReasonForm
              question="Why is this plan rejected?"
              submit="Reject plan"
              danger
              busy={busy}
              reason={reason}
              setReason={setReason}
              onSubmit={() => void decide('reject')}
              onCancel={() => setRejecting(false)}
            />
          )}
        </div>
      )}
      {ownEvent && <p class="muted">You sent this event: another approver approves it. You may still reject it.</p>}
      {!mayApprove && !mayReject && <p class="muted">An approver decides.</p>}
      {said && <p role="status">{said}</p>}
      <Problem error={error} />
    </div>
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
          const restore = run.type === 'terminate' ? ' What its steps removed is given back from what they recorded; a reset password cannot be.' : '';
          if (!confirm(`Cancel this ${typeLabel(run.type)}? Steps not yet run will not run.${restore}`)) return;
          api(`/v1/runs/${encodeURIComponent(run.runId)}/cancel`, { method: 'POST' })
            .then(() => {
              setSaid('Cancelled.');
              reload();
            })
            .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)));
        }}
      >
        {run.type === 'terminate' ? 'Cancel and restore access' : 'Cancel run'}
      </button>
      {said && <span role="status">{said}</span>}
      <Problem error={error} />
    </div>
  );
}

/** A role change's access diff (GET /v1/runs/{runId} answers it for a role change). */
function MoverDiff({ run }: { run: RunView }) {
  return run.moverDiff ? <MoverDiffTable diff={run.moverDiff} /> : null;
}
