/** cdk-nag AwsSolutions on every deployed stage: no finding may stand without an acknowledgement that says why. */
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { Stack, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { allStacks, buildStage, DEPLOYED_STAGES, testApp } from './build-stacks';
import { nagFindings } from './nag-findings';

describe.each(DEPLOYED_STAGES)('cdk-nag AwsSolutions (%s)', (stage) => {
  const built = buildStage(stage);
  built.app.synth();

  const stacks = allStacks(built).map((s) => [s.stackName, s] as const);

  it.each(stacks)('%s has no unacknowledged error', (_name, stack) => {
    expect(nagFindings(stack, 'error')).toEqual([]);
  });

  it.each(stacks)('%s has no unacknowledged warning either (synth fails on any violation)', (_name, stack) => {
    expect(nagFindings(stack, 'warning')).toEqual([]);
  });

  it.each(stacks)('%s has no CDK error annotation', (_name, stack) => {
    expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
  });

  it('every acknowledgement names a rule and gives a specific reason', () => {
    const acknowledgements: { path: string; id: string; reason: string }[] = [];
    const walk = (node: IConstruct): void => {
      for (const entry of node.node.metadata) {
        if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
        for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
          acknowledgements.push({ path: node.node.path, id, reason });
        }
      }
      node.node.children.forEach(walk);
    };
    walk(built.app);
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const a of acknowledgements) {
      expect({ ...a, ruleNamed: /AwsSolutions-[A-Z]+\d+/.test(a.id) }).toMatchObject({ ruleNamed: true });
      expect({ ...a, specific: a.reason.length >= 40 }).toMatchObject({ specific: true });
    }
  });

  it('synthesizes with the checks registered as bin/app.ts registers them', () => {
    const again = buildStage(stage);
    Validations.of(again.app).addPlugins(new AwsSolutionsChecks(again.app));
    expect(() => again.app.synth()).not.toThrow();
  });
});

describe('the cdk-nag check itself', () => {
  it('catches an unencrypted queue without a DLQ (so the tests above can fail)', () => {
    const stack = new Stack(testApp('dev'), 'Bad');
    new sqs.Queue(stack, 'Plain', { encryption: sqs.QueueEncryption.UNENCRYPTED });
    expect(nagFindings(stack, 'error')).toEqual(
      expect.arrayContaining(['AwsSolutions-SQS3 @ Bad/Plain/Resource', 'AwsSolutions-SQS4 @ Bad/Plain/Resource']),
    );
  });
});
