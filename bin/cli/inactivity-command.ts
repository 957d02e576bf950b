/** `inactivity`: the accounts unused for the stage's days, who is excluded and why, and their revoke runs (a dry run). */
import type { Command } from 'commander';
import * as z from '../../lambdas/shared/zod';
import type { CommandKit } from './command-kit';

const account = z.looseObject({ system: z.string(), accountId: z.string(), email: z.optional(z.string()), employeeId: z.optional(z.string()), idleDays: z.optional(z.number()) });

/** GET /v1/inactivity. */
export const inactivityAnswer = z.looseObject({
  checkedAt: z.string(),
  enabled: z.boolean(),
  days: z.number(),
  noticeDays: z.number(),
  approve: z.boolean(),
  reads: z.array(z.looseObject({ system: z.string(), accounts: z.number(), ms: z.number(), error: z.optional(z.string()) })),
  decision: z.looseObject({
    checked: z.number(),
    idle: z.array(z.extend(account, { since: z.string(), sinceKind: z.string() })),
    excluded: z.array(z.extend(account, { code: z.string(), reason: z.string() })),
    withRun: z.array(z.extend(account, { runId: z.string(), status: z.string() })),
    usedAgain: z.array(z.extend(account, { runId: z.string(), status: z.string() })),
  }),
});

type Answer = z.infer<typeof inactivityAnswer>;
const who = (a: z.infer<typeof account>) => `${a.system} ${a.email ?? a.accountId}${a.employeeId ? ` (${a.employeeId})` : ''}`;

export function renderInactivity(r: Answer): string {
  const d = r.decision;
  const lines = [
    `inactivity ${r.enabled ? 'on' : 'off'}: unused for ${r.days} days, notice ${r.noticeDays} days before, ${r.approve ? 'approval first' : 'no approval'}; ${d.checked} accounts checked at ${r.checkedAt}`,
    ...r.reads.map((x) => `  read ${x.system}: ${x.accounts} accounts in ${x.ms} ms${x.error ? ` (${x.error})` : ''}`),
    `idle, a revoke run would be planned (${d.idle.length}):`,
    ...d.idle.map((a) => `  ${who(a)}: ${a.idleDays} days, ${a.sinceKind} ${a.since.slice(0, 10)}`),
    `with a revoke run (${d.withRun.length}):`,
    ...d.withRun.map((a) => `  ${who(a)}: run ${a.runId} ${a.status}`),
    `used again, its revoke to cancel (${d.usedAgain.length}):`,
    ...d.usedAgain.map((a) => `  ${who(a)}: run ${a.runId} ${a.status}`),
    `excluded (${d.excluded.length}):`,
    ...d.excluded.map((a) => `  ${who(a)}: ${a.code}: ${a.reason}`),
  ];
  return lines.join('\n');
}

export function registerInactivityCommand(program: Command, kit: CommandKit): void {
  program
    .command('inactivity')
    .description('accounts unused for the stage’s inactivity days: the candidates, the exclusions and why, their revoke runs (nothing is changed)')
    .action(async (_opts: unknown, cmd: Command) => {
      const api = kit.client();
      const answer = await kit.request('GET /v1/inactivity', () => api.operator('GET', '/v1/inactivity'));
      kit.show(cmd, 'GET /v1/inactivity', answer, inactivityAnswer, renderInactivity);
    });
}
