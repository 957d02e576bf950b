/** The stage's handover setting: its default, and bad input refused naming the field. */
import { DEFAULT_HANDOVER, parseHandover } from '../../../config/handover';
import { loadStageConfig, STAGE_NAMES } from '../../../config/stages';

describe('handover', () => {
  it.each(STAGE_NAMES)("the %s stage hands a leaver's sole-owner resources to the manager", (stage) => {
    expect(loadStageConfig(stage).handover).toEqual({ to: 'manager' });
  });

  it('reads what a function was given, lower-casing the owner; nothing given is the default', () => {
    expect(parseHandover(undefined)).toEqual(DEFAULT_HANDOVER);
    expect(parseHandover(JSON.stringify({ to: 'owner', owner: 'IT.Lead@Example.com' }))).toEqual({ to: 'owner', owner: 'it.lead@example.com' });
  });

  it.each([
    [{ to: 'owner' }, "handover.owner: must name an account when to is 'owner'"],
    [{ owner: 'not an address' }, 'handover.owner: must be an email address'],
    [{ to: 'team' }, 'handover.to'],
    [{ ownr: 'a@example.com' }, 'handover: Unrecognized key: "ownr"'],
  ])('refuses %j, naming the field', (setting, message) => {
    expect(() => parseHandover(JSON.stringify(setting))).toThrow(message);
  });
});
