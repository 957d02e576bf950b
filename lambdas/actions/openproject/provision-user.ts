/**
 * Gives the joiner their OpenProject user: the one bound to them (or an adopted one at their email, whose employee
 * id field is then written), else created with the login the username rules give (the next free one when taken by
 * someone else), their names and email, invited (OpenProject mails them a link to set a password), bound by the
 * employee id field. A locked one (a rehire) is unlocked. Reads the user back.
 */
import * as z from '../../shared/zod';
import { defineAction } from '../define-action';
import { ProviderError } from '../../providers/provider-error';
import { OpenProjectApiError, type OpenProjectUser } from '../../providers/openproject/openproject-client';
import { OpenProjectVerificationError } from '../../providers/openproject/openproject-errors';
import { boundEmployee, checkedUser, loginParam, openProjectAccount, openProjectAccountOf, openProjectCall, openProjectEmail, openProjectFor, openProjectLogin } from './openproject-account';

/** Logins tried before giving up: `alovelace`, `alovelace2` … `alovelace10`. */
const MAX_LOGIN_CANDIDATES = 10;

export const provisionOpenProjectUser = defineAction({
  name: 'openproject.provisionUser',
  account: openProjectAccount(),
  params: z.strictObject({
    /** The login, when the member task names one; else the username rules' for the employee's name. */
    login: z.optional(loginParam),
  }),
  async run(ctx, _params, request, checked) {
    const op = openProjectFor(ctx, request);
    const { client, employeeIdField: field } = op;
    const email = openProjectEmail(request);
    const employeeId = request.employee.id;
    return openProjectCall(async () => {
      let user: OpenProjectUser | undefined = checkedUser(checked);
      let created = false;
      const changed: string[] = [];
      let previous: { status: string; boundTo: string | null } | undefined;
      if (!user) {
        const base = openProjectLogin(request);
        let login: string | undefined;
        for (let n = 1; n <= MAX_LOGIN_CANDIDATES && !login; n++) {
          const candidate = n === 1 ? base : `${base}${n}`;
          if (!(await client.userByLogin(candidate))) login = candidate;
        }
        if (!login) throw new ProviderError(`OpenProject logins ${base} to ${base}${MAX_LOGIN_CANDIDATES} are all taken by other people: name a login on the member task or make the user by hand`, false);
        try {
          user = await client.createUser({ login, firstName: request.employee.firstName, lastName: request.employee.lastName ?? '-', email, status: 'invited', customFields: { [field]: employeeId } });
          created = true;
        } catch (err) {
          // Made since the check looked (an earlier try whose answer was lost): the next try finds it at its email.
          if (err instanceof OpenProjectApiError && err.identifier === 'PropertyConstraintViolation' && (err.attribute === 'login' || err.attribute === 'email') && /taken/i.test(err.apiMessage)) {
            throw new ProviderError(`OpenProject user ${login} (${email}) appeared while it was being created: the next try checks it`, true, `${err.status} ${err.identifier} (${err.attribute})`);
          }
          throw err;
        }
      } else {
        previous = { status: user.status, boundTo: boundEmployee(user, field) ?? null };
        if (!previous.boundTo) {
          user = await client.updateUser(user.id, { [field]: employeeId });
          changed.push(`bound to employee ${employeeId}`);
        }
        if (user.status === 'locked') {
          user = await client.unlockUser(user.id);
          changed.push('unlocked');
        }
      }

      // Read back: bound to the employee and not locked.
      const after = await client.getUser(user.id);
      const wrong = !after ? ['the user itself'] : [...(boundEmployee(after, field) !== employeeId ? [`employee id field ${JSON.stringify(boundEmployee(after, field) ?? '')}`] : []), ...(after.status === 'locked' ? ['locked'] : [])];
      if (wrong.length || !after) throw new OpenProjectVerificationError(`OpenProject user ${user.login} (${user.id}) is not as it should be after ${created ? 'creation' : 'the update'}: ${wrong.join(', ')}`);
      const record = { userId: after.id, login: after.login, email };
      return {
        ok: true as const,
        note: created
          ? `created OpenProject user ${after.login} (${after.id}, ${email}), invited: OpenProject mails them a link to set a password`
          : changed.length
            ? `OpenProject user ${after.login} (${after.id}) already existed: ${changed.join('; ')}`
            : `OpenProject user ${after.login} (${after.id}) already there and bound to employee ${employeeId}`,
        result: created ? { created: record } : { existing: record, previous, changed },
        account: openProjectAccountOf(after, created ? 'created' : (checked?.account.boundBy ?? 'binding')),
      };
    });
  },
});
