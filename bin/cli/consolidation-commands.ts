/** `consolidation` (the latest report), `consolidation run` (read every system now) and `consolidation fix` (a finding's fix through a run). */
import type { Command } from 'commander';
import * as z from '../../lambdas/shared/zod';
import type { CommandKit } from './command-kit';
import { seg } from './command-kit';
import { EXIT, fail } from './io';

const systemRead = z.looseObject({ system: z.string(), ok: z.boolean(), ms: z.number(), calls: z.number(), pages: z.number(), accounts: z.number(), error: z.optional(z.string()) });
const finding = z.looseObject({
  id: z.string(),
  kind: z.string(),
  system: z.string(),
  employeeId: z.optional(z.string()),
  message: z.string(),
  account: z.optional(z.looseObject({ accountId: z.string(), email: z.optional(z.string()), protected: z.optional(z.boolean()) })),
  fixes: z.array(z.looseObject({ fix: z.string(), suggestedEmployeeId: z.optional(z.string()) })),
});
export const consolidationAnswer = z.looseObject({
  reportId: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  durationMs: z.number(),
  requestedBy: z.string(),
  systems: z.array(systemRead),
  counts: z.record(z.string(), z.number()),
  findings: z.array(finding),
});
const accepted = z.looseObject({ accepted: z.literal(true), message: z.string() });
const fixAnswer = z.looseObject({ fix: z.string(), findingId: z.string(), runId: z.string(), status: z.string(), created: z.boolean() });

type Report = z.infer<typeof consolidationAnswer>;

/** The report: when it ran and what each read cost, then each finding with the line that fixes it. */
export function renderConsolidation(report: Report): string {
  const lines = [`consolidation ${report.reportId}: ran ${report.startedAt} for ${(report.durationMs / 1000).toFixed(1)} s, asked by ${report.requestedBy}`];
  for (const s of report.systems) {
    lines.push(`  ${s.system.padEnd(16)} ${s.ok ? 'read' : 'FAILED'} ${s.accounts} accounts in ${(s.ms / 1000).toFixed(1)} s, ${s.calls} calls, ${s.pages} pages${s.error ? `: ${s.error}` : ''}`);
  }
  lines.push(`findings: ${Object.entries(report.counts).map(([k, n]) => `${n} ${k}`).join(', ')}`);
  for (const f of report.findings) {
    lines.push(`${f.id} ${f.kind} ${f.system}${f.employeeId ? ` ${f.employeeId}` : ''}: ${f.message}`);
    for (const fix of f.fixes) {
      const employee = fix.fix === 'bind' ? ` --employee ${fix.suggestedEmployeeId ?? '<employee id>'}` : '';
      lines.push(`    fix: npx lifecycle consolidation fix ${f.id} ${fix.fix}${employee}`);
    }
  }
  return lines.join('\n');
}

export function registerConsolidationCommands(program: Command, kit: CommandKit): void {
  const consolidation = program
    .command('consolidation')
    .description('the latest consolidation report: accounts bound to nobody, leavers still active, missing and extra access, and how long each read took')
    .action(async (_opts: unknown, cmd: Command) => {
      const api = kit.client();
      const answer = await kit.request('GET /v1/consolidation', () => api.operator('GET', '/v1/consolidation'));
      kit.show(cmd, 'GET /v1/consolidation', answer, consolidationAnswer, renderConsolidation);
    });

  consolidation
    .command('run')
    .description('read every connected system now and compare it with the records (nothing is changed)')
    .action(async (_opts: unknown, cmd: Command) => {
      const api = kit.client();
      const answer = await kit.request('POST /v1/consolidation/run', () => api.operator('POST', '/v1/consolidation/run'));
      if (answer.status === 202) kit.show(cmd, 'POST /v1/consolidation/run', answer, accepted, (a) => a.message);
      else kit.show(cmd, 'POST /v1/consolidation/run', answer, consolidationAnswer, renderConsolidation);
    });

  consolidation
    .command('fix <findingId> <fix>')
    .description('fix a finding through a run: bind (with --employee), grant or remove')
    .option('--employee <id>', 'for bind: the employee the account is adopted for')
    .action(async (findingId: string, fix: string, opts: { employee?: string }, cmd: Command) => {
      if (!['bind', 'grant', 'remove'].includes(fix)) fail(kit.io, EXIT.usage, `the fix must be bind, grant or remove, got "${fix}"`);
      if (fix === 'bind' && !opts.employee) fail(kit.io, EXIT.usage, 'bind needs --employee <id>: the employee the account is adopted for');
      const api = kit.client();
      const what = `POST /v1/consolidation/findings/${findingId}/fix`;
      const answer = await kit.request(what, () => api.operator('POST', `/v1/consolidation/findings/${seg(findingId)}/fix`, {}, { fix, ...(fix === 'bind' ? { employeeId: opts.employee } : {}) }));
      kit.show(cmd, what, answer, fixAnswer, (a) => `${a.fix} for finding ${a.findingId}: run ${a.runId} ${a.created ? 'planned' : 'already planned'}, ${a.status}: npx lifecycle run ${a.runId}`);
    });
}
