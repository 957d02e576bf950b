/** Role pages in Notion's wire shape, built by the Notion emulator, parsed as the catalog reader parses them. */
import { createHash } from 'node:crypto';
import { NotionEmulator, type PageValues } from '../../../local/emulators/notion/notion-emulator';
import { ROLE_DATABASE_SCHEMA } from '../../../local/emulators/notion/notion-sample';
import { parseRolePage, type RawRole } from '../../../lambdas/roles/role-model';

const DS = 'f0000000-0000-4000-8000-000000000001';

export function rolePages(pages: { id: string; values: PageValues; raw?: Record<string, unknown> }[]): unknown[] {
  const notion = new NotionEmulator({ now: () => Date.UTC(2026, 0, 1) });
  notion.addDataSource({ databaseId: 'f0000000-0000-4000-8000-000000000000', dataSourceId: DS, title: 'Roles', schema: ROLE_DATABASE_SCHEMA });
  for (const p of pages) notion.addPage(DS, p);
  return pages.map((p) => notion.getPage(p.id));
}

export const catalogOf = (pages: { id: string; values: PageValues; raw?: Record<string, unknown> }[]): RawRole[] => rolePages(pages).map(parseRolePage);

/** A stable page id per role name. */
export const idOf = (name: string) => `00000000-0000-4000-8000-${createHash('sha256').update(name).digest('hex').slice(0, 12)}`;

export const role = (name: string, parent: string | undefined, values: PageValues = {}, raw?: Record<string, unknown>) => ({
  id: idOf(name),
  values: { Name: name, ...(parent ? { Parent: [idOf(parent)] } : {}), ...values },
  raw,
});
