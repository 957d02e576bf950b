/** CDK app: the Core, Providers and Actions stacks of one stage, chosen with `-c stage=dev|prod`, checked by cdk-nag. */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { allowPlaceholdersFrom, placeholderReport, placeholdersIn } from '../config/placeholders';
import { loadStageConfig } from '../config/stages';
import { addLifecycleStacks } from '../lib/lifecycle-stacks';

const app = new App();

const stage: unknown = app.node.tryGetContext('stage') ?? 'dev';
if (typeof stage !== 'string') throw new Error('context "stage" must be a string: -c stage=dev|prod');
const config = loadStageConfig(stage);

// A placeholder deploys green and fails at the first real call: synth stops here, listing every one at once.
const placeholders = placeholdersIn(config);
if (placeholders.length > 0 && !allowPlaceholdersFrom(app.node.tryGetContext('allowPlaceholders'))) {
  process.stderr.write(`${placeholderReport(stage, placeholders)}\n`);
  process.exit(1);
}
addLifecycleStacks(app, config);

// cdk-nag 3 is a policy-validation plugin: any finding not acknowledged with a reason fails synth.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
