/**
 * The role properties of SCIM apps (docs/scim.md): `SCIM apps` lists apps by the stage's names, `SCIM groups` lists
 * `app/Group display name` entries. A group entry gives its app too. Pure.
 */
import { scimAppNameSchema } from '../../config/scim-apps';

/** `wiki/Wiki Editors` → { app: 'wiki', group: 'Wiki Editors' }; undefined when it is not of that form. */
export function parseScimGroup(entry: string): { app: string; group: string } | undefined {
  const slash = entry.indexOf('/');
  if (slash <= 0) return undefined;
  const app = entry.slice(0, slash).trim();
  const group = entry.slice(slash + 1).trim();
  return group && scimAppNameSchema.safeParse(app).success ? { app, group } : undefined;
}

/** What is wrong with a role's SCIM values, in words naming them; undefined when all are good or the field is another. */
export function scimValuesProblem(field: string, values: readonly string[]): string | undefined {
  const quote = (bad: string[]) => bad.map((b) => JSON.stringify(b)).join(', ');
  if (field === 'scimApps') {
    const bad = values.filter((v) => !scimAppNameSchema.safeParse(v).success);
    if (bad.length) return `${quote(bad)} ${bad.length === 1 ? 'is not a SCIM app name' : 'are not SCIM app names'}: kebab-case names from the stage's scimApps`;
  }
  if (field === 'scimGroups') {
    const bad = values.filter((v) => !parseScimGroup(v));
    if (bad.length) return `${quote(bad)} ${bad.length === 1 ? 'is' : 'are'} not of the form app/Group name (for example wiki/Wiki Editors)`;
  }
  return undefined;
}
