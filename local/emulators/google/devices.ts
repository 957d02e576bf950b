/** Directory API mobile devices: list (with query), get, delete, and the wipe/approve/block actions that change a device's status. */
import type { EmulatorRoute } from '../server';
import { fail } from './errors';
import { api, compact, noContent, ok, paginate, readJson, str } from './http';
import type { DeviceRecord, WorkspaceStore } from './state';

const DEVICES = '/admin/directory/v1/customer/:customerId/devices/mobile';

/** What each mobiledevices.action does to the device's status. */
export const DEVICE_ACTIONS: Record<string, string> = {
  admin_remote_wipe: 'WIPING',
  admin_account_wipe: 'ACCOUNT_WIPING',
  approve: 'APPROVED',
  block: 'BLOCKED',
  cancel_remote_wipe_then_activate: 'APPROVED',
  cancel_remote_wipe_then_block: 'BLOCKED',
};

function deviceResource(store: WorkspaceStore, d: DeviceRecord) {
  const body = {
    kind: 'admin#directory#mobiledevice',
    resourceId: d.resourceId,
    deviceId: d.deviceId,
    email: d.emails,
    name: d.names,
    model: d.model,
    os: d.os,
    type: d.type,
    status: d.status,
    firstSync: d.firstSync,
    lastSync: d.lastSync,
  };
  return { ...body, etag: store.etag(body) };
}

/** The mobile devices query: `field:value` clauses (email, name, model, os, type, status), a trailing * for a prefix. */
function matches(d: DeviceRecord, query: string): boolean {
  return query
    .split(/\s+/)
    .filter(Boolean)
    .every((clause) => {
      const [field, raw] = clause.includes(':') ? [clause.slice(0, clause.indexOf(':')), clause.slice(clause.indexOf(':') + 1)] : ['', clause];
      const value = raw.replace(/^['"]|['"]$/g, '').toLowerCase();
      const test = (x: string) => (value.endsWith('*') ? x.toLowerCase().startsWith(value.slice(0, -1)) : x.toLowerCase() === value);
      const fields: Record<string, string[]> = { email: d.emails, name: d.names, model: [d.model], os: [d.os], type: [d.type], status: [d.status] };
      if (field === '') return [...d.emails, ...d.names, d.model].some((x) => x.toLowerCase().includes(value));
      const values = fields[field];
      if (!values) throw fail.invalid('Invalid Input: query');
      return values.some(test);
    });
}

export function deviceRoutes(store: WorkspaceStore): EmulatorRoute[] {
  const requireDevice = (customerId: string, resourceId: string) => {
    store.requireCustomer(customerId);
    const device = store.state.devices.find((d) => d.resourceId === resourceId);
    if (!device) throw fail.notFound('resourceId');
    return device;
  };
  return [
    api('GET', DEVICES, (req) => {
      store.requireCustomer(req.params[0]);
      const all = store.state.devices.filter((d) => matches(d, req.query.get('query') ?? ''));
      const { page, nextPageToken } = paginate(all, req.query, 100, 100);
      const mobiledevices = page.map((d) => deviceResource(store, d));
      return ok(compact({ kind: 'admin#directory#mobiledevices', etag: store.etag(mobiledevices), mobiledevices, nextPageToken }));
    }),
    api('GET', `${DEVICES}/:resourceId`, (req) => ok(deviceResource(store, requireDevice(req.params[0], req.params[1])))),
    api('DELETE', `${DEVICES}/:resourceId`, (req) => {
      const device = requireDevice(req.params[0], req.params[1]);
      store.state.devices = store.state.devices.filter((d) => d !== device);
      return noContent();
    }),
    api('POST', `${DEVICES}/:resourceId/action`, (req) => {
      const device = requireDevice(req.params[0], req.params[1]);
      const action = str(readJson(req).action) ?? '';
      const status = DEVICE_ACTIONS[action];
      if (!status) throw fail.invalid('Invalid Input: action');
      device.status = status;
      return noContent();
    }),
  ];
}
