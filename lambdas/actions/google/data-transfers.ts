/**
 * The Data Transfer API as the transfer steps use it: the applications' ids and the parameters that make each move
 * everything, and a transfer started or, when an earlier try's answer was lost, followed rather than started twice.
 */
import type { admin_datatransfer_v1 } from '@googleapis/admin/build/datatransfer_v1';
import type { GoogleClients } from '../../providers/google/google-clients';
import { google } from '../../providers/google/google-errors';
import { ProviderError } from '../../providers/provider-error';

export type DataTransfer = admin_datatransfer_v1.Schema$DataTransfer;

/**
 * What each application is called in applications.list (ids are looked up, not hard-coded), and the parameters
 * that make it move everything: Drive defaults to SHARED files only, which would leave private files behind. Calendar
 * keeps the rooms of the events it moves unless RELEASE_RESOURCES is TRUE ("If this field isn't specified in the
 * request, resources are not released": developers.google.com/workspace/admin/data-transfer/v1/parameters), and the
 * meetings go on under their new organizer, so the rooms are kept unless a step asks (`releaseRooms`).
 */
export const APPLICATIONS = {
  drive: { name: 'Drive and Docs', params: [{ key: 'PRIVACY_LEVEL', value: ['PRIVATE', 'SHARED'] }] },
  calendar: { name: 'Calendar', params: [] },
} as const satisfies Record<string, { name: string; params: readonly { key: string; value: readonly string[] }[] }>;
const RELEASE_ROOMS = { key: 'RELEASE_RESOURCES', value: ['TRUE'] } as const;
export type Application = keyof typeof APPLICATIONS;

/**
 * What a Data Transfer of Calendar moves, and what it leaves: "You can only transfer events that are in the future,
 * non-private, include at least one guest or resource, and are in the source user's primary calendar"
 * (developers.google.com/workspace/admin/data-transfer/v1/parameters, Calendar).
 */
export const CALENDAR_SCOPE = {
  moves: "future, non-private events with at least one guest or resource, on the leaver's primary calendar",
  stays: 'past events, private events, events with no guest or resource, and every other calendar of the leaver',
} as const;

/** Data Transfer wants the customer's immutable id; without one it takes the admin's own account, which the my_customer alias means. */
const customer = (g: GoogleClients) => (g.config.customerId === 'my_customer' ? {} : { customerId: g.config.customerId });

/** The applications' ids from applications.list, with the parameters each needs to move everything. */
async function applicationTransfers(g: GoogleClients, apps: readonly Application[], releaseRooms: boolean): Promise<admin_datatransfer_v1.Schema$ApplicationDataTransfer[]> {
  const known: admin_datatransfer_v1.Schema$Application[] = [];
  let pageToken: string | undefined;
  do {
    const page = await google('listing Data Transfer applications', () => g.dataTransfer.applications.list({ ...customer(g), pageToken }));
    known.push(...(page.data.applications ?? []));
    pageToken = page.data.nextPageToken ?? undefined;
  } while (pageToken);
  return apps.map((app) => {
    const { name } = APPLICATIONS[app];
    const params: readonly { key: string; value: readonly string[] }[] = [...APPLICATIONS[app].params, ...(app === 'calendar' && releaseRooms ? [RELEASE_ROOMS] : [])];
    const found = known.find((a) => a.name === name);
    if (!found?.id) throw new ProviderError(`Data Transfer offers no application named "${name}" (it lists: ${known.map((a) => a.name).join(', ')})`, false);
    return { applicationId: found.id, ...(params.length ? { applicationTransferParams: params.map((x) => ({ key: x.key, value: [...x.value] })) } : {}) };
  });
}

/**
 * A transfer of these applications from one user to another: one still running between the two with exactly these
 * applications (an earlier try whose answer was lost started it), or a new one.
 */
export async function startOrFollowTransfer(
  g: GoogleClients,
  from: { id: string; email: string },
  to: { id: string; email: string },
  apps: readonly Application[],
  { releaseRooms = false }: { releaseRooms?: boolean } = {},
): Promise<DataTransfer> {
  const wanted = await applicationTransfers(g, apps, releaseRooms);
  const running = await google(`listing data transfers of ${from.email}`, () =>
    g.dataTransfer.transfers.list({ ...customer(g), oldOwnerUserId: from.id, newOwnerUserId: to.id }),
  );
  const ids = (t: DataTransfer) => (t.applicationDataTransfers ?? []).map((a) => a.applicationId).sort().join(',');
  const same = (running.data.dataTransfers ?? []).find(
    (t) => (t.overallTransferStatusCode === 'new' || t.overallTransferStatusCode === 'inProgress') && ids(t) === ids({ applicationDataTransfers: wanted }),
  );
  if (same) return same;
  const started = await google(`starting the data transfer of ${from.email} to ${to.email}`, () =>
    g.dataTransfer.transfers.insert({ requestBody: { oldOwnerUserId: from.id, newOwnerUserId: to.id, applicationDataTransfers: wanted } }),
  );
  return started.data;
}

/**
 * The latest transfer from this user that moved the application and completed, started at or after `since`: what an
 * earlier attempt whose answer was lost did.
 */
export async function completedTransferSince(g: GoogleClients, from: { id: string; email: string }, app: Application, since: Date): Promise<DataTransfer | undefined> {
  const [wanted] = await applicationTransfers(g, [app], false);
  const listed = await google(`listing data transfers of ${from.email}`, () => g.dataTransfer.transfers.list({ ...customer(g), oldOwnerUserId: from.id, status: 'completed' }));
  return (listed.data.dataTransfers ?? [])
    .filter((t) => t.overallTransferStatusCode === 'completed' && Date.parse(t.requestTime ?? '') >= since.getTime())
    .filter((t) => t.applicationDataTransfers?.some((a) => a.applicationId === wanted.applicationId))
    .sort((a, b) => Date.parse(b.requestTime ?? '') - Date.parse(a.requestTime ?? ''))[0];
}

/** A transfer read again by the id an earlier attempt recorded. */
export async function readTransfer(g: GoogleClients, transferId: string, email: string): Promise<DataTransfer> {
  return (await google(`reading data transfer ${transferId} of ${email}`, () => g.dataTransfer.transfers.get({ dataTransferId: transferId }))).data;
}

export interface TransferState {
  id: string;
  /** new or inProgress: look again later. */
  running: boolean;
  applications: { applicationId: string; status: string }[];
  /** The provider's answer in one line, for the step's record. */
  answer: string;
}

/**
 * Where a transfer stands. A failed transfer stays failed however often it is read: an operator must see why (a new
 * owner without a license, say); one reported completed with an application not completed did not take effect.
 */
export function transferState(t: DataTransfer, email: string, progress: Record<string, unknown>): TransferState {
  const id = t.id;
  if (!id) throw new ProviderError(`the data transfer of ${email} came back without an id`, true);
  const status = t.overallTransferStatusCode ?? 'unknown';
  const applications = (t.applicationDataTransfers ?? []).map((a) => ({ applicationId: a.applicationId ?? '', status: a.applicationTransferStatus ?? 'unknown' }));
  const answer = `transfer ${id}: ${status}; ${applications.map((a) => `${a.applicationId} ${a.status}`).join(', ')}`;
  if (status === 'new' || status === 'inProgress') return { id, running: true, applications, answer };
  if (status !== 'completed') throw new ProviderError(`data transfer ${id} of ${email} ended ${status}`, false, answer);
  const unfinished = applications.filter((a) => a.status !== 'completed');
  if (!applications.length || unfinished.length) {
    const detail = applications.length ? unfinished.map((a) => `${a.applicationId} is ${a.status}`).join(', ') : 'names no applications';
    throw new ProviderError(`data transfer ${id} of ${email} did not take effect: reported completed but ${detail}`, true, answer, progress);
  }
  return { id, running: false, applications, answer };
}
