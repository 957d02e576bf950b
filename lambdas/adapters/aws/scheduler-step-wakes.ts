/** Exact-time wakes on EventBridge Scheduler: one one-off schedule per wake, deleted by Scheduler once it has fired. */
import { CreateScheduleCommand, DeleteScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import type { StepWakes, Wake } from '../../engine/ports';
import { ENV } from '../../shared/env-names';

export interface SchedulerWakesConfig {
  /** The schedule group that holds the wakes. */
  groupName: string;
  /** The function a wake invokes (the sweep), with the wake as its input. */
  targetArn: string;
  /** The role Scheduler assumes to invoke it. */
  roleArn: string;
}

const errorName = (err: unknown): string | undefined => (err instanceof Error ? err.name : undefined);

export class SchedulerStepWakes implements StepWakes {
  constructor(
    private readonly scheduler: SchedulerClient,
    private readonly config: SchedulerWakesConfig,
  ) {}

  async schedule(wake: Wake): Promise<'scheduled' | 'exists'> {
    try {
      await this.scheduler.send(
        new CreateScheduleCommand({
          Name: wake.name,
          GroupName: this.config.groupName,
          Description: `run ${wake.runId}: exact-time step due ${wake.at}`,
          // Wall-clock time in the employee's zone, as the playbook states it.
          ScheduleExpression: `at(${wake.localDateTime})`,
          ScheduleExpressionTimezone: wake.timezone,
          FlexibleTimeWindow: { Mode: 'OFF' },
          ActionAfterCompletion: 'DELETE',
          Target: {
            Arn: this.config.targetArn,
            RoleArn: this.config.roleArn,
            Input: JSON.stringify({ wake: { employeeId: wake.employeeId, runId: wake.runId } }),
            // Past a sweep interval the sweep has queued the step anyway.
            RetryPolicy: { MaximumEventAgeInSeconds: 900, MaximumRetryAttempts: 5 },
          },
        }),
      );
      return 'scheduled';
    } catch (err) {
      if (errorName(err) === 'ConflictException') return 'exists';
      throw new Error(`wake ${wake.name} of run ${wake.runId}: Scheduler refused CreateSchedule: ${String(err)}`, { cause: err });
    }
  }

  async cancel(name: string): Promise<void> {
    try {
      await this.scheduler.send(new DeleteScheduleCommand({ Name: name, GroupName: this.config.groupName }));
    } catch (err) {
      // Fired (and deleted by Scheduler) or never made: either way it is gone.
      if (errorName(err) === 'ResourceNotFoundException') return;
      throw new Error(`wake ${name}: Scheduler refused DeleteSchedule: ${String(err)}`, { cause: err });
    }
  }
}

/** Wakes from this function's environment, or undefined when the stack gave it none (exact-time steps then wait for the sweep). */
export function stepWakesFromEnv(env: NodeJS.ProcessEnv = process.env): StepWakes | undefined {
  const groupName = env[ENV.wakeGroupName];
  const targetArn = env[ENV.wakeTargetArn];
  const roleArn = env[ENV.wakeRoleArn];
  if (!groupName || !targetArn || !roleArn) return undefined;
  return new SchedulerStepWakes(new SchedulerClient({}), { groupName, targetArn, roleArn });
}
