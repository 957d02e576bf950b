/**
 * Actions Stack: one Lambda per action of its part of the catalog (lib/action-stacks.ts), each named with the
 * stage's action prefix and registered with the core by name; only the credential actions touch the table (their
 * credential records), and the Google actions the Google budget's window counters. Provider knowledge lives here, not in the core: the Google key and receiver key grants,
 * the Connect instance grants.
 */
import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import type { StageConfig } from '../config/schema';
import { ACTION_CATALOG, type ActionSpec } from '../lambdas/actions/catalog';
import { ENV } from '../lambdas/shared/env-names';
import { actionFunctionName, actionParameterName } from './action-registry';
import { actionEntryPath, writeActionEntry } from './action-entries';
import { bundlesSdk } from './bundling';
import { ConnectInstance } from './constructs/connect-instance';
import { InitialPasswordKey } from './constructs/initial-password-key';
import type { GoogleServiceAccount } from './constructs/google-service-account';
import { bindGoogleBudget } from './constructs/google-budget-access';
import { bindConnectBudget } from './constructs/connect-budget-access';
import { maxConcurrentActions } from '../config/dispatch-timing';
import { LifecycleFunction, type FunctionFactory } from './constructs/lifecycle-function';
import { ProviderResources } from './constructs/provider-resources';
import type { ReceiverKeys } from './constructs/receiver-keys';
import type { CoreExports } from './core-stack';

export interface ActionsStackProps extends StackProps {
  readonly config: StageConfig;
  readonly core: CoreExports;
  /** Default: real esbuild bundling of entries written from the catalog; infra tests pass an InlineFunctionFactory. */
  readonly functionFactory?: FunctionFactory;
  /** Default: the whole ACTION_CATALOG; tests may pass their own list. */
  readonly catalog?: readonly ActionSpec[];
  /** The stage's shared provider secrets (the Providers Stack); default: made in this stack for its own catalog. */
  readonly providers?: ProviderResources;
}

export class ActionsStack extends Stack {
  /** Action name -> its function. */
  readonly actions: ReadonlyMap<string, LifecycleFunction>;
  /** The Google key its Google actions read (its own, or the Providers Stack's). */
  readonly googleServiceAccount?: GoogleServiceAccount;
  /** The receivers' keys its forwarding action reads (its own, or the Providers Stack's). */
  readonly receiverKeys?: ReceiverKeys;

  constructor(scope: Construct, id: string, props: ActionsStackProps) {
    super(scope, id, props);
    const { config, core } = props;
    const catalog: readonly ActionSpec[] = props.catalog ?? ACTION_CATALOG;

    const providers = props.providers ?? new ProviderResources(this, { config, catalog });
    if (catalog.some((a) => a.needs.google)) this.googleServiceAccount = providers.googleServiceAccount;
    if (catalog.some((a) => a.needs.forwardTo)) this.receiverKeys = providers.receiverKeys;
    const connect = new ConnectInstance(this, config.connect.instanceId);

    // Each function's entry is written from its catalog entry; the inline functions of infra tests need no file.
    const entryOf = props.functionFactory ? actionEntryPath : writeActionEntry;
    const actions = new Map<string, LifecycleFunction>();
    for (const action of catalog) {
      const fn = new LifecycleFunction(this, constructId(action.name), {
        entry: entryOf(action),
        stage: core.stage,
        // Named with the stage's action prefix: the dispatcher may invoke exactly the functions so named.
        functionName: actionFunctionName(core.stage, action.name),
        logRetentionDays: config.logRetentionDays,
        timeout: Duration.seconds(config.actionTimeoutSeconds),
        description: `${action.name}: ${action.description}`.slice(0, 256),
        factory: props.functionFactory,
        bundleSdk: bundlesSdk(action),
      });
      if (action.needs.forwardTo) this.receiverKeys?.bind(fn);
      // Every action knows which accounts are protected and which unbound ones it may adopt: the action context reads
      // the policy for each of them, whatever its provider.
      fn.addEnvironment(ENV.accountPolicy, JSON.stringify(config.accounts));
      if (action.needs.google) this.googleServiceAccount?.bind(fn);
      // Every Google request takes from the stage's one budget (docs/engine.md, "One Google budget per stage").
      if (action.needs.google) bindGoogleBudget(fn, core.credentialTable, maxConcurrentActions(config.dispatcherMaxConcurrency));
      // The scopes its tokens may carry: each function asks Google for its own, not the union the admin delegated.
      if (action.needs.googleScopes) fn.addEnvironment(ENV.googleScopes, action.needs.googleScopes.join(','));
      if (action.needs.connect) connect.bind(fn, action.name, action.needs.connect);
      // The Zendesk API token and the stage's account, API user and leaver ticket group.
      if (action.needs.zendesk) providers.zendeskApiToken?.bind(fn);
      // Each Zendesk step stops waiting for the rate limit at half its timeout (zendeskWaitBudgetMs).
      if (action.needs.zendesk) fn.addEnvironment(ENV.actionTimeoutSeconds, String(config.actionTimeoutSeconds));
      // The Nextcloud admin's app password and the stage's server and admin user (docs/nextcloud.md).
      if (action.needs.nextcloud) providers.nextcloudAppPassword?.bind(fn);
      // The OpenProject API token and the stage's instance and employee id field (docs/openproject.md).
      if (action.needs.openproject) providers.openProjectApiToken?.bind(fn);
      // Every Connect request takes from the stage's budget of its API (docs/engine.md, "The Connect budget").
      if (action.needs.connect) bindConnectBudget(fn, core.credentialTable, maxConcurrentActions(config.dispatcherMaxConcurrency), config.connect.requestsPerSecond, action.needs.connect, config.actionTimeoutSeconds);
      // The credential actions alone touch the table: their run's credential record, item by item.
      if (action.needs.credentials) InitialPasswordKey.bindRecords(fn, core.credentialTable);
      if (action.needs.credentials === 'seal') core.initialPasswordKey.grantSeal(fn);
      if (action.needs.welcomeEmail) {
        fn.addEnvironment(ENV.welcomeSender, config.welcomeEmail.sender)
          .addEnvironment(ENV.welcomeLinkValidDays, String(config.welcomeEmail.linkValidDays))
          .addEnvironment(ENV.publicApiUrl, core.publicApiUrl);
      }
      if (action.needs.operatorEmails) fn.addEnvironment(ENV.operatorEmails, config.alertEmails.join(','));
      if (action.needs.mailboxDelegation) fn.addEnvironment(ENV.mailboxDelegation, JSON.stringify(config.mailboxDelegation));
      if (action.needs.mailRetention) fn.addEnvironment(ENV.mailRetention, JSON.stringify(config.mailRetention));
      if (action.needs.handover) fn.addEnvironment(ENV.handover, JSON.stringify(config.handover));
      // The stage's SCIM apps, each with its own token secret (docs/scim.md).
      if (action.needs.scim) providers.scimTokens?.bind(fn);
      // The Front company API token and the stage's Core API and SCIM roots (docs/front.md).
      if (action.needs.front) providers.frontApiToken?.bind(fn);
      // A Front step stops before its timeout with its progress kept, and waits out Front's limit within half of it.
      if (action.needs.front) fn.addEnvironment(ENV.actionTimeoutSeconds, String(config.actionTimeoutSeconds));

      new ssm.StringParameter(this, `${constructId(action.name)}Registration`, {
        parameterName: actionParameterName(core.actionRegistryPath, action.name),
        stringValue: fn.functionArn,
        description: `Function the ${config.stage} dispatcher invokes for ${action.name}`,
      });
      actions.set(action.name, fn);
    }
    this.actions = actions;
  }
}

/** `google.suspendUser` -> `GoogleSuspendUser`: a stable construct id per action name. */
function constructId(actionName: string): string {
  return actionName
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');
}
