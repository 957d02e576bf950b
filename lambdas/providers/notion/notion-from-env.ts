/** The role catalog of a Lambda, from its environment: the token from Secrets Manager, the data source id from a variable. */
import type { Client } from '@notionhq/client';
import { ENV, requireEnv } from '../../shared/env-names';
import { notionTokenSource } from '../../shared/secrets';
import { createNotionClient } from './notion-client';
import { NotionRoleCatalog, type RoleCatalogSource } from './role-catalog';

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
          client: async () => (client ??= createNotionClient({ auth: await token(), baseUrl })),
          dataSourceId: requireEnv(ENV.notionRolesDataSourceId),
        });
      }
      return catalog.load();
    },
  };
}
