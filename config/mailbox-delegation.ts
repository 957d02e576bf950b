/**
 * The stage's `mailboxDelegation` setting: who gets a leaver's mailbox when their manager cannot take it. Gmail lets a
 * user be delegate of about 10 mailboxes through the API (the Gmail API reference: "up to 10 delegators"); a manager
 * with more leavers inside the 30 days before google.removeDelegation frees a slot is refused (docs/google-refusals.md).
 * Validated at synth, at start and when google.delegateToManager reads it.
 */
import * as z from './zod';

const lowerEmail = z.pipe(z.email('must be an email address'), z.transform((s: string) => s.toLowerCase()));

export const mailboxDelegationSchema = z
  .strictObject({
    /**
     * When Gmail refuses the manager as delegate for lack of room (already delegate of as many mailboxes as Google allows):
     * `overflow` delegates to one of `overflowDelegates` instead; `operator` stops the step for an operator, naming the
     * manager and what to do. Either way the manager is tried first, and takes the mailbox while they have room. A
     * manager who is suspended, archived or no user of the domain is not covered: the account check holds the step
     * for an operator before anything is delegated.
     */
    whenManagerFull: z._default(z.enum(['overflow', 'operator']), 'operator'),
    /**
     * Shared or rotating delegates of the Workspace domain (active users, primary addresses, e.g. a team's shared
     * mailbox account): each leaver starts at one of them by their employee id, so the load spreads, and moves to the
     * next while Google refuses. Each is held to the same limit as a manager.
     */
    overflowDelegates: z._default(z.array(lowerEmail), []),
  })
  .check(
    z.superRefine((s, ctx) => {
      if (s.whenManagerFull === 'overflow' && s.overflowDelegates.length === 0) {
        ctx.addIssue({ code: 'custom', path: ['overflowDelegates'], message: 'must name at least one delegate when whenManagerFull is overflow' });
      }
      const seen = new Set<string>();
      s.overflowDelegates.forEach((d, i) => {
        if (seen.has(d)) ctx.addIssue({ code: 'custom', path: ['overflowDelegates', i], message: `duplicate delegate ${d}` });
        seen.add(d);
      });
    }),
  );

export type MailboxDelegation = z.infer<typeof mailboxDelegationSchema>;

export const DEFAULT_MAILBOX_DELEGATION: MailboxDelegation = { whenManagerFull: 'operator', overflowDelegates: [] };

/** Reads the setting a function was given (JSON in its environment), naming the field that is wrong. */
export function parseMailboxDelegation(raw: string | undefined): MailboxDelegation {
  if (!raw) return DEFAULT_MAILBOX_DELEGATION;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new Error('mailbox delegation: mailboxDelegation is not JSON');
  }
  const parsed = z.safeParse(mailboxDelegationSchema, json);
  if (!parsed.success) {
    throw new Error(`mailbox delegation: ${parsed.error.issues.map((i) => `mailboxDelegation${i.path.length ? `.${i.path.join('.')}` : ''}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}
