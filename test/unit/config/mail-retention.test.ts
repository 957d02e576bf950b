/** The stage's mailRetention setting: each stage's choice, its default, and bad input refused naming the field. */
import { DEFAULT_MAIL_RETENTION, parseMailRetention } from '../../../config/mail-retention';
import { loadStageConfig } from '../../../config/stages';

describe('mailRetention', () => {
  it('the local stage keeps mail on a Vault hold; dev and prod keep none until they choose', () => {
    expect(loadStageConfig('local').mailRetention).toEqual({ method: 'vault-hold', matterName: 'Leavers' });
    expect(loadStageConfig('dev').mailRetention).toEqual({ method: 'none', matterName: 'Leavers' });
    expect(loadStageConfig('prod').mailRetention).toEqual(DEFAULT_MAIL_RETENTION);
  });

  it('reads what a function was given, trimming the matter name; nothing given is the default', () => {
    expect(parseMailRetention(undefined)).toEqual(DEFAULT_MAIL_RETENTION);
    expect(parseMailRetention(JSON.stringify({ method: 'archived-user-license', matterName: ' Former staff ' }))).toEqual({ method: 'archived-user-license', matterName: 'Former staff' });
  });

  it.each([
    [{ method: 'tape' }, 'mailRetention.method'],
    [{ method: 'vault-hold', matterName: '  ' }, 'mailRetention.matterName: must name a matter'],
    [{ method: 'vault-hold', holdName: 'x' }, 'mailRetention: Unrecognized key: "holdName"'],
  ])('refuses %j, naming the field', (setting, message) => {
    expect(() => parseMailRetention(JSON.stringify(setting))).toThrow(message);
  });
});
