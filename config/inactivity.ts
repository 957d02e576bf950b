/**
 * The stage's inactivity revocation (docs/inactivity.md): which systems are checked for accounts unused for `days`,
 * whether their revoke waits for an approver, how long before it the person and their manager are told, and who is
 * never revoked. Validated at synth and at start; a bad value is named by its field.
 */
import * as z from './zod';

/** Systems whose last sign-in is known: Google's lastLoginTime, Nextcloud's lastLogin, a SCIM app that offers one. */
export const INACTIVITY_SYSTEM_PATTERN = /^(google|nextcloud|scim:[a-z0-9]+(-[a-z0-9]+)*)$/;

export const DEFAULT_INACTIVITY_DAYS = 90;
export const DEFAULT_INACTIVITY_NOTICE_DAYS = 7;

const lowerEmail = z.pipe(z.email('must be an email address'), z.transform((s: string) => s.toLowerCase()));
/** A local part, `*` standing for any characters: `svc-*`, `noreply`. */
const localPartPattern = z.string().check(z.regex(/^[a-z0-9._+*-]+$/i, 'must be the part before @, `*` for any characters (svc-*, noreply)'));

export const inactivitySchema = z
  .strictObject({
    enabled: z._default(z.boolean(), false),
    /** Unused this many days (no sign-in since, or since the account was made when it never signed in): revoked. */
    days: z._default(z.number().check(z.int(), z.gte(7), z.lte(3650)), DEFAULT_INACTIVITY_DAYS),
    /** The systems checked; each must record sign-ins. */
    systems: z._default(
      z.array(z.string().check(z.regex(INACTIVITY_SYSTEM_PATTERN, 'must be google, nextcloud or scim:<app>: a system whose last sign-in is known'))),
      ['google'],
    ),
    /** A revoke waits for an operator's approval (the default); false: it waits only for its notice to be sent (docs/inactivity.md). */
    approve: z._default(z.boolean(), true),
    /** Days between the notice to the person and their manager and the revoke's steps falling due (0: due at once). */
    noticeDays: z._default(z.number().check(z.int(), z.gte(0), z.lte(60)), DEFAULT_INACTIVITY_NOTICE_DAYS),
    /** Never revoked, with the reason named in the report. */
    exclude: z._default(
      z.strictObject({
        addresses: z._default(z.array(lowerEmail), []),
        employeeIds: z._default(z.array(z.string().check(z.minLength(1))), []),
        /** Access the readers name on the account (a group, a license): an account holding one is left alone. */
        access: z._default(z.array(z.string().check(z.minLength(1))), []),
      }),
      { addresses: [], employeeIds: [], access: [] },
    ),
    /** Service accounts: never revoked for lack of sign-ins (they sign in with keys, not as a person). */
    serviceAccounts: z._default(
      z.strictObject({
        addresses: z._default(z.array(lowerEmail), []),
        localParts: z._default(z.array(localPartPattern), []),
      }),
      { addresses: [], localParts: [] },
    ),
  })
  .check(
    z.superRefine((c, ctx) => {
      if (c.noticeDays >= c.days) ctx.addIssue({ code: 'custom', path: ['noticeDays'], message: `must be less than days (${c.days})` });
      if (new Set(c.systems).size !== c.systems.length) ctx.addIssue({ code: 'custom', path: ['systems'], message: 'must name each system once' });
    }),
  );

export type InactivitySettings = z.infer<typeof inactivitySchema>;

export const DEFAULT_INACTIVITY: InactivitySettings = {
  enabled: false,
  days: DEFAULT_INACTIVITY_DAYS,
  systems: ['google'],
  approve: true,
  noticeDays: DEFAULT_INACTIVITY_NOTICE_DAYS,
  exclude: { addresses: [], employeeIds: [], access: [] },
  serviceAccounts: { addresses: [], localParts: [] },
};
