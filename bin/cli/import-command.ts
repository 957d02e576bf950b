/** `lifecycle import people.csv`: validates every row, then sends one signed event per row (hire, role change, leaver) with progress and a summary per type. */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { PlannedEventType } from '../../lambdas/engine/model';
import { isValidIsoDate, isValidTimeZone } from '../../lambdas/engine/time';
import { errorAnswer, runView } from './api-answers';
import { ApiUnreachable, type ApiClient } from './api-client';
import { printable, printableAnswer, table } from './format';
import { DEFAULT_TIMEZONE, IMPORT_TYPES, importOutcome, issueText, planImport, REQUIRED_COLUMNS, OPTIONAL_COLUMNS, type ImportOutcome, type ImportRow } from '../../lambdas/engine/hire-import';
import { EXIT, fail, messageOf, readProcessStdin, type CliIo } from './io';
import { NextcloudClient } from '../../lambdas/providers/nextcloud/nextcloud-client';
import { ENV } from '../../lambdas/shared/env-names';

interface ImportFlags {
  startDate?: string;
  timezone?: string;
  domain?: string;
  dryRun?: boolean;
  fromNextcloud?: boolean;
}

/**
 * A CSV in the Nextcloud user's files (WebDAV GET), with the server, user and app password from the environment:
 * the same variables the Nextcloud actions read (docs/nextcloud.md).
 */
async function readFromNextcloud(io: CliIo, path: string): Promise<Source[]> {
  const baseUrl = io.env[ENV.nextcloudBaseUrl];
  const user = io.env[ENV.nextcloudUser];
  const password = io.env[ENV.nextcloudAppPassword];
  if (!baseUrl || !user || !password) throw new Error(`--from-nextcloud needs ${ENV.nextcloudBaseUrl}, ${ENV.nextcloudUser} and ${ENV.nextcloudAppPassword} set`);
  const client = new NextcloudClient({ baseUrl, user, appPassword: async () => password, maxRetries: 0 });
  if (!path.endsWith('/')) return [{ label: `nextcloud:${path}`, text: await client.readFile(user, path) }];
  // A folder: every CSV directly in it, in name order, each read as a file of its own.
  const names = (await client.listFolder(user, path)).filter((n) => n.toLowerCase().endsWith('.csv')).sort();
  if (!names.length) throw new Error(`the folder holds no .csv file`);
  const sources: Source[] = [];
  for (const name of names) sources.push({ label: `nextcloud:${path}${name}`, text: await client.readFile(user, `${path}${name}`) });
  return sources;
}

/** One CSV read: where it came from (as the output names it) and its text. */
interface Source {
  label: string;
  text: string;
}

/** What `--from-nextcloud` reads when no path is given: the stage's newcomer folder, as a folder path ending in /. */
function newcomerFolder(io: CliIo): string | undefined {
  const folder = io.env[ENV.nextcloudNewcomerFolder]?.trim();
  return folder ? `${folder.replace(/\/+$/, '')}/` : undefined;
}

type Outcome = ImportOutcome | 'not_sent';

interface RowResult {
  /** The file the row came from, when the import read more than one (a Nextcloud folder). */
  file?: string;
  line: number;
  type: PlannedEventType;
  employeeId: string;
  eventId: string;
  outcome: Outcome;
  status?: number;
  runId?: string;
  /** The run's status as answered: `quarantined` for a run the mass-change guard holds. */
  runStatus?: string;
  error?: string;
}

/** How the summary names a count of each type. */
const NOUNS: Record<PlannedEventType, [string, string]> = { hire: ['hire', 'hires'], role_change: ['role change', 'role changes'], terminate: ['termination', 'terminations'] };
const noun = (type: PlannedEventType, n: number) => `${n} ${NOUNS[type][n === 1 ? 0 : 1]}`;
/** "3 hires", or "5 events" when a file holds more than one type. */
function rowsNoun(types: PlannedEventType[], n: number): string {
  const distinct = [...new Set(types)];
  return distinct.length === 1 ? noun(distinct[0], n) : `${n} event${n === 1 ? '' : 's'}`;
}
/** Outcomes that are not failures: a held run waits for an operator's release, and a duplicate was imported before. */
const IMPORTED: readonly Outcome[] = ['created', 'held', 'duplicate'];

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

async function sendRow(api: ApiClient, row: ImportRow, file?: string): Promise<RowResult> {
  const base = { ...(file ? { file } : {}), line: row.line, type: row.event.type, employeeId: row.event.employee.id, eventId: row.event.eventId };
  const answer = await api.sendEvent(JSON.stringify(row.event));
  const run = runView.safeParse(answer.body);
  const runId = run.success ? run.data.runId : undefined;
  const runStatus = run.success ? run.data.status : undefined;
  const outcome = importOutcome(answer.status, runStatus);
  if (outcome === 'created' || outcome === 'held' || outcome === 'duplicate') return { ...base, outcome, status: answer.status, runId, runStatus };
  const said = errorAnswer.safeParse(printableAnswer(answer.body));
  const detail = said.success
    ? [said.data.error, ...(said.data.issues ?? []).map((i) => `${i.path}: ${i.message}`)].join('; ')
    : answer.text.slice(0, 300) || '(no body)';
  if (outcome === 'conflict') {
    return {
      ...base,
      outcome: 'conflict',
      status: 409,
      error:
        row.event.type === 'hire'
          ? `${detail} (this person was imported for this start date with other details; change them with a role_change event, or cancel-event ${base.eventId} and import the corrected row)`
          : `${detail} (this ${row.event.type} of this person on this date was imported with other details; cancel-event ${base.eventId} and import the corrected row)`,
    };
  }
  return { ...base, outcome: 'failed', status: answer.status, error: `HTTP ${answer.status}: ${detail}` };
}

export function registerImportCommand(program: Command, io: CliIo, deps: ImportDeps): void {
  const out = (text: string) => io.stdout(`${printable(text)}\n`);

  program
    .command('import')
    .description(`send a signed event for each row of a CSV file, its type (${IMPORT_TYPES.join(', ')}) in the type column, hire when empty (all rows are checked first)`)
    .argument('[file]', `CSV with the columns ${REQUIRED_COLUMNS.join(',')} and optionally ${OPTIONAL_COLUMNS.join(',')}; - for stdin`)
    .option('--start-date <YYYY-MM-DD>', 'start date for hire rows whose startDate is empty')
    .option('--timezone <zone>', `time zone for rows whose timezone is empty (a hire's default: ${DEFAULT_TIMEZONE}; a role change or termination needs one)`)
    .option('--domain <domain>', 'makes username@domain the address of a row with a username and no email')
    .option('--dry-run', 'print the events that would be sent; send nothing')
    .option('--from-nextcloud', "read <file> from the Nextcloud user's files over WebDAV (LIFECYCLE_NEXTCLOUD_BASE_URL, _USER, _APP_PASSWORD); a path ending in / reads every CSV in that folder; no path: the folder in LIFECYCLE_NEXTCLOUD_NEWCOMER_FOLDER")
    .action(async (given: string | undefined, opts: ImportFlags, cmd: Command) => {
      const bad: string[] = [];
      if (opts.startDate !== undefined && !isValidIsoDate(opts.startDate)) bad.push(`--start-date must be a real calendar date written YYYY-MM-DD, got "${opts.startDate}"`);
      if (opts.timezone !== undefined && !isValidTimeZone(opts.timezone)) bad.push(`--timezone must be an IANA time zone such as Europe/Berlin, got "${opts.timezone}"`);
      if (opts.domain !== undefined && !/^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/.test(opts.domain)) bad.push(`--domain must be a domain such as example.com, got "${opts.domain}"`);
      const file = given ?? (opts.fromNextcloud ? newcomerFolder(io) : undefined);
      if (file === undefined) bad.push(opts.fromNextcloud ? `file: name the CSV (or a folder ending in /), or set ${ENV.nextcloudNewcomerFolder} to the newcomer folder` : 'file: name the CSV to import, or - for stdin');
      if (bad.length || file === undefined) return fail(io, EXIT.usage, bad);

      const label = file === '-' ? 'stdin' : opts.fromNextcloud ? `nextcloud:${file}` : file;
      let sources: Source[];
      try {
        sources = opts.fromNextcloud
          ? await readFromNextcloud(io, file)
          : [{ label, text: file === '-' ? await (io.readStdin ?? readProcessStdin)() : await (io.readFile ?? ((p: string) => readFile(p, 'utf8')))(file) }];
      } catch (err) {
        return fail(io, EXIT.usage, `cannot read ${label}: ${messageOf(err)}`);
      }

      // Every file is checked before anything is sent: one bad row anywhere sends nothing.
      const now = io.now?.() ?? new Date();
      const several = sources.length > 1;
      const plans = sources.map((source) => ({ source, plan: planImport(source.text, opts, now) }));
      const refused = plans.flatMap(({ source, plan }) => {
        if (plan.ok) return [];
        const rows = new Set(plan.issues.map((i) => i.line)).size;
        return [`${source.label}: ${rows === 1 ? '1 line has' : `${rows} lines have`} problems; nothing was sent:`, ...plan.issues.map((i) => `  ${issueText(i)}`)];
      });
      if (refused.length) fail(io, EXIT.usage, refused);
      const rowsToSend = plans.flatMap(({ source, plan }) => plan.rows.map((row) => ({ row, file: several ? source.label : undefined })));
      const plan = { rows: rowsToSend.map((r) => r.row) };

      const api = deps.client();
      if (opts.dryRun) {
        if (deps.wantsJson(cmd)) {
          out(JSON.stringify({ dryRun: true, url: `${api.baseUrl}/v1/events`, events: plan.rows.map((r) => r.event) }, null, 2));
          return;
        }
        const types = IMPORT_TYPES.map((t) => [t, plan.rows.filter((r) => r.event.type === t).length] as const).filter(([, n]) => n > 0);
        const what = types.length === 1 ? `${plan.rows.length} ${types[0][0]} event${plan.rows.length === 1 ? '' : 's'}` : `${plan.rows.length} events (${types.map(([t, n]) => noun(t, n)).join(', ')})`;
        out(`dry run, nothing sent: ${what} for POST ${api.baseUrl}/v1/events`);
        for (const row of plan.rows) out(`line ${row.line} ${row.event.type}: ${JSON.stringify(row.event)}`);
        return;
      }

      const results: RowResult[] = [];
      const bar = progress(io, plan.rows.length);
      let unreachable: string | undefined;
      for (const { row, file: from } of rowsToSend) {
        let result: RowResult;
        if (unreachable) {
          result = { ...(from ? { file: from } : {}), line: row.line, type: row.event.type, employeeId: row.event.employee.id, eventId: row.event.eventId, outcome: 'not_sent', error: 'not sent: the API could not be reached' };
        } else {
          try {
            result = await sendRow(api, row, from);
          } catch (err) {
            // The rest would fail the same way; a rerun later is safe, since rows already sent answer 200.
            if (!(err instanceof ApiUnreachable)) throw err;
            unreachable = err.message;
            result = { ...(from ? { file: from } : {}), line: row.line, type: row.event.type, employeeId: row.event.employee.id, eventId: row.event.eventId, outcome: 'not_sent', error: unreachable };
          }
        }
        results.push(result);
        bar.row(results.length, result);
      }
      bar.end();

      const counts = (of: RowResult[]) => {
        const count = (o: Outcome) => of.filter((r) => r.outcome === o).length;
        return { created: count('created'), held: count('held'), duplicates: count('duplicate'), failed: of.filter((r) => !IMPORTED.includes(r.outcome)).length };
      };
      const byType = IMPORT_TYPES.map((type) => ({ type, rows: results.filter((r) => r.type === type) })).filter((t) => t.rows.length > 0);
      const failed = results.filter((r) => !IMPORTED.includes(r.outcome));
      if (deps.wantsJson(cmd)) {
        out(JSON.stringify({ ...counts(results), byType: Object.fromEntries(byType.map((t) => [t.type, counts(t.rows)])), rows: results }, null, 2));
      } else {
        // One summary per type; "held" only when the mass-change guard held any.
        const said = byType.map(({ type, rows }) => {
          const c = counts(rows);
          return `${noun(type, rows.length)}: ${c.created} created, ${c.duplicates} already there, ${c.held ? `${c.held} held by the mass-change guard, ` : ''}${c.failed} failed`;
        });
        out(`${several ? `${label} (${sources.length} files)` : label}: ${said.join('; ')}`);
        const held = counts(results).held;
        if (held) out(`${held} run${held === 1 ? ' is' : 's are'} quarantined until an operator releases the batch: lifecycle quarantine`);
        out(
          table(
            [...(several ? ['file'] : []), 'line', 'type', 'employeeId', 'eventId', 'result', 'runId'],
            results.map((r) => [...(several ? [r.file] : []), r.line, r.type, r.employeeId, r.eventId, r.outcome.replace('_', ' '), r.runId]),
          ),
        );
      }
      if (failed.length) {
        const what = rowsNoun(results.map((r) => r.type), results.length);
        fail(io, EXIT.failed, [`${failed.length} of ${what} were not imported:`, ...failed.map((r) => `  ${r.file ? `${r.file} ` : ''}line ${r.line}: ${r.eventId}: ${r.error}`)]);
      }
    });
}
