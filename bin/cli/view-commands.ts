/** The read-only operator views: an employee (`status`), one run (`run`), runs by status (`runs`) and alerts (`alerts`). */
import { Option, type Command } from 'commander';
import { RUN_STATUSES, type Alert } from '../../lambdas/engine/model';
import { alertsAnswer, employeeAnswer, runsAnswer, runView } from './api-answers';
import { seg, type CommandKit } from './command-kit';
import { renderAlerts, renderEmployee, renderRun, renderRuns } from './format';

const ALERT_STATUSES = ['open', 'resolved'] as const satisfies readonly Alert['status'][];

export function registerStatusCommand(program: Command, kit: CommandKit): void {
  program
    .command('status')
    .description("an employee's profile, runs and steps")
    .argument('<employeeId>')
    .option('--audit', 'also print the audit trail')
    .action(async (employeeId: string, opts: { audit?: boolean }, cmd: Command) => {
      const api = kit.client();
      const what = `GET /v1/employees/${employeeId}`;
      const answer = await kit.request(what, () => api.operator('GET', `/v1/employees/${seg(employeeId)}`));
      kit.show(cmd, what, answer, employeeAnswer, (view) => renderEmployee(view, opts.audit === true));
    });
}

export function registerRunCommand(program: Command, kit: CommandKit): void {
  program
    .command('run')
    .description('one run: its steps, and for a run awaiting approval the plan hash to approve')
    .argument('<runId>')
    .action(async (runId: string, _opts: unknown, cmd: Command) => {
      const api = kit.client();
      const what = `GET /v1/runs/${runId}`;
      const answer = await kit.request(what, () => api.operator('GET', `/v1/runs/${seg(runId)}`));
      kit.show(cmd, what, answer, runView, renderRun);
    });
}

export function registerRunsCommand(program: Command, kit: CommandKit): void {
  program
    .command('runs')
    .description('runs with a given status')
    .addOption(new Option('--status <status>', 'run status').choices(RUN_STATUSES).default('needs_attention'))
    .action(async (opts: { status: string }, cmd: Command) => {
      const api = kit.client();
      const answer = await kit.request('GET /v1/runs', () => api.operator('GET', '/v1/runs', { status: opts.status }));
      kit.show(cmd, 'GET /v1/runs', answer, runsAnswer, (a) => renderRuns(a.runs, opts.status));
    });
}

export function registerAlertsCommand(program: Command, kit: CommandKit): void {
  program
    .command('alerts')
    .description('operator alerts: which step stopped, what the provider said, what to do')
    .addOption(new Option('--status <status>', 'only open or only resolved alerts (default: all)').choices(ALERT_STATUSES))
    .action(async (opts: { status?: string }, cmd: Command) => {
      const api = kit.client();
      const answer = await kit.request('GET /v1/alerts', () => api.operator('GET', '/v1/alerts', { status: opts.status }));
      kit.show(cmd, 'GET /v1/alerts', answer, alertsAnswer, (a) => renderAlerts(a.alerts, opts.status));
    });
}
