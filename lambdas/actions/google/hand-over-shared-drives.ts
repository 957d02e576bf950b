/**
 * Before the cut-off, makes the manager (or the stage's handover owner) a manager (Drive role `organizer`) of every
 * shared drive where the leaver is the only one, so no shared drive is left without a manager when the account goes.
 * As a domain admin (useDomainAdminAccess): drives with one organizer, then each one's members; read back.
 */
import type { drive_v3 } from '@googleapis/drive/build/v3';
import * as z from '../../shared/zod';
import { google, isGoogleNotFound } from '../../providers/google/google-errors';
import { ProviderError } from '../../providers/provider-error';
import { defineAction, provider } from '../define-action';
import { googleAddress, noAccount, notApplied } from './google-user';
import { checkedUser, googleAccount } from './google-account';
import { handoverTarget, leaverAddresses } from './handover-target';
import { everyPage } from '../../providers/google/every-page';

type Permission = drive_v3.Schema$Permission;

const handedSchema = z.object({ driveId: z.string(), name: z.string(), to: z.string(), previousRole: z.optional(z.string()) });
type Handed = z.infer<typeof handedSchema>;
/** What an earlier attempt handed over before it failed: those drives have two managers now, so no later search finds them. */
const earlierProgress = z.object({ handedOver: z.array(handedSchema) });

/** Every call is as a domain admin on shared drives: Drive looks in none without supportsAllDrives. */
const ADMIN = { useDomainAdminAccess: true, supportsAllDrives: true } as const;

function drivesWithOneManager(drive: drive_v3.Drive): Promise<drive_v3.Schema$Drive[]> {
  return everyPage(
    async (pageToken) => (await google('listing shared drives with one manager', () => drive.drives.list({ useDomainAdminAccess: true, q: 'organizerCount = 1', pageSize: 100, pageToken }))).data,
    (page) => page.drives,
  );
}

/** The drive's members, or undefined when it is gone (deleted since the search). */
async function membersOf(drive: drive_v3.Drive, driveId: string): Promise<Permission[] | undefined> {
  try {
    return await everyPage(
      async (pageToken) => (await drive.permissions.list({ fileId: driveId, ...ADMIN, pageSize: 100, pageToken, fields: 'nextPageToken, permissions(id, type, emailAddress, role)' })).data,
      (page) => page.permissions,
    );
  } catch (err) {
    if (isGoogleNotFound(err)) return undefined;
    return google(`listing the members of shared drive ${driveId}`, () => Promise.reject(err));
  }
}

const same = (a: string | null | undefined, b: string) => a?.toLowerCase() === b;

export const handOverSharedDrives = defineAction({
  name: 'google.handOverSharedDrives',
  account: googleAccount({ removes: true }),
  params: z.strictObject({}),
  async run(ctx, _params, request, checked) {
    const g = provider(ctx, 'google');
    const email = googleAddress(request);
    const leaver = await checkedUser(g, email, checked);
    if (!leaver) return noAccount(email, 'hand over');
    const drive = await g.driveAdmin();
    const earlier = earlierProgress.safeParse(request.progress);
    const handed: Handed[] = earlier.success ? [...earlier.data.handedOver] : [];
    // Only a drive the leaver alone manages: one with another manager is not left without one.
    // Drive names a member by the primary address; the event may name the account by an alias.
    const own = leaverAddresses(leaver, email);
    const sole: { candidate: drive_v3.Schema$Drive; members: Permission[] }[] = [];
    for (const candidate of await drivesWithOneManager(drive)) {
      const members = await membersOf(drive, candidate.id!);
      const managers = (members ?? []).filter((m) => m.role === 'organizer');
      if (members && managers.length === 1 && own.has(managers[0].emailAddress?.toLowerCase() ?? '')) sole.push({ candidate, members });
    }
    if (!sole.length && !handed.length) return { ok: true, note: `no shared drive has ${email} as its only manager`, result: { handedOver: [] } };
    const target = await handoverTarget(ctx, g, request, leaver);
    try {
      for (const { candidate, members } of sole) {
        const driveId = candidate.id!;
        const existing = members.find((m) => same(m.emailAddress, target.address));
        const doing = `making ${target.address} a manager of shared drive ${driveId}`;
        if (existing?.id) {
          await google(doing, () => drive.permissions.update({ fileId: driveId, permissionId: existing.id!, ...ADMIN, requestBody: { role: 'organizer' } }));
        } else {
          await google(doing, () => drive.permissions.create({ fileId: driveId, ...ADMIN, sendNotificationEmail: false, requestBody: { type: 'user', role: 'organizer', emailAddress: target.address } }));
        }
        handed.push({ driveId, name: candidate.name ?? driveId, to: target.address, ...(existing?.role ? { previousRole: existing.role } : {}) });
      }
      // Read back: the new manager is a manager of each drive handed over (this attempt's and earlier ones').
      for (const h of handed) {
        const members = await membersOf(drive, h.driveId);
        if (members && !members.some((m) => same(m.emailAddress, h.to) && m.role === 'organizer')) {
          throw notApplied(`making ${h.to} a manager of shared drive ${h.driveId}`, `${h.to} is not among its managers`);
        }
      }
    } catch (err) {
      if (err instanceof ProviderError && handed.length) throw new ProviderError(err.message, err.retryable, err.providerAnswer, { handedOver: handed });
      throw err;
    }
    const whom = `${target.address} (${target.as === 'manager' ? 'the manager' : "the stage's handover owner"})`;
    return {
      ok: true,
      note: handed.length
        ? `${whom} now manages ${handed.length} shared drive(s) ${email} alone managed: ${handed.map((h) => h.name).join(', ')}`
        : `no shared drive has ${email} as its only manager`,
      result: { handedOver: handed, to: target.address, as: target.as },
    };
  },
});
