/**
 * The leaver's Front teammate: a snapshot first (whether it was active, its teams, its shared inboxes), then taken out
 * of every team and shared inbox through the Core API and deactivated through SCIM (`active: false`: Front blocks the
 * teammate; its conversations stay where they are). Read back. The snapshot is recorded for front.restoreTeammate and
 * kept across retries.
 */
import * as z from '../../shared/zod';
import { defineAction } from '../define-action';
import { FrontVerificationError } from '../../providers/front/front-references';
import type { FrontClient } from '../../providers/front/front-client';
import { applyAccess, checkedFront, frontAccount, frontCall, frontFor, frontSnapshotSchema, inTeam, namesParam, teammateOf, type FrontSnapshot, type Recorded } from './front-account';

const earlierProgress = z.object({ snapshot: frontSnapshotSchema });

/** The teams whose members include the teammate (Front lists a team's members on the team itself). */
async function teamsOf(core: FrontClient, teammateId: string): Promise<Recorded[]> {
  const out: Recorded[] = [];
  for (const t of await core.listTeams()) if (await inTeam(core, t.id, teammateId)) out.push({ id: t.id, name: t.name });
  return out;
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
    const earlier = earlierProgress.safeParse(request.progress);
    let snapshot: FrontSnapshot | undefined = earlier.success ? earlier.data.snapshot : undefined;
    const progress = () => (snapshot ? { snapshot } : undefined);
    const { user } = read;
    return frontCall(async () => {
      const teammate = read.teammate ?? (await teammateOf(core, user));
      const teammateId = teammate?.id ?? null;
      const retried = snapshot !== undefined;
      snapshot ??= {
        userId: user.id,
        teammateId,
        email: user.userName.toLowerCase(),
        active: user.active !== false,
        teams: teammateId ? await teamsOf(core, teammateId) : [],
        inboxes: teammateId ? await sharedInboxesOf(core, teammateId) : [],
      };
      const where = `Front teammate ${snapshot.email} (${teammateId ?? user.id})`;
      // 1. Out of every team and shared inbox: what the snapshot just read, or on a retry whatever they hold now.
      // Each team is read once per try: Front's budget is per company and small (50 a minute on Starter).
      const held = { teams: snapshot.teams, inboxes: snapshot.inboxes };
      if (teammateId && retried) {
        held.teams = await teamsOf(core, teammateId);
        held.inboxes = await sharedInboxesOf(core, teammateId);
      }
      if (teammateId) await applyAccess(core, teammateId, held, false, progress);
      // 2. Deactivated through SCIM: Front blocks the teammate.
      const current = await scim.getUser(user.id);
      if (current && current.active !== false) await scim.updateUser(user.id, { active: false });

      // Read back: inactive and blocked, in no team, no shared inbox.
      const after = await scim.getUser(user.id);
      const tm = teammateId ? await core.teammate(teammateId) : undefined;
      const wrong = [
        ...(after && after.active === false ? [] : ['still active in SCIM']),
        ...(tm && !tm.is_blocked ? ['not blocked'] : []),
        // applyAccess read back each team it changed; the inboxes are one read.
        ...(teammateId ? (await sharedInboxesOf(core, teammateId)).map((i) => `still in inbox ${i.name}`) : []),
      ];
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
