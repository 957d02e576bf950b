/** Exact-time wakes: a schedule group, a role only Scheduler of this account assumes, and least-privilege scheduling rights for intake. */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ENV } from '../../lambdas/shared/env-names';
import type { CoreStack } from '../../lib/core-stack';
import { buildStage, DEPLOYED_STAGES, type BuiltStage } from './build-stacks';
import { actionsOf, allStatements, asArray, logicalId, resourceOf, statementsOfRole } from './template-helpers';

type EngineFunction = keyof CoreStack['functions'];

describe.each(DEPLOYED_STAGES)('step wakes (%s)', (stage) => {
  let built: BuiltStage;
  let template: Template;
  let groupName: string;
  const arnOf = (construct: Parameters<typeof logicalId>[0]) => ({ 'Fn::GetAtt': [logicalId(construct), 'Arn'] });
  const roleOf = (name: EngineFunction) => logicalId(built.core.functions[name].role);

  beforeAll(() => {
    built = buildStage(stage);
    template = Template.fromStack(built.core);
    groupName = resourceOf(template, 'AWS::Scheduler::ScheduleGroup', logicalId(built.core.wakes.group)).Properties.Name as string;
  });

  it('has one schedule group, named for this stack', () => {
    template.resourceCountIs('AWS::Scheduler::ScheduleGroup', 1);
    expect(groupName).toMatch(new RegExp(`^AccountLifecycle${stage}Core-StepWakes-Group-[0-9A-F]{8}$`));
  });

  it('the wake role is assumed only by EventBridge Scheduler on behalf of this account', () => {
    const role = resourceOf(template, 'AWS::IAM::Role', logicalId(built.core.wakes.invokeRole));
    expect(role.Properties.AssumeRolePolicyDocument).toMatchObject({
      Statement: [
        {
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          Principal: { Service: 'scheduler.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
        },
      ],
    });
  });

  it('the wake role may invoke the sweep function and nothing else', () => {
    const role = resourceOf(template, 'AWS::IAM::Role', logicalId(built.core.wakes.invokeRole));
    const statements = (role.Properties.Policies as { PolicyDocument: { Statement: unknown[] } }[]).flatMap((p) => p.PolicyDocument.Statement);
    expect(statements).toEqual([{ Sid: 'InvokeSweep', Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: arnOf(built.core.functions.sweep.function) }]);
    // No managed or separate policy adds anything to it.
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(statementsOfRole(template, logicalId(built.core.wakes.invokeRole))).toEqual([]);
  });

  it('the api may create and delete schedules in the wake group only', () => {
    const statements = statementsOfRole(template, roleOf('api')).filter((s) => actionsOf(s).some((a) => a.startsWith('scheduler:')));
    expect(statements).toHaveLength(1);
    expect(actionsOf(statements[0]).sort()).toEqual(['scheduler:CreateSchedule', 'scheduler:DeleteSchedule']);
    expect(statements[0].Resource).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':scheduler:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:schedule/${groupName}/*`]],
    });
  });

  it('the api may pass the wake role, to Scheduler only, and no other role', () => {
    const passes = allStatements(template).filter((s) => actionsOf(s).includes('iam:PassRole'));
    expect(passes).toHaveLength(1);
    expect(statementsOfRole(template, roleOf('api'))).toContainEqual(passes[0]);
    expect(passes[0]).toMatchObject({
      Effect: 'Allow',
      Resource: arnOf(built.core.wakes.invokeRole),
      Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
    });
  });

  it('no other engine function may schedule or pass roles', () => {
    for (const name of ['sweep', 'dispatcher', 'deadLetter'] as const) {
      const granted = statementsOfRole(template, roleOf(name)).flatMap(actionsOf);
      expect(granted.filter((a) => a.startsWith('scheduler:') || a === 'iam:PassRole')).toEqual([]);
    }
  });

  it('the api knows the group, the target (the sweep) and the role; other functions do not', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Role: arnOf(built.core.functions.api.role),
      Environment: {
        Variables: Match.objectLike({
          [ENV.wakeGroupName]: groupName,
          [ENV.wakeTargetArn]: arnOf(built.core.functions.sweep.function),
          [ENV.wakeRoleArn]: arnOf(built.core.wakes.invokeRole),
        }),
      },
    });
    const fns = Object.values(template.findResources('AWS::Lambda::Function')) as { Properties: { Environment?: { Variables?: Record<string, unknown> } } }[];
    expect(fns.filter((fn) => fn.Properties.Environment?.Variables?.[ENV.wakeGroupName] !== undefined)).toHaveLength(1);
  });

  it('the sweep grants no invoke permission to Scheduler (its role invokes); only the rule has one', () => {
    // Scheduler invokes through its role, so the sweep needs no resource policy for it.
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission')).filter(
      (p) => JSON.stringify(p.Properties.FunctionName) === JSON.stringify(arnOf(built.core.functions.sweep.function)),
    );
    expect(permissions.map((p) => p.Properties.Principal)).toEqual(['events.amazonaws.com']);
    expect(asArray(permissions[0].Properties.Action)).toEqual(['lambda:InvokeFunction']);
  });
});
