/** The role catalog's shape: the Notion database's properties, and a role page parsed into a raw role. */
import * as z from '../shared/zod';
import { dict, own } from '../shared/dict';
import { customSchemaNameProblem } from './custom-schema-names';
import { scimValuesProblem } from './scim-grants';
import { MAIL_RETENTION_METHODS, type MailRetentionMethod } from '../../config/mail-retention';

/** A problem with a role, named so an operator can find and fix it in Notion. */
export interface RoleError {
  role: string;
  property: string;
  message: string;
}

export const NAME_PROPERTY = 'Name';
export const PARENT_PROPERTY = 'Parent';
/** A checkbox: a hire into this role (or a role inheriting from it) waits for an operator's approval. */
export const APPROVAL_PROPERTY = 'Requires approval';

type NotionType = 'title' | 'rich_text' | 'select' | 'multi_select';

/**
 * Every grant a role can carry. `single` values are overridden by a more specific role, `list`
 * values are unioned, `map` entries (schema.field) are each overridden one by one.
 */
export const GRANT_FIELDS = {
  googleOrgUnit: { property: 'Google OU', label: 'Google org unit', kind: 'single', types: ['select', 'rich_text'] },
  googleLicenseSku: { property: 'License SKU', label: 'Google license SKU', kind: 'single', types: ['select', 'rich_text'] },
  googleGroups: { property: 'Groups', label: 'Google groups', kind: 'list', types: ['multi_select', 'rich_text'] },
  googleCalendars: { property: 'Calendars', label: 'Calendars', kind: 'list', types: ['multi_select', 'rich_text'] },
  googleCustomSchemas: { property: 'Custom schema', label: 'Google custom schema', kind: 'map', types: ['rich_text'] },
  connectRoutingProfile: { property: 'Connect routing profile', label: 'Connect routing profile', kind: 'single', types: ['select', 'rich_text'] },
  connectSecurityProfiles: { property: 'Connect security profiles', label: 'Connect security profiles', kind: 'list', types: ['multi_select', 'rich_text'] },
  connectHierarchyGroup: { property: 'Connect hierarchy group', label: 'Connect hierarchy group', kind: 'single', types: ['select', 'rich_text'] },
  connectTemplateUser: { property: 'Connect template user', label: 'Connect template user', kind: 'single', types: ['select', 'rich_text'] },
  // Zendesk Support (docs/zendesk.md): a role naming any of these gives a Zendesk user (an agent unless it says otherwise).
  zendeskRole: { property: 'Zendesk role', label: 'Zendesk role', kind: 'single', types: ['select', 'rich_text'] },
  zendeskCustomRole: { property: 'Zendesk custom role', label: 'Zendesk custom role', kind: 'single', types: ['select', 'rich_text'] },
  // multi_select only: group names may hold spaces ("Tier 2"), which a rich_text list would split.
  zendeskGroups: { property: 'Zendesk groups', label: 'Zendesk groups', kind: 'list', types: ['multi_select'] },
  /** SCIM 2.0 apps (docs/scim.md): the apps the role gives a user in, by the stage's scimApps names, and their groups as `app/Group name`. */
  scimApps: { property: 'SCIM apps', label: 'SCIM apps', kind: 'list', types: ['multi_select', 'rich_text'] },
  // Group names hold spaces: a multi-select only, whose options keep them.
  scimGroups: { property: 'SCIM groups', label: 'SCIM groups', kind: 'list', types: ['multi_select'] },
  // Front (docs/front.md): a role naming any of these gives a Front teammate. Team and inbox names hold spaces: multi-selects only.
  frontTeams: { property: 'Front teams', label: 'Front teams', kind: 'list', types: ['multi_select'] },
  frontInboxes: { property: 'Front inboxes', label: 'Front inboxes', kind: 'list', types: ['multi_select'] },
  frontTemplate: { property: 'Front template', label: 'Front teammate template', kind: 'single', types: ['select', 'rich_text'] },
  // Nextcloud (docs/nextcloud.md): a role naming either gives a Nextcloud user. Group ids may hold spaces: multi-select only.
  nextcloudGroups: { property: 'Nextcloud groups', label: 'Nextcloud groups', kind: 'list', types: ['multi_select'] },
  nextcloudQuota: { property: 'Nextcloud quota', label: 'Nextcloud quota', kind: 'single', types: ['select', 'rich_text'] },
  // OpenProject (docs/openproject.md): `user` gives an OpenProject user, locked on leave.
  openprojectAccount: { property: 'OpenProject account', label: 'OpenProject account', kind: 'single', types: ['select', 'rich_text'] },
  /** What no action does (a laptop, a badge): listed in the joiner summary as left to do by hand. */
  manualTasks: { property: 'Manual tasks', label: 'Left to do by hand', kind: 'list', types: ['multi_select'] },
  /**
   * A leaver policy, not a grant: how a leaver who held the role has their mail kept (google.retainMail), in place of
   * the stage's mailRetention.method. Nothing is planned from it for a joiner or a mover.
   */
  mailRetention: { property: 'Mail retention', label: 'Mail retention when leaving', kind: 'single', types: ['select'] },
} as const satisfies Record<string, { property: string; label: string; kind: 'single' | 'list' | 'map'; types: readonly NotionType[] }>;

export type GrantField = keyof typeof GRANT_FIELDS;
type FieldsOfKind<K> = { [F in GrantField]: (typeof GRANT_FIELDS)[F]['kind'] extends K ? F : never }[GrantField];
export type SingleField = FieldsOfKind<'single'>;
export type ListField = FieldsOfKind<'list'>;
export type MapField = FieldsOfKind<'map'>;

export const GRANT_FIELD_NAMES = Object.keys(GRANT_FIELDS) as GrantField[];
export const SINGLE_FIELDS = GRANT_FIELD_NAMES.filter((f): f is SingleField => GRANT_FIELDS[f].kind === 'single');
export const LIST_FIELDS = GRANT_FIELD_NAMES.filter((f): f is ListField => GRANT_FIELDS[f].kind === 'list');
export const MAP_FIELDS = GRANT_FIELD_NAMES.filter((f): f is MapField => GRANT_FIELDS[f].kind === 'map');

/** What is wrong with a role's `Front template` value (one template's name), if anything. */
export const frontTemplateProblem = (value: string): string | undefined =>
  /[,\n]/.test(value) || value.length > 100 ? `${JSON.stringify(value.slice(0, 100))} is not one teammate template's name: a role names one template (at most 100 characters, no commas)` : undefined;

/**
 * What is wrong with a role's `Nextcloud quota` value, if anything: Nextcloud takes "5 GB", "512 MB" (B, KB, MB, GB, TB,
 * PB in 1024s, or bytes alone), "none" or "default"; it reads "5 GiB" as 5 bytes, so that is refused here.
 */
export const nextcloudQuotaProblem = (value: string): string | undefined =>
  /^(none|default|\d+(\.\d+)?(\s*([kmgtp]b?|b))?)$/i.test(value.trim())
    ? undefined
    : `${JSON.stringify(value.slice(0, 100))} is not a Nextcloud quota: a size like "5 GB" or "512 MB" (Nextcloud counts in 1024s and reads "5 GiB" as 5 bytes), or "none" (unlimited) or "default"`;

/** What is wrong with a role's `OpenProject account` value, if anything: `user` is the one kind of account it gives. */
export const openProjectAccountProblem = (value: string): string | undefined =>
  value.trim() === 'user' ? undefined : `${JSON.stringify(value.slice(0, 100))} is not an OpenProject account kind: "user" gives an OpenProject user (leave it empty for none)`;

/** The values of a role's `Zendesk role`, as Zendesk names them. */
export const ZENDESK_ROLE_VALUES: readonly string[] = ['end-user', 'agent', 'admin'];

/** A role's `Mail retention` value, when it is one of the methods (a parsed role holds no other). */
export const mailRetentionMethod = (value: string | undefined): MailRetentionMethod | undefined =>
  MAIL_RETENTION_METHODS.find((m) => m === value);

/** What one role page itself declares, before inheritance. Map fields are flattened to `schema.field` keys. */
export interface RoleGrants {
  single: Partial<Record<SingleField, string>>;
  lists: Partial<Record<ListField, string[]>>;
  maps: Partial<Record<MapField, Record<string, unknown>>>;
}

export interface RawRole {
  /** The Notion page id. */
  id: string;
  name: string;
  /** The parent role's page id, from the Parent relation. */
  parentId?: string;
  grants: RoleGrants;
  /** The role's own "Requires approval" box is ticked. */
  requiresApproval?: boolean;
  /** Properties that could not be read; the role is still listed so the errors can be shown. */
  errors: RoleError[];
}

const richText = z.array(z.object({ plain_text: z.string() }));
const option = z.object({ name: z.string() });
const propertySchemas = {
  title: z.object({ type: z.literal('title'), title: richText }),
  rich_text: z.object({ type: z.literal('rich_text'), rich_text: richText }),
  select: z.object({ type: z.literal('select'), select: z.nullable(option) }),
  multi_select: z.object({ type: z.literal('multi_select'), multi_select: z.array(option) }),
  checkbox: z.object({ type: z.literal('checkbox'), checkbox: z.boolean() }),
  relation: z.object({ type: z.literal('relation'), relation: z.array(z.object({ id: z.string() })), has_more: z.optional(z.boolean()) }),
};

const pageSchema = z.object({
  object: z.literal('page'),
  id: z.string(),
  properties: z.record(z.string(), z.unknown()),
});

const customSchemaJson = z.record(z.string().check(z.minLength(1)), z.record(z.string().check(z.minLength(1)), z.unknown()));
const emailAddress = z.email();

const plain = (items: { plain_text: string }[]) => items.map((t) => t.plain_text).join('').trim();
const typeOf = (value: unknown) => (value && typeof value === 'object' && 'type' in value ? String((value as { type: unknown }).type) : typeof value);

type PropertyValue = { kind: 'text'; text: string } | { kind: 'options'; names: string[] };

/** Reads a property as one of the allowed types; `undefined` when the database has no such property. */
function readProperty(properties: Record<string, unknown>, name: string, types: readonly NotionType[]): PropertyValue | undefined | string {
  const raw = own(properties, name);
  if (raw === undefined) return undefined;
  for (const type of types) {
    const parsed = propertySchemas[type].safeParse(raw);
    if (!parsed.success) continue;
    const value = parsed.data;
    switch (value.type) {
      case 'title':
        return { kind: 'text', text: plain(value.title) };
      case 'rich_text':
        return { kind: 'text', text: plain(value.rich_text) };
      case 'select':
        return { kind: 'text', text: value.select?.name.trim() ?? '' };
      case 'multi_select':
        return { kind: 'options', names: value.multi_select.map((o) => o.name.trim()).filter(Boolean) };
    }
  }
  return `must be a ${types.join(' or ')} property, found ${typeOf(raw)}`;
}

const splitList = (text: string) => text.split(/[\s,;]+/).filter(Boolean);
const unique = (values: string[]) => [...new Set(values)];

/** Parses one page of the role database. Never throws: what cannot be read becomes an error naming the role and the property. */
export function parseRolePage(page: unknown): RawRole {
  const parsedPage = pageSchema.safeParse(page);
  if (!parsedPage.success) {
    const id = page && typeof page === 'object' && typeof (page as { id?: unknown }).id === 'string' ? (page as { id: string }).id : '(no id)';
    return { id, name: `(page ${id})`, grants: { single: {}, lists: {}, maps: {} }, errors: [{ role: `(page ${id})`, property: '(page)', message: 'is not a Notion page object' }] };
  }
  const { id, properties } = parsedPage.data;
  const errors: { property: string; message: string }[] = [];

  const title = readProperty(properties, NAME_PROPERTY, ['title']);
  let name = typeof title === 'object' && title.kind === 'text' ? title.text : '';
  if (typeof title === 'string') errors.push({ property: NAME_PROPERTY, message: title });
  else if (!name) errors.push({ property: NAME_PROPERTY, message: 'is empty: every role needs a name' });
  if (!name) name = `(untitled page ${id})`;

  let parentId: string | undefined;
  const parent = own(properties, PARENT_PROPERTY);
  if (parent !== undefined) {
    const relation = propertySchemas.relation.safeParse(parent);
    if (!relation.success) errors.push({ property: PARENT_PROPERTY, message: `must be a relation property, found ${typeOf(parent)}` });
    else if (relation.data.relation.length > 1 || relation.data.has_more) errors.push({ property: PARENT_PROPERTY, message: `names ${relation.data.relation.length} roles; a role has at most one parent` });
    else parentId = relation.data.relation[0]?.id;
  }

  let requiresApproval: boolean | undefined;
  const approval = own(properties, APPROVAL_PROPERTY);
  if (approval !== undefined) {
    const box = propertySchemas.checkbox.safeParse(approval);
    if (!box.success) errors.push({ property: APPROVAL_PROPERTY, message: `must be a checkbox property, found ${typeOf(approval)}` });
    else if (box.data.checkbox) requiresApproval = true;
  }

  const grants: RoleGrants = { single: {}, lists: {}, maps: {} };
  for (const field of GRANT_FIELD_NAMES) {
    const spec = GRANT_FIELDS[field];
    const value = readProperty(properties, spec.property, spec.types);
    if (value === undefined) continue;
    if (typeof value === 'string') {
      errors.push({ property: spec.property, message: value });
      continue;
    }
    if (spec.kind === 'single') {
      if (value.kind === 'text' && value.text && field === 'mailRetention' && !mailRetentionMethod(value.text)) {
        errors.push({ property: spec.property, message: `${JSON.stringify(value.text)} is not a mail retention method: one of ${MAIL_RETENTION_METHODS.join(', ')}` });
      } else if (value.kind === 'text' && value.text && field === 'zendeskRole' && !ZENDESK_ROLE_VALUES.includes(value.text)) {
        errors.push({ property: spec.property, message: `${JSON.stringify(value.text)} is not a Zendesk role: one of ${ZENDESK_ROLE_VALUES.join(', ')}` });
      } else if (value.kind === 'text' && value.text && field === 'frontTemplate' && frontTemplateProblem(value.text)) {
        errors.push({ property: spec.property, message: frontTemplateProblem(value.text)! });
      } else if (value.kind === 'text' && value.text && field === 'nextcloudQuota' && nextcloudQuotaProblem(value.text)) {
        errors.push({ property: spec.property, message: nextcloudQuotaProblem(value.text)! });
      } else if (value.kind === 'text' && value.text && field === 'openprojectAccount' && openProjectAccountProblem(value.text)) {
        errors.push({ property: spec.property, message: openProjectAccountProblem(value.text)! });
      } else if (value.kind === 'text' && value.text) grants.single[field as SingleField] = value.text;
    } else if (spec.kind === 'list') {
      const values = unique(value.kind === 'options' ? value.names : splitList(value.text));
      if (field === 'googleGroups') {
        const bad = values.filter((v) => !emailAddress.safeParse(v).success);
        if (bad.length) errors.push({ property: spec.property, message: `${bad.map((b) => JSON.stringify(b)).join(', ')} ${bad.length === 1 ? 'is not a group address' : 'are not group addresses'}` });
      }
      const scimProblem = scimValuesProblem(field, values);
      if (scimProblem) errors.push({ property: spec.property, message: scimProblem });
      if (values.length) grants.lists[field as ListField] = values;
    } else if (value.kind === 'text' && value.text) {
      const entries = parseCustomSchema(value.text);
      if (typeof entries === 'string') errors.push({ property: spec.property, message: entries });
      else grants.maps[field as MapField] = entries;
    }
  }
  return { id, name, parentId, grants, ...(requiresApproval ? { requiresApproval } : {}), errors: errors.map((e) => ({ role: name, ...e })) };
}

/** `{"SAML":{"role":"helpdesk"}}` → `{ "SAML.role": "helpdesk" }`, or why it cannot be read. */
function parseCustomSchema(text: string): Record<string, unknown> | string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return 'must be JSON like {"SAML":{"role":"helpdesk"}}';
  }
  // Names are checked on the JSON as written: the schema below would silently drop a "__proto__" key.
  const badName = customSchemaNamesProblem(json);
  if (badName) return badName;
  const parsed = customSchemaJson.safeParse(json);
  if (!parsed.success) return 'must be a JSON object of schemas, each an object of fields, like {"SAML":{"role":"helpdesk"}}';
  return dict(Object.entries(parsed.data).flatMap(([schema, fields]) => Object.entries(fields).map(([key, v]) => [`${schema}.${key}`, v] as const)));
}

/** The first schema or field name Google would not take (or that is object machinery), in JSON parsed from Notion. */
function customSchemaNamesProblem(json: unknown): string | undefined {
  if (!json || typeof json !== 'object' || Array.isArray(json)) return undefined;
  for (const [schema, fields] of Object.entries(json)) {
    const problem = customSchemaNameProblem(schema, 'schema');
    if (problem) return problem;
    if (!fields || typeof fields !== 'object' || Array.isArray(fields)) continue;
    for (const field of Object.keys(fields)) {
      const fieldProblem = customSchemaNameProblem(field, 'field');
      if (fieldProblem) return `${fieldProblem} (in schema ${schema})`;
    }
  }
  return undefined;
}

/** Notion page ids with or without dashes name the same page. */
export const samePageId = (a: string, b: string) => a.replace(/-/g, '').toLowerCase() === b.replace(/-/g, '').toLowerCase();
