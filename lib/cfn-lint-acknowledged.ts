/**
 * cfn-lint findings the synthesized templates keep on purpose, each with its reason, in the shape of the cdk-nag
 * acknowledgements (lib/nag.ts). The infra test runs cfn-lint on every stage's templates and fails on any error, on
 * any warning not listed here, and on a listed rule that no longer fires. Only warnings and informational rules may
 * be listed: an error is fixed, never acknowledged.
 */
export interface CfnLintAcknowledgement {
  /** The cfn-lint rule id, e.g. `W3005`. */
  readonly rule: string;
  /** Why the template is right as it is. */
  readonly reason: string;
}

export const CFN_LINT_ACKNOWLEDGED: readonly CfnLintAcknowledgement[] = [
  {
    rule: 'W3005',
    reason:
      "aws-cdk-lib's Lambda function states DependsOn its role and the role's policy so that the policy exists before " +
      'the function can first run; the role half repeats the Fn::GetAtt on the role, and the policy half is not implied ' +
      'by any reference, so the explicit dependency stays.',
  },
];

/** The rule ids, as `cfn-lint --ignore-checks` takes them. */
export const acknowledgedCfnLintRules = (): string[] => CFN_LINT_ACKNOWLEDGED.map((a) => a.rule);
