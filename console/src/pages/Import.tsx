/**
 * Many hires, role changes and leavers from a CSV. Every line is checked before anything is sent: first in the browser with the API's own event
 * rules (the CLI's planner), then by the API itself (POST /v1/events/preview?from=console, which writes nothing and
 * knows the stage's playbooks and roles). Then one event per row goes out through POST /v1/operator/events with a
 * progress bar, and a summary links each run; rows that failed can be sent again.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { importOutcome, issueText, OPTIONAL_COLUMNS, planImport, REQUIRED_COLUMNS, type ImportOutcome, type ImportRow, type RowIssue } from '../../../lambdas/engine/hire-import';
import { ApiError, request } from '../api';
import { currentToken } from '../auth';
import { useMay } from '../me';
import { Head, Link, Problem } from '../ui';
import { runPath, employeePath } from '../router';

interface Sent {
  line: number;
  employeeId: string;
  name: string;
  outcome: ImportOutcome;
  /** The run's status as answered: awaiting approval, for an event from the console. */
  status?: string;
  runId?: string;
  error?: string;
}

/** What the API said of a row before anything was sent; `unchecked`: it could not say (unavailable, throttled, offline). */
type Checked = { line: number; ok: true; received?: string } | { line: number; ok: false; issue: RowIssue } | { line: number; ok: 'unchecked'; message: string };

/** The planner's messages name these fields as this page labels them. */
const OPTION_NAMES = { domain: 'mail domain for a username', startDate: 'start date for hires without one', timezone: 'time zone for rows without one' };
/** Requests in flight at once: fast enough for a few hundred rows, gentle on the API's throttling. */
const AT_ONCE = 4;

const nameOf = (row: ImportRow) => [row.event.employee.firstName, row.event.employee.lastName].filter(Boolean).join(' ');
const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Runs `work` on every item, AT_ONCE at a time, in order of the list; stops taking new items once `stop()` says so. */
async function inTurn<T>(items: readonly T[], work: (item: T) => Promise<void>, stop: () => boolean): Promise<void> {
  const queue = [...items];
  const worker = async () => {
    for (let item = queue.shift(); item !== undefined && !stop(); item = queue.shift()) await work(item);
  };
  await Promise.all(Array.from({ length: Math.min(AT_ONCE, queue.length) }, worker));
}

/** The API's own check of one row: the plan it would make, or the field it refuses. */
async function checkRow(row: ImportRow): Promise<Checked> {
  try {
    await request('/v1/events/preview?from=console', { method: 'POST', body: row.event });
    return { line: row.line, ok: true };
  } catch (err) {
    const body = err instanceof ApiError ? (err.body as { runId?: string; issues?: { path: string; message: string }[] } | undefined) : undefined;
    // Received already (this file, or this row, was imported before): sending it again answers that run.
    if (err instanceof ApiError && err.status === 409 && body?.runId) return { line: row.line, ok: true, received: body.runId };
    // Not the row's fault: the API could not answer for it now.
    if (!(err instanceof ApiError) || (err.status !== 400 && err.status !== 409)) return { line: row.line, ok: 'unchecked', message: messageOf(err) };
    const first = body?.issues?.[0];
    return { line: row.line, ok: false, issue: { line: row.line, ...(first ? { path: first.path } : {}), message: first?.message ?? messageOf(err) } };
  }
}

async function sendRow(row: ImportRow): Promise<Sent> {
  const base = { line: row.line, employeeId: row.event.employee.id, name: nameOf(row) };
  try {
    const answer = await request<{ runId: string; status: string }>('/v1/operator/events', { method: 'POST', body: row.event });
    return { ...base, outcome: importOutcome(answer.status, answer.body.status), runId: answer.body.runId, status: answer.body.status };
  } catch (err) {
    return { ...base, outcome: importOutcome(err instanceof ApiError ? err.status : 0), error: messageOf(err) };
  }
}

/** Asks before the page is left while requests are still going out. */
function useLeaveWarning(busy: boolean) {
  useEffect(() => {
    if (!busy) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    addEventListener('beforeunload', warn);
    return () => removeEventListener('beforeunload', warn);
  }, [busy]);
}

export function Import() {
  const maySend = useMay('send-event');
  const [file, setFile] = useState<{ name: string; text: string }>();
  const [startDate, setStartDate] = useState('');
  const [timezone, setTimezone] = useState('');
  const [domain, setDomain] = useState('');
  const [checked, setChecked] = useState<Checked[]>([]);
  const [checking, setChecking] = useState(false);
  const [sent, setSent] = useState<Sent[]>([]);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string>();
  // Each check or send has its number: a newer one (another file, another option) makes the older one stop.
  const generation = useRef(0);
  useLeaveWarning(checking || sending);

  // Planned once per file and options, not on every progress step.
  const plan = useMemo(
    () => (file ? planImport(file.text, { optionNames: OPTION_NAMES, ...(startDate ? { startDate } : {}), ...(timezone ? { timezone } : {}), ...(domain ? { domain } : {}) }) : undefined),
    [file, startDate, timezone, domain],
  );
  const rows = plan?.ok ? plan.rows : [];

  // A file valid in the browser is checked by the API, row by row, before anything can be sent.
  const [recheck, setRecheck] = useState(0);
  useEffect(() => {
    const mine = ++generation.current;
    setChecked([]);
    setSent([]);
    setChecking(false);
    if (!plan?.ok || rows.length === 0) return;
    setChecking(true);
    const found: Checked[] = [];
    void inTurn(
      rows,
      async (row) => {
        found.push(await checkRow(row));
        if (mine === generation.current) setChecked([...found]);
      },
      () => mine !== generation.current || !currentToken(),
    ).then(() => mine === generation.current && setChecking(false));
  }, [plan, recheck]);

  const refused = checked.filter((c): c is Extract<Checked, { ok: false }> => c.ok === false).sort((a, b) => a.line - b.line);
  const unchecked = checked.filter((c): c is Extract<Checked, { ok: 'unchecked' }> => c.ok === 'unchecked').sort((a, b) => a.line - b.line);
  const received = checked.filter((c) => c.ok === true && c.received).length;
  const allChecked = plan?.ok && checked.length === rows.length && !checking;
  const ready = allChecked && refused.length === 0 && unchecked.length === 0;

  const send = async (which: ImportRow[], keep: Sent[]) => {
    const mine = ++generation.current;
    setSending(true);
    setError(undefined);
    const results = [...keep];
    setSent(results);
    await inTurn(
      which,
      async (row) => {
        results.push(await sendRow(row));
        if (mine === generation.current) setSent([...results]);
      },
      // Signed out (a 401 on the way): the rest would only be refused.
      () => mine !== generation.current || !currentToken(),
    );
    if (!currentToken()) setError('Your sign-in ended while sending: sign in again and send the rows not sent.');
    if (mine === generation.current) setSending(false);
  };

  const done = sent.length;
  const pct = Math.round((100 * done) / Math.max(rows.length, 1));
  const failedRows = rows.filter((r) => sent.some((s) => s.line === r.line && s.outcome === 'failed'));
  const notSent = rows.filter((r) => !sent.some((s) => s.line === r.line));
  const counts = (['created', 'duplicate', 'conflict', 'failed', 'held'] as ImportOutcome[]).map((o) => [o, sent.filter((s) => s.outcome === o).length] as const);
  const finished = !sending && done > 0;

  return (
    <section aria-labelledby="import">
      <h1 id="import">Import events</h1>
      <p class="muted">
        A CSV with a header row. Columns: {REQUIRED_COLUMNS.join(', ')} (required); {OPTIONAL_COLUMNS.join(', ')}. A row's type is hire, role_change or terminate (hire when empty). Every line is checked before anything is sent,
        here and by the API. Each event waits for a second approver. Importing the same file again is safe: rows already sent are answered as duplicates.
      </p>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          CSV file
          <input
            type="file"
            accept=".csv,text/csv"
            disabled={sending}
            onChange={(e) => {
              const input = e.target as HTMLInputElement;
              const chosen = input.files?.[0];
              setError(undefined);
              if (!chosen) return;
              chosen.text().then(
                (text) => setFile({ name: chosen.name, text }),
                (err: unknown) => setError(`The file could not be read: ${messageOf(err)}`),
              );
              // The same file chosen again (fixed in between) is read again.
              input.value = '';
            }}
          />
        </label>
        <label>
          Start date for hires without one
          <input type="date" value={startDate} disabled={sending} onChange={(e) => setStartDate((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          Time zone for rows without one
          <input placeholder="UTC for hires; movers and leavers need one" value={timezone} disabled={sending} onChange={(e) => setTimezone((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          Mail domain for a username
          <input placeholder="example.com" value={domain} disabled={sending} onChange={(e) => setDomain((e.target as HTMLInputElement).value)} />
        </label>
      </form>
      <Problem error={error} />
      {plan && !plan.ok && <Refused fileName={file?.name} issues={plan.issues} />}
      {plan?.ok && !allChecked && (
        <p role="status">
          {file?.name}: {rows.length} events; the API is checking them: {checked.length} of {rows.length}.
        </p>
      )}
      {allChecked && refused.length > 0 && <Refused fileName={file?.name} issues={refused.map((r) => r.issue)} />}
      {allChecked && refused.length === 0 && unchecked.length > 0 && (
        <div role="alert" class="problem">
          <p>
            The API could not check {unchecked.length} line{unchecked.length === 1 ? '' : 's'} (line {unchecked.map((u) => u.line).join(', ')}): {unchecked[0].message}. Nothing was sent; the file
            itself may be fine.
          </p>
          <button type="button" onClick={() => setRecheck((n) => n + 1)}>
            Check again
          </button>
        </div>
      )}
      {ready && (
        <>
          <p role="status">
            {file?.name}: {rows.length} event{rows.length === 1 ? '' : 's'}, every line valid{received ? `; ${received} already received (sending answers their runs)` : ''}.
          </p>
          {done === 0 && !sending && (
            <>
              <table>
                <Head columns={['Line', 'Type', 'Employee', 'Name', 'Date', 'Role']} />
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.line}>
                      <td>{r.line}</td>
                      <td>{r.event.type.replace(/_/g, ' ')}</td>
                      <td>
                        <code>{r.event.employee.id}</code>
                      </td>
                      <td>{nameOf(r)}</td>
                      <td>{r.event.effectiveDate}</td>
                      <td>{r.event.employee.role ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {maySend ? (
                <button type="button" onClick={() => void send(rows, [])}>
                  Import {rows.length} event{rows.length === 1 ? '' : 's'}
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
          <progress id="import-progress" max={rows.length} value={done}>
            {pct} %
          </progress>
          <span aria-hidden="true">{pct} %</span>
        </div>
      )}
      {finished && (
        <section aria-labelledby="summary">
          <h2 id="summary">Summary</h2>
          <p role="status">{counts.map(([o, n]) => `${n} ${o}`).join(', ')}</p>
          {maySend && (failedRows.length > 0 || notSent.length > 0) && (
            <button type="button" onClick={() => void send([...failedRows, ...notSent], sent.filter((s) => s.outcome !== 'failed'))}>
              Send the {failedRows.length + notSent.length} rows not imported again
            </button>
          )}
          <table>
            <Head columns={['Line', 'Employee', 'Name', 'Outcome', 'Run']} />
            <tbody>
              {[...sent]
                .sort((a, b) => a.line - b.line)
                .map((s) => (
                  <tr key={s.line} class={`outcome-${s.outcome}`}>
                    <td>{s.line}</td>
                    <td>
                      <Link href={employeePath(s.employeeId)}>{s.employeeId}</Link>
                    </td>
                    <td>{s.name}</td>
                    <td>
                      {s.outcome}
                      {s.status && <span class="muted small"> ({s.status.replace(/_/g, ' ')})</span>}
                      {s.error && <div class="problem-inline small">{s.error}</div>}
                    </td>
                    <td>{s.runId ? <Link href={runPath(s.employeeId, s.runId)}>{s.runId}</Link> : '—'}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        </section>
      )}
    </section>
  );
}

/** Every bad line of a file, with its column and field: nothing was sent. */
function Refused({ fileName, issues }: { fileName?: string; issues: RowIssue[] }) {
  return (
    <div role="alert" class="problem">
      <p>
        <strong>
          {fileName} has {issues.length} problem{issues.length === 1 ? '' : 's'}; nothing was sent.
        </strong>{' '}
        Fix the file and choose it again.
      </p>
      <table class="issues">
        <Head columns={['Line', 'Column', 'Field', 'Problem']} />
        <tbody>
          {issues.map((i, n) => (
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
  );
}
