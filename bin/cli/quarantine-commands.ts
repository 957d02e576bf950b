/** `quarantine` (what the mass-change guard holds), its `release` and `reject`, and `sweep`. */
import type { Command } from 'commander';
import { quarantineAnswer, quarantineDecisionAnswer, runsAnswer, sweepAnswer } from './api-answers';
import type { CommandKit } from './command-kit';
import { renderQuarantine, renderQuarantineDecision, renderSweep } from './format';
import { EXIT, fail } from './io';

export function registerQuarantineCommands(program: Command, kit: CommandKit): void {
  const quarantine = program
    .command('quarantine')
    .description('runs the mass-change guard holds, and the count to name when releasing or rejecting them')
    .action(async (_opts: unknown, cmd: Command) => {
      const api = kit.client();
      const view = await kit.request('GET /v1/quarantine', () => api.operator('GET', '/v1/quarantine'));
      // The table of held runs is for people; --json answers the count and batch alone.
      const runs = kit.wantsJson(cmd) ? undefined : await kit.request('GET /v1/runs', () => api.operator('GET', '/v1/runs', { status: 'quarantined' }));
      const listed = runsAnswer.safeParse(runs?.body);
      kit.show(cmd, 'GET /v1/quarantine', view, quarantineAnswer, (q) => renderQuarantine(q, listed.success ? listed.data.runs : []));
    });

  const count = (raw: string) => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) fail(kit.io, EXIT.usage, `--count must be a whole number of at least 1, got "${raw}"`);
    return n;
  };
  const decide = async (cmd: Command, decision: 'release' | 'reject', body: Record<string, unknown>) => {
    const api = kit.client();
    const what = `POST /v1/quarantine/${decision}`;
    const answer = await kit.request(what, () => api.operator('POST', `/v1/quarantine/${decision}`, {}, body));
    kit.show(cmd, what, answer, quarantineDecisionAnswer, renderQuarantineDecision);
  };

  quarantine
    .command('release')
    .description('release every quarantined run: each is scheduled and its due steps queued at once')
    .requiredOption('--count <n>', 'how many runs `lifecycle quarantine` shows held; refused if more or fewer are held now')
    .action((opts: { count: string }, cmd: Command) => decide(cmd, 'release', { count: count(opts.count) }));

  quarantine
    .command('reject')
    .description('reject every quarantined run: none of their steps ever runs')
    .requiredOption('--count <n>', 'how many runs `lifecycle quarantine` shows held; refused if more or fewer are held now')
    .requiredOption('--reason <text>', 'why, kept on each run and in its audit trail')
    .action((opts: { count: string; reason: string }, cmd: Command) => decide(cmd, 'reject', { count: count(opts.count), reason: opts.reason }));
}

export function registerSweepCommand(program: Command, kit: CommandKit): void {
  program
    .command('sweep')
    .description('queue every step that is due now, without waiting for the timer')
    .action(async (_opts: unknown, cmd: Command) => {
      const api = kit.client();
      const answer = await kit.request('POST /v1/sweep', () => api.operator('POST', '/v1/sweep'));
      kit.show(cmd, 'POST /v1/sweep', answer, sweepAnswer, renderSweep);
    });
}
