/**
 * Undoes a mover's front.removeAccess when its run is cancelled: the teammate put back in exactly the teams and shared
 * inboxes the step recorded it took away (result.removed), each only where it is not back already, read back. A team or
 * inbox deleted since (Front answers 404 on its id) is named.
 */
import * as z from '../../shared/zod';
import { defineAction } from '../define-action';
import { ProviderError } from '../../providers/provider-error';
import { applyAccess, checkedFront, frontAccount, frontCall, frontFor, goneNames, namesOf } from './front-account';
import { frontRemovedAccessSchema } from './remove-access';

export const restoreFrontAccess = defineAction({
  name: 'front.restoreAccess',
  account: frontAccount({ restores: true }),
  params: z.strictObject({
    /** front.removeAccess's result: `removed` is null when it took nothing away. */
    result: z.nullish(z.object({ removed: z.nullish(frontRemovedAccessSchema) })),
  }),
  async run(ctx, { result }, request, checked) {
    const removed = result?.removed;
    if (!removed || (removed.teams.length === 0 && removed.inboxes.length === 0)) return { ok: true, note: "nothing to restore: the mover's step took no Front team or inbox away" };
    const read = checkedFront(checked);
    if (!read) throw new ProviderError(`Front teammate ${removed.email ?? removed.teammateId} is gone since the mover's step: nothing can be restored on it`, false);
    const { core } = frontFor(ctx, request);
    return frontCall(async () => {
      const teammate = await core.teammate(removed.teammateId);
      if (!teammate || teammate.email.toLowerCase() !== read.user.userName.toLowerCase()) {
        throw new ProviderError(`the Front teammate bound to employee ${request.employee.id} (${read.user.userName}) is not ${removed.teammateId} the mover's step changed: restore it by hand`, false);
      }
      const back = await applyAccess(core, teammate.id, { teams: removed.teams, inboxes: removed.inboxes }, true);
      const where = `Front teammate ${teammate.email} (${teammate.id})`;
      const parts = [
        ...(back.teams.length ? [`back in ${namesOf(back.teams).join(', ')}`] : []),
        ...(back.inboxes.length ? [`inbox ${namesOf(back.inboxes).join(', ')} given back`] : []),
        ...(back.gone.length ? [`${goneNames(back.gone).join(', ')} no longer in Front`] : []),
      ];
      return {
        ok: true as const,
        note: back.teams.length || back.inboxes.length ? `put back ${where} as before the mover's step: ${parts.join('; ')}` : `${where} already as before the mover's step${back.gone.length ? `; ${parts.join('; ')}` : ''}`,
        result: { restored: { teammateId: teammate.id, teams: back.teams, inboxes: back.inboxes, ...(back.gone.length ? { gone: back.gone } : {}) } },
      };
    });
  },
});
