/**
 * The mover's new Front teams and inboxes: those the new role adds, each only where it is not so already, read back.
 * What it added is recorded (result.added). Those only the old role named go in a step of their own after the grace
 * period (front.removeAccess), which holds a protected teammate and has its restore.
 */
import * as z from '../../shared/zod';
import { defineAction } from '../define-action';
import { ProviderError } from '../../providers/provider-error';
import { frontReferences } from '../../providers/front/front-references';
import { applyAccess, checkedFront, frontAccount, frontAccountOf, frontCall, frontFor, namesOf, namesParam, recorded, teammateOf } from './front-account';

export const updateFrontTeammate = defineAction({
  name: 'front.updateTeammate',
  account: frontAccount(),
  params: z
    .strictObject({
      addTeams: z.optional(namesParam),
      addInboxes: z.optional(namesParam),
    })
    .check(z.refine((p) => Boolean(p.addTeams?.length || p.addInboxes?.length), { message: 'name at least one of addTeams, addInboxes (a removal is front.removeAccess)' })),
  async run(ctx, params, request, checked) {
    const read = checkedFront(checked);
    if (!read) throw new ProviderError(`employee ${request.employee.id} has no Front teammate to give teams or inboxes to: the joiner's front.provisionTeammate makes it`, false);
    const { core } = frontFor(ctx, request);
    return frontCall(async () => {
      const teammate = read.teammate ?? (await teammateOf(core, read.user));
      if (!teammate) throw new ProviderError(`Front has no teammate at ${read.user.userName} for SCIM user ${read.user.id}`, true);
      const refs = frontReferences(core);
      const add = { teams: recorded(await refs.teams(params.addTeams ?? [])), inboxes: recorded(await refs.inboxes(params.addInboxes ?? [])) };
      const added = await applyAccess(core, teammate.id, add, true);
      const parts = [...(added.teams.length ? [`added to ${namesOf(added.teams).join(', ')}`] : []), ...(added.inboxes.length ? [`given inbox ${namesOf(added.inboxes).join(', ')}`] : [])];
      return {
        ok: true as const,
        note: parts.length ? `Front teammate ${read.user.userName} (${teammate.id}): ${parts.join('; ')}` : `Front teammate ${read.user.userName} (${teammate.id}) already as the role says`,
        result: { added: { teams: added.teams, inboxes: added.inboxes } },
        account: frontAccountOf({ user: read.user, teammate }, checked?.account.boundBy ?? 'binding'),
      };
    });
  },
});
