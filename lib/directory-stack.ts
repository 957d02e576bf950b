/**
 * Directory Stack: the directory read function (docs/consolidation.md#on-aws), which reads every connected system's
 * accounts for consolidation (every consolidation.scheduleHours) and for the inactivity check (daily, when enabled),
 * and which the api hands a consolidation run and the inactivity dry run to. It is given read-only access to each
 * provider where the provider offers it, and the stage's provider secrets beside the actions that use them.
 */
import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type { Construct } from 'constructs';
import type { StageConfig } from '../config/schema';
import type { ConnectPermission } from '../lambdas/actions/catalog';
import { GOOGLE_SCOPE, type GoogleScope } from '../lambdas/providers/google/google-scopes';
import { ENV } from '../lambdas/shared/env-names';
import { maxConcurrentActions } from '../config/dispatch-timing';
import { directoryReadFunctionName } from './action-registry';
import { bindConnectBudget } from './constructs/connect-budget-access';
import { ConnectInstance } from './constructs/connect-instance';
import { bindGoogleBudget } from './constructs/google-budget-access';
import { LifecycleFunction, type FunctionFactory } from './constructs/lifecycle-function';
import type { ProviderResources } from './constructs/provider-resources';
import { engineEnvironment, type CoreStack } from './core-stack';
import { acknowledge } from './nag';

/** Lambda's longest: reading a 10,000-account directory within the providers' quotas takes minutes. */
export const DIRECTORY_READ_TIMEOUT = Duration.minutes(15);

/** The Connect calls the Connect reader makes (lambdas/consolidation/readers/connect-reader.ts): reads only. */
export const DIRECTORY_READ_CONNECT: readonly ConnectPermission[] = ['connect:SearchUsers', 'connect:ListRoutingProfiles', 'connect:ListSecurityProfiles'];

/**
 * The Google scopes of the function: users, groups and members read-only, the Workspace licenses (Google has no
 * read-only licensing scope), the customer id; with the inactivity check on, the notice's send as the welcome sender.
 */
export function directoryReadGoogleScopes(config: Pick<StageConfig, 'inactivity'>): GoogleScope[] {
  const reads: GoogleScope[] = [GOOGLE_SCOPE.userReadonly, GOOGLE_SCOPE.groupReadonly, GOOGLE_SCOPE.licensing, GOOGLE_SCOPE.customerReadonly];
  return config.inactivity.enabled ? [...reads, GOOGLE_SCOPE.gmailSend, GOOGLE_SCOPE.gmailReadonly] : reads;
}

export interface DirectoryStackProps extends StackProps {
  readonly config: StageConfig;
  readonly core: CoreStack;
  /** The stage's shared provider secrets (the Providers Stack), when it has any. */
  readonly providers?: ProviderResources;
  readonly functionFactory?: FunctionFactory;
}

export class DirectoryStack extends Stack {
  readonly read: LifecycleFunction;
  /** Consolidation on its schedule, when the stage enables it. */
  readonly consolidationSchedule?: events.Rule;
  /** The inactivity check, daily, when the stage enables it. */
  readonly inactivitySchedule?: events.Rule;

  constructor(scope: Construct, id: string, props: DirectoryStackProps) {
    super(scope, id, props);
    const { config, core, providers } = props;
    const fn = new LifecycleFunction(this, 'DirectoryReadFunction', {
      entry: 'lambdas/handlers/directory-read.ts',
      stage: config.stage,
      functionName: directoryReadFunctionName(config.stage),
      logRetentionDays: config.logRetentionDays,
      timeout: DIRECTORY_READ_TIMEOUT,
      description: "Reads the connected systems' accounts: consolidation and the inactivity check",
      factory: props.functionFactory,
      environment: engineEnvironment(config),
    }).bindTable(core.table.table, 'readwrite');
    this.read = fn;
    // The reports and the records are in the table; an inactivity revoke run is planned there and its steps queued.
    fn.addEnvironment(ENV.consolidationReportsKept, String(config.consolidation.reportsKept))
      .addEnvironment(ENV.accountPolicy, JSON.stringify(config.accounts))
      .addEnvironment(ENV.inactivitySettings, JSON.stringify(config.inactivity))
      .addEnvironment(ENV.alertTopicArn, core.alerts.topic.topicArn);
    core.steps.grantSend(fn);
    core.alerts.topic.grantPublish(fn.function);

    // Google: the stage's key, this function's own scopes, and the stage's one Google budget.
    if (providers?.googleServiceAccount) {
      providers.googleServiceAccount.bind(fn);
      fn.addEnvironment(ENV.googleScopes, directoryReadGoogleScopes(config).join(','));
      bindGoogleBudget(fn, core.table.table, maxConcurrentActions(config.dispatcherMaxConcurrency));
      // The inactivity notice's sender; it sends only with the check on, when the scopes include gmail.send.
      fn.addEnvironment(ENV.welcomeSender, config.welcomeEmail.sender);
    }
    // Connect: the reader's three list calls on the stage's instance, from the stage's Connect budget.
    new ConnectInstance(this, config.connect.instanceId).bind(fn, 'directory read', DIRECTORY_READ_CONNECT);
    bindConnectBudget(fn, core.table.table, maxConcurrentActions(config.dispatcherMaxConcurrency), config.connect.requestsPerSecond, DIRECTORY_READ_CONNECT, config.actionTimeoutSeconds);
    // The other systems' tokens: the function only lists with them (their APIs have no read-only token to issue).
    providers?.zendeskApiToken?.bind(fn);
    providers?.frontApiToken?.bind(fn);
    providers?.scimTokens?.bind(fn);
    providers?.nextcloudAppPassword?.bind(fn);
    providers?.openProjectApiToken?.bind(fn);

    const target = (input: Record<string, unknown>) =>
      // No retry: a read that failed is read again on the next schedule; the report says which system failed.
      new targets.LambdaFunction(fn.function, { event: events.RuleTargetInput.fromObject(input), retryAttempts: 0, maxEventAge: Duration.hours(1) });
    if (config.consolidation.enabled) {
      this.consolidationSchedule = new events.Rule(this, 'ConsolidationSchedule', {
        description: `account-lifecycle ${config.stage}: consolidation of the connected systems' accounts with the records`,
        schedule: events.Schedule.rate(Duration.hours(config.consolidation.scheduleHours)),
        targets: [target({ job: 'consolidation', requestedBy: 'schedule' })],
      });
    }
    if (config.inactivity.enabled) {
      this.inactivitySchedule = new events.Rule(this, 'InactivitySchedule', {
        description: `account-lifecycle ${config.stage}: the inactivity check (revoke runs for accounts unused ${config.inactivity.days} days)`,
        schedule: events.Schedule.rate(Duration.days(1)),
        targets: [target({ job: 'inactivity', dryRun: false })],
      });
    }
    // bindTable acknowledges the index wildcard by the table's logical id; from this stack cdk-nag names the Core's export.
    const tableExport = (this.resolve(core.exportValue(core.table.table.tableArn)) as { 'Fn::ImportValue': string })['Fn::ImportValue'];
    acknowledge(fn.role, 'AwsSolutions-IAM5', 'Queries go through the GSIs of the one lifecycle table ("due", "status"); index names are the only wildcard.', [`Resource::${tableExport}/index/*`]);
    acknowledge(fn.role, 'AwsSolutions-IAM5', "KMS data-key actions that CDK grants for the table, queues and topic, on the stage's one data key only.", ['Action::kms:GenerateDataKey*', 'Action::kms:ReEncrypt*']);
  }
}
