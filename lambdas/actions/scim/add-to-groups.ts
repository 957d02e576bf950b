/** Adds a mover to the SCIM groups of an app their new role names, recording those it added and those already there. */
import * as z from '../../shared/zod';
import { defineAction } from '../define-action';
import { ProviderError } from '../../providers/provider-error';
import { appParam, applyMemberships, checkedUser, scimAccount, groupsNamed, groupsParam, names, scimClient, scimUserName } from './scim-account';

export const addScimUserToGroups = defineAction({
  name: 'scim.addToGroups',
  account: scimAccount(),
  params: z.strictObject({ app: appParam, groups: groupsParam }),
  async run(ctx, { app, groups }, request, checked) {
    const client = scimClient(ctx, request, app);
    const wanted = await groupsNamed(client, groups);
    const user = checkedUser(checked);
    // The mover's user comes from their joiner step (scim.provisionUser): without it there is nothing to add.
    if (!user) throw new ProviderError(`SCIM app ${app} has no user ${scimUserName(request)} (nor one with externalId ${request.employee.id}): provision it first`, false);
    const out = await applyMemberships(client, user.id, wanted, true);
    return {
      ok: true,
      note: [out.changed.length ? `added ${user.userName} to ${names(out.changed)} in ${app}` : `${user.userName} was in every group already in ${app}`, out.already.length && out.changed.length ? `already in ${names(out.already)}` : ''].filter(Boolean).join('; '),
      result: { app, userId: user.id, addedGroups: out.changed, alreadyInGroups: out.already },
    };
  },
});
