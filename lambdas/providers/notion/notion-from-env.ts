/** The role catalog of a Lambda, from its environment: the token from Secrets Manager, the data source id from a variable. */
import type { Client } from '@notionhq/client';
import { ENV, requireEnv } from '../../shared/env-names';
import { notionTokenSource } from '../../shared/secrets';
import { createNotionClient } from './notion-client';
import { NotionRoleCatalog, type RoleCatalogSource } from './role-catalog';

/** What the token secret holds until an admin pastes the integration token in (the Core Stack creates it so). */
export const NOTION_TOKEN_PLACEHOLDER = 'not set: paste the Notion integration token here';

/** Built on first use, so a function whose environment lacks the Notion settings fails only on the role routes. */
export function roleCatalogFromEnv(): RoleCatalogSource {
  let catalog: NotionRoleCatalog | undefined;
  return {
    load() {
      if (!catalog) {
        const token = notionTokenSource();
        const baseUrl = process.env[ENV.notionBaseUrl] || undefined;
        let client: Client | undefined;
        catalog = new NotionRoleCatalog({
          client: async () => (client ??= createNotionClient({ auth: filledIn(await token()), baseUrl })),
          dataSourceId: requireEnv(ENV.notionRolesDataSourceId),
        });
      }
      return catalog.load();
    },
  };
}

function filledIn(token: string): string {
  if (token === NOTION_TOKEN_PLACEHOLDER) throw new Error('the Notion token secret still holds its placeholder: paste the integration token into it (stack output NotionTokenSecretArn)');
  return token;
}
