/** Enterprise License Manager: per-SKU seat counts, assign/get/reassign/revoke/list, with the 412 preconditions Google sends. */
import type { EmulatorRoute } from '../server';
import { fail, GoogleApiError } from './errors';
import { api, compact, ok, paginate, readJson, str } from './http';
import { releaseUnlicensedFromHolds } from './vault';
import { ARCHIVED_USER_PRODUCT_ID, ARCHIVED_USER_SKUS, GOOGLE_WORKSPACE_PRODUCT_ID } from './catalog';
import type { AutoLicensingRecord, LicenseRecord, SkuRecord, UserRecord, WorkspaceStore } from './state';

const PRODUCT = '/apps/licensing/v1/product/:productId';

function requireSku(store: WorkspaceStore, productId: string, skuId: string): SkuRecord {
  const sku = store.state.skus.find((s) => s.productId === productId && s.skuId === skuId);
  if (!sku) throw fail.badRequest('Invalid productId or skuId: SKU or product does not exist.');
  return sku;
}

/** License Manager takes the primary email or the user id; an unknown user is a 400, not a 404. */
function requireLicensee(store: WorkspaceStore, userId: string): UserRecord {
  const user = store.findUser(userId);
  if (!user) throw fail.invalid('Invalid Input: userId');
  return user;
}

export function seatsUsed(store: WorkspaceStore, sku: SkuRecord): number {
  return store.state.licenses.filter((l) => l.productId === sku.productId && l.skuId === sku.skuId).length;
}

function noLicense(): GoogleApiError {
  return new GoogleApiError(404, 'User does not have a license for specified sku and product', 'notFound');
}

function licenseResource(store: WorkspaceStore, l: LicenseRecord) {
  const sku = requireSku(store, l.productId, l.skuId);
  const email = store.state.users.find((u) => u.id === l.userId)?.primaryEmail ?? l.userId;
  const body = {
    kind: 'licensing#licenseAssignment',
    selfLink: `https://licensing.googleapis.com/apps/licensing/v1/product/${l.productId}/sku/${l.skuId}/user/${email}`,
    userId: email,
    productId: l.productId,
    skuId: l.skuId,
    productName: sku.productName,
    skuName: sku.skuName,
  };
  // License Manager names its etag field "etags".
  return { ...body, etags: store.etag(body) };
}

/** licenseAssignments.insert; shared with the seed helpers and automatic licensing. */
export function assignLicense(store: WorkspaceStore, productId: string, skuId: string, userId: string): LicenseRecord {
  const sku = requireSku(store, productId, skuId);
  const user = requireLicensee(store, userId);
  const held = store.state.licenses.find((l) => l.userId === user.id && l.productId === productId);
  if (held?.skuId === skuId) throw fail.conditionNotMet('User already has a license for the specified product and SKU');
  if (held) {
    throw fail.conditionNotMet('User already has a license of the product, but with a different SKU. To reassign a new SKU for this product, use the "update" operation.');
  }
  if (seatsUsed(store, sku) >= sku.seats) throw fail.conditionNotMet("There aren't enough available licenses for the specified product-SKU pair");
  const license: LicenseRecord = { productId, skuId, userId: user.id };
  store.state.licenses.push(license);
  return license;
}

/** The org unit paths from this one up to the root, nearest first. */
function pathsUp(orgUnitPath: string): string[] {
  const out: string[] = [];
  let path = orgUnitPath.toLowerCase();
  for (;;) {
    out.push(path);
    if (path === '/') return out;
    path = path.slice(0, path.lastIndexOf('/')) || '/';
  }
}

/**
 * The automatic licensing in force for a product in an org unit: the nearest setting on the way up to the root, as the
 * Admin console's License settings inherit; undefined when none is set or the nearest turns it off.
 */
export function autoLicensingFor(store: WorkspaceStore, productId: string, orgUnitPath: string): (AutoLicensingRecord & { skuId: string }) | undefined {
  const rules = (store.state.settings.autoLicensing ?? []).filter((r) => r.productId === productId);
  for (const path of pathsUp(orgUnitPath)) {
    const rule = rules.find((r) => r.orgUnitPath.toLowerCase() === path);
    if (rule) return rule.skuId ? { ...rule, skuId: rule.skuId } : undefined;
  }
  return undefined;
}

/**
 * Workspace's automatic licensing: a user (new, or undeleted) takes a free seat of the SKU automatic licensing gives in
 * its org unit, for each product it holds none of; silently skipped when none is free, as in Workspace.
 */
export function autoAssignLicense(store: WorkspaceStore, user: UserRecord): void {
  const products = new Set((store.state.settings.autoLicensing ?? []).map((r) => r.productId));
  for (const productId of products) {
    const auto = autoLicensingFor(store, productId, user.orgUnitPath);
    if (!auto || store.state.licenses.some((l) => l.userId === user.id && l.productId === productId)) continue;
    try {
      assignLicense(store, productId, auto.skuId, user.id);
    } catch (err) {
      if (!(err instanceof GoogleApiError)) throw err;
    }
  }
}

export function licensingRoutes(store: WorkspaceStore): EmulatorRoute[] {
  const find = (productId: string, skuId: string, userId: string) => {
    requireSku(store, productId, skuId);
    const user = requireLicensee(store, userId);
    const license = store.state.licenses.find((l) => l.userId === user.id && l.productId === productId && l.skuId === skuId);
    if (!license) throw noLicense();
    return license;
  };
  const reassign = (productId: string, skuId: string, userId: string, body: Record<string, unknown>) => {
    const license = find(productId, skuId, userId);
    const newProduct = str(body.productId) ?? productId;
    const newSku = str(body.skuId) ?? skuId;
    const user = requireLicensee(store, userId);
    const bodyUser = str(body.userId);
    if (bodyUser && store.findUser(bodyUser)?.id !== user.id) {
      throw fail.conditionNotMet(`Reassign operation can't be performed on different users: ${userId}, ${bodyUser}`);
    }
    if (newProduct !== productId) throw fail.conditionNotMet(`Reassign operation can't be performed on different products: ${productId}, ${newProduct}`);
    if (newSku === skuId) throw fail.conditionNotMet(`For reassign operations, the new SKU should be different from the old SKU: ${skuId}`);
    const target = requireSku(store, productId, newSku);
    if (seatsUsed(store, target) >= target.seats) throw fail.conditionNotMet("There aren't enough available licenses for the specified product-SKU pair");
    license.skuId = newSku;
    return ok(licenseResource(store, license));
  };
  const list = (query: URLSearchParams, keep: (l: LicenseRecord) => boolean) => {
    const customerId = query.get('customerId');
    if (!customerId) throw fail.required('customerId');
    // License Manager documents customerId as "the customer's unique ID as defined in the Admin console, such as
    // C00000000" (developers.google.com/admin-sdk/licensing/reference/rest/v1/licenseAssignments/listForProduct); a
    // previous version took the primary domain, which is still accepted here. Unlike the Directory API it knows no
    // my_customer alias: GAM resolves the real id (customers.get of my_customer) before any licensing call. No source
    // gives Google's answer to my_customer: the status 400, the reason `invalid` (Google's usual one for a bad
    // parameter value) and the wording are unconfirmed; the client never sends it, so nothing depends on them.
    if (customerId === 'my_customer') throw fail.invalid('Invalid customerId: my_customer');
    if (![store.state.customerId, store.state.domain].includes(customerId)) throw fail.forbidden();
    // Each user's address looked up once, not once per comparison: a tenant of 10,000 users sorts in milliseconds.
    const emails = new Map(store.state.users.map((u) => [u.id, u.primaryEmail]));
    const email = (l: LicenseRecord) => emails.get(l.userId) ?? '';
    const all = store.state.licenses.filter(keep).sort((a, b) => email(a).localeCompare(email(b)));
    const { page, nextPageToken } = paginate(all, query, 100, 1000);
    const items = page.map((l) => licenseResource(store, l));
    return ok(compact({ kind: 'licensing#licenseAssignmentList', etag: store.etag(items), items, nextPageToken }));
  };
  return [
    api('GET', `${PRODUCT}/sku/:skuId/user/:userId`, (req) => ok(licenseResource(store, find(req.params[0], req.params[1], req.params[2])))),
    api('POST', `${PRODUCT}/sku/:skuId/user`, (req) => {
      const userId = str(readJson(req).userId);
      if (!userId) throw fail.required('userId');
      return ok(licenseResource(store, assignLicense(store, req.params[0], req.params[1], userId)));
    }),
    api('DELETE', `${PRODUCT}/sku/:skuId/user/:userId`, (req) => {
      const license = find(req.params[0], req.params[1], req.params[2]);
      // While automatic licensing of the product covers the user's org unit (set there or inherited), Google refuses to
      // take the license away: GAM-team/GAM issue #1176, "ERROR: 412: Auto License un-assignment is not allowed. -
      // conditionNotMet", fixed by moving the user out of the auto-assigning org unit or turning it off there.
      const user = requireLicensee(store, req.params[2]);
      if (autoLicensingFor(store, license.productId, user.orgUnitPath)) throw fail.conditionNotMet('Auto License un-assignment is not allowed.');
      store.state.licenses = store.state.licenses.filter((l) => l !== license);
      releaseUnlicensedFromHolds(store, user.id);
      return ok({});
    }),
    api('PATCH', `${PRODUCT}/sku/:skuId/user/:userId`, (req) => reassign(req.params[0], req.params[1], req.params[2], readJson(req))),
    api('PUT', `${PRODUCT}/sku/:skuId/user/:userId`, (req) => reassign(req.params[0], req.params[1], req.params[2], readJson(req))),
    api('GET', `${PRODUCT}/sku/:skuId/users`, (req) => {
      requireSku(store, req.params[0], req.params[1]);
      return list(req.query, (l) => l.productId === req.params[0] && l.skuId === req.params[1]);
    }),
    api('GET', `${PRODUCT}/users`, (req) => {
      if (!store.state.skus.some((s) => s.productId === req.params[0])) throw fail.badRequest('Invalid productId or skuId: SKU or product does not exist.');
      return list(req.query, (l) => l.productId === req.params[0]);
    }),
  ];
}

/**
 * What archiving or unarchiving a user does to its licenses (users.update with archived): the edition's license
 * becomes that edition's Archived User license, or back. Checked before anything changes, so a refused write changes
 * nothing. Google documents that archiving needs an Archived User license available (Admin help 9048232) but not the
 * words of its refusal: the 412 conditionNotMet answers below are License Manager's own for a missing seat and are
 * unconfirmed for users.update (docs/google-refusals.md).
 */
export function applyArchive(store: WorkspaceStore, user: UserRecord, archived: boolean): (() => void) | undefined {
  if (Boolean(user.archived) === archived) return undefined;
  if (archived) {
    const paid = store.state.licenses.find((l) => l.userId === user.id && l.productId === GOOGLE_WORKSPACE_PRODUCT_ID);
    const au = paid && ARCHIVED_USER_SKUS.find((s) => s.archives === paid.skuId);
    if (!paid || !au) throw fail.conditionNotMet('User does not have a license that can be archived');
    const sku = store.state.skus.find((s) => s.productId === ARCHIVED_USER_PRODUCT_ID && s.skuId === au.skuId);
    if (!sku || seatsUsed(store, sku) >= sku.seats) throw fail.conditionNotMet(`There aren't enough available licenses for the specified product-SKU pair: ${ARCHIVED_USER_PRODUCT_ID}/${au.skuId}`);
    return () => {
      paid.productId = ARCHIVED_USER_PRODUCT_ID;
      paid.skuId = au.skuId;
    };
  }
  const held = store.state.licenses.find((l) => l.userId === user.id && l.productId === ARCHIVED_USER_PRODUCT_ID);
  const au = held && ARCHIVED_USER_SKUS.find((s) => s.skuId === held.skuId);
  if (!held || !au) return undefined;
  const sku = store.state.skus.find((s) => s.productId === GOOGLE_WORKSPACE_PRODUCT_ID && s.skuId === au.archives);
  if (!sku || seatsUsed(store, sku) >= sku.seats) throw fail.conditionNotMet(`There aren't enough available licenses for the specified product-SKU pair: ${GOOGLE_WORKSPACE_PRODUCT_ID}/${au.archives}`);
  return () => {
    held.productId = GOOGLE_WORKSPACE_PRODUCT_ID;
    held.skuId = au.archives;
  };
}
