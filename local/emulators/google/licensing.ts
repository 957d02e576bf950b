/** Enterprise License Manager: per-SKU seat counts, assign/get/reassign/revoke/list, with the 412 preconditions Google sends. */
import type { EmulatorRoute } from '../server';
import { fail, GoogleApiError } from './errors';
import { api, compact, ok, paginate, readJson, str } from './http';
import type { LicenseRecord, SkuRecord, UserRecord, WorkspaceStore } from './state';

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

/** Workspace's automatic licensing: a new user takes a free seat of the configured SKU, silently skipped when none is free. */
export function autoAssignLicense(store: WorkspaceStore, user: UserRecord): void {
  const auto = store.state.settings.autoLicense;
  if (!auto) return;
  try {
    assignLicense(store, auto.productId, auto.skuId, user.id);
  } catch (err) {
    if (!(err instanceof GoogleApiError)) throw err;
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
    // License Manager takes the customer id or the primary domain.
    if (![store.state.customerId, store.state.domain, 'my_customer'].includes(customerId)) throw fail.forbidden();
    const email = (l: LicenseRecord) => store.state.users.find((u) => u.id === l.userId)?.primaryEmail ?? '';
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
      store.state.licenses = store.state.licenses.filter((l) => l !== license);
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
