/**
 * The operator's changes to one run: approve or reject its plan, confirm an account, replan, cancel, retry or skip a
 * step. Each answers briefly (what changed and the run's status); `run` and `status` show the whole run.
 */
import type { Command } from 'commander';
import { runView } from './api-answers';
import { seg, type CommandKit } from './command-kit';
import { renderChange, renderRun } from './format';

type RunChange = 'cancel' | 'retry' | 'skip' | 'replan' | 'approve' | 'reject' | 'confirm-account';

/** POSTs one change to a run (or to one of its steps) and prints what `render` makes of the run it answers. */
async function changeRun(
  kit: CommandKit,
  cmd: Command,
  target: { runId: string; stepId?: string },
  change: RunChange,
  body: Record<string, string> | undefined,
  render: (run: Parameters<typeof renderRun>[0]) => string,
): Promise<void> {
  const path = (r: string, s: string | undefined) => (s === undefined ? `/v1/runs/${r}/${change}` : `/v1/runs/${r}/steps/${s}/${change}`);
  const api = kit.client();
  const what = `POST ${path(target.runId, target.stepId)}`;
  const answer = await kit.request(what, () => api.operator('POST', path(seg(target.runId), target.stepId === undefined ? undefined : seg(target.stepId)), {}, body));
  kit.show(cmd, what, answer, runView, render);
}

export function registerApprovalCommands(program: Command, kit: CommandKit): void {
  program
    .command('approve')
    .description('approve the plan of a run awaiting approval: the hash shown by `run` names the plan you read')
    .argument('<runId>')
    .requiredOption('--plan-hash <hash>', 'the plan hash `lifecycle run <runId>` shows')
    .action((runId: string, opts: { planHash: string }, cmd: Command) =>
      changeRun(kit, cmd, { runId }, 'approve', { planHash: opts.planHash }, (run) => renderChange(`approved the plan of run ${runId}`, run)),
    );

  program
    .command('reject')
    .description('reject the plan of a run awaiting approval: no step runs')
    .argument('<runId>')
    .requiredOption('--plan-hash <hash>', 'the plan hash `lifecycle run <runId>` shows')
    .requiredOption('--reason <text>', 'why, kept on the run and in the audit trail')
    .action((runId: string, opts: { planHash: string; reason: string }, cmd: Command) =>
      changeRun(kit, cmd, { runId }, 'reject', { planHash: opts.planHash, reason: opts.reason }, (run) => renderChange(`rejected the plan of run ${runId}`, run)),
    );
}

export function registerConfirmAccountCommand(program: Command, kit: CommandKit): void {
  program
    .command('confirm-account')
    .description('adopt an unbound account for a run, or let the run act on a protected one: the steps held for it run again')
    .argument('<runId>')
    .argument('<system>', 'google or connect')
    .argument('<account>', 'the address (Google) or username (Connect) the alert names')
    .argument('<confirms>', 'adopt (bind the unbound account to the employee) or protected (act on the protected account)')
    .action((runId: string, system: string, account: string, confirms: string, _opts: unknown, cmd: Command) =>
      changeRun(kit, cmd, { runId }, 'confirm-account', { system, account, confirms }, (run) =>
        renderChange(`confirmed ${system} account ${account} (${confirms}) for run ${runId}`, run),
      ),
    );
}

export function registerRunChangeCommands(program: Command, kit: CommandKit): void {
  program
    .command('replan')
    .description('plan a run again whose role could not be planned from, once the role is fixed in the catalog')
    .argument('<runId>')
    // The new plan is what the operator wants to read here, so the whole run is shown.
    .action((runId: string, _opts: unknown, cmd: Command) => changeRun(kit, cmd, { runId }, 'replan', undefined, (run) => `planned run ${runId} again\n${renderRun(run)}`));

  program
    .command('cancel')
    .description('cancel a run: its steps not yet done are cancelled')
    .argument('<runId>')
    .action((runId: string, _opts: unknown, cmd: Command) => changeRun(kit, cmd, { runId }, 'cancel', undefined, (run) => renderChange(`cancelled run ${runId}`, run)));
}

export function registerStepCommands(program: Command, kit: CommandKit): void {
  program
    .command('retry')
    .description('queue a step that needs attention for another attempt')
    .argument('<runId>')
    .argument('<stepId>')
    .action((runId: string, stepId: string, _opts: unknown, cmd: Command) =>
      changeRun(kit, cmd, { runId, stepId }, 'retry', undefined, (run) => renderChange(`step ${stepId} of run ${runId} is queued again`, run, stepId)),
    );

  program
    .command('skip')
    .description('mark a step as done by hand, so the steps after it can run')
    .argument('<runId>')
    .argument('<stepId>')
    .option('--reason <text>', 'what was done by hand, kept in the audit trail')
    .action((runId: string, stepId: string, opts: { reason?: string }, cmd: Command) =>
      changeRun(kit, cmd, { runId, stepId }, 'skip', opts.reason === undefined ? undefined : { reason: opts.reason }, (run) =>
        renderChange(`step ${stepId} of run ${runId} skipped`, run, stepId),
      ),
    );
}
