/** `doctor`: checks a deployed stage (or the local runtime) end to end and prints one line per check. */
import type { Command } from 'commander';
import { loadStageConfig } from '../../config/stages';
import { ENV } from '../../lambdas/shared/env-names';
import { LOCAL_DEFAULTS } from '../../config/local-defaults';
import { anyFailed, runChecks, type CheckResult, type DoctorTarget } from './doctor/checks';
import type { CommandKit } from './command-kit';
import { table } from './format';
import { EXIT, fail, messageOf } from './io';
import { localSecretsFromEnv, localTarget, runningRuntimeParts } from './doctor/local-target';

interface DoctorOptions {
  stage?: string;
  local?: boolean;
  region?: string;
  output: string[];
  emulatorUrl?: string;
}

/** A problem with the command line, as opposed to with the stage: exit 2. */
class UsageProblem extends Error {}

/** Builds the AWS target: loaded only for a deployed stage, so `--local` never loads the AWS clients. */
async function awsTargetFor(stage: string, opts: DoctorOptions, env: Readonly<Record<string, string | undefined>>): Promise<DoctorTarget> {
  const config = loadStageConfig(stage);
  const region = opts.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!region) throw new UsageProblem('no AWS region: give --region or set AWS_REGION');
  const [{ CloudFormationClient }, { SecretsManagerClient }, { SNSClient }, { SQSClient }, { createConnectClient }, aws] = await Promise.all([
    import('@aws-sdk/client-cloudformation'),
    import('@aws-sdk/client-secrets-manager'),
    import('@aws-sdk/client-sns'),
    import('@aws-sdk/client-sqs'),
    import('../../lambdas/providers/connect/connect-client'),
    import('./doctor/aws-target'),
  ]);
  let flags: Record<string, string>;
  try {
    flags = aws.parseOutputFlags(opts.output);
  } catch (err) {
    throw new UsageProblem(messageOf(err));
  }
  const outputs = { ...(await aws.stageOutputs(new CloudFormationClient({ region }), stage)), ...flags };
  return aws.awsTarget(
    config,
    outputs,
    { secretsManager: new SecretsManagerClient({ region }), sns: new SNSClient({ region }), sqs: new SQSClient({ region }), connect: createConnectClient({ region, maxAttempts: 1 }) },
    region,
  );
}

function localTargetFor(opts: DoctorOptions, kit: CommandKit): DoctorTarget {
  const env = kit.io.env;
  const emulatorUrl = opts.emulatorUrl ?? `http://localhost:${env[ENV.emulatorPort] ?? LOCAL_DEFAULTS.emulatorPort}`;
  return localTarget({ emulatorUrl, fetch: kit.io.fetch, secrets: localSecretsFromEnv(env), ...runningRuntimeParts(env, kit.io.fetch) });
}

export function renderDoctor(target: string, results: readonly CheckResult[]): string {
  const failed = results.filter((r) => r.status === 'FAIL').length;
  const skipped = results.filter((r) => r.status === 'skip').length;
  const summary = failed
    ? `${failed} check${failed === 1 ? '' : 's'} failed${skipped ? `, ${skipped} skipped` : ''}: fix each FAIL line and run doctor again (docs/doctor.md)`
    : `all ${results.length - skipped} checks passed${skipped ? `, ${skipped} skipped` : ''}`;
  return [`lifecycle doctor: ${target}`, table(['check', 'status', 'detail'], results.map((r) => [r.check, r.status, r.detail])), summary].join('\n');
}

export function registerDoctorCommand(program: Command, kit: CommandKit): void {
  program
    .command('doctor')
    .description('check a deployed stage end to end (secrets, Google delegation, Connect, Notion, alert subscribers, dead letters); exit 1 if any check fails')
    .option('--local', 'check the local runtime (npm start) and its emulators instead')
    .option('--region <region>', 'AWS region of the stage (default: AWS_REGION)')
    .option('--output <Key=Value>', 'a stack output to use instead of the deployed one (repeatable)', (v: string, all: string[]) => [...all, v], [])
    .option('--emulator-url <url>', 'with --local: where the emulators listen (default http://localhost:4010)')
    .action(async (own: DoctorOptions, cmd: Command) => {
      // --stage is the program's option (every command reads it), falling back to LIFECYCLE_STAGE.
      const opts: DoctorOptions = { ...own, stage: kit.stage() };
      const local = opts.local === true || opts.stage === 'local';
      if (!local && !opts.stage) fail(kit.io, EXIT.usage, 'give --stage dev|prod for a deployed stage, or --local for npm start');
      if (!local && opts.stage !== 'dev' && opts.stage !== 'prod') fail(kit.io, EXIT.usage, `--stage must be dev or prod, got "${opts.stage}"`);
      let target: DoctorTarget;
      try {
        target = local ? localTargetFor(opts, kit) : await awsTargetFor(opts.stage!, opts, kit.io.env);
      } catch (err) {
        return fail(kit.io, err instanceof UsageProblem ? EXIT.usage : EXIT.failed, `lifecycle doctor: ${messageOf(err)}`);
      }
      const results = await runChecks(target);
      kit.out(kit.wantsJson(cmd) ? JSON.stringify({ target: target.name, checks: results }, null, 2) : renderDoctor(target.name, results));
      if (anyFailed(results)) fail(kit.io, EXIT.failed, `lifecycle doctor: ${results.filter((r) => r.status === 'FAIL').length} failed`);
    });
}
