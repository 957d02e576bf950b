/**
 * The stage's `handover` setting: to whom a leaver's sole-owner resources (shared drives they alone manage, groups
 * they alone own, calendars they own and the events they organise) are handed before the cut-off. The manager by
 * default; `owner` when the leaver has no manager in the HR event, or for every leaver with `to: 'owner'`.
 * Validated at synth, at start and when a handover action reads it.
 */
import * as z from './zod';

const lowerEmail = z.pipe(z.email('must be an email address'), z.transform((s: string) => s.toLowerCase()));

export const handoverSchema = z
  .strictObject({
    /** `manager`: the leaver's manager (managerEmail), or `owner` when there is none; `owner`: always `owner`. */
    to: z._default(z.enum(['manager', 'owner']), 'manager'),
    /** An active account of the domain (e.g. an IT or team-lead mailbox account) that takes what has no manager to go to. */
    owner: z.optional(lowerEmail),
  })
  .check(
    z.superRefine((s, ctx) => {
      if (s.to === 'owner' && !s.owner) ctx.addIssue({ code: 'custom', path: ['owner'], message: "must name an account when to is 'owner'" });
    }),
  );

export type HandoverSettings = z.infer<typeof handoverSchema>;

export const DEFAULT_HANDOVER: HandoverSettings = { to: 'manager' };

/** Reads the setting a function was given (JSON in its environment), naming the field that is wrong. */
export function parseHandover(raw: string | undefined): HandoverSettings {
  if (!raw) return DEFAULT_HANDOVER;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new Error('handover: handover is not JSON');
  }
  const parsed = z.safeParse(handoverSchema, json);
  if (!parsed.success) throw new Error(`handover: ${parsed.error.issues.map((i) => `handover${i.path.length ? `.${i.path.join('.')}` : ''}: ${i.message}`).join('; ')}`);
  return parsed.data;
}
