/** StepWakeSchedules: the EventBridge Scheduler group of exact-time step wakes, and the role its schedules invoke the sweep with. */
import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { ENV } from '../../lambdas/shared/env-names';
import { acknowledge, nagResourceOf } from '../nag';
import type { LifecycleFunction } from './lifecycle-function';

export interface StepWakeSchedulesProps {
  readonly stage: string;
  /** What a wake invokes: the sweep, which releases the due steps of the wake's run. */
  readonly target: lambda.IFunction;
}

export class StepWakeSchedules extends Construct {
  readonly group: scheduler.ScheduleGroup;
  /** Assumed by EventBridge Scheduler to invoke the target, and good for nothing else. */
  readonly invokeRole: iam.Role;
  private readonly target: lambda.IFunction;

  constructor(scope: Construct, id: string, props: StepWakeSchedulesProps) {
    super(scope, id);
    this.target = props.target;
    this.group = new scheduler.ScheduleGroup(this, 'Group', {
      // Wakes are a nudge, not a record: the due index still holds every step, so deleting the group
      // loses nothing the sweep would not do, and a retained group's name would block a stack rebuilt after a delete.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const account = Stack.of(this).account;
    this.invokeRole = new iam.Role(this, 'InvokeRole', {
      description: `account-lifecycle ${props.stage}: EventBridge Scheduler invokes the sweep when an exact-time step falls due`,
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': account } } }),
      // Inline: the role's one right belongs to it, not to any engine function.
      inlinePolicies: {
        InvokeSweep: new iam.PolicyDocument({
          statements: [new iam.PolicyStatement({ sid: 'InvokeSweep', actions: ['lambda:InvokeFunction'], resources: [props.target.functionArn] })],
        }),
      },
    });
  }

  /** ARN pattern of the wakes in this group (schedule names are chosen at run time, so they end in a wildcard). */
  get schedulesArn(): string {
    return Stack.of(this).formatArn({
      service: 'scheduler',
      resource: 'schedule',
      resourceName: `${this.group.scheduleGroupName}/*`,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
  }

  /** Lets a function make and remove wakes in this group, and tells it the group, target and role, in one call. */
  grantScheduling(fn: LifecycleFunction): void {
    fn.function.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ManageStepWakes',
        actions: ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule'],
        resources: [this.schedulesArn],
      }),
    );
    fn.function.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'PassStepWakesRole',
        actions: ['iam:PassRole'],
        resources: [this.invokeRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
    fn.addEnvironment(ENV.wakeGroupName, this.group.scheduleGroupName)
      .addEnvironment(ENV.wakeTargetArn, this.target.functionArn)
      .addEnvironment(ENV.wakeRoleArn, this.invokeRole.roleArn);
    acknowledge(
      fn.role,
      'AwsSolutions-IAM5',
      'Each exact-time step gets a one-off schedule whose name is made at run time; the wildcard covers only schedules in the step-wakes group.',
      [`Resource::${nagResourceOf(this, this.schedulesArn)}`],
    );
  }
}
