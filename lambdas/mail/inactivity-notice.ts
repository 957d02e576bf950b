/**
 * The notice a person and their manager receive before an unused account's access is taken away: which account, since
 * when it is unused, when it will be revoked, and how to keep it. Pure: the inactivity check gives it what it knows.
 */
import { humanDueTime } from './joiner-summary';
import { humanDate } from './mime';

export interface InactivityNoticeInput {
  /** The person's name as on record (first and last). */
  name: string;
  employeeId: string;
  system: string;
  /** The account as the person knows it: its address, or the system's id. */
  account: string;
  /** The last sign-in, or the creation of an account never signed in to (ISO). */
  since: string;
  sinceKind: 'last sign-in' | 'created, never signed in';
  idleDays: number;
  /** When the revoke's steps fall due (ISO). */
  revokeAt: string;
  timezone: string;
  /** Whether an operator approves the revoke first. */
  approval: boolean;
  runId: string;
}

const SYSTEM_NAMES: Record<string, string> = { google: 'Google Workspace', nextcloud: 'Nextcloud' };
const systemName = (system: string) => SYSTEM_NAMES[system] ?? (system.startsWith('scim:') ? system.slice(5) : system);

export function inactivityNoticeSubject(input: InactivityNoticeInput): string {
  return `Unused account: ${input.account} (${systemName(input.system)}) will be revoked on ${humanDate(input.revokeAt.slice(0, 10))}`;
}

export function inactivityNoticeText(input: InactivityNoticeInput): string {
  const since = input.sinceKind === 'last sign-in' ? `It was last signed in to on ${humanDate(input.since.slice(0, 10))}` : `It was made on ${humanDate(input.since.slice(0, 10))} and has never been signed in to`;
  return [
    `Hello,`,
    ``,
    `The ${systemName(input.system)} account ${input.account} of ${input.name} (employee ${input.employeeId}) has not been used for ${input.idleDays} days. ${since}.`,
    ``,
    `Unused accounts are revoked: from ${humanDueTime(input.revokeAt, input.timezone)} it will be signed out and its access taken away${input.approval ? ', once IT has approved it' : ''}. Nothing in it is deleted, and IT can give it back.`,
    ``,
    `To keep it:`,
    `  - sign in to it before then: an account used again is not revoked;`,
    `  - or, if it is needed though rarely used, ask IT to keep it (quote run ${input.runId}).`,
    ``,
    `If it is no longer needed, there is nothing to do.`,
    ``,
  ].join('\n');
}
