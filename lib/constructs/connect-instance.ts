/** ConnectInstance: the one Amazon Connect instance a stage's actions work on, and how an action is granted permissions there. */
import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import type { ConnectPermission } from '../../lambdas/actions/catalog';
import { ENV } from '../../lambdas/shared/env-names';
import { acknowledge, nagResourceOf } from '../nag';
import type { LifecycleFunction } from './lifecycle-function';

export class ConnectInstance {
  /** `arn:<partition>:connect:<region>:<account>:instance/<id>`. */
  readonly instanceArn: string;
  /** Users, routing profiles, security profiles and agent groups are ARNs under the instance. */
  readonly subResourcesArn: string;

  constructor(
    scope: IConstruct,
    readonly instanceId: string,
  ) {
    this.instanceArn = Stack.of(scope).formatArn({
      service: 'connect',
      resource: 'instance',
      resourceName: instanceId,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    this.subResourcesArn = `${this.instanceArn}/*`;
  }

  /** Grants exactly `permissions` on this instance and what lives in it, and tells the function which instance it is. */
  bind(fn: LifecycleFunction, actionName: string, permissions: readonly ConnectPermission[]): void {
    if (permissions.length === 0) {
      throw new Error(`action ${actionName}: needs.connect lists no permissions; list the connect:* calls it makes or drop needs.connect`);
    }
    fn.addEnvironment(ENV.connectInstanceId, this.instanceId);
    fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ConnectOnStageInstance',
        actions: [...new Set(permissions)],
        resources: [this.instanceArn, this.subResourcesArn],
      }),
    );
    acknowledge(
      fn.role,
      'AwsSolutions-IAM5',
      `Connect user, routing profile, security profile and agent group ARNs are only known at run time and all live under instance ${this.instanceId}; the wildcard is limited to that one instance.`,
      [`Resource::${nagResourceOf(fn.role, this.subResourcesArn)}`],
    );
  }
}
