/** The Notion emulator through the real @notionhq/client, and the role catalog read from it. */
import { APIErrorCode, Client, isNotionClientError } from '@notionhq/client';
import { startEmulatorServer, type EmulatorServer } from '../../../../local/emulators/server';
import { LOCAL_NOTION_TOKEN, NotionEmulator } from '../../../../local/emulators/notion/notion-emulator';
import { ROLE_DATABASE_SCHEMA, SAMPLE_NOTION, seedNotionSample } from '../../../../local/emulators/notion/notion-sample';
import { createNotionClient } from '../../../../lambdas/providers/notion/notion-client';
import { NotionRoleCatalog, readRolePages } from '../../../../lambdas/providers/notion/role-catalog';
import { resolveRole, validate } from '../../../../lambdas/roles/resolve';

let notion: NotionEmulator;
let server: EmulatorServer;
let client: Client;

beforeEach(async () => {
  notion = seedNotionSample(new NotionEmulator());
  server = await startEmulatorServer(notion.routes(), 0);
  client = createNotionClient({ auth: LOCAL_NOTION_TOKEN, baseUrl: server.url });
});
afterEach(async () => {
  await server.stop();
});

const codeOf = async (call: Promise<unknown>) => {
  try {
    await call;
    return 'no error';
  } catch (err) {
    return isNotionClientError(err) ? { code: err.code, status: 'status' in err ? err.status : undefined } : String(err);
  }
};

describe('Notion emulator', () => {
  it('answers a data source query with page objects the client types', async () => {
    const res = await client.dataSources.query({ data_source_id: SAMPLE_NOTION.rolesDataSourceId });
    expect(res.has_more).toBe(false);
    expect(res.results).toHaveLength(6);
    const page = res.results[0];
    expect(page).toMatchObject({ object: 'page', id: SAMPLE_NOTION.pages.employee, parent: { type: 'data_source_id', data_source_id: SAMPLE_NOTION.rolesDataSourceId } });
    expect('properties' in page && page.properties.Name).toMatchObject({ type: 'title', title: [{ plain_text: 'employee', text: { content: 'employee' } }] });
  });

  it('pages with start_cursor and next_cursor', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let calls = 0;
    do {
      const res = await client.dataSources.query({ data_source_id: SAMPLE_NOTION.rolesDataSourceId, page_size: 4, start_cursor: cursor });
      calls += 1;
      seen.push(...res.results.map((r) => r.id));
      cursor = res.next_cursor ?? undefined;
      expect(res.has_more).toBe(Boolean(cursor));
    } while (cursor);
    expect(calls).toBe(2);
    expect(seen).toEqual(Object.values(SAMPLE_NOTION.pages));
  });

  it('rejects a page size over 100 as a validation error', async () => {
    expect(await codeOf(client.dataSources.query({ data_source_id: SAMPLE_NOTION.rolesDataSourceId, page_size: 101 }))).toEqual({ code: APIErrorCode.ValidationError, status: 400 });
  });

  it('reads a page, a data source and a database by id', async () => {
    const page = await client.pages.retrieve({ page_id: SAMPLE_NOTION.pages.supportAgent });
    expect('properties' in page && page.properties.Parent).toMatchObject({ type: 'relation', relation: [{ id: SAMPLE_NOTION.pages.juniorSupportAgent }] });
    const ds = await client.dataSources.retrieve({ data_source_id: SAMPLE_NOTION.rolesDataSourceId });
    expect(Object.keys(ds.properties)).toEqual(Object.keys(ROLE_DATABASE_SCHEMA));
    const db = await client.databases.retrieve({ database_id: SAMPLE_NOTION.databaseId });
    expect('data_sources' in db && db.data_sources).toEqual([{ id: SAMPLE_NOTION.rolesDataSourceId, name: 'Roles' }]);
  });

  it('answers 404 object_not_found for an unknown page or data source', async () => {
    expect(await codeOf(client.pages.retrieve({ page_id: '11111111-1111-4111-8111-111111111111' }))).toEqual({ code: APIErrorCode.ObjectNotFound, status: 404 });
    expect(await codeOf(client.dataSources.query({ data_source_id: '11111111-1111-4111-8111-111111111111' }))).toEqual({ code: APIErrorCode.ObjectNotFound, status: 404 });
  });

  it('answers 401 unauthorized without a valid bearer token', async () => {
    const wrong = createNotionClient({ auth: 'not-the-token', baseUrl: server.url });
    expect(await codeOf(wrong.dataSources.query({ data_source_id: SAMPLE_NOTION.rolesDataSourceId }))).toEqual({ code: APIErrorCode.Unauthorized, status: 401 });
    const res = await fetch(`${server.url}/v1/pages/${SAMPLE_NOTION.pages.employee}`, { headers: { 'Notion-Version': '2025-09-03' } });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ object: 'error', status: 401, code: 'unauthorized' });
  });

  it('an injected 500 reaches the client as internal_server_error', async () => {
    notion.faults.failNext({ path: '/v1/data_sources/.*/query', count: 1, status: 500 });
    expect(await codeOf(client.dataSources.query({ data_source_id: SAMPLE_NOTION.rolesDataSourceId }))).toEqual({ code: APIErrorCode.InternalServerError, status: 500 });
  });

  it('a 429 with Retry-After is waited out by the rate-limited transport', async () => {
    notion.faults.failNext({ path: '/v1/pages/', count: 1, status: 429, retryAfterSeconds: 0 });
    const page = await client.pages.retrieve({ page_id: SAMPLE_NOTION.pages.employee });
    expect(page.id).toBe(SAMPLE_NOTION.pages.employee);
    expect(notion.faults.requests).toBe(2);
  });

  it('the sample catalog is valid against the sample Google and Connect tenants', async () => {
    const catalog = await readRolePages(client, SAMPLE_NOTION.rolesDataSourceId);
    const known = {
      groups: new Set(['all-staff@example.com', 'engineering@example.com', 'analytical-engine@example.com']),
      routingProfiles: new Set(['Basic', 'Support-Tier1', 'Support-Tier2']),
      securityProfiles: new Set(['Agent', 'CallCenterManager', 'Admin']),
      hierarchyGroups: new Set(['Support', 'Tier1', 'Tier2']),
      templateUsers: new Set(['ada.lovelace', 'grace.hopper', 'katherine.johnson']),
    };
    for (const r of catalog) {
      const { role, errors } = resolveRole(catalog, r.name);
      expect([r.name, [...errors, ...validate(role!, known)]]).toEqual([r.name, []]);
    }
    expect(resolveRole(catalog, 'support-team-lead').role!.chain).toHaveLength(5);
  });
});

describe('NotionRoleCatalog', () => {
  it('reads every page once per TTL, however many callers ask', async () => {
    let now = 0;
    const catalog = new NotionRoleCatalog({ client: () => client, dataSourceId: SAMPLE_NOTION.rolesDataSourceId, ttlMs: 60_000, now: () => now });
    const loads = await Promise.all([catalog.load(), catalog.load(), catalog.load()]);
    expect(loads[0]).toHaveLength(6);
    expect(notion.faults.requests).toBe(1);
    now = 59_999;
    await catalog.load();
    expect(notion.faults.requests).toBe(1);
    now = 60_000;
    await catalog.load();
    expect(notion.faults.requests).toBe(2);
  });

  it('follows next_cursor past 100 roles', async () => {
    for (let i = 0; i < 150; i++) notion.addPage(SAMPLE_NOTION.rolesDataSourceId, { values: { Name: `role-${i}` } });
    const roles = await readRolePages(client, SAMPLE_NOTION.rolesDataSourceId);
    expect(roles).toHaveLength(156);
    expect(notion.faults.requests).toBe(2);
  });

  it('a failed read is not cached', async () => {
    notion.faults.failNext({ path: '/query', count: 1, status: 500 });
    const catalog = new NotionRoleCatalog({ client: () => client, dataSourceId: SAMPLE_NOTION.rolesDataSourceId });
    await expect(catalog.load()).rejects.toMatchObject({ code: 'internal_server_error' });
    expect(await catalog.load()).toHaveLength(6);
  });
});
