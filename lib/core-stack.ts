/** Core Stack: the stateful backbone (table, queues, topic, secret) and the engine functions; it knows no provider. */
import { SIGN_IN_OUTPUTS } from '../lambdas/http/operator-access';
import { ArnFormat, CfnOutput, Duration, RemovalPolicy, SecretValue, Stack, type StackProps } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { StageConfig, StageName } from '../config/schema';
import { ENV, type EnvName } from '../lambdas/shared/env-names';
import { actionFunctionPrefix, actionRegistryPath, directoryReadFunctionName } from './action-registry';
import { ConsoleHosting } from './constructs/console-hosting';
import { LifecycleAlarms } from './constructs/lifecycle-alarms';
import { LifecycleApi } from './constructs/lifecycle-api';
import { LifecycleFunction, retentionDays, type FunctionFactory } from './constructs/lifecycle-function';
import { LifecycleTable } from './constructs/lifecycle-table';
import { NotionRoleCatalogAccess } from './constructs/notion-role-catalog-access';
import { OperatorAlerts } from './constructs/operator-alerts';
import { OperatorSignIn } from './constructs/operator-sign-in';
import { StepsQueue } from './constructs/steps-queue';
import { dispatcherConcurrencyByClass, PRIORITY_CLASSES } from '../config/priority';
import { InitialPasswordKey } from './constructs/initial-password-key';
import { AttestationKey } from './constructs/attestation-key';
import { signingKeySecret } from './constructs/receiver-keys';
import { StepWakeSchedules } from './constructs/step-wake-schedules';
import { acknowledge, nagResourceOf } from './nag';
import { MATRIX_SYNC_TIMEOUT, MatrixBotSync } from './constructs/matrix-bot-sync';
import { MEMBER_TASK_POLL_TIMEOUT, MemberTaskPoll } from './constructs/member-task-poll';

/** What the Actions Stack needs from the core, and nothing else. */
export interface CoreExports {
  readonly stage: StageName;
  /** SSM path under which actions register name -> function ARN. */
  readonly actionRegistryPath: string;
  /** The lifecycle table: the credential actions read and write their credential records in it. */
  readonly credentialTable: dynamodb.ITable;
  /** The key that seals initial passwords. */
  readonly initialPasswordKey: InitialPasswordKey;
  /** The API's public base URL, for links in mail. */
  readonly publicApiUrl: string;
}

export interface CoreStackProps extends StackProps {
  readonly config: StageConfig;
  /** Default: real esbuild bundling; infra tests pass an InlineFunctionFactory. */
  readonly functionFactory?: FunctionFactory;
  /** The console's built files; default: built at synth by console/build.ts. Infra tests pass a stand-in. */
  readonly consoleAssets?: s3deploy.ISource;
}

const handlerEntry = (name: string): string => `lambdas/handlers/${name}.ts`;

export class CoreStack extends Stack implements CoreExports {
  readonly stage: StageName;
  readonly actionRegistryPath: string;
  /** The dispatcher's role: it may invoke every function named with the stage's action prefix. */
  readonly dispatcherRole: iam.IRole;
  /** The key the HR system signs events with; readable by the API function alone. */
  readonly hrKey: secretsmanager.Secret;
  readonly roleCatalog: NotionRoleCatalogAccess;
  readonly table: LifecycleTable;
  readonly steps: StepsQueue;
  readonly alerts: OperatorAlerts;
  readonly api: LifecycleApi;
  readonly signIn: OperatorSignIn;
  /** The operator console: S3 behind CloudFront, with the API behind the same distribution. */
  readonly console: ConsoleHosting;
  readonly initialPasswordKey: InitialPasswordKey;
  /** Signs offboarding attestations; only the api function signs with it. */
  readonly attestationKey: AttestationKey;
  readonly wakes: StepWakeSchedules;
  readonly functions: Readonly<Record<'api' | 'sweep' | 'dispatcher' | 'deadLetter', LifecycleFunction>>;
  /** The Matrix bot's sync function and its schedule, when the stage has a bot. */
  readonly matrix?: MatrixBotSync;
  /** The member task poll's function and schedule, when the stage polls OpenProject (openproject.memberTasks.poll). */
  readonly memberTaskPoll?: { function: LifecycleFunction; schedule: MemberTaskPoll };

  constructor(scope: Construct, id: string, props: CoreStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.stage = config.stage;
    this.actionRegistryPath = actionRegistryPath(config.stage);

    const key = new kms.Key(this, 'DataKey', {
      description: `account-lifecycle ${config.stage}: encrypts the table, the steps queues and the operator topic`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudWatch alarms publish to the encrypted topic as the CloudWatch service, not as a role of ours.
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublishEncrypted',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );

    this.table = new LifecycleTable(this, 'Store', { encryptionKey: key });
    this.initialPasswordKey = new InitialPasswordKey(this, 'InitialPasswords', { stage: config.stage });
    this.attestationKey = new AttestationKey(this, 'Attestations', { stage: config.stage });
    this.alerts = new OperatorAlerts(this, 'OperatorAlerts', { encryptionKey: key, emails: config.alertEmails });
    // Signs HR events in, and nothing else: each downstream receiver has its own key (Actions Stack).
    this.hrKey = signingKeySecret(this, 'HrSigningKey', `account-lifecycle ${config.stage}: key the HR system signs events to POST /v1/events with`);

    const engineFunction = (id: string, name: string, timeout: Duration, description: string): LifecycleFunction =>
      new LifecycleFunction(this, id, {
        entry: handlerEntry(name),
        stage: config.stage,
        logRetentionDays: config.logRetentionDays,
        timeout,
        description,
        factory: props.functionFactory,
        environment: engineEnvironment(config),
      }).bindTable(this.table.table, 'readwrite');

    const dispatcherTimeout = Duration.seconds(config.dispatcherTimeoutSeconds);
    const deadLetterTimeout = Duration.seconds(30);
    // API Gateway stops waiting at 29 s, so the api function may not run longer.
    const api = engineFunction('ApiFunction', 'api', Duration.seconds(29), 'HR intake and operator API');
    const sweep = engineFunction('SweepFunction', 'sweep', Duration.minutes(5), 'Enqueues the steps that are due');
    const dispatcher = engineFunction('DispatcherFunction', 'dispatcher', dispatcherTimeout, 'Runs queued steps through their action');
    const deadLetter = engineFunction('DeadLetterFunction', 'dead-letter', deadLetterTimeout, 'Marks dead-lettered steps needs_attention and alerts');
    // The Matrix bot's sync function (docs/matrix.md), when the stage has a bot: it opens a proposal's member task too.
    const matrixSync = config.matrix ? engineFunction('MatrixSyncFunction', 'matrix-sync', MATRIX_SYNC_TIMEOUT, 'The Matrix bot: long-polls /sync and proposes hires from !on') : undefined;
    // The member task poll (docs/openproject.md#polling-without-webhooks), when the stage's OpenProject sends no webhooks.
    const pollSettings = config.openproject?.memberTasks?.poll;
    const memberTaskPoll = pollSettings ? engineFunction('MemberTaskPollFunction', 'member-task-poll', MEMBER_TASK_POLL_TIMEOUT, 'Polls the OpenProject member tasks updated since its last turn') : undefined;
    this.functions = { api, sweep, dispatcher, deadLetter };
    this.dispatcherRole = dispatcher.role;

    this.steps = new StepsQueue(this, 'Steps', {
      encryptionKey: key,
      maxReceiveCount: config.maxReceiveCount,
      consumerTimeout: dispatcherTimeout,
      deadLetterConsumerTimeout: deadLetterTimeout,
    });
    const { queues, deadLetterQueue } = this.steps;

    this.steps.grantSend(api);
    api.addEnvironment(ENV.hrKeyArn, this.hrKey.secretArn);
    // Intake refuses a role naming a SCIM app the stage does not configure (docs/scim.md).
    api.addEnvironment(ENV.scimAppNames, Object.keys(config.scimApps).join(','));
    // Intake alerts the operators of an unknown role or a role with errors, and of a quarantined mass change.
    api.addEnvironment(ENV.alertTopicArn, this.alerts.topic.topicArn);
    this.alerts.topic.grantPublish(api.function);
    this.hrKey.grantRead(api.function);
    // The API resolves roles (GET /v1/roles) from the Notion catalog.
    this.roleCatalog = new NotionRoleCatalogAccess(this, 'RoleCatalog', { stage: config.stage, settings: config.notion });
    this.roleCatalog.bind(api);
    // The welcome link's POST reveals a sealed initial password once (GET/POST /v1/welcome/{token}).
    this.bindJira(config, api, [dispatcher, deadLetter]);
    this.bindMemberTasks(config, api, [dispatcher, deadLetter, ...(matrixSync ? [matrixSync] : []), ...(memberTaskPoll ? [memberTaskPoll] : [])]);
    this.initialPasswordKey.grantOpen(api);
    this.attestationKey.grantSign(api);
    // Consolidation and the inactivity check (its dry run, a run now): the api hands them to the directory read function (Directory Stack),
    // named so the core needs nothing from that stack (docs/consolidation.md#on-aws).
    api.addEnvironment(ENV.directoryReadFunction, directoryReadFunctionName(config.stage));
    api.addEnvironment(ENV.inactivityEnabled, String(config.inactivity.enabled));
    api.function.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'InvokeDirectoryRead',
        actions: ['lambda:InvokeFunction'],
        resources: [this.formatArn({ service: 'lambda', resource: 'function', resourceName: directoryReadFunctionName(config.stage), arnFormat: ArnFormat.COLON_RESOURCE_NAME })],
      }),
    );

    this.steps.grantSend(sweep);
    new events.Rule(this, 'SweepSchedule', {
      description: `account-lifecycle ${config.stage}: sweep the due index`,
      schedule: events.Schedule.expression(`cron(${config.sweepCron})`),
      targets: [new targets.LambdaFunction(sweep.function, { retryAttempts: 2, maxEventAge: Duration.hours(1) })],
    });
    // Exact-time steps: intake (the api) schedules a one-off wake that invokes the sweep for that run alone.
    this.wakes = new StepWakeSchedules(this, 'StepWakes', { stage: config.stage, target: sweep.function });
    this.wakes.grantScheduling(api);

    dispatcher.addEnvironment(ENV.alertTopicArn, this.alerts.topic.topicArn).addEnvironment(ENV.actionRegistryPath, this.actionRegistryPath);
    // SQS has no priorities: each class's queue has its own event source mapping, lockout with the most concurrency
    // (docs/engine.md, "Priority").
    const concurrency = dispatcherConcurrencyByClass(config.dispatcherMaxConcurrency);
    for (const priority of PRIORITY_CLASSES) {
      dispatcher.function.addEventSource(
        new SqsEventSource(queues[priority], {
          reportBatchItemFailures: true,
          batchSize: 10,
          maxConcurrency: concurrency[priority],
        }),
      );
    }
    this.steps.grantSend(dispatcher);
    // The dispatcher sets each failed step's backoff by changing its message's visibility; stated on its own
    // so it survives a change of event source.
    for (const priority of PRIORITY_CLASSES) queues[priority].grant(dispatcher.function, 'sqs:ChangeMessageVisibility');
    this.alerts.topic.grantPublish(dispatcher.function);
    dispatcher.function.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadActionRegistry',
        actions: ['ssm:GetParametersByPath'],
        resources: [this.formatArn({ service: 'ssm', resource: 'parameter', resourceName: this.actionRegistryPath.slice(1) })],
      }),
    );
    // By name prefix, not a list: the statement stays one line however many actions the Actions Stacks hold, and
    // the core needs nothing from them. Only action functions carry the prefix (lib/action-registry.ts).
    const actionFunctions = this.formatArn({
      service: 'lambda',
      resource: 'function',
      resourceName: `${actionFunctionPrefix(config.stage)}*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    dispatcher.function.addToRolePolicy(
      new iam.PolicyStatement({ sid: 'InvokeActions', actions: ['lambda:InvokeFunction'], resources: [actionFunctions] }),
    );
    acknowledge(
      dispatcher.role,
      'AwsSolutions-IAM5',
      `The dispatcher invokes the action functions of stage ${config.stage}, which are named with the prefix ${actionFunctionPrefix(config.stage)} and are the only functions so named.`,
      [`Resource::${nagResourceOf(dispatcher.role, actionFunctions)}`],
    );

    deadLetter.addEnvironment(ENV.alertTopicArn, this.alerts.topic.topicArn);
    deadLetter.function.addEventSource(new SqsEventSource(deadLetterQueue, { reportBatchItemFailures: true, batchSize: 10 }));
    this.alerts.topic.grantPublish(deadLetter.function);

    // Operators sign in here; the API's operator routes take its tokens.
    this.signIn = new OperatorSignIn(this, 'OperatorSignIn', { stage: config.stage });
    this.api = new LifecycleApi(this, 'Api', {
      handler: api.function,
      userPool: this.signIn.userPool,
      stageName: config.stage,
      throttle: config.apiThrottle,
      logRetentionDays: retentionDays(config.logRetentionDays),
    });
    // In this stack with the pool: the distribution names the sign-in domain, the console's client names the distribution.
    this.console = new ConsoleHosting(this, 'Console', { stage: config.stage, api: this.api.api, signIn: this.signIn, assets: props.consoleAssets });

    new LifecycleAlarms(this, 'Alarms', {
      alerts: this.alerts,
      deadLetterQueue,
      dispatcher: dispatcher.function,
      deadLetterHandler: deadLetter.function,
    });
    // The Matrix bot (docs/matrix.md): its own scheduled sync function, an engine function like the api.
    if (config.matrix && matrixSync) {
      const sync = matrixSync;
      this.bindScheduledEngine(config, sync);
      this.matrix = new MatrixBotSync(this, 'MatrixBot', { stage: config.stage, settings: config.matrix, sync, reporters: [api, dispatcher, deadLetter, sync, ...(memberTaskPoll ? [memberTaskPoll] : [])] });
      new CfnOutput(this, 'MatrixAccessTokenArn', { value: this.matrix.token.secret.secretArn, description: `Put the access token of the Matrix bot ${config.matrix.userId} in this secret` });
    }
    // The member task poll: an engine function like the api's intake of the webhook (it revises and approves runs).
    if (pollSettings && memberTaskPoll) {
      const poll = memberTaskPoll;
      this.bindScheduledEngine(config, poll);
      this.memberTaskPoll = { function: poll, schedule: new MemberTaskPoll(this, 'MemberTaskPoll', { stage: config.stage, settings: pollSettings, poll }) };
    }
    new CfnOutput(this, 'HrKeyArn', { value: this.hrKey.secretArn, description: 'Share the "current" value of this key with the HR system' });
    new CfnOutput(this, 'NotionTokenSecretArn', {
      value: this.roleCatalog.token.secretArn,
      description: 'Put the Notion integration token of the role catalog here after the first deploy',
    });
    new CfnOutput(this, 'AlertTopicArn', { value: this.alerts.topic.topicArn, description: 'Subscribe operators here' });
    new CfnOutput(this, SIGN_IN_OUTPUTS.apiUrl, { value: this.api.api.url, description: 'The API: HR posts events to /v1/events; `npx lifecycle login --api-url` takes this' });
    new CfnOutput(this, 'DeadLetterQueueUrl', { value: deadLetterQueue.queueUrl, description: 'Steps that failed every try; lifecycle doctor checks it is empty' });
    this.suppressFindings();
  }

  /**
   * The Jira intake, when the stage has one: its settings and the webhook secret the Jira admin pastes into the webhook.
   * With a write-back account, the API token goes to the api and to `reporters`, the other functions that hand steps to
   * an operator or settle runs (the dispatcher, the dead-letter handler), which report that on the ticket.
   */
  /**
   * A scheduled function that runs the engine as the api does (the Matrix bot's sync, the member task poll): it plans
   * and approves runs, so it queues steps, schedules their wakes, reads the role catalog and alerts operators.
   */
  private bindScheduledEngine(config: StageConfig, fn: LifecycleFunction): void {
    fn.addEnvironment(ENV.alertTopicArn, this.alerts.topic.topicArn).addEnvironment(ENV.scimAppNames, Object.keys(config.scimApps).join(','));
    this.alerts.topic.grantPublish(fn.function);
    this.steps.grantSend(fn);
    this.roleCatalog.bind(fn);
    this.wakes.grantScheduling(fn);
    acknowledge(fn.role, 'AwsSolutions-IAM5', "KMS data-key actions that CDK grants for the table, queues and topic, on this stack's one data key only.", ['Action::kms:GenerateDataKey*', 'Action::kms:ReEncrypt*']);
  }

  private bindJira(config: StageConfig, api: LifecycleFunction, reporters: LifecycleFunction[]): void {
    if (!config.jira) return;
    const secret = new secretsmanager.Secret(this, 'JiraWebhookSecret', {
      description: `account-lifecycle ${config.stage}: the secret of the Jira webhook that posts to /v1/intake/jira`,
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    api.addEnvironment(ENV.jiraSettings, JSON.stringify(config.jira));
    api.addEnvironment(ENV.jiraWebhookSecretArn, secret.secretArn);
    secret.grantRead(api.function);
    acknowledge(secret, 'AwsSolutions-SMG4', 'Jira holds a copy of this webhook secret; rotating it is a change made in the Jira webhook settings at the same time.');
    new CfnOutput(this, 'JiraWebhookSecretArn', { value: secret.secretArn, description: 'The secret whose value (read it in Secrets Manager) goes in the Jira webhook Secret field' });
    if (!config.jira.writeBackEmail) return;
    // The API token of the write-back account (id.atlassian.com → Security → API tokens), put in after the first deploy.
    const token = new secretsmanager.Secret(this, 'JiraApiToken', {
      description: `account-lifecycle ${config.stage}: the Jira API token of ${config.jira.writeBackEmail}, which comments on request tickets`,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const fn of [api, ...reporters]) {
      if (fn !== api) fn.addEnvironment(ENV.jiraSettings, JSON.stringify(config.jira));
      fn.addEnvironment(ENV.jiraApiTokenArn, token.secretArn);
      token.grantRead(fn.function);
    }
    acknowledge(token, 'AwsSolutions-SMG4', 'An Atlassian API token is created and rotated in the Atlassian account, then put in this secret; Secrets Manager cannot rotate it.');
    new CfnOutput(this, 'JiraApiTokenArn', { value: token.secretArn, description: `Put the Jira API token of ${config.jira.writeBackEmail} in this secret` });
  }

  /**
   * The OpenProject member tasks, when the stage has them (docs/openproject.md#member-tasks): the webhook's signature
   * secret for the api, and an OpenProject API token for the api and the `reporters` (the functions that hand steps to
   * an operator or settle runs), which write back on the tasks.
   */
  private bindMemberTasks(config: StageConfig, api: LifecycleFunction, reporters: LifecycleFunction[]): void {
    if (!config.openproject?.memberTasks) return;
    const webhook = new secretsmanager.Secret(this, 'OpenProjectWebhookSecret', {
      description: `account-lifecycle ${config.stage}: the signature secret of the OpenProject webhook that posts to /v1/intake/openproject`,
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    api.addEnvironment(ENV.openprojectWebhookSecretArn, webhook.secretArn);
    webhook.grantRead(api.function);
    acknowledge(webhook, 'AwsSolutions-SMG4', 'OpenProject holds a copy of this webhook secret; rotating it is a change made in the OpenProject webhook settings at the same time.');
    new CfnOutput(this, 'OpenProjectWebhookSecretArn', { value: webhook.secretArn, description: 'The secret whose value (read it in Secrets Manager) goes in the OpenProject webhook Signature secret field' });
    // An OpenProject administrator's API token (My account, Access tokens), put in after the first deploy.
    const token = new secretsmanager.Secret(this, 'OpenProjectMemberTaskToken', {
      description: `account-lifecycle ${config.stage}: an OpenProject API token the member tasks are read and written with`,
      secretStringValue: SecretValue.unsafePlainText(JSON.stringify({ token: '' })),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const fn of [api, ...reporters]) {
      fn.addEnvironment(ENV.openprojectSettings, JSON.stringify(config.openproject));
      fn.addEnvironment(ENV.openprojectTokenSecretArn, token.secretArn);
      token.grantRead(fn.function);
    }
    acknowledge(token, 'AwsSolutions-SMG4', 'An OpenProject API token is issued in OpenProject, then put in this secret; Secrets Manager cannot rotate it.');
    new CfnOutput(this, 'OpenProjectMemberTaskTokenArn', { value: token.secretArn, description: 'Put an OpenProject API token ({"token": "..."}) in this secret' });
  }

  get credentialTable(): dynamodb.ITable {
    return this.table.table;
  }

  get publicApiUrl(): string {
    return this.api.api.url;
  }

  private suppressFindings(): void {
    acknowledge(
      this.hrKey,
      'AwsSolutions-SMG4',
      'The HR system holds a copy of this signing key; rotating it is a coordinated runbook change with the HR vendor, not an automatic rotation.',
    );
    acknowledge(
      Object.values(this.functions).map((f) => f.role),
      'AwsSolutions-IAM5',
      "KMS data-key actions that CDK grants for the table, queues and topic, on this stack's one data key only.",
      ['Action::kms:GenerateDataKey*', 'Action::kms:ReEncrypt*'],
    );
  }
}

/**
 * Engine tuning from the stage config this synth used. The handlers would fall back to their bundled copy of
 * the config; stating the values makes the deployed tuning visible on each function and pinned to this deploy.
 */
export function engineEnvironment(config: StageConfig): Partial<Record<EnvName, string>> {
  return {
    [ENV.dueShards]: String(config.dueShards),
    [ENV.retryBaseSeconds]: String(config.retryBaseSeconds),
    [ENV.leaseSeconds]: String(config.leaseSeconds),
    [ENV.requeueAfterSeconds]: String(config.requeueAfterSeconds),
    [ENV.massChangeThreshold]: String(config.massChange.threshold),
    [ENV.massChangeWindowMinutes]: String(config.massChange.windowMinutes),
  };
}
