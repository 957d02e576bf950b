/** NotionRoleCatalogAccess: the secret holding the Notion integration token, and what binding a function to the role catalog grants it. */
import { RemovalPolicy, SecretValue } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { StageConfig } from '../../config/schema';
import { ENV } from '../../lambdas/shared/env-names';
import { NOTION_TOKEN_PLACEHOLDER } from '../../lambdas/providers/notion/notion-from-env';
import { acknowledge } from '../nag';
import type { LifecycleFunction } from './lifecycle-function';

export interface NotionRoleCatalogAccessProps {
  readonly stage: string;
  readonly settings: StageConfig['notion'];
}

export class NotionRoleCatalogAccess extends Construct {
  readonly token: secretsmanager.Secret;
  private readonly settings: StageConfig['notion'];

  constructor(scope: Construct, id: string, props: NotionRoleCatalogAccessProps) {
    super(scope, id);
    this.settings = props.settings;
    this.token = new secretsmanager.Secret(this, 'Token', {
      description:
        `account-lifecycle ${props.stage}: token of the Notion integration that reads the role catalog. ` +
        'After the first deploy, a Notion admin replaces this value with the internal integration secret (plain text) of an ' +
        'integration the roles database is shared with; until then the role routes answer that the catalog could not be read.',
      // A placeholder rather than a generated value: nothing here looks like a usable token before an admin fills it in.
      secretStringValue: SecretValue.unsafePlainText(NOTION_TOKEN_PLACEHOLDER),
      // The token is issued by Notion, not by this stack; deleting the stack must not destroy the only copy AWS holds.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(
      this.token,
      'AwsSolutions-SMG4',
      'A Notion integration token is issued in Notion, not generated here; rotating it is a new token pasted in (runbook), which Secrets Manager rotation cannot do.',
    );
  }

  /** Gives a function read access to the token and the id of the roles data source. */
  bind(fn: LifecycleFunction): void {
    fn.addEnvironment(ENV.notionTokenSecretArn, this.token.secretArn).addEnvironment(ENV.notionRolesDataSourceId, this.settings.rolesDataSourceId);
    this.token.grantRead(fn.function);
  }
}
