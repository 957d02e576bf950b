/** `send` and `cancel-event`: signed HR events from a file, stdin or a built-in sample, validated before anything is sent. */
import { readFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { parseLifecycleEvent } from '../../lambdas/engine/event-schema';
import { MAX_AGE_SECONDS } from '../../lambdas/http/signature';
import { runView } from './api-answers';
import type { SignedRequest } from './api-client';
import type { CommandKit } from './command-kit';
import { renderEventAnswer, shellQuote } from './format';
import { EXIT, fail, messageOf, readProcessStdin } from './io';
import { cancelEvent, SAMPLE_EMPLOYEE, SAMPLE_TYPES, sampleEvent, type SampleType } from './sample-events';

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

function printDryRun(kit: CommandKit, cmd: Command, signed: SignedRequest): void {
  if (kit.wantsJson(cmd)) {
    kit.out(JSON.stringify(signed, null, 2));
    return;
  }
  const headerArgs = Object.entries(signed.headers).map(([k, v]) => `-H ${shellQuote(`${k}: ${v}`)}`);
  kit.out(
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
async function sendEvent(kit: CommandKit, cmd: Command, value: unknown, label: string, dryRun: boolean): Promise<void> {
  const check = parseLifecycleEvent(value, kit.now());
  if (!check.ok) {
    fail(kit.io, EXIT.usage, [`${label} is not a valid event; nothing was sent:`, ...check.issues.map((i) => `  ${i.path}: ${i.message}`)]);
  }
  // The exact string that is signed is the one sent: re-serializing after signing would break the signature.
  const body = JSON.stringify(value);
  const api = kit.client('events');
  if (dryRun) {
    printDryRun(kit, cmd, api.signEvent(body));
    return;
  }
  const answer = await kit.request('POST /v1/events', () => api.sendEvent(body));
  kit.show(cmd, 'POST /v1/events', answer, runView, (run) => renderEventAnswer(answer.status, check.event.eventId, run));
}

async function readEventFile(kit: CommandKit, file: string): Promise<unknown> {
  const { io } = kit;
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

export function registerSendCommand(program: Command, kit: CommandKit): void {
  program
    .command('send')
    .description('send a signed HR event from a file, stdin (-) or a built-in sample')
    .argument('[file]', 'event JSON file, or - for stdin')
    .addOption(new Option('--sample <type>', 'send a sample event for Ada Lovelace instead of a file').choices(SAMPLE_TYPES))
    .option('--employee <id>', 'sample hire only: the new employee id (default: E100); a role change or leaver of another employee needs an event file')
    .option('--date <YYYY-MM-DD>', `sample: effective date (default: today in ${SAMPLE_EMPLOYEE.timezone})`)
    .option('--urgent', 'sample: an urgent leaver, acted on at once (terminate only)')
    .option('--event-id <id>', 'sample: event id (default: cli-<type>-<timestamp>)')
    .option('--dry-run', 'print the body, the signature headers and a curl line; send nothing')
    .action(async (file: string | undefined, opts: SendOptions, cmd: Command) => {
      if (file !== undefined && opts.sample) fail(kit.io, EXIT.usage, 'give an event file or --sample, not both');
      if (opts.sample) {
        // A role change or a leaver names someone who exists: Ada's name and addresses under their id would be wrong.
        if (opts.employee !== undefined && opts.sample !== 'hire') {
          fail(
            kit.io,
            EXIT.usage,
            `--employee with --sample ${opts.sample}: the sample carries Ada Lovelace's name and addresses, not ${opts.employee}'s; write the event in a file with ${opts.employee}'s own record (npx lifecycle status ${opts.employee} shows it)`,
          );
        }
        const event = sampleEvent(opts.sample, { employeeId: opts.employee, effectiveDate: opts.date, urgent: opts.urgent, eventId: opts.eventId }, kit.now());
        return sendEvent(kit, cmd, event, `the sample ${opts.sample} event`, opts.dryRun === true);
      }
      // Ignoring these silently would send a different event from the one the admin described.
      const sampleOnly = Object.entries(SAMPLE_FLAGS).filter(([k]) => opts[k as keyof typeof SAMPLE_FLAGS] !== undefined).map(([, flag]) => flag);
      if (sampleOnly.length) fail(kit.io, EXIT.usage, `${sampleOnly.join(', ')}: only with --sample; for an event file, edit the file`);
      if (file === undefined) fail(kit.io, EXIT.usage, `send needs an event file (- for stdin) or --sample <${SAMPLE_TYPES.join('|')}>`);
      const value = await readEventFile(kit, file);
      return sendEvent(kit, cmd, value, `the event in ${file === '-' ? 'stdin' : file}`, opts.dryRun === true);
    });
}

export function registerCancelEventCommand(program: Command, kit: CommandKit): void {
  program
    .command('cancel-event')
    .description('send a signed cancel event that withdraws an earlier HR event')
    .argument('<eventId>', 'the eventId of the event to withdraw')
    .option('--dry-run', 'print the signed request; send nothing')
    .action((eventId: string, opts: { dryRun?: boolean }, cmd: Command) =>
      sendEvent(kit, cmd, cancelEvent(eventId, kit.now()), `the cancel of ${eventId}`, opts.dryRun === true),
    );
}
