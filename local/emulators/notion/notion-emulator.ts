/**
 * An in-memory Notion: databases, their data sources and pages, answering the read operations of
 * API version 2025-09-03 in the shapes @notionhq/client v5 parses, with Notion's error bodies.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { ErrorShape } from '../faults';
import { FaultInjector } from '../faults';
import type { EmulatorRequest, EmulatorResponse, EmulatorRoute } from '../server';

export const NOTION_API_VERSION = '2025-09-03';
/** The token the local runtime's Notion client sends. */
export const LOCAL_NOTION_TOKEN = 'local-notion-token';

export type NotionErrorCode =
  | 'unauthorized'
  | 'restricted_resource'
  | 'object_not_found'
  | 'rate_limited'
  | 'invalid_json'
  | 'invalid_request_url'
  | 'invalid_request'
  | 'validation_error'
  | 'missing_version'
  | 'conflict_error'
  | 'internal_server_error'
  | 'service_unavailable'
  | 'gateway_timeout';

const CODE_FOR_STATUS: Record<number, NotionErrorCode> = {
  400: 'validation_error',
  401: 'unauthorized',
  403: 'restricted_resource',
  404: 'object_not_found',
  409: 'conflict_error',
  429: 'rate_limited',
  500: 'internal_server_error',
  502: 'internal_server_error',
  503: 'service_unavailable',
  504: 'gateway_timeout',
};

export function notionError(status: number, code: NotionErrorCode, message: string): EmulatorResponse {
  return { status, body: { object: 'error', status, code, message, request_id: randomUUID() } };
}

/** Fault injection's renderer: a rule may name a Notion code as its reason; otherwise the status decides. */
export const notionErrorShape: ErrorShape = (status, message, reason) => {
  const code = reason && (Object.values(CODE_FOR_STATUS) as string[]).includes(reason) ? (reason as NotionErrorCode) : (CODE_FOR_STATUS[status] ?? (status >= 500 ? 'internal_server_error' : 'invalid_request'));
  return notionError(status, code, code === 'rate_limited' ? 'You have been rate limited. Please try again in a few minutes.' : message);
};

class NotionApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: NotionErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export type PropertyType = 'title' | 'rich_text' | 'select' | 'multi_select' | 'relation' | 'checkbox';
/** A data source's schema: property name → type (a relation names the data source it points to; omitted, itself). */
export type PropertySchema = Record<string, PropertyType>;
/** A page's values: text for title, rich_text and select; names for multi_select; page ids for relation; true/false for checkbox. */
export type PageValues = Record<string, string | string[] | boolean | undefined>;

interface DataSource {
  id: string;
  databaseId: string;
  title: string;
  schema: PropertySchema;
}

interface Page {
  id: string;
  dataSourceId: string;
  values: PageValues;
  /** Raw property values to store as given, e.g. a malformed one for a test. */
  raw: Record<string, unknown>;
  createdTime: string;
  inTrash: boolean;
}

const PAGE_SIZE_MAX = 100;
const key = (id: string) => id.replace(/-/g, '').toLowerCase();
const shortId = (text: string) => createHash('sha256').update(text).digest('base64url').slice(0, 4);

function richText(content: string) {
  return {
    type: 'text',
    text: { content, link: null },
    annotations: { bold: false, italic: false, strikethrough: false, underline: false, code: false, color: 'default' },
    plain_text: content,
    href: null,
  };
}

const option = (name: string) => ({ id: shortId(name), name, color: 'default' });
const user = { object: 'user', id: '00000000-0000-4000-8000-00000000a11c' };

export interface NotionEmulatorOptions {
  tokens?: string[];
  now?: () => number;
}

export class NotionEmulator {
  readonly faults: FaultInjector;
  private readonly tokens: Set<string>;
  private readonly now: () => number;
  private readonly databases = new Map<string, { id: string; title: string; dataSourceIds: string[] }>();
  private readonly dataSources = new Map<string, DataSource>();
  private readonly pages = new Map<string, Page>();

  constructor(options: NotionEmulatorOptions = {}) {
    this.tokens = new Set(options.tokens ?? [LOCAL_NOTION_TOKEN]);
    this.now = options.now ?? Date.now;
    this.faults = new FaultInjector('notion', notionErrorShape, this.now);
  }

  // ---- setup (seeding and tests; Notion's own editor, not the API) ----

  addDataSource(input: { databaseId: string; dataSourceId: string; title: string; schema: PropertySchema }): void {
    const db = this.databases.get(key(input.databaseId)) ?? { id: input.databaseId, title: input.title, dataSourceIds: [] };
    db.dataSourceIds.push(input.dataSourceId);
    this.databases.set(key(input.databaseId), db);
    this.dataSources.set(key(input.dataSourceId), { id: input.dataSourceId, databaseId: input.databaseId, title: input.title, schema: { ...input.schema } });
  }

  addPage(dataSourceId: string, input: { id?: string; values: PageValues; raw?: Record<string, unknown>; inTrash?: boolean }): string {
    if (!this.dataSources.has(key(dataSourceId))) throw new Error(`no data source ${dataSourceId}`);
    const id = input.id ?? randomUUID();
    this.pages.set(key(id), {
      id,
      dataSourceId,
      values: { ...input.values },
      raw: { ...input.raw },
      createdTime: new Date(this.now()).toISOString(),
      inTrash: input.inTrash ?? false,
    });
    return id;
  }

  // ---- the emulated operations ----

  queryDataSource(dataSourceId: string, body: { page_size?: unknown; start_cursor?: unknown; in_trash?: unknown }) {
    const ds = this.dataSource(dataSourceId);
    const size = body.page_size ?? PAGE_SIZE_MAX;
    if (typeof size !== 'number' || !Number.isInteger(size) || size < 1 || size > PAGE_SIZE_MAX) {
      throw new NotionApiError(400, 'validation_error', `body failed validation: body.page_size should be a number between 1 and ${PAGE_SIZE_MAX}, instead was \`${JSON.stringify(body.page_size)}\`.`);
    }
    const all = [...this.pages.values()].filter((p) => key(p.dataSourceId) === key(ds.id) && p.inTrash === (body.in_trash === true));
    let start = 0;
    if (body.start_cursor !== undefined) {
      const at = typeof body.start_cursor === 'string' ? all.findIndex((p) => key(p.id) === key(body.start_cursor as string)) : -1;
      if (at < 0) throw new NotionApiError(400, 'validation_error', `body failed validation: body.start_cursor should be a valid cursor, instead was \`${JSON.stringify(body.start_cursor)}\`.`);
      start = at;
    }
    const slice = all.slice(start, start + size);
    const next = all[start + size];
    return {
      object: 'list',
      results: slice.map((p) => this.pageWire(p)),
      next_cursor: next ? next.id : null,
      has_more: Boolean(next),
      type: 'page_or_data_source',
      page_or_data_source: {},
      request_id: randomUUID(),
    };
  }

  getPage(pageId: string) {
    const page = this.pages.get(key(pageId));
    if (!page) throw notFound('page', pageId);
    return this.pageWire(page);
  }

  getDataSource(dataSourceId: string) {
    const ds = this.dataSource(dataSourceId);
    const at = new Date(0).toISOString();
    return {
      object: 'data_source',
      id: ds.id,
      title: [richText(ds.title)],
      description: [],
      parent: { type: 'database_id', database_id: ds.databaseId },
      database_parent: { type: 'workspace', workspace: true },
      is_inline: false,
      archived: false,
      in_trash: false,
      created_time: at,
      last_edited_time: at,
      created_by: user,
      last_edited_by: user,
      properties: Object.fromEntries(Object.entries(ds.schema).map(([name, type]) => [name, this.propertyConfig(ds, name, type)])),
      icon: null,
      cover: null,
      url: `https://www.notion.so/${key(ds.databaseId)}`,
      public_url: null,
    };
  }

  getDatabase(databaseId: string) {
    const db = this.databases.get(key(databaseId));
    if (!db) throw notFound('database', databaseId);
    const at = new Date(0).toISOString();
    return {
      object: 'database',
      id: db.id,
      title: [richText(db.title)],
      description: [],
      parent: { type: 'workspace', workspace: true },
      is_inline: false,
      in_trash: false,
      is_locked: false,
      created_time: at,
      last_edited_time: at,
      data_sources: db.dataSourceIds.map((id) => ({ id, name: this.dataSources.get(key(id))!.title })),
      icon: null,
      cover: null,
      url: `https://www.notion.so/${key(db.id)}`,
      public_url: null,
    };
  }

  /** The whole workspace as stored, for a look from the shell. */
  state() {
    return {
      databases: [...this.databases.values()],
      dataSources: [...this.dataSources.values()],
      pages: [...this.pages.values()],
    };
  }

  routes(): EmulatorRoute[] {
    const SEG = '([^/]+)';
    const api = (method: string, pattern: RegExp, handle: (req: EmulatorRequest) => unknown): EmulatorRoute => ({
      method,
      pattern,
      handle: (req) => {
        const denied = this.checkHeaders(req);
        if (denied) return denied;
        try {
          return { status: 200, body: handle(req) };
        } catch (err) {
          if (err instanceof NotionApiError) return notionError(err.status, err.code, err.message);
          throw err;
        }
      },
    });
    const routes = [
      api('POST', new RegExp(`^/v1/data_sources/${SEG}/query$`), (req) => this.queryDataSource(req.params[0], parseJson(req.body))),
      api('GET', new RegExp(`^/v1/data_sources/${SEG}$`), (req) => this.getDataSource(req.params[0])),
      api('GET', new RegExp(`^/v1/databases/${SEG}$`), (req) => this.getDatabase(req.params[0])),
      api('GET', new RegExp(`^/v1/pages/${SEG}$`), (req) => this.getPage(req.params[0])),
    ];
    return [
      ...this.faults.wrap(routes),
      ...this.faults.controlRoutes(),
      { method: 'GET', pattern: /^\/_emulator\/notion\/state$/, handle: () => ({ status: 200, body: this.state() }) },
    ];
  }

  // ---- internals ----

  private checkHeaders(req: EmulatorRequest): EmulatorResponse | undefined {
    const token = /^Bearer (.+)$/i.exec(String(req.headers.authorization ?? ''))?.[1];
    if (!token || !this.tokens.has(token)) return notionError(401, 'unauthorized', 'API token is invalid.');
    const version = req.headers['notion-version'];
    if (!version) return notionError(400, 'missing_version', 'Notion-Version header failed validation: Notion-Version header should be defined, instead was `undefined`.');
    if (String(version) < NOTION_API_VERSION && /\/data_sources\//.test(req.path)) {
      return notionError(400, 'invalid_request_url', `Data sources need Notion-Version ${NOTION_API_VERSION} or later, instead was \`${String(version)}\`.`);
    }
    return undefined;
  }

  private dataSource(id: string): DataSource {
    const ds = this.dataSources.get(key(id));
    if (!ds) throw notFound('data_source', id);
    return ds;
  }

  private propertyConfig(ds: DataSource, name: string, type: PropertyType) {
    const base = { id: type === 'title' ? 'title' : shortId(name), name, description: null, type };
    const used = (t: PropertyType) => [...this.pages.values()].filter((p) => key(p.dataSourceId) === key(ds.id)).flatMap((p) => {
      const v = p.values[name];
      return t === type && typeof v !== 'boolean' && v !== undefined ? (Array.isArray(v) ? v : [v]) : [];
    });
    switch (type) {
      case 'select':
      case 'multi_select':
        return { ...base, [type]: { options: [...new Set(used(type))].map(option) } };
      case 'relation':
        return { ...base, relation: { data_source_id: ds.id, database_id: ds.databaseId, type: 'single_property', single_property: {} } };
      default:
        return { ...base, [type]: {} };
    }
  }

  private pageWire(page: Page) {
    const ds = this.dataSource(page.dataSourceId);
    const properties: Record<string, unknown> = {};
    for (const [name, type] of Object.entries(ds.schema)) {
      const value = page.values[name];
      const id = type === 'title' ? 'title' : shortId(name);
      const text = typeof value === 'string' ? value : '';
      const list = Array.isArray(value) ? value : typeof value === 'string' && value ? [value] : [];
      switch (type) {
        case 'title':
        case 'rich_text':
          properties[name] = { id, type, [type]: text ? [richText(text)] : [] };
          break;
        case 'select':
          properties[name] = { id, type, select: text ? option(text) : null };
          break;
        case 'multi_select':
          properties[name] = { id, type, multi_select: list.map(option) };
          break;
        case 'relation':
          properties[name] = { id, type, relation: list.map((r) => ({ id: r })), has_more: false };
          break;
        case 'checkbox':
          properties[name] = { id, type, checkbox: value === true };
          break;
      }
    }
    Object.assign(properties, page.raw);
    const title = typeof page.values[Object.keys(ds.schema).find((n) => ds.schema[n] === 'title') ?? ''] === 'string' ? String(page.values[Object.keys(ds.schema).find((n) => ds.schema[n] === 'title')!]) : '';
    return {
      object: 'page',
      id: page.id,
      created_time: page.createdTime,
      last_edited_time: page.createdTime,
      created_by: user,
      last_edited_by: user,
      cover: null,
      icon: null,
      parent: { type: 'data_source_id', data_source_id: ds.id, database_id: ds.databaseId },
      archived: page.inTrash,
      in_trash: page.inTrash,
      is_locked: false,
      properties,
      url: `https://www.notion.so/${title.replace(/[^a-zA-Z0-9]+/g, '-')}-${key(page.id)}`,
      public_url: null,
    };
  }
}

function notFound(kind: 'page' | 'data_source' | 'database', id: string): NotionApiError {
  return new NotionApiError(404, 'object_not_found', `Could not find ${kind} with ID: ${id}. Make sure the relevant pages and databases are shared with your integration.`);
}

function parseJson(body: string): Record<string, unknown> {
  if (!body) return {};
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new NotionApiError(400, 'invalid_json', 'Error parsing JSON body.');
}
