/**
 * Undoes front.deactivateTeammate after a cancelled termination (or for a rehire): the teammate made active again
 * through SCIM (unless it was inactive before), put back in the teams and shared inboxes of the snapshot, read back.
 */
import * as z from '../../shared/zod';
import { defineAction } from '../define-action';
import { recordedAccountStillBound } from '../recorded-account';
import { FrontVerificationError } from '../../providers/front/front-references';
import { applyAccess, checkedFront, frontAccount, frontAccountOf, frontCall, frontFor, frontSnapshotSchema, goneNames, inboxIdsOf, inTeam, teammateOf } from './front-account';

export const restoreFrontTeammate = defineAction({
  name: 'front.restoreTeammate',
  account: frontAccount({ restores: true }),
  params: z.strictObject({
    /** front.deactivateTeammate's result: `removed` is null when there was no teammate to deactivate. */
    result: z.nullish(z.object({ removed: z.nullish(frontSnapshotSchema) })),
  }),
  async run(ctx, { result }, request, checked) {
    const snapshot = result?.removed;
    if (!snapshot) return { ok: true, note: 'nothing to restore: the run deactivated no Front teammate' };
    const read = recordedAccountStillBound(
      checkedFront(checked),
      (r) => r.user.id,
      { id: snapshot.userId, name: `Front teammate ${snapshot.email} (SCIM user ${snapshot.userId})`, kind: 'Front teammate', idLabel: 'SCIM user ', gone: "since the leaver's step", did: "the leaver's step deactivated" },
      request.employee.id,
    );
    const { core, scim } = frontFor(ctx, request);
    return frontCall(async () => {
      if (snapshot.active && read.user.active === false) await scim.updateUser(read.user.id, { active: true });
      const teammate = (snapshot.teammateId ? await core.teammate(snapshot.teammateId) : undefined) ?? (await teammateOf(core, read.user));
      const back = teammate ? await applyAccess(core, teammate.id, { teams: snapshot.teams, inboxes: snapshot.inboxes }, true) : { teams: [], inboxes: [], gone: [] };

      const after = await scim.getUser(read.user.id);
      const tm = teammate ? await core.teammate(teammate.id) : undefined;
      const wrong: string[] = [];
      if (!after) wrong.push('the SCIM user itself');
      else if ((after.active !== false) !== snapshot.active) wrong.push(snapshot.active ? 'still inactive' : 'active');
      if (tm && snapshot.active && tm.is_blocked) wrong.push('still blocked');
      // A team or inbox deleted since is known by its id (a new one may carry the old name).
      const gone = new Set(back.gone.map((g) => g.id));
      if (tm) {
        for (const t of snapshot.teams) if (!gone.has(t.id) && !(await inTeam(core, t.id, tm.id))) wrong.push(`not in team ${t.name}`);
        const has = snapshot.inboxes.some((i) => !gone.has(i.id)) ? await inboxIdsOf(core, tm.id) : new Set<string>();
        for (const i of snapshot.inboxes) if (!gone.has(i.id) && !has.has(i.id)) wrong.push(`no access to inbox ${i.name}`);
      }
      if (wrong.length || !after) throw new FrontVerificationError(`Front teammate ${snapshot.email} does not match its snapshot after the restore: ${wrong.join(', ')}`);
      const teams = snapshot.teams.filter((t) => !gone.has(t.id)).map((t) => t.name);
      const inboxes = snapshot.inboxes.filter((i) => !gone.has(i.id)).map((i) => i.name);
      return {
        ok: true as const,
        note: `restored Front teammate ${snapshot.email}: ${snapshot.active ? 'active again' : 'left inactive as it was before'}${teams.length ? `, back in team${teams.length === 1 ? '' : 's'} ${teams.join(', ')}` : ''}${inboxes.length ? `, inbox${inboxes.length === 1 ? '' : 'es'} ${inboxes.join(', ')} given back` : ''}${back.gone.length ? `; ${goneNames(back.gone).join(', ')} no longer in Front` : ''}`,
        result: { restored: { userId: after.id, teammateId: tm?.id ?? null, active: after.active !== false, teams, inboxes, ...(back.gone.length ? { gone: goneNames(back.gone) } : {}) } },
        account: frontAccountOf({ user: after, teammate: tm }, checked?.account.boundBy ?? 'binding'),
      };
    });
  },
});
