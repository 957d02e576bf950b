/**
 * A mover's Front teams and shared inboxes only the old role named, taken away after the grace period, each only where
 * the teammate has it, and read back. Held on a protected teammate (a Front admin) until an operator confirms, as the
 * leaver's step is. What it took away is recorded (result.removed) for front.restoreAccess on a cancel. A name Front
 * no longer lists (after a list Front answered) is named as gone; a failed read of the lists fails the step.
 */
import * as z from '../../shared/zod';
import { defineAction } from '../define-action';
import { frontReferences } from '../../providers/front/front-references';
import { applyAccess, checkedFront, frontAccount, frontAccountOf, frontCall, frontFor, goneNames, namesOf, namesParam, recorded, recordedSchema, teammateOf } from './front-account';

/** What a removal took away: what front.restoreAccess puts back, and nothing else. */
export const frontRemovedAccessSchema = z.object({ teammateId: z.string(), email: z.optional(z.string()), teams: z.array(recordedSchema), inboxes: z.array(recordedSchema) });

export const removeFrontAccess = defineAction({
  name: 'front.removeAccess',
  account: frontAccount({ removes: true }),
  params: z
    .strictObject({
      teams: z.optional(namesParam),
      inboxes: z.optional(namesParam),
    })
    .check(z.refine((p) => Boolean(p.teams?.length || p.inboxes?.length), { message: 'name at least one of teams, inboxes' })),
  async run(ctx, params, request, checked) {
    const read = checkedFront(checked);
    if (!read) return { ok: true, note: `no Front teammate bound to employee ${request.employee.id} or at their address: nothing to take away`, result: { removed: null } };
    const { core } = frontFor(ctx, request);
    return frontCall(async () => {
      const teammate = read.teammate ?? (await teammateOf(core, read.user));
      if (!teammate) return { ok: true as const, note: `Front has no teammate at ${read.user.userName} for SCIM user ${read.user.id}: nothing to take away`, result: { removed: null } };
      const refs = frontReferences(core);
      const teams = await refs.findTeams(params.teams ?? []);
      const inboxes = await refs.findInboxes(params.inboxes ?? []);
      const removed = await applyAccess(core, teammate.id, { teams: recorded(teams.found), inboxes: recorded(inboxes.found) }, false);
      const gone = [...teams.gone.map((n) => `team ${n}`), ...inboxes.gone.map((n) => `inbox ${n}`), ...goneNames(removed.gone)];
      const parts = [
        ...(removed.teams.length ? [`taken out of ${namesOf(removed.teams).join(', ')}`] : []),
        ...(removed.inboxes.length ? [`inbox ${namesOf(removed.inboxes).join(', ')} taken away`] : []),
        ...(gone.length ? [`${gone.join(', ')} no longer in Front`] : []),
      ];
      const where = `Front teammate ${read.user.userName} (${teammate.id})`;
      return {
        ok: true as const,
        note: removed.teams.length || removed.inboxes.length ? `${where}: ${parts.join('; ')}` : `${where} already out of ${[...(params.teams ?? []), ...(params.inboxes ?? [])].join(', ')}${gone.length ? `; ${gone.join(', ')} no longer in Front` : ''}`,
        result: { removed: removed.teams.length || removed.inboxes.length ? { teammateId: teammate.id, email: read.user.userName.toLowerCase(), teams: removed.teams, inboxes: removed.inboxes } : null },
        account: frontAccountOf({ user: read.user, teammate }, checked?.account.boundBy ?? 'binding'),
      };
    });
  },
});
