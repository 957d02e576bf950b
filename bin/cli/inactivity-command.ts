/**
 * `inactivity`: the accounts unused for the stage's days, who is excluded and why, and their revoke runs (a dry run).
 * `inactivity run`: the check for real, now, as its daily schedule runs it.
 */
import type { Command } from 'commander';
import * as z from '../../lambdas/shared/zod';
import type { CommandKit } from './command-kit';

const account = z.looseObject({ system: z.string(), accountId: z.string(), email: z.optional(z.string()), employeeId: z.optional(z.string()), idleDays: z.optional(z.number()) });

/** GET /v1/inactivity, and POST /v1/inactivity/run where the check runs at once (locally). */
export const inactivityAnswer = z.looseObject({
  checkedAt: z.string(),
  dryRun: z.optional(z.boolean()),
  requestedBy: z.optional(z.string()),
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
  created: z.optional(z.array(z.extend(account, { runId: z.string(), status: z.string() }))),
  cancelled: z.optional(z.array(z.extend(account, { runId: z.string() }))),
  notices: z.optional(z.array(z.looseObject({ runId: z.string(), to: z.array(z.string()), messageId: z.optional(z.string()), alreadySent: z.optional(z.boolean()), error: z.optional(z.string()) }))),
  errors: z.optional(z.array(z.looseObject({ system: z.optional(z.string()), accountId: z.optional(z.string()), runId: z.optional(z.string()), message: z.string() }))),
});
const accepted = z.looseObject({ accepted: z.literal(true), message: z.string() });

type Answer = z.infer<typeof inactivityAnswer>;
const who = (a: z.infer<typeof account>) => `${a.system} ${a.email ?? a.accountId}${a.employeeId ? ` (${a.employeeId})` : ''}`;

export function renderInactivity(r: Answer): string {
  const d = r.decision;
  const lines = [
    `inactivity ${r.enabled ? 'on' : 'off'}: unused for ${r.days} days, notice ${r.noticeDays} days before, ${r.approve ? 'approval first' : 'no approval'}; ${d.checked} accounts checked at ${r.checkedAt}`,
    ...r.reads.map((x) => `  read ${x.system}: ${x.accounts} accounts in ${x.ms} ms${x.error ? ` (${x.error})` : ''}`),
    r.dryRun === false ? `idle, a revoke run planned below (${d.idle.length}):` : `idle, a revoke run would be planned (${d.idle.length}):`,
    ...d.idle.map((a) => `  ${who(a)}: ${a.idleDays} days, ${a.sinceKind} ${a.since.slice(0, 10)}`),
    `with a revoke run (${d.withRun.length}):`,
    ...d.withRun.map((a) => `  ${who(a)}: run ${a.runId} ${a.status}`),
    `used again, its revoke to cancel (${d.usedAgain.length}):`,
    ...d.usedAgain.map((a) => `  ${who(a)}: run ${a.runId} ${a.status}`),
    `excluded (${d.excluded.length}):`,
    ...d.excluded.map((a) => `  ${who(a)}: ${a.code}: ${a.reason}`),
  ];
  // A real check (a run now): what it did.
  if (r.dryRun === false) {
    const created = r.created ?? [];
    const cancelled = r.cancelled ?? [];
    const notices = r.notices ?? [];
    const errors = r.errors ?? [];
    lines.push(
      `run${r.requestedBy ? ` by ${r.requestedBy}` : ''}: revoke runs planned (${created.length}):`,
      ...created.map((a) => `  ${who(a)}: run ${a.runId} ${a.status}`),
      `revoke runs cancelled, the account used again (${cancelled.length}):`,
      ...cancelled.map((a) => `  ${who(a)}: run ${a.runId}`),
      `notices (${notices.length}):`,
      ...notices.map((n) => `  run ${n.runId} to ${n.to.join(', ') || '(nobody)'}: ${n.error ? `not sent: ${n.error}` : n.alreadySent ? 'already sent' : 'sent'}`),
      `errors (${errors.length}):`,
      ...errors.map((e) => `  ${[e.system, e.accountId ?? e.runId].filter(Boolean).join(' ')}: ${e.message}`),
    );
  }
  return lines.join('\n');
}

export function registerInactivityCommand(program: Command, kit: CommandKit): void {
  const inactivity = program
    .command('inactivity')
    .description('accounts unused for the stage’s inactivity days: the candidates, the exclusions and why, their revoke runs (nothing is changed)')
    .action(async (_opts: unknown, cmd: Command) => {
      const api = kit.client();
      const answer = await kit.request('GET /v1/inactivity', () => api.operator('GET', '/v1/inactivity'));
      kit.show(cmd, 'GET /v1/inactivity', answer, inactivityAnswer, renderInactivity);
    });

  inactivity
    .command('run')
    .description('run the inactivity check now, as its daily schedule does: revoke runs planned for the idle accounts, notices sent')
    .action(async (_opts: unknown, cmd: Command) => {
      const api = kit.client();
      const answer = await kit.request('POST /v1/inactivity/run', () => api.operator('POST', '/v1/inactivity/run'));
      if (answer.status === 202) kit.show(cmd, 'POST /v1/inactivity/run', answer, accepted, (a) => a.message);
      else kit.show(cmd, 'POST /v1/inactivity/run', answer, inactivityAnswer, renderInactivity);
    });
}
