/** The CLI commands: each turns its arguments into one API call (or a dry run) and renders the answer. */
import { readFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import type * as z from '../../lambdas/shared/zod';
import { parseLifecycleEvent } from '../../lambdas/engine/event-schema';
import { RUN_STATUSES, type Alert } from '../../lambdas/engine/model';
import { MAX_AGE_SECONDS } from '../../lambdas/http/signature';
import { alertsAnswer, employeeAnswer, errorAnswer, quarantineAnswer, quarantineDecisionAnswer, runsAnswer, runView, sweepAnswer } from './api-answers';
import { ApiClient, apiConfigFromEnv, ApiUnreachable, type ApiAnswer, type ApiUse, type SignedRequest } from './api-client';
import { printable, printableAnswer, renderAlerts, renderEmployee, renderEventAnswer, renderQuarantine, renderQuarantineDecision, renderRun, renderRuns, renderSweep, shellQuote } from './format';
import { registerImportCommand } from './import-command';
import { EXIT, fail, messageOf, readProcessStdin, type CliIo } from './io';
import { cancelEvent, SAMPLE_EMPLOYEE, SAMPLE_TYPES, sampleEvent, type SampleType } from './sample-events';

const ALERT_STATUSES = ['open', 'resolved'] as const satisfies readonly Alert['status'][];

interface SendOptions {
  sample?: SampleType;
  employee?: string;
  date?: string;
  urgent?: boolean;
  eventId?: string;
  dryRun?: boolean;
}

/** The send options that shape a sample event, with the flag an admin typed. */
const SAMPLE_FLAGS = { employee: '--employee', date: '--date', urgent: '--urgent', eventId: '--event-id' } as const;

/** Keeps error output readable when a proxy answers with a whole HTML page. */
const excerpt = (text: string) => (text.length > 300 ? `${text.slice(0, 300)}…` : text);
const seg = encodeURIComponent;

export function registerCommands(program: Command, io: CliIo): void {
  const now = () => io.now?.() ?? new Date();
  // Everything printed may hold text from the API: no control character in it reaches the terminal.
  const out = (text: string) => io.stdout(`${printable(text)}\n`);
  const wantsJson = (cmd: Command) => cmd.optsWithGlobals<{ json?: boolean }>().json === true;

  /** The client for one kind of call: it carries only the credential that call needs. */
  const client = (use: ApiUse = 'operator'): ApiClient => {
    const check = apiConfigFromEnv(io.env, use);
    if (!check.ok) fail(io, EXIT.usage, check.error);
    return new ApiClient(check.config, io.fetch, () => Math.floor(now().getTime() / 1000));
  };

  /** Sends one request and stops with exit 1 on anything but a 2xx, printing what the API said. */
  async function request(what: string, send: () => Promise<ApiAnswer>): Promise<ApiAnswer> {
    let answer: ApiAnswer;
    try {
      answer = await send();
    } catch (err) {
      if (err instanceof ApiUnreachable) fail(io, EXIT.failed, err.message);
      throw err;
    }
    if (answer.ok) return answer;
    const said = errorAnswer.safeParse(printableAnswer(answer.body));
    const lines = [`${what} failed: HTTP ${answer.status}${said.success ? `: ${said.data.error}` : ''}`];
    if (said.success) lines.push(...(said.data.issues ?? []).map((i) => `  ${i.path}: ${i.message}`));
    else if (answer.text) lines.push(`  ${excerpt(answer.text)}`);
    return fail(io, EXIT.failed, lines);
  }

  /** --json prints the answer as received; otherwise it must have the documented shape before it is rendered. */
  function show<S extends z.ZodMiniType>(cmd: Command, what: string, answer: ApiAnswer, schema: S, render: (value: z.infer<S>) => string): void {
    if (wantsJson(cmd)) {
      out(answer.body === undefined ? answer.text : JSON.stringify(answer.body, null, 2));
      return;
    }
    const parsed = schema.safeParse(answer.body);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `  ${i.path.map(String).join('.') || '(body)'}: ${i.message}`);
      fail(io, EXIT.failed, [`unexpected answer to ${what} (HTTP ${answer.status}); rerun with --json to see it:`, ...issues]);
    }
    out(render(printableAnswer(parsed.data)));
  }

  function printDryRun(cmd: Command, signed: SignedRequest): void {
    if (wantsJson(cmd)) {
      out(JSON.stringify(signed, null, 2));
      return;
    }
    const headerArgs = Object.entries(signed.headers).map(([k, v]) => `-H ${shellQuote(`${k}: ${v}`)}`);
    out(
      [
        `dry run, nothing sent: ${signed.method} ${signed.url}`,
        ...Object.entries(signed.headers).map(([k, v]) => `${k}: ${v}`),
        '',
        signed.body,
        '',
        `# the API accepts this signature for ${MAX_AGE_SECONDS} s after the timestamp`,
        `curl -sS -X ${signed.method} ${shellQuote(signed.url)} ${headerArgs.join(' ')} --data-raw ${shellQuote(signed.body)}`,
      ].join('\n'),
    );
  }

  /** Validates with the server's own schema first, so a bad field is named here and nothing half-valid is sent. */
  async function sendEvent(cmd: Command, value: unknown, label: string, dryRun: boolean): Promise<void> {
    const check = parseLifecycleEvent(value, now());
    if (!check.ok) {
      fail(io, EXIT.usage, [`${label} is not a valid event; nothing was sent:`, ...check.issues.map((i) => `  ${i.path}: ${i.message}`)]);
    }
    // The exact string that is signed is the one sent: re-serializing after signing would break the signature.
    const body = JSON.stringify(value);
    const api = client('events');
    if (dryRun) {
      printDryRun(cmd, api.signEvent(body));
      return;
    }
    const answer = await request('POST /v1/events', () => api.sendEvent(body));
    show(cmd, 'POST /v1/events', answer, runView, (run) => renderEventAnswer(answer.status, check.event.eventId, run));
  }

  async function readEventFile(file: string): Promise<unknown> {
    const label = file === '-' ? 'stdin' : file;
    let text: string;
    try {
      text = file === '-' ? await (io.readStdin ?? readProcessStdin)() : await (io.readFile ?? ((p: string) => readFile(p, 'utf8')))(file);
    } catch (err) {
      fail(io, EXIT.usage, `cannot read ${label}: ${messageOf(err)}`);
    }
    try {
      return JSON.parse(text);
    } catch (err) {
      return fail(io, EXIT.usage, `${label} is not valid JSON: ${messageOf(err)}`);
    }
  }

  program
    .command('send')
    .description('send a signed HR event from a file, stdin (-) or a built-in sample')
    .argument('[file]', 'event JSON file, or - for stdin')
    .addOption(new Option('--sample <type>', 'send a sample event for Ada Lovelace instead of a file').choices(SAMPLE_TYPES))
    .option('--employee <id>', 'sample: employee id (default: E100)')
    .option('--date <YYYY-MM-DD>', `sample: effective date (default: today in ${SAMPLE_EMPLOYEE.timezone})`)
    .option('--urgent', 'sample: an urgent leaver, acted on at once (terminate only)')
    .option('--event-id <id>', 'sample: event id (default: cli-<type>-<timestamp>)')
    .option('--dry-run', 'print the body, the signature headers and a curl line; send nothing')
    .action(async (file: string | undefined, opts: SendOptions, cmd: Command) => {
      if (file !== undefined && opts.sample) fail(io, EXIT.usage, 'give an event file or --sample, not both');
      if (opts.sample) {
        const event = sampleEvent(opts.sample, { employeeId: opts.employee, effectiveDate: opts.date, urgent: opts.urgent, eventId: opts.eventId }, now());
        return sendEvent(cmd, event, `the sample ${opts.sample} event`, opts.dryRun === true);
      }
      // Ignoring these silently would send a different event from the one the admin described.
      const sampleOnly = Object.entries(SAMPLE_FLAGS).filter(([k]) => opts[k as keyof typeof SAMPLE_FLAGS] !== undefined).map(([, flag]) => flag);
      if (sampleOnly.length) fail(io, EXIT.usage, `${sampleOnly.join(', ')}: only with --sample; for an event file, edit the file`);
      if (file === undefined) fail(io, EXIT.usage, `send needs an event file (- for stdin) or --sample <${SAMPLE_TYPES.join('|')}>`);
      const value = await readEventFile(file);
      return sendEvent(cmd, value, `the event in ${file === '-' ? 'stdin' : file}`, opts.dryRun === true);
    });

  program
    .command('cancel-event')
    .description('send a signed cancel event that withdraws an earlier HR event')
    .argument('<eventId>', 'the eventId of the event to withdraw')
    .option('--dry-run', 'print the signed request; send nothing')
    .action((eventId: string, opts: { dryRun?: boolean }, cmd: Command) =>
      sendEvent(cmd, cancelEvent(eventId, now()), `the cancel of ${eventId}`, opts.dryRun === true),
    );

  registerImportCommand(program, io, { client: () => client('events'), wantsJson });

  program
    .command('status')
    .description("an employee's profile, runs and steps")
    .argument('<employeeId>')
    .option('--audit', 'also print the audit trail')
    .action(async (employeeId: string, opts: { audit?: boolean }, cmd: Command) => {
      const api = client();
      const what = `GET /v1/employees/${employeeId}`;
      const answer = await request(what, () => api.operator('GET', `/v1/employees/${seg(employeeId)}`));
      show(cmd, what, answer, employeeAnswer, (view) => renderEmployee(view, opts.audit === true));
    });

  program
    .command('runs')
    .description('runs with a given status')
    .addOption(new Option('--status <status>', 'run status').choices(RUN_STATUSES).default('needs_attention'))
    .action(async (opts: { status: string }, cmd: Command) => {
      const api = client();
      const answer = await request('GET /v1/runs', () => api.operator('GET', '/v1/runs', { status: opts.status }));
      show(cmd, 'GET /v1/runs', answer, runsAnswer, (a) => renderRuns(a.runs, opts.status));
    });

  program
    .command('alerts')
    .description('operator alerts: which step stopped, what the provider said, what to do')
    .addOption(new Option('--status <status>', 'only open or only resolved alerts (default: all)').choices(ALERT_STATUSES))
    .action(async (opts: { status?: string }, cmd: Command) => {
      const api = client();
      const answer = await request('GET /v1/alerts', () => api.operator('GET', '/v1/alerts', { status: opts.status }));
      show(cmd, 'GET /v1/alerts', answer, alertsAnswer, (a) => renderAlerts(a.alerts, opts.status));
    });

  /** The operator's changes to a run all answer the run as it now stands. */
  async function changeRun(cmd: Command, runId: string, stepId: string | undefined, change: 'cancel' | 'retry' | 'skip' | 'replan', lead: string): Promise<void> {
    const path = (r: string, s: string | undefined) => (s === undefined ? `/v1/runs/${r}/${change}` : `/v1/runs/${r}/steps/${s}/${change}`);
    const api = client();
    const what = `POST ${path(runId, stepId)}`;
    const answer = await request(what, () => api.operator('POST', path(seg(runId), stepId === undefined ? undefined : seg(stepId))));
    show(cmd, what, answer, runView, (run) => `${lead}\n${renderRun(run)}`);
  }

  program
    .command('run')
    .description('one run: its steps, and for a run awaiting approval the plan hash to approve')
    .argument('<runId>')
    .action(async (runId: string, _opts: unknown, cmd: Command) => {
      const api = client();
      const what = `GET /v1/runs/${runId}`;
      const answer = await request(what, () => api.operator('GET', `/v1/runs/${seg(runId)}`));
      show(cmd, what, answer, runView, renderRun);
    });

  const decide = async (cmd: Command, runId: string, decision: 'approve' | 'reject', body: Record<string, string>, lead: string) => {
    const api = client();
    const what = `POST /v1/runs/${runId}/${decision}`;
    const answer = await request(what, () => api.operator('POST', `/v1/runs/${seg(runId)}/${decision}`, {}, body));
    show(cmd, what, answer, runView, (run) => `${lead}\n${renderRun(run)}`);
  };

  program
    .command('approve')
    .description('approve the plan of a run awaiting approval: the hash shown by `run` names the plan you read')
    .argument('<runId>')
    .requiredOption('--plan-hash <hash>', 'the plan hash `lifecycle run <runId>` shows')
    .action((runId: string, opts: { planHash: string }, cmd: Command) => decide(cmd, runId, 'approve', { planHash: opts.planHash }, `approved the plan of run ${runId}`));

  program
    .command('reject')
    .description('reject the plan of a run awaiting approval: no step runs')
    .argument('<runId>')
    .requiredOption('--plan-hash <hash>', 'the plan hash `lifecycle run <runId>` shows')
    .requiredOption('--reason <text>', 'why, kept on the run and in the audit trail')
    .action((runId: string, opts: { planHash: string; reason: string }, cmd: Command) =>
      decide(cmd, runId, 'reject', { planHash: opts.planHash, reason: opts.reason }, `rejected the plan of run ${runId}`),
    );

  program
    .command('confirm-account')
    .description('adopt an unbound account for a run, or let the run act on a protected one: the steps held for it run again')
    .argument('<runId>')
    .argument('<system>', 'google or connect')
    .argument('<account>', 'the address (Google) or username (Connect) the alert names')
    .argument('<confirms>', 'adopt (bind the unbound account to the employee) or protected (act on the protected account)')
    .action(async (runId: string, system: string, account: string, confirms: string, _opts: unknown, cmd: Command) => {
      const api = client();
      const what = `POST /v1/runs/${runId}/confirm-account`;
      const answer = await request(what, () => api.operator('POST', `/v1/runs/${seg(runId)}/confirm-account`, {}, { system, account, confirms }));
      show(cmd, what, answer, runView, (run) => `confirmed ${system} account ${account} (${confirms}) for run ${runId}\n${renderRun(run)}`);
    });

  program
    .command('replan')
    .description('plan a run again whose role could not be planned from, once the role is fixed in the catalog')
    .argument('<runId>')
    .action((runId: string, _opts: unknown, cmd: Command) => changeRun(cmd, runId, undefined, 'replan', `planned run ${runId} again`));

  program
    .command('cancel')
    .description('cancel a run: its steps not yet done are cancelled')
    .argument('<runId>')
    .action((runId: string, _opts: unknown, cmd: Command) => changeRun(cmd, runId, undefined, 'cancel', `cancelled run ${runId}`));

  program
    .command('retry')
    .description('queue a step that needs attention for another attempt')
    .argument('<runId>')
    .argument('<stepId>')
    .action((runId: string, stepId: string, _opts: unknown, cmd: Command) =>
      changeRun(cmd, runId, stepId, 'retry', `step ${stepId} of run ${runId} is queued again`),
    );

  program
    .command('skip')
    .description('mark a step as done by hand, so the steps after it can run')
    .argument('<runId>')
    .argument('<stepId>')
    .action((runId: string, stepId: string, _opts: unknown, cmd: Command) => changeRun(cmd, runId, stepId, 'skip', `step ${stepId} of run ${runId} skipped`));

  const quarantine = program
    .command('quarantine')
    .description('runs the mass-change guard holds, and the count to name when releasing or rejecting them')
    .action(async (_opts: unknown, cmd: Command) => {
      const api = client();
      const view = await request('GET /v1/quarantine', () => api.operator('GET', '/v1/quarantine'));
      // The table of held runs is for people; --json answers the count and batch alone.
      const runs = wantsJson(cmd) ? undefined : await request('GET /v1/runs', () => api.operator('GET', '/v1/runs', { status: 'quarantined' }));
      const listed = runsAnswer.safeParse(runs?.body);
      show(cmd, 'GET /v1/quarantine', view, quarantineAnswer, (q) => renderQuarantine(q, listed.success ? listed.data.runs : []));
    });

  const count = (raw: string) => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) fail(io, EXIT.usage, `--count must be a whole number of at least 1, got "${raw}"`);
    return n;
  };
  const decideQuarantine = async (cmd: Command, decision: 'release' | 'reject', body: Record<string, unknown>) => {
    const api = client();
    const what = `POST /v1/quarantine/${decision}`;
    const answer = await request(what, () => api.operator('POST', `/v1/quarantine/${decision}`, {}, body));
    show(cmd, what, answer, quarantineDecisionAnswer, renderQuarantineDecision);
  };

  quarantine
    .command('release')
    .description('release every quarantined run: each is scheduled and its due steps queued at once')
    .requiredOption('--count <n>', 'how many runs `lifecycle quarantine` shows held; refused if more or fewer are held now')
    .action((opts: { count: string }, cmd: Command) => decideQuarantine(cmd, 'release', { count: count(opts.count) }));

  quarantine
    .command('reject')
    .description('reject every quarantined run: none of their steps ever runs')
    .requiredOption('--count <n>', 'how many runs `lifecycle quarantine` shows held; refused if more or fewer are held now')
    .requiredOption('--reason <text>', 'why, kept on each run and in its audit trail')
    .action((opts: { count: string; reason: string }, cmd: Command) => decideQuarantine(cmd, 'reject', { count: count(opts.count), reason: opts.reason }));

  program
    .command('sweep')
    .description('queue every step that is due now, without waiting for the timer')
    .action(async (_opts: unknown, cmd: Command) => {
      const api = client();
      const answer = await request('POST /v1/sweep', () => api.operator('POST', '/v1/sweep'));
      show(cmd, 'POST /v1/sweep', answer, sweepAnswer, renderSweep);
    });
}
