/** The stage's mailboxDelegation setting: its default, and bad input refused naming the field. */
import { DEFAULT_MAILBOX_DELEGATION, parseMailboxDelegation } from '../../../config/mailbox-delegation';
import { loadStageConfig, STAGE_NAMES } from '../../../config/stages';

describe('mailboxDelegation', () => {
  it.each(STAGE_NAMES)('the %s stage stops for an operator when the manager is full', (stage) => {
    expect(loadStageConfig(stage).mailboxDelegation).toEqual({ whenManagerFull: 'operator', overflowDelegates: [] });
  });

  it('reads what a function was given, lower-casing the addresses; nothing given is the default', () => {
    expect(parseMailboxDelegation(undefined)).toEqual(DEFAULT_MAILBOX_DELEGATION);
    expect(parseMailboxDelegation(JSON.stringify({ whenManagerFull: 'overflow', overflowDelegates: ['Mailboxes@Example.com'] }))).toEqual({
      whenManagerFull: 'overflow',
      overflowDelegates: ['mailboxes@example.com'],
    });
  });

  it.each([
    [{ whenManagerFull: 'overflow' }, 'mailboxDelegation.overflowDelegates: must name at least one delegate when whenManagerFull is overflow'],
    [{ whenManagerFull: 'overflow', overflowDelegates: ['a@example.com', 'A@example.com'] }, 'mailboxDelegation.overflowDelegates.1: duplicate delegate a@example.com'],
    [{ overflowDelegates: ['not an address'] }, 'mailboxDelegation.overflowDelegates.0: must be an email address'],
    [{ whenManagerFull: 'manager' }, 'mailboxDelegation.whenManagerFull'],
    [{ whenFull: 'operator' }, 'mailboxDelegation: Unrecognized key: "whenFull"'],
  ])('refuses %j, naming the field', (setting, message) => {
    expect(() => parseMailboxDelegation(JSON.stringify(setting))).toThrow(message);
  });
});
