/** The exact-time wakes adapter against a recording Scheduler client (the real SDK client, its `send` answered by aws-sdk-client-mock). */
import { ConflictException, CreateScheduleCommand, DeleteScheduleCommand, ResourceNotFoundException, SchedulerClient, SchedulerServiceException, ValidationException } from '@aws-sdk/client-scheduler';
import { SchedulerStepWakes, stepWakesFromEnv } from '../../../lambdas/adapters/aws/scheduler-step-wakes';
import type { Wake } from '../../../lambdas/engine/ports';
import { ENV } from '../../../lambdas/shared/env-names';
import { recording } from '../../support/recording-client';

const config = {
  groupName: 'AccountLifecycledevCore-StepWakes-Group-39A46C9D',
  targetArn: 'arn:aws:lambda:eu-central-1:111122223333:function:sweep',
  roleArn: 'arn:aws:iam::111122223333:role/wake-invoke',
};

const wake: Wake = {
  name: 'wake-0123456789abcdef',
  at: '2026-04-01T07:00:00.000Z',
  timezone: 'Europe/Berlin',
  localDateTime: '2026-04-01T09:00:00',
  employeeId: 'E100',
  runId: '9f86d081-884c-7d65-9a2f-eaa0c55ad015',
};

/** The options every SDK exception takes. */
const refusal = (message: string) => ({ message, Message: message, $metadata: {} });

/** A Scheduler client that answers every command by throwing `error`. */
const refusing = (error: Error) =>
  recording(SchedulerClient, () => {
    throw error;
  });

describe('SchedulerStepWakes', () => {
  it('creates a one-off schedule at the local time in the employee zone, invoking the sweep with the wake', async () => {
    const scheduler = recording(SchedulerClient);
    expect(await new SchedulerStepWakes(scheduler.client, config).schedule(wake)).toBe('scheduled');
    const sent = scheduler.sent;
    expect(sent).toHaveLength(1);
    expect(sent[0]).toBeInstanceOf(CreateScheduleCommand);
    expect(sent[0].input).toMatchObject({
      Name: wake.name,
      GroupName: config.groupName,
      ScheduleExpression: 'at(2026-04-01T09:00:00)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      Target: { Arn: config.targetArn, RoleArn: config.roleArn },
    });
    const input = (sent[0] as CreateScheduleCommand).input.Target?.Input;
    expect((sent[0] as CreateScheduleCommand).input.Target?.RetryPolicy).toEqual({ MaximumEventAgeInSeconds: 900, MaximumRetryAttempts: 5 });
    expect(JSON.parse(input ?? '')).toEqual({ wake: { employeeId: 'E100', runId: wake.runId } });
  });

  it('answers exists when a schedule of that name is there already', async () => {
    const { client } = refusing(new ConflictException(refusal('Schedule already exists.')));
    expect(await new SchedulerStepWakes(client, config).schedule(wake)).toBe('exists');
  });

  it('throws any other refusal with the wake and run in the message', async () => {
    const { client } = refusing(new ValidationException(refusal('The schedule expression is in the past')));
    await expect(new SchedulerStepWakes(client, config).schedule(wake)).rejects.toThrow(
      new RegExp(`wake ${wake.name} of run ${wake.runId}: Scheduler refused CreateSchedule: .*in the past`),
    );
  });

  it('deletes a schedule by name in its group, and a schedule already gone is fine', async () => {
    const gone = refusing(new ResourceNotFoundException(refusal('Schedule not found.')));
    await expect(new SchedulerStepWakes(gone.client, config).cancel(wake.name)).resolves.toBeUndefined();
    expect(gone.sent[0]).toBeInstanceOf(DeleteScheduleCommand);
    expect(gone.sent[0].input).toEqual({ Name: wake.name, GroupName: config.groupName });

    const denied = refusing(new SchedulerServiceException({ name: 'AccessDeniedException', $fault: 'client', $metadata: {}, message: 'not authorized' }));
    await expect(new SchedulerStepWakes(denied.client, config).cancel(wake.name)).rejects.toThrow(/DeleteSchedule: .*not authorized/);
  });

  it('is built from the environment only when the group, target and role are all named', () => {
    const env = { [ENV.wakeGroupName]: config.groupName, [ENV.wakeTargetArn]: config.targetArn, [ENV.wakeRoleArn]: config.roleArn };
    expect(stepWakesFromEnv(env)).toBeInstanceOf(SchedulerStepWakes);
    expect(stepWakesFromEnv({ ...env, [ENV.wakeRoleArn]: undefined })).toBeUndefined();
    expect(stepWakesFromEnv({})).toBeUndefined();
  });
});
