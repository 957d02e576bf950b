/** ProviderResources: what a stage's actions share per provider (the Google key secret, the receivers' keys), made once. */
import { CfnOutput, Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { StageConfig } from '../../config/schema';
import type { ActionSpec } from '../../lambdas/actions/catalog';
import { GoogleServiceAccount } from './google-service-account';
import { ReceiverKeys } from './receiver-keys';
import { ZendeskApiToken } from './zendesk-api-token';
import { ScimTokens } from './scim-tokens';
import { FrontApiToken } from './front-api-token';
import { NextcloudAppPassword } from './nextcloud-app-password';
import { OpenProjectApiToken } from './openproject-api-token';

export interface ProviderResourcesProps {
  readonly config: StageConfig;
  /** Every action of the stage: a resource exists only when some action needs it. */
  readonly catalog: readonly ActionSpec[];
}

/** Not a construct of its own: its parts keep the construct ids (and so the logical ids) they have in any stack. */
export class ProviderResources {
  /** Present only when some action in the catalog has `needs.google`. */
  readonly googleServiceAccount?: GoogleServiceAccount;
  /** One signing key per downstream receiver; present only when some action in the catalog has `needs.forwardTo`. */
  readonly receiverKeys?: ReceiverKeys;
  /** The Zendesk API token; present only when some action in the catalog has `needs.zendesk`. */
  readonly zendeskApiToken?: ZendeskApiToken;
  /** One bearer token secret per SCIM app of the stage; present only when some action has `needs.scim`. */
  readonly scimTokens?: ScimTokens;
  /** The Front company API token; present only when some action in the catalog has `needs.front`. */
  readonly frontApiToken?: FrontApiToken;
  /** The Nextcloud admin's app password; present only when some action in the catalog has `needs.nextcloud`. */
  readonly nextcloudAppPassword?: NextcloudAppPassword;
  /** The OpenProject API token; present only when some action in the catalog has `needs.openproject`. */
  readonly openProjectApiToken?: OpenProjectApiToken;

  /** Whether a catalog needs any shared provider resource (a stack with none would be empty). */
  static neededBy(catalog: readonly ActionSpec[]): boolean {
    return catalog.some((a) => a.needs.google || a.needs.forwardTo || a.needs.zendesk || a.needs.scim || a.needs.front || a.needs.nextcloud || a.needs.openproject);
  }

  constructor(scope: Construct, props: ProviderResourcesProps) {
    const { config, catalog } = props;
    // Created only when an action uses it, so a stage without Google actions holds no empty secret to explain.
    if (catalog.some((a) => a.needs.google)) {
      this.googleServiceAccount = new GoogleServiceAccount(scope, 'GoogleServiceAccount', { stage: config.stage, settings: config.google });
      new CfnOutput(Stack.of(scope), 'GoogleServiceAccountSecretArn', {
        value: this.googleServiceAccount.secret.secretArn,
        description: 'Put the Google service account key JSON (client_email, private_key) here after the first deploy',
      });
    }
    if (catalog.some((a) => a.needs.forwardTo)) {
      this.receiverKeys = new ReceiverKeys(scope, 'ReceiverKeys', { stage: config.stage, receivers: config.forwardTo });
    }
    if (catalog.some((a) => a.needs.zendesk)) {
      this.zendeskApiToken = new ZendeskApiToken(scope, 'ZendeskApiToken', { stage: config.stage, settings: config.zendesk });
      new CfnOutput(Stack.of(scope), 'ZendeskApiTokenSecretArn', {
        value: this.zendeskApiToken.secret.secretArn,
        description: 'Put the Zendesk API token here ({"token": "..."}) after the first deploy',
      });
    }
    if (catalog.some((a) => a.needs.scim)) this.scimTokens = new ScimTokens(scope, 'ScimTokens', { stage: config.stage, apps: config.scimApps });
    if (catalog.some((a) => a.needs.front)) {
      this.frontApiToken = new FrontApiToken(scope, 'FrontApiToken', { stage: config.stage, settings: config.front });
      new CfnOutput(Stack.of(scope), 'FrontApiTokenSecretArn', {
        value: this.frontApiToken.secret.secretArn,
        description: 'Put the Front company API token here ({"token": "..."}) after the first deploy',
      });
    }
    if (catalog.some((a) => a.needs.nextcloud)) {
      this.nextcloudAppPassword = new NextcloudAppPassword(scope, 'NextcloudAppPassword', { stage: config.stage, settings: config.nextcloud });
      new CfnOutput(Stack.of(scope), 'NextcloudAppPasswordSecretArn', {
        value: this.nextcloudAppPassword.secret.secretArn,
        description: "Put the Nextcloud admin's app password here ({\"token\": \"...\"}) after the first deploy",
      });
    }
    if (catalog.some((a) => a.needs.openproject)) {
      this.openProjectApiToken = new OpenProjectApiToken(scope, 'OpenProjectApiToken', { stage: config.stage, settings: config.openproject });
      new CfnOutput(Stack.of(scope), 'OpenProjectApiTokenSecretArn', {
        value: this.openProjectApiToken.secret.secretArn,
        description: "Put an OpenProject administrator's API token here ({\"token\": \"...\"}) after the first deploy",
      });
    }
  }
}
