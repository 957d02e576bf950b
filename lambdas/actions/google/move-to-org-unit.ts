/** Moves the leaver's Google account into an org unit (offboarding policies hang off it), recording where it was. */
import * as z from '../../shared/zod';
import { google } from '../../providers/google/google-errors';
import { defineAction, provider } from '../define-action';
import { findGoogleUser, googleAddress, noAccount, notApplied } from './google-user';
import { checkedUser, googleAccount } from './google-account';

/** Google compares org unit paths without regard to case. */
const samePath = (a: string | null | undefined, b: string) => (a ?? '').toLowerCase() === b.toLowerCase();

export const moveToOrgUnit = defineAction({
  name: 'google.moveToOrgUnit',
  account: googleAccount({ removes: true }),
  params: z.strictObject({
    orgUnitPath: z._default(
      z.pipe(
        z.string().check(z.startsWith('/', 'an org unit path starts with /')),
        z.transform((p) => p.replace(/\/+$/, '') || '/'),
      ),
      '/Offboarded',
    ),
  }),
  async run(ctx, { orgUnitPath }, request, checked) {
    const g = provider(ctx, 'google');
    const email = googleAddress(request);
    const before = await checkedUser(g, email, checked);
    if (!before) return noAccount(email, 'move');
    const previous = before.orgUnitPath ?? '/';
    if (samePath(previous, orgUnitPath)) {
      return { ok: true, note: `${email} is already in ${previous}`, result: { orgUnitPath: previous, previous } };
    }
    await google(`moving Google user ${email} to org unit ${orgUnitPath}`, () =>
      g.directory.users.patch({ userKey: email, requestBody: { orgUnitPath } }),
    );
    const after = await findGoogleUser(g, email);
    if (!after || !samePath(after.orgUnitPath, orgUnitPath)) {
      throw notApplied(`moving ${email} to ${orgUnitPath}`, `users.get reports org unit ${after?.orgUnitPath ?? '(user gone)'}; it was ${previous}`);
    }
    return {
      ok: true,
      note: `moved from ${previous} to ${after.orgUnitPath}`,
      result: { orgUnitPath: after.orgUnitPath, previous, removed: { orgUnitPath: previous } },
    };
  },
});
