/** The Google steps a role diff calls for: org unit, license, groups, calendars and custom schema values. Pure. */
import { dict, own } from '../../shared/dict';
import type { RoleDiff } from '../diff';
import { newValue, oldValue, values, type StepPlanner } from './planner';

/** Google Workspace's License Manager product id; a role names only the SKU. */
const WORKSPACE_PRODUCT_ID = 'Google-Apps';

/** `{ "SAML.role": g }` → `{ SAML: { role: value } }`, the shape Google's customSchemas (and google.createUser) take. */
function nested(entries: [string, unknown][]): Record<string, Record<string, unknown>> {
  const out = dict<Record<string, unknown>>();
  for (const [key, value] of entries) {
    const dot = key.indexOf('.');
    const schema = key.slice(0, dot);
    (own(out, schema) ?? (out[schema] = dict()))[key.slice(dot + 1)] = value;
  }
  return out;
}

export function googleSteps({ single, lists, maps }: RoleDiff, { add, remove }: StepPlanner): void {
  // An org unit the new role does not name leaves the account where it is: there is nowhere to move it to.
  const orgUnitPath = newValue(single.googleOrgUnit);
  if (orgUnitPath) add('move-org-unit', 'google.moveToOrgUnit', { orgUnitPath });
  // License Manager holds one SKU of a product per user: a SKU in both roles is changed in place on the
  // effective date (licenseAssignments.patch), never assigned beside the old one and removed later.
  const newSku = newValue(single.googleLicenseSku);
  const oldSku = oldValue(single.googleLicenseSku);
  if (newSku && oldSku) add('change-license', 'google.assignLicense', { skuId: newSku, replaces: oldSku });
  else if (newSku) add('assign-license', 'google.assignLicense', { skuId: newSku });
  if (lists.googleGroups.added.length) add('add-groups', 'google.addToGroups', { groups: values(lists.googleGroups.added) });
  if (lists.googleCalendars.added.length) add('share-calendars', 'google.shareCalendars', { calendars: values(lists.googleCalendars.added) });
  const schemas = maps.googleCustomSchemas;
  const toSet = [...Object.entries(schemas.set), ...Object.entries(schemas.changed).map(([k, c]) => [k, c.to] as const)];
  if (toSet.length) add('update-custom-schemas', 'google.updateCustomSchemas', { set: nested(toSet.map(([k, g]) => [k, g.value])), remove: [] });

  if (oldSku && !newSku) remove('remove-license', 'google.removeLicenses', { products: [{ productId: WORKSPACE_PRODUCT_ID, skuId: oldSku }] });
  if (lists.googleGroups.removed.length) remove('remove-groups', 'google.removeFromGroups', { groups: values(lists.googleGroups.removed) }, 'add-groups');
  if (lists.googleCalendars.removed.length) remove('unshare-calendars', 'google.unshareCalendars', { calendars: values(lists.googleCalendars.removed) }, 'share-calendars');
  const schemaKeysGone = Object.keys(schemas.removed);
  if (schemaKeysGone.length) remove('remove-custom-schemas', 'google.updateCustomSchemas', { set: {}, remove: schemaKeysGone }, 'update-custom-schemas');
}
