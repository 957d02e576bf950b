/**
 * The stage's `mailRetention` setting: how a leaver's mail is kept once the leaver is gone. `archived-user-license`
 * archives the account (Google turns its Workspace license into the edition's Archived User license, which needs a
 * free Archived User seat); `vault-hold` puts the mailbox on a Google Vault hold in the matter named `matterName`
 * (made when missing), which keeps the mail only while the account exists and is licensed: the licenses are then
 * kept, and the account may not be deleted (Google deletes a deleted account's mail, held or not); `none` keeps
 * nothing beyond what the account itself holds.
 * Validated at synth, at start and when google.retainMail reads it.
 */
import * as z from './zod';

export const MAIL_RETENTION_METHODS = ['archived-user-license', 'vault-hold', 'none'] as const;
export type MailRetentionMethod = (typeof MAIL_RETENTION_METHODS)[number];

export const mailRetentionSchema = z.strictObject({
  method: z._default(z.enum(MAIL_RETENTION_METHODS), 'none'),
  /** The Vault matter leavers' holds go in, one hold per leaver: found by name among the open matters, made when missing. */
  matterName: z._default(z.string().check(z.trim(), z.minLength(1, 'must name a matter'), z.maxLength(200)), 'Leavers'),
});

export type MailRetention = z.infer<typeof mailRetentionSchema>;

export const DEFAULT_MAIL_RETENTION: MailRetention = { method: 'none', matterName: 'Leavers' };

/** Reads the setting a function was given (JSON in its environment), naming the field that is wrong. */
export function parseMailRetention(raw: string | undefined): MailRetention {
  if (!raw) return DEFAULT_MAIL_RETENTION;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new Error('mail retention: mailRetention is not JSON');
  }
  const parsed = z.safeParse(mailRetentionSchema, json);
  if (!parsed.success) {
    throw new Error(`mail retention: ${parsed.error.issues.map((i) => `mailRetention${i.path.length ? `.${i.path.join('.')}` : ''}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}
