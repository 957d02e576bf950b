/** Undoes google.moveToOrgUnit: moves the employee back to the org unit they were in. */
import * as z from '../../shared/zod';
import { google } from '../../providers/google/google-errors';
import { defineAction, provider } from '../define-action';
import { findGoogleUser, googleAddress, notApplied } from './google-user';
import { nothingToRestore, restoreTarget } from './restore-target';
import { googleAccount } from './google-account';

/** Google compares org unit paths without regard to case. */
const samePath = (a: string | null | undefined, b: string) => (a ?? '').toLowerCase() === b.toLowerCase();

export const restoreOrgUnit = defineAction({
  name: 'google.restoreOrgUnit',
  account: googleAccount(),
  params: z.strictObject({
    /**
     * google.moveToOrgUnit's result. Only `removed` counts: without it the run moved nothing (the account was
     * already there), and `previous` is merely where it was then.
     */
    result: z.nullish(z.object({ removed: z.nullish(z.object({ orgUnitPath: z.string().check(z.startsWith('/')) })) })),
  }),
  async run(ctx, { result }, request) {
    const path = result?.removed?.orgUnitPath;
    if (!path) return nothingToRestore('the run moved the account nowhere');
    const g = provider(ctx, 'google');
    const email = googleAddress(request);
    const user = await restoreTarget(g, email, `move back to ${path}`);
    if (samePath(user.orgUnitPath, path)) return { ok: true, note: `${email} is already in ${user.orgUnitPath}` };
    await google(`moving Google user ${email} back to org unit ${path}`, () => g.directory.users.patch({ userKey: email, requestBody: { orgUnitPath: path } }));
    const after = await findGoogleUser(g, email);
    if (!after || !samePath(after.orgUnitPath, path)) throw notApplied(`moving ${email} back to ${path}`, `users.get reports org unit ${after?.orgUnitPath ?? '(user gone)'}`);
    return { ok: true, note: `moved back from ${user.orgUnitPath} to ${after.orgUnitPath}`, result: { restored: { orgUnitPath: after.orgUnitPath } } };
  },
});
