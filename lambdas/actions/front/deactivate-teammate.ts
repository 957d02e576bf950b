/**
 * The leaver's Front teammate: a snapshot first (whether it was active, its teams, its shared inboxes), then taken out
 * of every team and shared inbox through the Core API and deactivated through SCIM (`active: false`: Front blocks the
 * teammate; its conversations stay where they are). Read back. The snapshot is recorded for front.restoreTeammate and
 * kept across retries.
 *
 * Its cost grows with the company's teams: Front lists a team's members on the team and has no list of a teammate's
 * teams, so the snapshot reads each team once. The teams the snapshot has just read are not read again before the
 * change, the inboxes are one `GET /teammates/{id}/inboxes`, and a retry rechecks only the snapshot's teams. The step
 * stops before its function's timeout with a retryable error carrying what it has read (the teams scanned so far, or the
 * snapshot), so the next try carries on and the restore puts back everything the teammate had.
 */
import * as z from '../../shared/zod';
import { defineAction } from '../define-action';
import { ProviderError } from '../../providers/provider-error';
import { FrontVerificationError } from '../../providers/front/front-references';
import { frontActionTimeoutMs, type FrontClient } from '../../providers/front/front-client';
import { applyAccess, checkedFront, frontAccount, frontCall, frontFor, frontSnapshotSchema, inTeam, namesParam, recordedSchema, teammateOf, type FrontSnapshot, type Recorded } from './front-account';

/** The teams read so far when a try stopped before its snapshot was whole. */
const scanSchema = z.object({ teammateId: z.string(), checked: z.array(z.string()), teams: z.array(recordedSchema) });
type Scan = z.infer<typeof scanSchema>;
const earlierProgress = z.object({ snapshot: z.optional(frontSnapshotSchema), scan: z.optional(scanSchema) });

/** How long one try works before it stops with its progress: two thirds of the function's timeout, the rest to answer. */
export const frontStepWorkMs = (timeoutMs: number = frontActionTimeoutMs()) => Math.round((timeoutMs * 2) / 3);

/** The teams whose members include the teammate, each team read once across tries (`scan` carries what was read). */
async function teamsOf(core: FrontClient, scan: Scan, timeUp: () => void): Promise<Recorded[]> {
  for (const t of await core.listTeams()) {
    if (scan.checked.includes(t.id)) continue;
    timeUp();
    if (await inTeam(core, t.id, scan.teammateId)) scan.teams.push({ id: t.id, name: t.name });
    scan.checked.push(t.id);
  }
  return scan.teams;
}

/** The shared inboxes the teammate has access to (an individual inbox is theirs, not a role's). */
const sharedInboxesOf = async (core: FrontClient, teammateId: string): Promise<Recorded[]> =>
  (await core.teammateInboxes(teammateId)).filter((i) => !i.is_private).map((i) => ({ id: i.id, name: i.name }));

export const deactivateFrontTeammate = defineAction({
  name: 'front.deactivateTeammate',
  account: frontAccount({ removes: true }),
  params: z.strictObject({
    /** What the role held granted in Front (for the record: every team and shared inbox goes, whatever it says). */
    granted: z.optional(z.object({ teams: z.optional(namesParam), inboxes: z.optional(namesParam), template: z.optional(z.string()) })),
  }),
  async run(ctx, _params, request, checked) {
    const read = checkedFront(checked);
    if (!read) return { ok: true, note: `no Front teammate bound to employee ${request.employee.id} or at their address: nothing to deactivate`, result: { removed: null } };
    const { core, scim } = frontFor(ctx, request);
    const stopAt = ctx.clock.now().getTime() + frontStepWorkMs();
    const earlier = earlierProgress.safeParse(request.progress);
    let snapshot: FrontSnapshot | undefined = earlier.success ? earlier.data.snapshot : undefined;
    let scan: Scan | undefined = earlier.success ? earlier.data.scan : undefined;
    const progress = () => (snapshot ? { snapshot } : scan ? { scan } : undefined);
    const { user } = read;
    const timeUp = (doing: string) => () => {
      if (ctx.clock.now().getTime() >= stopAt) throw new ProviderError(`Front teammate ${user.userName}: this try's time is up while ${doing}; the next try carries on from what it has done`, true, undefined, progress());
    };
    return frontCall(async () => {
      const teammate = read.teammate ?? (await teammateOf(core, user));
      const teammateId = teammate?.id ?? null;
      const retried = snapshot !== undefined;
      if (!snapshot) {
        if (scan?.teammateId !== teammateId) scan = teammateId ? { teammateId, checked: [], teams: [] } : undefined;
        const teams = scan ? await teamsOf(core, scan, timeUp('reading the teams')) : [];
        snapshot = {
          userId: user.id,
          teammateId,
          email: user.userName.toLowerCase(),
          active: user.active !== false,
          teams,
          inboxes: teammateId ? await sharedInboxesOf(core, teammateId) : [],
        };
        scan = undefined;
      }
      const where = `Front teammate ${snapshot.email} (${teammateId ?? user.id})`;
      // 1. Out of every team and shared inbox the snapshot has: just read (no read again before the change), or on a
      // retry each of the snapshot's rechecked (not every team of the company again).
      if (teammateId) await applyAccess(core, teammateId, { teams: snapshot.teams, inboxes: snapshot.inboxes }, false, { progress, known: !retried, beforeChange: timeUp('taking the teammate out of its teams and inboxes') });
      // 2. Deactivated through SCIM: Front blocks the teammate.
      const current = await scim.getUser(user.id);
      if (current && current.active !== false) await scim.updateUser(user.id, { active: false });

      // Read back: inactive and blocked (applyAccess read back each team and the inboxes it changed).
      const after = await scim.getUser(user.id);
      const tm = teammateId ? await core.teammate(teammateId) : undefined;
      const wrong = [...(after && after.active === false ? [] : ['still active in SCIM']), ...(tm && !tm.is_blocked ? ['not blocked'] : [])];
      if (wrong.length) throw new FrontVerificationError(`${where} after the leaver's step: ${wrong.join(', ')}`, progress());
      const nothingDone = !snapshot.active && snapshot.teams.length === 0 && snapshot.inboxes.length === 0;
      return {
        ok: true as const,
        accountState: 'suspended' as const,
        note: nothingDone
          ? `${where} already deactivated, in no team or shared inbox`
          : `deactivated ${where}${snapshot.teams.length ? `, taken out of team${snapshot.teams.length === 1 ? '' : 's'} ${snapshot.teams.map((t) => t.name).join(', ')}` : ''}${snapshot.inboxes.length ? `, inbox${snapshot.inboxes.length === 1 ? '' : 'es'} ${snapshot.inboxes.map((i) => i.name).join(', ')} taken away` : ''}`,
        result: { removed: snapshot },
      };
    }, progress);
  },
});
