/** Directory API customers.get: the tenant's own customer resource, by its id or the my_customer alias. */
import type { EmulatorRoute } from '../server';
import { api, compact, ok } from './http';
import type { WorkspaceStore } from './state';

export const CUSTOMERS = '/admin/directory/v1/customers/:customerKey';

/** The emulated tenant was not created at a known moment; Google reports its sign-up time here. */
const CUSTOMER_CREATION_TIME = '2015-01-01T00:00:00.000Z';

/** The customer resource as customers.get returns it (developers.google.com/admin-sdk/directory/reference/rest/v1/customers). */
function customerResource(store: WorkspaceStore) {
  const body = compact({
    kind: 'admin#directory#customer',
    id: store.state.customerId,
    customerDomain: store.state.domain,
    language: 'en',
    customerCreationTime: CUSTOMER_CREATION_TIME,
  });
  return { ...body, etag: store.etag(body) };
}

export function customerRoutes(store: WorkspaceStore): EmulatorRoute[] {
  return [
    api('GET', CUSTOMERS, (req) => {
      store.requireCustomer(req.params[0]);
      return ok(customerResource(store));
    }),
  ];
}
