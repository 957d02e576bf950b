/**
 * The notice a leaver's manager receives a few days before the last day: when access ends, in the leaver's zone; what
 * the run will remove, transfer and keep, and when; what the leaver's role gave that is collected or closed by hand.
 * Pure: it reads only what the run tells the action.
 */
import type { ActionRequest } from '../engine/ports';
import { fullName, humanDueTime, type RunStepView } from './joiner-summary';
import { humanDate } from './mime';

export interface LeaverNoticeInput {
  employee: ActionRequest['employee'];
  /** The effective date: the last working day. */
  lastDay: string;
  /** The cut-off, ISO: the end of the last day in the leaver's zone. */
  cutoffAt: string;
  runId: string;
  /** Who gets the leaver's mailbox and files (the manager's primary address); absent: the mail goes to the operators. */
  manager?: string;
  /** The role the leaver held, with its manual tasks. */
  role?: ActionRequest['role'];
  /** The run's other steps: those still to come are described. */
  steps: RunStepView[];
  /** What an action the notice has no words for does (its catalog description). */
  describe?: (action: string) => string | undefined;
}

type Kind = 'removed' | 'transferred' | 'kept' | 'other' | 'none';

/** What each leaver action means to a manager, in a few words; `{manager}` is who takes over. */
const PHRASES: Record<string, { kind: Kind; text: string }> = {
  'google.signOut': { kind: 'removed', text: 'signed out of every Google session' },
  'google.resetPassword': { kind: 'removed', text: 'the password replaced with one nobody knows' },
  'google.revokeTokens': { kind: 'removed', text: 'access granted to apps (OAuth tokens) revoked' },
  'google.deleteAppPasswords': { kind: 'removed', text: 'app passwords deleted' },
  'google.invalidateBackupCodes': { kind: 'removed', text: '2-step verification backup codes invalidated' },
  'google.turnOffTwoStep': { kind: 'removed', text: '2-step verification turned off' },
  'google.removeExternalForwarding': { kind: 'removed', text: 'mail forwarding to outside addresses stopped' },
  'google.wipeMobileDevices': { kind: 'removed', text: 'the company account wiped from managed phones and tablets' },
  'google.hideFromDirectory': { kind: 'removed', text: 'hidden from the company address list' },
  'google.removeFromGroups': { kind: 'removed', text: 'removed from every Google group' },
  'connect.setAgentOffline': { kind: 'removed', text: 'Amazon Connect agent set Offline: no new calls or chats' },
  'connect.removeAgent': { kind: 'removed', text: 'Amazon Connect agent removed, once the last live contact has ended' },
  'google.removeDelegation': { kind: 'removed', text: 'access to the mailbox removed from every delegate, {manager} included' },
  'google.suspendUser': { kind: 'removed', text: 'Google account suspended' },
  'google.moveToOrgUnit': { kind: 'removed', text: 'Google account moved to the org unit for former staff' },
  'google.removeLicenses': { kind: 'removed', text: 'Google Workspace licenses removed' },
  'google.deleteUser': { kind: 'removed', text: 'Google account deleted' },
  'google.delegateToManager': { kind: 'transferred', text: 'the mailbox: {manager} can read it and reply from it (mail delegation)' },
  'google.setAutoReply': { kind: 'transferred', text: 'incoming mail: an auto-reply tells senders to write to {manager}' },
  'google.transferData': { kind: 'transferred', text: "Drive files (private and shared) and future Calendar events with guests: ownership goes to {manager}" },
  'google.handOverMeetings': { kind: 'transferred', text: "future meetings with guests the leaver organizes: they go to {manager} (or the stage's handover owner), rooms kept; private meetings and those already begun are not moved" },
  'forward.event': { kind: 'other', text: "the departure is passed on to the company's other systems" },
  'google.sendLeaverNotice': { kind: 'none', text: '' },
};

const FINISHED = ['succeeded', 'skipped', 'cancelled'];

/** The steps still to come: a step already finished, skipped or cancelled has nothing to tell. */
const comingSteps = (steps: RunStepView[]) => steps.filter((s) => !FINISHED.includes(s.status));

export interface NoticeItem {
  stepId: string;
  kind: Exclude<Kind, 'none'>;
  text: string;
  dueAt?: string;
}

/** Each step still to come in words, and whether it removes, transfers or keeps; an action with no words of its own is described by its catalog line. */
export function noticeItems(input: Pick<LeaverNoticeInput, 'steps' | 'manager' | 'describe'>): NoticeItem[] {
  const manager = input.manager ?? 'the manager';
  const items: NoticeItem[] = [];
  for (const step of comingSteps(input.steps)) {
    const phrase = PHRASES[step.action];
    if (phrase?.kind === 'none') continue;
    const text = phrase ? phrase.text.replaceAll('{manager}', manager) : (input.describe?.(step.action) ?? step.action);
    items.push({ stepId: step.stepId, kind: phrase?.kind ?? 'other', text, ...(step.dueAt ? { dueAt: step.dueAt } : {}) });
  }
  return items;
}

/** The items of one kind grouped by when they happen, earliest first: "At the cut-off (…)", "On …". */
function byTime(items: NoticeItem[], input: LeaverNoticeInput): string[] {
  const zone = input.employee.timezone;
  const times = [...new Set(items.map((i) => i.dueAt ?? ''))].sort((a, b) => (a === '' ? 1 : b === '' ? -1 : Date.parse(a) - Date.parse(b)));
  const cutoff = Date.parse(input.cutoffAt);
  return times.flatMap((t) => {
    const label = t === '' ? 'Later:' : Date.parse(t) === cutoff ? `At the cut-off (${humanDueTime(t, zone)}):` : `On ${humanDueTime(t, zone)}:`;
    return [`  ${label}`, ...items.filter((i) => (i.dueAt ?? '') === t).map((i) => `    - ${i.text}`)];
  });
}

/** When the first step of an action still to come happens, in the leaver's zone. */
function whenOf(items: NoticeItem[], steps: RunStepView[], action: string, zone: string): string | undefined {
  const step = comingSteps(steps).find((s) => s.action === action && items.some((i) => i.stepId === s.stepId));
  return step ? (step.dueAt ? humanDueTime(step.dueAt, zone) : 'later') : undefined;
}

/** What stays: the account (suspended, not deleted, or deleted when), the manager's access to the mailbox and until when. */
export function keptLines(input: LeaverNoticeInput, items: NoticeItem[]): string[] {
  const zone = input.employee.timezone;
  const manager = input.manager ?? 'the manager';
  const at = (action: string) => whenOf(items, input.steps, action, zone);
  const suspended = at('google.suspendUser');
  const deleted = at('google.deleteUser');
  const delegated = at('google.delegateToManager');
  const undelegated = at('google.removeDelegation');
  const lines: string[] = [];
  if (deleted) lines.push(`The Google account is kept${suspended ? `, suspended from ${suspended},` : ''} until it is deleted on ${deleted}.`);
  else if (suspended) lines.push(`The Google account is suspended on ${suspended}, not deleted: its mail and files stay with the company.`);
  else lines.push('The Google account stays: no suspension or deletion is planned.');
  if (delegated) lines.push(undelegated ? `The mailbox stays open to ${manager} until ${undelegated}.` : `The mailbox stays open to ${manager}; no end to it is planned.`);
  lines.push(...items.filter((i) => i.kind === 'kept').map((i) => `${i.text}${i.dueAt ? ` (from ${humanDueTime(i.dueAt, zone)})` : ''}.`));
  return lines.map((l) => `  - ${l}`);
}

function section(title: string, lines: string[], none: string): string[] {
  return [title, ...(lines.length ? lines : [`  ${none}`]), ''];
}

export function leaverNoticeSubject(input: Pick<LeaverNoticeInput, 'employee' | 'lastDay'>): string {
  return `Leaver notice: ${fullName(input.employee)} leaves on ${humanDate(input.lastDay)}`;
}

export function leaverNoticeText(input: LeaverNoticeInput): string {
  const e = input.employee;
  const items = noticeItems(input);
  const of = (kind: NoticeItem['kind']) => items.filter((i) => i.kind === kind);
  const manual = input.role?.manualTasks ?? [];
  const other = of('other');
  return [
    'Hello,',
    '',
    `${fullName(e)} leaves the company. Their last day is ${humanDate(input.lastDay)}.`,
    `Their access ends at the cut-off, the end of that day: ${humanDueTime(input.cutoffAt, e.timezone)}.`,
    ...(e.email ? [`Company address: ${e.email}`] : []),
    ...(input.role ? [`Role: ${input.role.name}`] : []),
    `Employee id: ${e.id}; lifecycle run: ${input.runId}`,
    '',
    ...section('What will be removed:', byTime(of('removed'), input), 'nothing is planned'),
    ...section('What will be transferred:', byTime(of('transferred'), input), 'nothing is planned'),
    ...section('What will be kept:', keptLines(input, items), 'nothing'),
    ...(other.length ? section('Also planned:', byTime(other, input), 'nothing') : []),
    ...section(
      "To collect or close by hand (the role's manual tasks, written for a joiner: collect or close what each gave):",
      manual.map((task) => `  - ${task}`),
      input.role ? `nothing listed: the role ${input.role.name} lists no manual tasks` : 'nothing listed: no role is on record for this employee',
    ),
    'The steps above run on their own; nothing is needed from you for them.',
  ].join('\n');
}
