/** NotionRoleCatalogAccess: the secret holding the Notion integration token, and what binding a function to the role catalog grants it. */
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { StageConfig } from '../../config/schema';
import { ENV } from '../../lambdas/shared/env-names';
import { NOTION_TOKEN_PLACEHOLDER } from '../../lambdas/providers/notion/notion-from-env';
import { ProviderSecret } from './provider-secret';

export interface NotionRoleCatalogAccessProps {
  readonly stage: string;
  readonly settings: StageConfig['notion'];
}

export class NotionRoleCatalogAccess extends ProviderSecret {
  /** The integration token's secret. */
  readonly token: secretsmanager.Secret;

  constructor(scope: Construct, id: string, { stage, settings }: NotionRoleCatalogAccessProps) {
    super(scope, id, {
      secretId: 'Token',
      description:
        `account-lifecycle ${stage}: token of the Notion integration that reads the role catalog. ` +
        'After the first deploy, a Notion admin replaces this value with the internal integration secret (plain text) of an ' +
        'integration the roles database is shared with; until then the role routes answer that the catalog could not be read.',
      // A plain-text placeholder: the secret holds the token itself.
      placeholder: NOTION_TOKEN_PLACEHOLDER,
      whyNotRotated:
        'A Notion integration token is issued in Notion, not generated here; rotating it is a new token pasted in (runbook), which Secrets Manager rotation cannot do.',
      environment: (arn) => [
        [ENV.notionTokenSecretArn, arn],
        [ENV.notionRolesDataSourceId, settings.rolesDataSourceId],
      ],
    });
    this.token = this.secret;
  }
}
