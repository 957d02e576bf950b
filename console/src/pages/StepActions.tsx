/** Retry and skip of one step, for those who may; the answer is shown in place. Skip asks for a reason. */
import { useState } from 'preact/hooks';
import { api } from '../api';
import { HELD_RUN_STATUSES, SKIPPABLE_STEP_STATUSES, type RunStatus, type StepStatus } from '../../../lambdas/engine/model';
import { useMay } from '../me';
import { Problem, ReasonForm } from '../ui';

/** `runStatus`: a run held (awaiting approval, quarantined, ended) has no step an operator may retry or skip. */
export function StepActions(props: { runId: string; stepId: string; status: StepStatus; runStatus?: RunStatus; onDone: () => void }) {
  const mayRetry = useMay('retry');
  const maySkip = useMay('skip');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [said, setSaid] = useState<string>();
  const [skipping, setSkipping] = useState(false);
  const [reason, setReason] = useState('');
  const base = `/v1/runs/${encodeURIComponent(props.runId)}/steps/${encodeURIComponent(props.stepId)}`;
  const act = async (what: 'retry' | 'skip') => {
    setBusy(true);
    setError(undefined);
    try {
      await api(`${base}/${what}`, { method: 'POST', ...(what === 'skip' ? { body: { reason } } : {}) });
      setSaid(what === 'retry' ? 'Queued again.' : 'Skipped.');
      setSkipping(false);
      props.onDone();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  // Once it has acted, the answer stays in place of the buttons: a second click would only be refused.
  const held = props.runStatus !== undefined && HELD_RUN_STATUSES.includes(props.runStatus);
  const canRetry = !said && !held && mayRetry && props.status === 'needs_attention';
  const canSkip = !said && !held && maySkip && SKIPPABLE_STEP_STATUSES.includes(props.status);
  if (!canRetry && !canSkip && !said) return null;
  return (
    <div class="actions">
      {canRetry && (
        <button type="button" disabled={busy} onClick={() => void act('retry')}>
          Retry {props.stepId}
        </button>
      )}
      {canSkip && !skipping && (
        <button type="button" class="secondary" disabled={busy} onClick={() => setSkipping(true)}>
          Skip…
        </button>
      )}
      {skipping && (
        <ReasonForm
          question={`Why is ${props.stepId} done by hand?`}
          submit={`Skip ${props.stepId}`}
          busy={busy}
          reason={reason}
          setReason={setReason}
          onSubmit={() => void act('skip')}
          onCancel={() => setSkipping(false)}
        />
      )}
      {said && <span role="status">{said}</span>}
      <Problem error={error} />
    </div>
  );
}
