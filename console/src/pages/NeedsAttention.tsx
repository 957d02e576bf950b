/** The home page: what waits for an operator now. Open alerts (newest first) with the step's error and what to do, and the quarantine. */
import { useState } from 'preact/hooks';
import { api } from '../api';
import { useMay } from '../me';
import { Link, Loading, Problem, ReasonForm, useApi, When } from '../ui';
import { type Alert, personOf, type Run, typeLabel } from './types';
import { runPath, employeePath } from '../router';
import { StepActions } from './StepActions';

interface Quarantine {
  held: number;
  batch?: { openedAt?: string; count?: number };
}

export function NeedsAttention() {
  const alerts = useApi<{ alerts: Alert[] }>('/v1/alerts?status=open');
  const quarantine = useApi<Quarantine>('/v1/quarantine');
  const waiting = useApi<{ runs: Run[]; next?: string }>('/v1/runs?status=awaiting_approval&limit=50');
  const held = useApi<{ runs: Run[]; next?: string }>(quarantine.data?.held ? '/v1/runs?status=quarantined&limit=50' : undefined);
  const open = alerts.data?.alerts ?? [];
  return (
    <section aria-labelledby="needs-attention">
      <div class="title-row">
        <h1 id="needs-attention">Needs attention</h1>
        <button
          type="button"
          class="secondary"
          onClick={() => {
            alerts.reload();
            quarantine.reload();
            waiting.reload();
            held.reload();
          }}
        >
          Refresh
        </button>
      </div>
      <QuarantineBox q={quarantine.data} held={held.data} reload={quarantine.reload} />
      <Loading when={alerts.loading && !alerts.data} />
      <Problem error={alerts.error} />
      {alerts.data && open.length === 0 && <p>Nothing waits for an operator.</p>}
      <ul class="cards">
        {open.map((a) => (
          <li key={a.alertId} class="card">
            <h2>
              {a.action} <span class="muted">for</span> <Link href={employeePath(a.employeeId)}>{a.employeeId}</Link>
            </h2>
            <p class="meta">
              Step <Link href={runPath(a.employeeId, a.runId)}>{a.stepId}</Link> · {a.attempts} attempt{a.attempts === 1 ? '' : 's'} · raised <When at={a.raisedAt} />
            </p>
            <p>{a.message}</p>
            <p class="provider">
              <span class="label">Provider said</span> <code>{a.providerAnswer}</code>
            </p>
            <p class="todo">
              <span class="label">What to do</span> {a.whatToDo}
            </p>
            {/* The card stays, with the answer in place, until the list is refreshed. */}
            <StepActions runId={a.runId} stepId={a.stepId} status="needs_attention" onDone={() => undefined} />
          </li>
        ))}
      </ul>
      {waiting.data && waiting.data.runs.length > 0 && (
        <section aria-labelledby="waiting">
          <h2 id="waiting">Waiting for approval ({waiting.data.next ? 'more than ' : ''}{waiting.data.runs.length})</h2>
          <RunList runs={waiting.data.runs} />
          {waiting.data.next && <Link href="/runs?status=awaiting_approval">All runs waiting for approval</Link>}
        </section>
      )}
      <Problem error={waiting.error} />
    </section>
  );
}

/** Runs as one line each: who, what, since when, linked to the run. */
function RunList({ runs }: { runs: Run[] }) {
  return (
    <ul class="found">
      {runs.map((r) => (
        <li key={r.runId}>
          <Link href={runPath(r.employeeId, r.runId)}>
            {typeLabel(r.type)} of {personOf(r)}
          </Link>{' '}
          <span class="muted">
            effective {r.effectiveDate} · planned <When at={r.createdAt} />
            {r.approval?.requiredBy ? ` · waits: ${r.approval.requiredBy}` : ''}
          </span>
        </li>
      ))}
    </ul>
  );
}

function QuarantineBox({ q, held }: { q?: Quarantine; held?: { runs: Run[]; next?: string }; reload: () => void }) {
  const mayRelease = useMay('quarantine-release');
  const mayReject = useMay('quarantine-reject');
  const [error, setError] = useState<string>();
  const [said, setSaid] = useState<string>();
  const [reason, setReason] = useState('');
  // Once released or rejected, the answer stays where the box was until the page is refreshed.
  if (said) return <p role="status" class="card">{said}</p>;
  if (!q || !q.held) return null;
  const act = async (what: 'release' | 'reject') => {
    setError(undefined);
    try {
      await api(`/v1/quarantine/${what}`, { method: 'POST', body: what === 'release' ? { count: q.held } : { count: q.held, reason } });
      setSaid(what === 'release' ? `Released ${q.held} runs: their steps are queued.` : `Rejected ${q.held} runs: none of their steps runs.`);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <div class="card quarantine" role="region" aria-label="Quarantine">
      <h2>{q.held} runs held by the mass-change guard</h2>
      <p>More events than the guard allows arrived together. Release them if the change is expected; reject them if not.</p>
      {held && <RunList runs={held.runs} />}
      {held?.next && <Link href="/runs?status=quarantined">All held runs</Link>}
      <div class="actions">
        {mayRelease && (
          <button type="button" onClick={() => void act('release')}>
            Release {q.held} runs
          </button>
        )}
        {mayReject && (
          <ReasonForm question="Reason to reject" submit={`Reject ${q.held} runs`} danger reason={reason} setReason={setReason} onSubmit={() => void act('reject')} />
        )}
        {said && <span role="status">{said}</span>}
      </div>
      <Problem error={error} />
    </div>
  );
}
