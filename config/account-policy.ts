/** The stage's `accounts` setting: protected accounts and the adoption of unbound ones, validated at synth, at start and when a function reads it. */
import { findControlChar } from './control-chars';
import * as z from './zod';

const lowerEmail = z.pipe(z.email('must be an email address'), z.transform((s: string) => s.toLowerCase()));
const orgUnitPath = z.string().check(
  z.refine((p) => p.startsWith('/'), 'must be an org unit path starting with /'),
  z.refine((p) => findControlChar(p) === undefined, 'must not hold control characters'),
);
const domainName = z.string().check(z.regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/i, 'must be a domain name such as example.com'));

export const accountPolicySchema = z.strictObject({
  /** Never suspended, reset, signed out, delegated, transferred or deleted by a run (super and delegated admins always are). */
  protected: z._default(
    z.strictObject({
      orgUnits: z._default(z.array(orgUnitPath), []),
      addresses: z._default(z.array(lowerEmail), []),
    }),
    { orgUnits: [], addresses: [] },
  ),
  /** Accounts made before this system, carrying no employee id, that a run binds on first sight: only in these domains or org units. */
  adoptUnbound: z._default(
    z.strictObject({
      domains: z._default(z.array(domainName), []),
      orgUnits: z._default(z.array(orgUnitPath), []),
    }),
    { domains: [], orgUnits: [] },
  ),
});

export type AccountPolicy = z.infer<typeof accountPolicySchema>;

export const DEFAULT_ACCOUNT_POLICY: AccountPolicy = { protected: { orgUnits: [], addresses: [] }, adoptUnbound: { domains: [], orgUnits: [] } };

/** Reads the policy a function was given (JSON in its environment), naming the field that is wrong. */
export function parseAccountPolicy(raw: string | undefined): AccountPolicy {
  if (!raw) return DEFAULT_ACCOUNT_POLICY;
  const parsed = z.safeParse(accountPolicySchema, JSON.parse(raw));
  if (!parsed.success) {
    throw new Error(`account policy: ${parsed.error.issues.map((i) => `accounts.${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}
