/** Reading a synthesized template the way the infra tests ask about it: by role, by route, by function entry. */
import { CfnElement, Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { ENTRY_METADATA_KEY } from '../../lib/constructs/lifecycle-function';

export interface Statement {
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Sid?: string;
  readonly Condition?: unknown;
}

export interface CfnResourceJson {
  readonly Type: string;
  readonly DeletionPolicy?: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
}

export const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

export const actionsOf = (statement: Statement): string[] => asArray(statement.Action);

/** The logical id of a construct's CloudFormation resource. */
export function logicalId(construct: IConstruct): string {
  const element = CfnElement.isCfnElement(construct) ? construct : construct.node.defaultChild;
  if (!element || !CfnElement.isCfnElement(element)) throw new Error(`${construct.node.path} has no CloudFormation resource`);
  return Stack.of(element).getLogicalId(element);
}

/** One resource of the template by type and logical id, failing loudly when it is not there. */
export function resourceOf(template: Template, type: string, id: string): CfnResourceJson & { Properties: Record<string, unknown> } {
  const resource = resourcesOfType(template, type)[id] as CfnResourceJson | undefined;
  if (!resource) throw new Error(`no ${type} ${id} in the template`);
  return { ...resource, Properties: resource.Properties ?? {} };
}

function resourcesOfType(template: Template, type: string): Record<string, CfnResourceJson> {
  return template.findResources(type) as Record<string, CfnResourceJson>;
}

/** Every statement of every AWS::IAM::Policy in the template. */
export function allStatements(template: Template): Statement[] {
  return Object.values(resourcesOfType(template, 'AWS::IAM::Policy')).flatMap(
    (policy) => (policy.Properties?.PolicyDocument as { Statement: Statement[] }).Statement,
  );
}

/**
 * Every statement of the AWS::IAM::Policy resources of our own roles: all but the one aws-cdk-lib's bucket deployment
 * function runs with (its statements are asserted on their own in console-hosting.test.ts).
 */
export function ownStatements(template: Template): Statement[] {
  const deployerOnly = (roles: unknown): boolean =>
    Array.isArray(roles) && roles.length > 0 && roles.every((r) => typeof (r as { Ref?: unknown }).Ref === 'string' && isCdkBucketDeploymentFunction((r as { Ref: string }).Ref));
  return Object.values(resourcesOfType(template, 'AWS::IAM::Policy'))
    .filter((policy) => !deployerOnly(policy.Properties?.Roles))
    .flatMap((policy) => (policy.Properties?.PolicyDocument as { Statement: Statement[] }).Statement);
}

/** Statements of the AWS::IAM::Policy resources attached to one role of the same template. */
export function statementsOfRole(template: Template, roleLogicalId: string): Statement[] {
  return Object.values(resourcesOfType(template, 'AWS::IAM::Policy'))
    .filter((policy) => (policy.Properties?.Roles as unknown[]).some((r) => JSON.stringify(r) === JSON.stringify({ Ref: roleLogicalId })))
    .flatMap((policy) => (policy.Properties?.PolicyDocument as { Statement: Statement[] }).Statement);
}

/** Allow statements granting an action (exact name) to a role. */
export function grantsOf(template: Template, roleLogicalId: string, action: string): Statement[] {
  return statementsOfRole(template, roleLogicalId).filter((s) => s.Effect === 'Allow' && actionsOf(s).includes(action));
}

/** aws-cdk-lib's own function behind the console's bucket deployment (lib/constructs/console-hosting.ts): not one of ours. */
export const isCdkBucketDeploymentFunction = (logicalId: string): boolean => /^CustomCDKBucketDeployment[0-9A-F]{32}/.test(logicalId);

/** Our Lambda functions (LifecycleFunction), keyed by the handler file recorded in their metadata. */
export function functionsByEntry(template: Template): Map<string, { logicalId: string; properties: Record<string, unknown> }> {
  const byEntry = new Map<string, { logicalId: string; properties: Record<string, unknown> }>();
  for (const [id, fn] of Object.entries(resourcesOfType(template, 'AWS::Lambda::Function'))) {
    if (isCdkBucketDeploymentFunction(id)) continue;
    const entry = fn.Metadata?.[ENTRY_METADATA_KEY];
    if (typeof entry !== 'string') throw new Error(`function ${id} has no ${ENTRY_METADATA_KEY} metadata`);
    if (byEntry.has(entry)) throw new Error(`two functions for ${entry}`);
    byEntry.set(entry, { logicalId: id, properties: fn.Properties ?? {} });
  }
  return byEntry;
}

/** API Gateway methods keyed `VERB /path`, the path rebuilt from the resource tree. */
export function methodsByRoute(template: Template): Map<string, Record<string, unknown>> {
  const resources = resourcesOfType(template, 'AWS::ApiGateway::Resource');
  const pathOf = (resourceRef: unknown): string => {
    const ref = (resourceRef as { Ref?: string }).Ref;
    if (!ref) return ''; // Fn::GetAtt [api, RootResourceId]
    const resource = resources[ref];
    return `${pathOf(resource.Properties?.ParentId)}/${String(resource.Properties?.PathPart)}`;
  };
  const routes = new Map<string, Record<string, unknown>>();
  for (const method of Object.values(resourcesOfType(template, 'AWS::ApiGateway::Method'))) {
    const props = method.Properties ?? {};
    routes.set(`${String(props.HttpMethod)} ${pathOf(props.ResourceId) || '/'}`, props);
  }
  return routes;
}
