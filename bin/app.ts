/** CDK app: the Core and Actions stacks of one stage, chosen with `-c stage=dev|prod`, checked by cdk-nag. */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { loadStageConfig } from '../config/stages';
import { addLifecycleStacks } from '../lib/lifecycle-stacks';

const app = new App();

const stage: unknown = app.node.tryGetContext('stage') ?? 'dev';
if (typeof stage !== 'string') throw new Error('context "stage" must be a string: -c stage=dev|prod');
addLifecycleStacks(app, loadStageConfig(stage));

// cdk-nag 3 is a policy-validation plugin: any finding not acknowledged with a reason fails synth.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
