/**
 * Gives the joiner their user in a SCIM app: finds it by userName or externalId (bound to the employee id, an unbound
 * one adopted only as the account policy says) or creates it with externalId = employee id; a 409 uniqueness answer
 * means someone made it meanwhile, so it is found and bound. An inactive user is made active (a rehire). Then the
 * role's groups of the app, each read back.
 */
import * as z from '../../shared/zod';
import { defineAction } from '../define-action';
import { ProviderError } from '../../providers/provider-error';
import { isUniquenessConflict, type ScimUser } from '../../providers/scim/scim-client';
import { appParam, applyMemberships, checkedScimUser, checkedUser, groupsNamed, groupsParam, names, scimAccount, scimBoundAccount, scimClient, scimUserName } from './scim-account';

export const provisionScimUser = defineAction({
  name: 'scim.provisionUser',
  account: scimAccount(),
  params: z.strictObject({ app: appParam, groups: z._default(groupsParam, []) }),
  async run(ctx, { app, groups }, request, checked) {
    const client = scimClient(ctx, request, app);
    const userName = scimUserName(request);
    const { employee } = request;
    // Groups first: a role naming a group the app lacks fails before anything is made.
    const wanted = await groupsNamed(client, groups);
    let user = checkedUser(checked);
    let created = false;
    let reactivated = false;
    if (!user) {
      const fresh: Omit<ScimUser, 'id'> = {
        userName,
        externalId: employee.id,
        active: true,
        name: { givenName: employee.firstName, ...(employee.lastName ? { familyName: employee.lastName } : {}) },
        displayName: [employee.firstName, employee.lastName].filter(Boolean).join(' '),
        emails: [{ value: userName, type: 'work', primary: true }],
      };
      try {
        user = await client.createUser(fresh);
        created = true;
      } catch (err) {
        if (!isUniquenessConflict(err)) throw err;
        // Made by someone else since we looked: find it, and bind it only if it is the employee's to bind.
        user = (await checkedScimUser(client, request, ctx, { removes: false }))?.user;
        if (!user) throw new ProviderError(`SCIM app ${app} answered 409 to creating ${userName} but finds no such user`, true);
      }
    }
    if (user.active === false) {
      await client.updateUser(user.id, { active: true });
      reactivated = true;
    }
    const memberships = await applyMemberships(client, user.id, wanted, true);
    // Read back: the user is there, active and bound to the employee.
    const after = await client.getUser(user.id);
    if (!after || after.active === false || after.externalId !== employee.id) {
      throw new ProviderError(`SCIM app ${app}: user ${userName} (${user.id}) does not read back active and bound to employee ${employee.id}`, true);
    }
    const what = created ? `created SCIM user ${userName} (${user.id}) in ${app}` : `SCIM user ${userName} (${user.id}) already in ${app}${reactivated ? ', made active again' : ''}`;
    const groupNote = memberships.changed.length ? `; added to ${names(memberships.changed)}` : '';
    const alreadyNote = memberships.already.length ? `; already in ${names(memberships.already)}` : '';
    return {
      ok: true,
      // A user it made (or found after a 409) is recorded as the employee's; one the check found already is, by the check.
      ...(checked ? { accountState: 'active' as const } : { account: scimBoundAccount(after, created ? 'created' : 'binding') }),
      note: `${what}${groupNote}${alreadyNote}`,
      result: { app, userId: user.id, userName, created, reactivated, addedGroups: memberships.changed, alreadyInGroups: memberships.already },
    };
  },
});
