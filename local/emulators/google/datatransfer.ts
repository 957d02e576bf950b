/** Data Transfer API: applications, and transfers that complete after a delay and really move the old owner's Drive files and the events Google moves. */
import type { EmulatorRoute } from '../server';
import { CALENDAR_APPLICATION_ID, DRIVE_AND_DOCS_APPLICATION_ID, TRANSFER_APPLICATIONS, type TransferApplication } from './catalog';
import { fail } from './errors';
import { whyCalendarEventStays } from './calendar';
import { api, compact, isJson, ok, paginate, readJson, str, type Json } from './http';
import type { TransferRecord, TransferStatus, WorkspaceStore } from './state';

const BASE = '/admin/datatransfer/v1';

function applicationResource(store: WorkspaceStore, a: TransferApplication) {
  const body = compact({ kind: 'admin#datatransfer#ApplicationResource', id: a.id, name: a.name, transferParams: a.transferParams });
  return { ...body, etag: store.etag(body) };
}

/** Per-application status follows the overall one; a transfer still 'new' has its applications 'pending'. */
const applicationStatus = (s: TransferStatus) => (s === 'new' ? 'pending' : s);

function transferResource(store: WorkspaceStore, t: TransferRecord) {
  const body = {
    kind: 'admin#datatransfer#DataTransfer',
    id: t.id,
    oldOwnerUserId: t.oldOwnerUserId,
    newOwnerUserId: t.newOwnerUserId,
    applicationDataTransfers: t.applications.map((a) =>
      compact({ applicationId: a.applicationId, applicationTransferParams: a.params, applicationTransferStatus: applicationStatus(t.status) }),
    ),
    overallTransferStatusCode: t.status,
    requestTime: t.requestTime,
  };
  return { ...body, etag: store.etag(body) };
}

/**
 * Moves what the transfer names: Drive files by PRIVACY_LEVEL (SHARED only when absent, as in Google), and the Calendar
 * events Google moves: only future, non-private events with at least one guest or resource, on the old owner's primary
 * calendar ("You can only transfer events that are in the future, non-private, include at least one guest or resource,
 * and are in the source user's primary calendar": developers.google.com/workspace/admin/data-transfer/v1/parameters).
 */
function moveData(store: WorkspaceStore, t: TransferRecord): void {
  const from = store.state.users.find((u) => u.id === t.oldOwnerUserId);
  const to = store.state.users.find((u) => u.id === t.newOwnerUserId);
  if (!from || !to) {
    t.status = 'failed';
    return;
  }
  const moved = { driveFiles: 0, privateDriveFiles: 0, calendarEvents: 0 };
  if (!store.state.settings.transferMovesNothing) {
    for (const app of t.applications) {
      if (app.applicationId === DRIVE_AND_DOCS_APPLICATION_ID) {
        const levels = app.params.find((p) => p.key === 'PRIVACY_LEVEL')?.value ?? ['SHARED'];
        for (const file of store.state.files) {
          if (file.ownerId !== from.id || !levels.includes(file.shared ? 'SHARED' : 'PRIVATE')) continue;
          file.ownerId = to.id;
          if (file.shared) moved.driveFiles += 1;
          else moved.privateDriveFiles += 1;
        }
      }
      if (app.applicationId === CALENDAR_APPLICATION_ID) {
        // "If this field isn't specified in the request, resources are not released": the rooms stay booked.
        const release = app.params.some((p) => p.key === 'RELEASE_RESOURCES' && p.value.includes('TRUE'));
        const left = { past: 0, private: 0, solo: 0, secondary: 0 };
        for (const event of store.state.events) {
          if (event.organizerId !== from.id) continue;
          const stays = whyCalendarEventStays(event, store.now());
          if (stays) left[stays] += 1;
          else {
            event.organizerId = to.id;
            if (release) event.resources = 0;
            moved.calendarEvents += 1;
          }
        }
        t.calendarLeft = left;
      }
    }
  }
  t.moved = moved;
  t.status = 'completed';
}

/**
 * Brings every transfer up to the clock: in progress after half the delay, completed (data moved) after all of it.
 * Driven by requests and reads rather than timers, so nothing runs between tests and a saved state resumes where it was.
 * Returns whether anything changed, so the caller knows to save.
 */
export function settleTransfers(store: WorkspaceStore): boolean {
  const now = store.now();
  let changed = false;
  for (const t of store.state.transfers) {
    if (t.status === 'completed' || t.status === 'failed') continue;
    const started = Date.parse(t.requestTime);
    if (now >= t.completesAt) {
      moveData(store, t);
      changed = true;
    } else if (t.status === 'new' && now >= started + (t.completesAt - started) / 2) {
      t.status = 'inProgress';
      changed = true;
    }
  }
  return changed;
}

function insertTransfer(store: WorkspaceStore, body: Json): TransferRecord {
  // The API takes user ids only; an email here is the classic mistake, and Google refuses it.
  const oldOwner = str(body.oldOwnerUserId);
  const newOwner = str(body.newOwnerUserId);
  if (!oldOwner || !store.state.users.some((u) => u.id === oldOwner)) throw fail.invalid('Invalid Input: oldOwnerUserId');
  if (!newOwner || !store.state.users.some((u) => u.id === newOwner)) throw fail.invalid('Invalid Input: newOwnerUserId');
  if (oldOwner === newOwner) throw fail.invalid('Invalid Input: newOwnerUserId');
  const apps = Array.isArray(body.applicationDataTransfers) ? body.applicationDataTransfers : [];
  if (!apps.length) throw fail.invalid('Invalid Input: applicationDataTransfers');
  const applications = apps.map((a) => {
    const id = isJson(a) ? String(a.applicationId ?? '') : '';
    if (!TRANSFER_APPLICATIONS.some((known) => known.id === id)) throw fail.invalid('Invalid Input: applicationId');
    const params = isJson(a) && Array.isArray(a.applicationTransferParams) ? a.applicationTransferParams : [];
    return {
      applicationId: id,
      params: params.filter(isJson).map((p) => ({ key: String(p.key ?? ''), value: Array.isArray(p.value) ? p.value.map(String) : [] })),
    };
  });
  const now = store.now();
  const transfer: TransferRecord = {
    id: `AKrEtIYG88pek5zy${store.next().toString(36).padStart(8, '0')}`,
    oldOwnerUserId: oldOwner,
    newOwnerUserId: newOwner,
    applications,
    status: 'new',
    requestTime: new Date(now).toISOString(),
    completesAt: now + store.state.settings.transferDelayMs,
  };
  store.state.transfers.push(transfer);
  return transfer;
}

export function transferRoutes(store: WorkspaceStore): EmulatorRoute[] {
  const requireApp = (id: string) => {
    const app = TRANSFER_APPLICATIONS.find((a) => a.id === id);
    if (!app) throw fail.notFound('applicationId');
    return app;
  };
  return [
    api('GET', `${BASE}/applications`, (req) => {
      const { page, nextPageToken } = paginate(TRANSFER_APPLICATIONS, req.query, 100, 500);
      const applications = page.map((a) => applicationResource(store, a));
      return ok(compact({ kind: 'admin#datatransfer#applicationsList', etag: store.etag(applications), applications, nextPageToken }));
    }),
    api('GET', `${BASE}/applications/:applicationId`, (req) => ok(applicationResource(store, requireApp(req.params[0])))),
    api('POST', `${BASE}/transfers`, (req) => ok(transferResource(store, insertTransfer(store, readJson(req))))),
    api('GET', `${BASE}/transfers`, (req) => {
      const q = req.query;
      const customerId = q.get('customerId');
      if (customerId) store.requireCustomer(customerId);
      const all = store.state.transfers.filter(
        (t) =>
          (!q.get('oldOwnerUserId') || t.oldOwnerUserId === q.get('oldOwnerUserId')) &&
          (!q.get('newOwnerUserId') || t.newOwnerUserId === q.get('newOwnerUserId')) &&
          (!q.get('status') || t.status === q.get('status')),
      );
      const { page, nextPageToken } = paginate(all, q, 100, 500);
      const dataTransfers = page.map((t) => transferResource(store, t));
      return ok(compact({ kind: 'admin#datatransfer#dataTransfersList', etag: store.etag(dataTransfers), dataTransfers, nextPageToken }));
    }),
    api('GET', `${BASE}/transfers/:dataTransferId`, (req) => {
      const transfer = store.state.transfers.find((t) => t.id === req.params[0]);
      if (!transfer) throw fail.notFound('dataTransferId');
      return ok(transferResource(store, transfer));
    }),
  ];
}
