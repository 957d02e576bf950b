/**
 * The mover's Front teams and inboxes: those the new role adds given now, those only the old role named taken away
 * (after the grace period, a step of its own), each only where it is not so already, and read back. What was taken
 * away is recorded (result.removed).
 */
import * as z from '../../shared/zod';
import { defineAction } from '../define-action';
import { ProviderError } from '../../providers/provider-error';
import { frontReferences } from '../../providers/front/front-references';
import { applyAccess, checkedFront, frontAccount, frontAccountOf, frontCall, frontFor, namesOf, namesParam, recorded, teammateOf, type Recorded } from './front-account';

export const updateFrontTeammate = defineAction({
  name: 'front.updateTeammate',
  account: frontAccount(),
  params: z
    .strictObject({
      addTeams: z.optional(namesParam),
      addInboxes: z.optional(namesParam),
      removeTeams: z.optional(namesParam),
      removeInboxes: z.optional(namesParam),
    })
    .check(z.refine((p) => Boolean(p.addTeams?.length || p.addInboxes?.length || p.removeTeams?.length || p.removeInboxes?.length), { message: 'name at least one of addTeams, addInboxes, removeTeams, removeInboxes' })),
  async run(ctx, params, request, checked) {
    const adding = Boolean(params.addTeams?.length || params.addInboxes?.length);
    const read = checkedFront(checked);
    if (!read) {
      if (adding) throw new ProviderError(`employee ${request.employee.id} has no Front teammate to give teams or inboxes to: the joiner's front.provisionTeammate makes it`, false);
      return { ok: true, note: `no Front teammate bound to employee ${request.employee.id} or at their address: nothing to take away`, result: { removed: null } };
    }
    const { core } = frontFor(ctx, request);
    return frontCall(async () => {
      const teammate = read.teammate ?? (await teammateOf(core, read.user));
      if (!teammate) throw new ProviderError(`Front has no teammate at ${read.user.userName} for SCIM user ${read.user.id}`, adding);
      const refs = frontReferences(core);
      // A name gone from Front since the old role named it: nothing of it left to take away.
      const lenient = async (names: readonly string[] | undefined, kind: 'teams' | 'inboxes') => {
        const found: Recorded[] = [];
        const gone: string[] = [];
        for (const name of names ?? []) {
          try {
            found.push(...recorded(await refs[kind]([name])));
          } catch (err) {
            if (err instanceof ProviderError && !err.retryable) gone.push(name);
            else throw err;
          }
        }
        return { found, gone };
      };
      const add = { teams: recorded(await refs.teams(params.addTeams ?? [])), inboxes: recorded(await refs.inboxes(params.addInboxes ?? [])) };
      const removeTeams = await lenient(params.removeTeams, 'teams');
      const removeInboxes = await lenient(params.removeInboxes, 'inboxes');
      const added = await applyAccess(core, teammate.id, add, true);
      const removed = await applyAccess(core, teammate.id, { teams: removeTeams.found, inboxes: removeInboxes.found }, false);
      const parts = [
        ...(added.teams.length ? [`added to ${namesOf(added.teams).join(', ')}`] : []),
        ...(added.inboxes.length ? [`given inbox ${namesOf(added.inboxes).join(', ')}`] : []),
        ...(removed.teams.length ? [`taken out of ${namesOf(removed.teams).join(', ')}`] : []),
        ...(removed.inboxes.length ? [`inbox ${namesOf(removed.inboxes).join(', ')} taken away`] : []),
        ...([...removeTeams.gone, ...removeInboxes.gone].length ? [`${[...removeTeams.gone, ...removeInboxes.gone].join(', ')} no longer in Front`] : []),
      ];
      return {
        ok: true as const,
        note: parts.length ? `Front teammate ${read.user.userName} (${teammate.id}): ${parts.join('; ')}` : `Front teammate ${read.user.userName} (${teammate.id}) already as the role says`,
        result: { added: { teams: added.teams, inboxes: added.inboxes }, removed: removed.teams.length || removed.inboxes.length ? { teammateId: teammate.id, teams: removed.teams, inboxes: removed.inboxes } : null },
        account: frontAccountOf({ user: read.user, teammate }, checked?.account.boundBy ?? 'binding'),
      };
    });
  },
});
