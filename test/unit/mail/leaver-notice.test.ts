import { leaverNoticeSubject, leaverNoticeText, noticeItems, type LeaverNoticeInput } from '../../../lambdas/mail/leaver-notice';

// Ada's last day is Monday 30 November 2026 in New York (UTC-5): the cut-off is 2026-12-01T05:00Z.
const CUTOFF = '2026-12-01T05:00:00.000Z';
const input: LeaverNoticeInput = {
  employee: { id: 'E100', firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', managerEmail: 'grace@example.com', timezone: 'America/New_York' },
  lastDay: '2026-11-30',
  cutoffAt: CUTOFF,
  runId: 'run-9',
  manager: 'grace@example.com',
  role: { name: 'support-agent', manualTasks: ['Order a laptop', 'Issue a building badge'] },
  steps: [
    { stepId: 'sign-out', action: 'google.signOut', status: 'pending', dueAt: CUTOFF },
    { stepId: 'remove-from-groups', action: 'google.removeFromGroups', status: 'pending', dueAt: CUTOFF },
    { stepId: 'delegate-to-manager', action: 'google.delegateToManager', status: 'pending', dueAt: CUTOFF },
    { stepId: 'transfer-data', action: 'google.transferData', status: 'pending', dueAt: '2026-12-01T14:00:00.000Z' },
    { stepId: 'remove-delegation', action: 'google.removeDelegation', status: 'pending', dueAt: '2026-12-30T14:00:00.000Z' },
    { stepId: 'suspend-user', action: 'google.suspendUser', status: 'pending', dueAt: '2026-12-30T14:00:00.000Z' },
    { stepId: 'forward-event', action: 'forward.event', status: 'pending', dueAt: CUTOFF },
    { stepId: 'wipe-laptop', action: 'acme.wipeLaptop', status: 'pending', dueAt: CUTOFF },
    // Finished or dropped steps have nothing to announce.
    { stepId: 'hide', action: 'google.hideFromDirectory', status: 'cancelled', dueAt: CUTOFF },
    { stepId: 'other-notice', action: 'google.sendLeaverNotice', status: 'pending', dueAt: '2026-11-27T14:00:00.000Z' },
  ],
  describe: (action) => (action === 'acme.wipeLaptop' ? 'Wipe the laptop remotely.' : undefined),
};
const text = (over: Partial<LeaverNoticeInput> = {}) => leaverNoticeText({ ...input, ...over });

describe('the leaver notice', () => {
  it('names the leaver and the last day in the subject', () => {
    expect(leaverNoticeSubject(input)).toBe('Leaver notice: Ada Lovelace leaves on Monday 30 November 2026');
  });

  it('gives the cut-off in the leaver’s zone', () => {
    expect(text()).toContain('Their last day is Monday 30 November 2026.\nTheir access ends at the cut-off, the end of that day: Tuesday 1 December 2026, 00:00 America/New_York.');
    const berlin = text({ employee: { ...input.employee, timezone: 'Europe/Berlin' }, cutoffAt: '2026-11-30T23:00:00.000Z' });
    expect(berlin).toContain('the end of that day: Tuesday 1 December 2026, 00:00 Europe/Berlin.');
  });

  it('lists what will be removed by when, the cut-off first, in words', () => {
    expect(text()).toContain(
      [
        'What will be removed:',
        '  At the cut-off (Tuesday 1 December 2026, 00:00 America/New_York):',
        '    - signed out of every Google session',
        '    - removed from every Google group',
        '  On Wednesday 30 December 2026, 09:00 America/New_York:',
        '    - access to the mailbox removed from every delegate, grace@example.com included',
        '    - Google account suspended',
        '',
      ].join('\n'),
    );
    expect(text()).not.toContain('hidden from the company address list');
  });

  it('lists what will be transferred, to the manager, and when', () => {
    expect(text()).toContain(
      [
        'What will be transferred:',
        '  At the cut-off (Tuesday 1 December 2026, 00:00 America/New_York):',
        '    - the mailbox: grace@example.com can read it and reply from it (mail delegation)',
        '  On Tuesday 1 December 2026, 09:00 America/New_York:',
        '    - Drive files (private and shared) and future Calendar events with guests: ownership goes to grace@example.com',
        '',
      ].join('\n'),
    );
  });

  it('says what is kept: the account suspended, not deleted, and the manager’s access until it ends', () => {
    expect(text()).toContain(
      [
        'What will be kept:',
        '  - The Google account is suspended on Wednesday 30 December 2026, 09:00 America/New_York, not deleted: its mail and files stay with the company.',
        '  - The mailbox stays open to grace@example.com until Wednesday 30 December 2026, 09:00 America/New_York.',
        '',
      ].join('\n'),
    );
    const deleting = text({ steps: [...input.steps, { stepId: 'delete-user', action: 'google.deleteUser', status: 'pending', dueAt: '2027-05-29T13:00:00.000Z' }] });
    expect(deleting).toContain('  - The Google account is kept, suspended from Wednesday 30 December 2026, 09:00 America/New_York, until it is deleted on Saturday 29 May 2027, 09:00 America/New_York.');
    expect(text({ steps: [] })).toContain('What will be kept:\n  - The Google account stays: no suspension or deletion is planned.\n');
  });

  it('describes an action it has no words for by its catalog line, under Also planned', () => {
    expect(text()).toContain("Also planned:\n  At the cut-off (Tuesday 1 December 2026, 00:00 America/New_York):\n    - the departure is passed on to the company's other systems\n    - Wipe the laptop remotely.\n");
  });

  it('lists the role’s manual tasks as what to collect or close by hand', () => {
    expect(text()).toMatch(/To collect or close by hand \(the role's manual tasks, written for a joiner: collect or close what each gave\):\n {2}- Order a laptop\n {2}- Issue a building badge\n/);
    expect(text({ role: { name: 'contractor', manualTasks: [] } })).toContain('nothing listed: the role contractor lists no manual tasks');
    expect(text({ role: undefined })).toContain('nothing listed: no role is on record for this employee');
  });

  it('with no manager (the operators get it) speaks of the manager', () => {
    const none = text({ manager: undefined, employee: { ...input.employee, managerEmail: undefined } });
    expect(none).toContain('the mailbox: the manager can read it');
    expect(none).toContain('The mailbox stays open to the manager until');
    expect(none).not.toContain('grace@example.com');
  });

  it('counts each step once, of one kind, and leaves the notice itself out', () => {
    const kinds = noticeItems(input).map((i) => [i.stepId, i.kind]);
    expect(kinds).toEqual([
      ['sign-out', 'removed'],
      ['remove-from-groups', 'removed'],
      ['delegate-to-manager', 'transferred'],
      ['transfer-data', 'transferred'],
      ['remove-delegation', 'removed'],
      ['suspend-user', 'removed'],
      ['forward-event', 'other'],
      ['wipe-laptop', 'other'],
    ]);
  });
});
