/** Directory API organizational units: get, list, insert; a user's orgUnitPath must name one of these. */
import type { EmulatorRoute } from '../server';
import { fail } from './errors';
import { api, compact, ok, readJson, str } from './http';
import type { OrgUnitRecord, WorkspaceStore } from './state';

const ORGUNITS = '/admin/directory/v1/customer/:customerId/orgunits';

function orgUnitResource(store: WorkspaceStore, o: OrgUnitRecord) {
  const parent = o.parentPath ? store.findOrgUnit(o.parentPath) : undefined;
  const body = compact({
    kind: 'admin#directory#orgUnit',
    name: o.name,
    description: o.description,
    orgUnitPath: o.path,
    orgUnitId: o.id,
    parentOrgUnitPath: parent?.path,
    parentOrgUnitId: parent?.id,
    blockInheritance: false,
  });
  return { ...body, etag: store.etag(body) };
}

/** Creates an org unit under an existing parent; shared by orgunits.insert and the seed helpers. */
export function insertOrgUnit(store: WorkspaceStore, name: string, parentPath: string, description?: string): OrgUnitRecord {
  const parent = store.findOrgUnit(parentPath);
  if (!parent) throw fail.invalid('Invalid Parent Orgunit Id');
  if (!name.trim() || name.includes('/')) throw fail.invalid('Invalid Ou Name');
  const path = parent.path === '/' ? `/${name}` : `${parent.path}/${name}`;
  if (store.findOrgUnit(path)) throw fail.duplicate();
  const ou: OrgUnitRecord = { id: `id:03ph8a2z${store.next().toString(36).padStart(7, '0')}`, path, name, description, parentPath: parent.path };
  store.state.orgUnits.push(ou);
  return ou;
}

export function orgUnitRoutes(store: WorkspaceStore): EmulatorRoute[] {
  return [
    api('GET', ORGUNITS, (req) => {
      store.requireCustomer(req.params[0]);
      const from = store.findOrgUnit(req.query.get('orgUnitPath') ?? '/');
      if (!from) throw fail.orgUnitNotFound();
      const type = req.query.get('type') ?? 'children';
      if (!['all', 'children', 'allIncludingParent'].includes(type)) throw fail.invalid(`Invalid value for type: ${type}`);
      const below = (o: OrgUnitRecord) => o.path !== from.path && (from.path === '/' || o.path.startsWith(`${from.path}/`));
      const units = store.state.orgUnits.filter((o) =>
        type === 'children' ? o.parentPath === from.path : below(o) || (type === 'allIncludingParent' && o.path === from.path),
      );
      const organizationUnits = units.map((o) => orgUnitResource(store, o));
      return ok(compact({ kind: 'admin#directory#orgUnits', etag: store.etag(organizationUnits), organizationUnits }));
    }),
    api('GET', `${ORGUNITS}/*orgUnitPath`, (req) => {
      store.requireCustomer(req.params[0]);
      const ou = store.findOrgUnit(req.params[1]);
      // The root cannot be addressed by path: Google wants its id.
      if (!ou || (ou.path === '/' && !req.params[1].startsWith('id:'))) throw fail.orgUnitNotFound();
      return ok(orgUnitResource(store, ou));
    }),
    api('POST', ORGUNITS, (req) => {
      store.requireCustomer(req.params[0]);
      const body = readJson(req);
      const parentId = str(body.parentOrgUnitId);
      const parentPath = parentId ? store.findOrgUnit(parentId)?.path : (str(body.parentOrgUnitPath) ?? '/');
      if (!parentPath) throw fail.invalid('Invalid Parent Orgunit Id');
      const name = str(body.name);
      if (!name) throw fail.invalid('Invalid Ou Name');
      return ok(orgUnitResource(store, insertOrgUnit(store, name, parentPath, str(body.description))));
    }),
  ];
}
