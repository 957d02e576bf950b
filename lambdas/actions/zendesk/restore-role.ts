/**
 * Undoes a mover's zendesk.updateUser when its run is cancelled: the role and custom role it had before, the groups it
 * joined left and the groups it left joined again, from what the step recorded (`undo`) before it acted; read back.
 * What was changed since by someone else (a role that no longer reads as the mover set it) is left alone and named.
 */
import * as z from '../../shared/zod';
import { defineAction } from '../define-action';
import { recordedAccountStillBound } from '../recorded-account';
import { ProviderError } from '../../providers/provider-error';
import type { ZendeskUser } from '../../providers/zendesk/zendesk-client';
import { ZendeskVerificationError } from '../../providers/zendesk/zendesk-errors';
import { checkedUser, zendeskAccount, zendeskCall, zendeskFor } from './zendesk-account';
import { zendeskUndoSchema, type ZendeskUndo } from './zendesk-snapshot';
import { addMembershipBack } from './zendesk-memberships';

export const restoreZendeskRole = defineAction({
  name: 'zendesk.restoreRole',
  account: zendeskAccount({ restores: recordsUndo }),
  params: z.strictObject({
    /** zendesk.updateUser's result; `undo` is missing when there was no user to change (or in an older run's record). */
    result: z.nullish(z.object({ undo: z.nullish(zendeskUndoSchema) })),
  }),
  async run(ctx, { result }, request, checked) {
    const undo = result?.undo;
    // A step recorded before `undo` was kept: what it changed is known, how to put it back is not.
    if (!undo) refuseWithoutUndo(request.params);
    if (!undo || undoesNothing(undo)) return { ok: true, note: "nothing to restore: the mover's step changed nothing in Zendesk" };
    const { client } = zendeskFor(ctx, request);
    const user = recordedAccountStillBound(
      checkedUser(checked),
      (u) => u.id,
      { id: undo.userId, name: `Zendesk user ${undo.userId}`, kind: 'Zendesk user', gone: "(deleted in Zendesk since the mover's step)", did: "the mover's step changed" },
      request.employee.id,
    );
    const where = `Zendesk user ${user.email ?? ''} (${user.id})`;
    return zendeskCall(async () => {
      const done: string[] = [];
      const leftAlone: string[] = [];
      const patch: Partial<ZendeskUser> = {};
      if (undo.role) {
        if (user.role === undo.role.to) patch.role = undo.role.from;
        else if (user.role !== undo.role.from) leftAlone.push(`role ${user.role} (changed since; the mover made it ${undo.role.to})`);
      }
      if (undo.customRoleId) {
        const now = user.custom_role_id ?? null;
        if (now === undo.customRoleId.to) patch.custom_role_id = undo.customRoleId.from;
        else if (now !== undo.customRoleId.from) leftAlone.push(`custom role ${now} (changed since)`);
      }
      if (Object.keys(patch).length) {
        await client.updateUser(user.id, patch);
        done.push(...Object.keys(patch).map((k) => (k === 'custom_role_id' ? 'custom role' : k)));
      }

      const have = new Map((await client.userMemberships(user.id)).map((m) => [m.group_id, m]));
      // A membership made after the mover's step finished is not the step's (a later run, or someone, gave it): kept.
      const since = (g: { groupId: number }) => {
        const made = have.get(g.groupId)?.created_at;
        return undo.finishedAt !== undefined && made !== undefined && Date.parse(made) > Date.parse(undo.finishedAt);
      };
      const keptSince = undo.added.filter((x) => have.has(x.groupId) && since(x));
      for (const g of undo.added.filter((x) => have.has(x.groupId) && !since(x))) {
        await client.removeMembership(have.get(g.groupId)!.id);
        done.push(`out of ${g.name}`);
      }
      if (keptSince.length) leftAlone.push(...keptSince.map((g) => `in ${g.name} (joined again after the mover's step)`));
      const gone: string[] = [];
      for (const g of undo.removed.filter((x) => !have.has(x.groupId))) {
        const out = await addMembershipBack(client, user.id, g.groupId);
        if (out === 'gone') gone.push(g.name);
        else if (out === 'added') done.push(`back in ${g.name}`);
      }

      // Read back: what was put back reads as it was before the mover's step.
      const after = await client.showUser(user.id);
      const memberOf = new Set((await client.userMemberships(user.id)).map((m) => m.group_id));
      const wrong = [
        ...(!after ? ['the user itself'] : []),
        ...(after && patch.role && after.role !== patch.role ? [`role ${after.role}`] : []),
        ...(after && 'custom_role_id' in patch && (after.custom_role_id ?? null) !== patch.custom_role_id ? [`custom role ${after.custom_role_id}`] : []),
        ...undo.added.filter((g) => memberOf.has(g.groupId) && !keptSince.includes(g)).map((g) => `still in ${g.name}`),
        ...undo.removed.filter((g) => !memberOf.has(g.groupId) && !gone.includes(g.name)).map((g) => `not in ${g.name}`),
      ];
      if (wrong.length) throw new ZendeskVerificationError(`${where} does not read back as before the mover's step after the restore: ${wrong.join(', ')}`);
      const parts = [
        done.length ? `put back ${where} as before the mover's step: ${done.join('; ')}` : `${where} already as before the mover's step`,
        ...(gone.length ? [`group${gone.length === 1 ? '' : 's'} ${gone.join(', ')} no longer exist${gone.length === 1 ? 's' : ''}`] : []),
        ...(leftAlone.length ? [`left as it is: ${leftAlone.join(', ')}`] : []),
      ];
      return {
        ok: true as const,
        note: parts.join('; '),
        result: { restored: { userId: user.id, changed: done, ...(gone.length ? { groupsGone: gone } : {}), ...(leftAlone.length ? { leftAlone } : {}) } },
      };
    });
  },
});

const undoesNothing = (undo: ZendeskUndo) => !undo.role && !undo.customRoleId && undo.added.length === 0 && undo.removed.length === 0;

/** Whether the step's params record anything to undo (else the account check does not look). */
function recordsUndo(params: Record<string, unknown>): boolean {
  const result = params.result as { undo?: ZendeskUndo | null; changed?: unknown } | null | undefined;
  if (!result?.undo) return false;
  return !undoesNothing(result.undo);
}

/** No `undo` but a non-empty `changed`: refused, not retryable, naming what `previous` says the user had. */
function refuseWithoutUndo(params: Record<string, unknown>): void {
  const result = params.result as { changed?: unknown; previous?: { role?: unknown; customRoleId?: unknown; groups?: unknown } | null } | null | undefined;
  const changed = Array.isArray(result?.changed) ? result.changed.filter((c): c is string => typeof c === 'string') : [];
  if (!changed.length) return;
  const previous = result?.previous;
  const before = previous
    ? `role ${String(previous.role)}, custom role ${previous.customRoleId === null ? 'none' : String(previous.customRoleId)}, groups ${Array.isArray(previous.groups) && previous.groups.length ? previous.groups.join(', ') : 'none'}`
    : 'not recorded either';
  throw new ProviderError(
    `the mover's zendesk.updateUser step changed the user (${changed.join('; ')}) but its record is older than the undo record a restore works from: nothing was restored; put it back by hand from the step's result.previous (${before})`,
    false,
  );
}
