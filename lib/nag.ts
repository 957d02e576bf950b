/** cdk-nag acknowledgements in one shape: each names its rule (and finding, when the rule has several) and says why. */
import { CfnElement, Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Acknowledges a rule on constructs and their children. With findings, only those findings
 * (`AwsSolutions-IAM5[Resource::*]`) are acknowledged: cdk-nag 3 matches each finding exactly.
 */
export function acknowledge(
  scopes: IConstruct | readonly IConstruct[],
  rule: string,
  reason: string,
  findings: readonly string[] = [],
): void {
  const ids = findings.length === 0 ? [rule] : findings.map((finding) => `${rule}[${finding}]`);
  for (const scope of [scopes].flat()) {
    Validations.of(scope).acknowledge(...ids.map((id) => ({ id, reason })));
  }
}

/** How cdk-nag spells `Fn::GetAtt [<resource>, Arn]` in a finding: `<LogicalId.Arn>`. */
export function nagArnOf(resource: IConstruct): string {
  const element = CfnElement.isCfnElement(resource) ? resource : resource.node.defaultChild;
  if (!element || !CfnElement.isCfnElement(element)) {
    throw new Error(`${resource.node.path} has no CloudFormation resource to name in a cdk-nag finding`);
  }
  return `<${Stack.of(element).getLogicalId(element)}.Arn>`;
}

/** How cdk-nag spells a (possibly tokenized) ARN in a finding: `Fn::Join` flattened, `Ref`s as `<AWS::Region>`. */
export function nagResourceOf(scope: IConstruct, value: string): string {
  return flattenForNag(Stack.of(scope).resolve(value), value);
}

function flattenForNag(node: unknown, original: string): string {
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (typeof node === 'object' && node !== null) {
    if ('Fn::Join' in node) {
      const [delimiter, items] = node['Fn::Join'] as [string, unknown[]];
      return items.map((item) => flattenForNag(item, original)).join(delimiter);
    }
    if ('Ref' in node) return `<${flattenForNag(node.Ref, original)}>`;
    if ('Fn::GetAtt' in node) {
      const [resource, attribute] = node['Fn::GetAtt'] as [unknown, unknown];
      return `<${flattenForNag(resource, original)}.${flattenForNag(attribute, original)}>`;
    }
  }
  throw new Error(`cannot spell ${original} as a cdk-nag finding: ${JSON.stringify(node)}`);
}
