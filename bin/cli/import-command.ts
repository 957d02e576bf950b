/** `lifecycle import hires.csv`: validates every row, then sends one signed hire event per row with progress and a summary. */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { isValidIsoDate, isValidTimeZone } from '../../lambdas/engine/time';
import { errorAnswer, runView } from './api-answers';
import { ApiUnreachable, type ApiClient } from './api-client';
import { printable, printableAnswer, table } from './format';
import { DEFAULT_TIMEZONE, importOutcome, issueText, planImport, REQUIRED_COLUMNS, OPTIONAL_COLUMNS, type ImportOutcome, type ImportRow } from '../../lambdas/engine/hire-import';
import { EXIT, fail, messageOf, readProcessStdin, type CliIo } from './io';

interface ImportFlags {
  startDate?: string;
  timezone?: string;
  domain?: string;
  dryRun?: boolean;
}

type Outcome = ImportOutcome | 'not_sent';

interface RowResult {
  line: number;
  employeeId: string;
  eventId: string;
  outcome: Outcome;
  status?: number;
  runId?: string;
  error?: string;
}

export interface ImportDeps {
  client(): ApiClient;
  wantsJson(cmd: Command): boolean;
}

const BAR_WIDTH = 20;

/** A bar redrawn in place on a terminal; one line per row where stderr is a file or a pipe. */
function progress(io: CliIo, total: number) {
  return {
    row(done: number, result: RowResult) {
      if (io.stderrIsTTY) {
        const filled = Math.round((done / total) * BAR_WIDTH);
        io.stderr(`\r[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${done}/${total}`);
      } else {
        io.stderr(`${done}/${total} line ${result.line} ${result.eventId}: ${result.outcome.replace('_', ' ')}\n`);
      }
    },
    end() {
      if (io.stderrIsTTY) io.stderr('\n');
    },
  };
}

async function sendRow(api: ApiClient, row: ImportRow): Promise<RowResult> {
  const base = { line: row.line, employeeId: row.event.employee.id, eventId: row.event.eventId };
  const answer = await api.sendEvent(JSON.stringify(row.event));
  const run = runView.safeParse(answer.body);
  const runId = run.success ? run.data.runId : undefined;
  const outcome = importOutcome(answer.status);
  if (outcome === 'created' || outcome === 'duplicate') return { ...base, outcome, status: answer.status, runId };
  const said = errorAnswer.safeParse(printableAnswer(answer.body));
  const detail = said.success
    ? [said.data.error, ...(said.data.issues ?? []).map((i) => `${i.path}: ${i.message}`)].join('; ')
    : answer.text.slice(0, 300) || '(no body)';
  if (outcome === 'conflict') {
    return {
      ...base,
      outcome: 'conflict',
      status: 409,
      error: `${detail} (this person was imported for this start date with other details; change them with a role_change event, or cancel-event ${base.eventId} and import the corrected row)`,
    };
  }
  return { ...base, outcome: 'failed', status: answer.status, error: `HTTP ${answer.status}: ${detail}` };
}

export function registerImportCommand(program: Command, io: CliIo, deps: ImportDeps): void {
  const out = (text: string) => io.stdout(`${printable(text)}\n`);

  program
    .command('import')
    .description('send a signed hire event for each row of a CSV file (all rows are checked first)')
    .argument('<file>', `CSV with the columns ${REQUIRED_COLUMNS.join(',')} and optionally ${OPTIONAL_COLUMNS.join(',')}; - for stdin`)
    .option('--start-date <YYYY-MM-DD>', 'start date for rows whose startDate is empty')
    .option('--timezone <zone>', `time zone for rows whose timezone is empty (default: ${DEFAULT_TIMEZONE})`)
    .option('--domain <domain>', 'makes username@domain the address of a row with a username and no email')
    .option('--dry-run', 'print the events that would be sent; send nothing')
    .action(async (file: string, opts: ImportFlags, cmd: Command) => {
      const bad: string[] = [];
      if (opts.startDate !== undefined && !isValidIsoDate(opts.startDate)) bad.push(`--start-date must be a real calendar date written YYYY-MM-DD, got "${opts.startDate}"`);
      if (opts.timezone !== undefined && !isValidTimeZone(opts.timezone)) bad.push(`--timezone must be an IANA time zone such as Europe/Berlin, got "${opts.timezone}"`);
      if (opts.domain !== undefined && !/^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/.test(opts.domain)) bad.push(`--domain must be a domain such as example.com, got "${opts.domain}"`);
      if (bad.length) fail(io, EXIT.usage, bad);

      const label = file === '-' ? 'stdin' : file;
      let text: string;
      try {
        text = file === '-' ? await (io.readStdin ?? readProcessStdin)() : await (io.readFile ?? ((p: string) => readFile(p, 'utf8')))(file);
      } catch (err) {
        return fail(io, EXIT.usage, `cannot read ${label}: ${messageOf(err)}`);
      }

      const plan = planImport(text, opts, io.now?.() ?? new Date());
      if (!plan.ok) {
        const rows = new Set(plan.issues.map((i) => i.line)).size;
        fail(io, EXIT.usage, [`${label}: ${rows === 1 ? '1 line has' : `${rows} lines have`} problems; nothing was sent:`, ...plan.issues.map((i) => `  ${issueText(i)}`)]);
      }

      const api = deps.client();
      if (opts.dryRun) {
        if (deps.wantsJson(cmd)) {
          out(JSON.stringify({ dryRun: true, url: `${api.baseUrl}/v1/events`, events: plan.rows.map((r) => r.event) }, null, 2));
          return;
        }
        out(`dry run, nothing sent: ${plan.rows.length} hire event${plan.rows.length === 1 ? '' : 's'} for POST ${api.baseUrl}/v1/events`);
        for (const row of plan.rows) out(`line ${row.line}: ${JSON.stringify(row.event)}`);
        return;
      }

      const results: RowResult[] = [];
      const bar = progress(io, plan.rows.length);
      let unreachable: string | undefined;
      for (const row of plan.rows) {
        let result: RowResult;
        if (unreachable) {
          result = { line: row.line, employeeId: row.event.employee.id, eventId: row.event.eventId, outcome: 'not_sent', error: 'not sent: the API could not be reached' };
        } else {
          try {
            result = await sendRow(api, row);
          } catch (err) {
            // The rest would fail the same way; a rerun later is safe, since rows already sent answer 200.
            if (!(err instanceof ApiUnreachable)) throw err;
            unreachable = err.message;
            result = { line: row.line, employeeId: row.event.employee.id, eventId: row.event.eventId, outcome: 'not_sent', error: unreachable };
          }
        }
        results.push(result);
        bar.row(results.length, result);
      }
      bar.end();

      const count = (o: Outcome) => results.filter((r) => r.outcome === o).length;
      const failed = results.filter((r) => r.outcome !== 'created' && r.outcome !== 'duplicate');
      if (deps.wantsJson(cmd)) {
        out(JSON.stringify({ created: count('created'), duplicates: count('duplicate'), failed: failed.length, rows: results }, null, 2));
      } else {
        out(`${label}: ${results.length} hire${results.length === 1 ? '' : 's'}: ${count('created')} created, ${count('duplicate')} already there, ${failed.length} failed`);
        out(table(['line', 'employeeId', 'eventId', 'result', 'runId'], results.map((r) => [r.line, r.employeeId, r.eventId, r.outcome.replace('_', ' '), r.runId])));
      }
      if (failed.length) {
        fail(io, EXIT.failed, [`${failed.length} of ${results.length} hires were not imported:`, ...failed.map((r) => `  line ${r.line}: ${r.eventId}: ${r.error}`)]);
      }
    });
}
