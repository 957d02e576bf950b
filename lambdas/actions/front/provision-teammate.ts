/**
 * Gives the joiner their Front teammate as the role says: found by the SCIM externalId (the employee id) or the company
 * address, else created through Front's SCIM API (userName and email the address, externalId the employee id, the
 * role's teammate template as the SCIM `roles` value Front's IdP integrations use); a deactivated one (a rehire) made
 * active again. Then, through the Core API, into the role's teams and shared inboxes. Sign-in is left to the company's
 * SSO: no password is set. Reads everything back.
 */
import * as z from '../../shared/zod';
import { defineAction } from '../define-action';
import { ProviderError } from '../../providers/provider-error';
import { frontReferences, FrontVerificationError } from '../../providers/front/front-references';
import { isUniquenessConflict, type ScimUser } from '../../providers/scim/scim-client';
import { applyAccess, checkedFront, frontAccount, frontAccountOf, frontCall, frontEmail, frontFor, goneNames, namesOf, namesParam, recorded, teammateOf } from './front-account';

/** The SCIM `roles` values of a user (RFC 7643 §4.1.2), where Front's IdP integrations name the teammate template. */
export const rolesOf = (user: ScimUser | undefined): string[] => (Array.isArray(user?.roles) ? (user.roles as { value?: unknown }[]).map((r) => String(r?.value ?? '')).filter(Boolean) : []);

export const provisionFrontTeammate = defineAction({
  name: 'front.provisionTeammate',
  account: frontAccount(),
  params: z.strictObject({
    /** Shared inboxes by name (or id). */
    inboxes: z.optional(namesParam),
    /** Teams (workspaces) by name (or id). */
    teams: z.optional(namesParam),
    /** The teammate template a new teammate is made from (Front applies one at creation only). */
    template: z.optional(z.string().check(z.minLength(1))),
  }),
  async run(ctx, params, request, checked) {
    const { core, scim } = frontFor(ctx, request);
    const employee = request.employee;
    const email = frontEmail(request);
    // A teammate an earlier try of this step made: still reported as made (result.created) when a later try finishes.
    const earlier = z.object({ created: z.object({ userId: z.string() }) }).safeParse(request.progress);
    let madeBy: string | undefined = earlier.success ? earlier.data.created.userId : undefined;
    return frontCall(async () => {
      // Checked before anything changes: a team or inbox Front does not have holds the step with nothing done.
      const refs = frontReferences(core);
      const teams = recorded(await refs.teams(params.teams ?? []));
      const inboxes = recorded(await refs.inboxes(params.inboxes ?? []));
      let user = checkedFront(checked)?.user;
      let created = user !== undefined && user.id === madeBy;
      const changed: string[] = [];
      if (!user) {
        try {
          user = await scim.createUser({
            userName: email,
            // Bound to the employee from the start: later steps act on it only as this employee's.
            externalId: employee.id,
            name: { givenName: employee.firstName, ...(employee.lastName ? { familyName: employee.lastName } : {}) },
            displayName: [employee.firstName, employee.lastName].filter(Boolean).join(' ') || email,
            emails: [{ value: email, type: 'work', primary: true }],
            active: true,
            ...(params.template ? { roles: [{ value: params.template, primary: true }] } : {}),
          });
          created = true;
          madeBy = user.id;
        } catch (err) {
          // Made since the account check looked (an earlier try whose answer was lost): the next try finds and checks it.
          if (isUniquenessConflict(err)) throw new ProviderError(`Front teammate ${email} appeared while it was being created: the next try checks whose it is`, true, (err as ProviderError).providerAnswer);
          throw err;
        }
      } else if (user.active === false) {
        // A rehire: the teammate the leaver's step deactivated is made active again.
        user = await scim.updateUser(user.id, { active: true });
        changed.push('reactivated');
      }
      const teammate = await teammateOf(core, user);
      if (!teammate) throw new FrontVerificationError(`Front has no teammate at ${email} yet after SCIM ${created ? 'made' : 'found'} user ${user.id}: the next try looks again`);
      const done = await applyAccess(core, teammate.id, { teams, inboxes }, true);
      if (done.gone.length) throw new FrontVerificationError(`Front ${goneNames(done.gone).join(', ')} went away while the step ran`);

      // Read back (each team and inbox was read back as it was given): active, bound to the employee, not blocked, made from the template.
      const after = await scim.getUser(user.id);
      const tm = await teammateOf(core, user);
      const wrong: string[] = [];
      if (!after || !tm) wrong.push('the teammate itself');
      else {
        if (after.active === false) wrong.push('not active');
        if (after.externalId !== employee.id) wrong.push(`externalId ${JSON.stringify(after.externalId ?? null)}`);
        if (tm.is_blocked) wrong.push('blocked');
      }
      if (wrong.length || !after || !tm) throw new FrontVerificationError(`Front teammate ${email} does not match the role after ${created ? 'creation' : 'the update'}: ${wrong.join(', ')}`);

      // The template is best effort: Front's public reference does not document the SCIM attribute, so a teammate made
      // without it echoed back is made all the same (its access comes from the role's teams and inboxes), with a note.
      // A template shapes a teammate when Front makes it; one found already stays as it is.
      const confirmed = !params.template || rolesOf(after).includes(params.template);
      const templateNote = confirmed ? '' : created ? `; template ${params.template} asked for; Front did not confirm it: check the teammate in Front's settings` : `; template ${params.template} not applied (Front applies a template at creation only)`;
      const record = { userId: after.id, teammateId: tm.id, email, teams: namesOf(teams), inboxes: namesOf(inboxes), ...(params.template ? { template: params.template } : {}) };
      const added = [...(done.teams.length ? [`added to team${done.teams.length === 1 ? '' : 's'} ${namesOf(done.teams).join(', ')}`] : []), ...(done.inboxes.length ? [`given inbox${done.inboxes.length === 1 ? '' : 'es'} ${namesOf(done.inboxes).join(', ')}`] : [])];
      const all = [...changed, ...added];
      return {
        ok: true as const,
        note: created
          ? `created Front teammate ${email} (${tm.id})${params.template && confirmed ? ` from template ${params.template}` : ''}${added.length ? `, ${added.join(', ')}` : ''}, bound to employee ${employee.id}${templateNote}`
          : all.length
            ? `Front teammate ${email} (${tm.id}) already existed: ${all.join('; ')}${templateNote}`
            : `Front teammate ${email} (${tm.id}) already as the role says${templateNote}`,
        result: created ? { created: { ...record, ...(params.template ? { templateConfirmed: confirmed } : {}) } } : { existing: record, changed: all },
        account: frontAccountOf({ user: after, teammate: tm }, created ? 'created' : (checked?.account.boundBy ?? 'binding')),
      };
    }, () => (madeBy ? { created: { userId: madeBy } } : undefined));
  },
});
