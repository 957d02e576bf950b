/**
 * Many hires from a CSV: every bad line is named (line number and field) before anything is sent, then one event
 * per row goes out through POST /v1/operator/events with a progress bar, and a summary links each run.
 */
import { useState } from 'preact/hooks';
import { importOutcome, issueText, OPTIONAL_COLUMNS, planImport, REQUIRED_COLUMNS, type ImportOutcome, type ImportPlan, type ImportRow } from '../../../lambdas/engine/hire-import';
import { request } from '../api';
import { useMay } from '../me';
import { Head, Link, Problem } from '../ui';

interface Sent {
  line: number;
  employeeId: string;
  name: string;
  /** The run's status as answered: scheduled, or awaiting approval. */
  status?: string;
  outcome: ImportOutcome;
  runId?: string;
  error?: string;
}

/** The planner's messages name these fields as this page labels them. */
const OPTION_NAMES = { domain: 'mail domain for a username', startDate: 'start date for rows without one' };
/** Events in flight at once: fast enough for a few hundred rows, gentle on the API's throttling. */
const AT_ONCE = 4;

async function sendRow(row: ImportRow): Promise<Sent> {
  const base = { line: row.line, employeeId: row.event.employee.id, name: [row.event.employee.firstName, row.event.employee.lastName].filter(Boolean).join(' ') };
  try {
    const answer = await request<{ runId: string; status: string }>('/v1/operator/events', { method: 'POST', body: row.event });
    return { ...base, outcome: importOutcome(answer.status), runId: answer.body.runId, status: answer.body.status };
  } catch (err) {
    const status = (err as { status?: number }).status ?? 0;
    return { ...base, outcome: importOutcome(status), error: err instanceof Error ? err.message : String(err) };
  }
}

export function Import() {
  const maySend = useMay('send-event');
  const [fileName, setFileName] = useState<string>();
  const [text, setText] = useState<string>();
  const [startDate, setStartDate] = useState('');
  const [timezone, setTimezone] = useState('');
  const [domain, setDomain] = useState('');
  const [sent, setSent] = useState<Sent[]>([]);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string>();
  const plan: ImportPlan | undefined = text === undefined ? undefined : planImport(text, { optionNames: OPTION_NAMES, ...(startDate ? { startDate } : {}), ...(timezone ? { timezone } : {}), ...(domain ? { domain } : {}) });
  const rows = plan?.ok ? plan.rows : [];
  const done = sent.length;

  const send = async () => {
    setSending(true);
    setSent([]);
    const queue = [...rows];
    const results: Sent[] = [];
    const worker = async () => {
      for (let row = queue.shift(); row; row = queue.shift()) {
        results.push(await sendRow(row));
        setSent([...results]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(AT_ONCE, queue.length) }, worker));
    setSending(false);
  };

  const counts = (['created', 'duplicate', 'conflict', 'failed'] as ImportOutcome[]).map((o) => [o, sent.filter((s) => s.outcome === o).length] as const);
  const finished = !sending && done > 0 && done === rows.length;
  return (
    <section aria-labelledby="import">
      <h1 id="import">Import hires</h1>
      <p class="muted">
        A CSV with a header row. Columns: {REQUIRED_COLUMNS.join(', ')} (required); {OPTIONAL_COLUMNS.join(', ')}. Every line is checked before anything is sent; the same file imported again is
        answered as duplicates.
      </p>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          CSV file
          <input
            type="file"
            accept=".csv,text/csv"
            disabled={sending}
            onChange={(e) => {
              const file = (e.target as HTMLInputElement).files?.[0];
              setSent([]);
              setError(undefined);
              if (!file) return;
              setFileName(file.name);
              file.text().then(setText, (err: unknown) => setError(`The file could not be read: ${String(err)}`));
            }}
          />
        </label>
        <label>
          Start date for rows without one
          <input type="date" value={startDate} disabled={sending} onInput={(e) => setStartDate((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          Time zone for rows without one
          <input placeholder="UTC" value={timezone} disabled={sending} onInput={(e) => setTimezone((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          Mail domain for a username
          <input placeholder="example.com" value={domain} disabled={sending} onInput={(e) => setDomain((e.target as HTMLInputElement).value)} />
        </label>
      </form>
      <Problem error={error} />
      {plan && !plan.ok && (
        <div role="alert" class="problem">
          <p>
            <strong>
              {fileName} has {plan.issues.length} problem{plan.issues.length === 1 ? '' : 's'}; nothing was sent.
            </strong>{' '}
            Fix the file and choose it again.
          </p>
          <table class="issues">
            <Head columns={['Line', 'Column', 'Field', 'Problem']} />
            <tbody>
              {plan.issues.map((i, n) => (
                <tr key={n}>
                  <td>{i.line}</td>
                  <td>{i.column ?? '—'}</td>
                  <td>{i.path ?? '(file)'}</td>
                  <td title={issueText(i)}>{i.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {plan?.ok && (
        <>
          <p role="status">
            {fileName}: {rows.length} hire{rows.length === 1 ? '' : 's'}, every line valid.
          </p>
          {done === 0 && !sending && (
            <>
              <table>
                <Head columns={['Line', 'Employee', 'Name', 'Start', 'Role']} />
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.line}>
                      <td>{r.line}</td>
                      <td>
                        <code>{r.event.employee.id}</code>
                      </td>
                      <td>{[r.event.employee.firstName, r.event.employee.lastName].filter(Boolean).join(' ')}</td>
                      <td>{r.event.effectiveDate}</td>
                      <td>{r.event.employee.role ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {maySend ? (
                <button type="button" disabled={rows.length === 0} onClick={() => void send()}>
                  Import {rows.length} hire{rows.length === 1 ? '' : 's'}
                </button>
              ) : (
                <p class="muted">Only an approver sends events from the console.</p>
              )}
            </>
          )}
        </>
      )}
      {(sending || done > 0) && (
        <div class="progress">
          <label for="import-progress">
            Sent {done} of {rows.length}
          </label>
          <progress id="import-progress" max={rows.length} value={done} aria-valuetext={`${Math.round((100 * done) / Math.max(rows.length, 1))} %`}>
            {done} of {rows.length}
          </progress>
          <span>{Math.round((100 * done) / Math.max(rows.length, 1))} %</span>
        </div>
      )}
      {finished && (
        <section aria-labelledby="summary">
          <h2 id="summary">Summary</h2>
          <p role="status">{counts.map(([o, n]) => `${n} ${o}`).join(', ')}</p>
          <table>
            <Head columns={['Line', 'Employee', 'Name', 'Outcome', 'Run']} />
            <tbody>
              {[...sent]
                .sort((a, b) => a.line - b.line)
                .map((s) => (
                  <tr key={s.line} class={`outcome-${s.outcome}`}>
                    <td>{s.line}</td>
                    <td>
                      <Link href={`/employees/${encodeURIComponent(s.employeeId)}`}>{s.employeeId}</Link>
                    </td>
                    <td>{s.name}</td>
                    <td>
                      {s.outcome}
                      {s.status && <span class="muted small"> ({s.status.replace(/_/g, ' ')})</span>}
                      {s.error && <div class="problem-inline small">{s.error}</div>}
                    </td>
                    <td>{s.runId ? <Link href={`/runs/${encodeURIComponent(s.employeeId)}/${encodeURIComponent(s.runId)}`}>{s.runId}</Link> : '—'}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        </section>
      )}
    </section>
  );
}
