/**
 * CDK app of an account's one-time stack: the Bitbucket Pipelines identity provider and the stages' deploy roles.
 * `npm run bootstrap-stack -- deploy -c bitbucketWorkspace=… ` (docs/deploy.md, "Bootstrap").
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { BootstrapStack, bootstrapSettingsFromContext } from '../lib/bootstrap-stack';

const app = new App();
new BootstrapStack(app, 'AccountLifecycle-Bootstrap', {
  settings: bootstrapSettingsFromContext((key) => app.node.tryGetContext(key)),
  description: 'account-lifecycle: Bitbucket Pipelines OIDC identity provider and per-stage deploy roles',
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
