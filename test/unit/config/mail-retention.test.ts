/** The stage's mailRetention setting: each stage's choice, its default, and bad input refused naming the field. */
import { DEFAULT_MAIL_RETENTION, parseMailRetention } from '../../../config/mail-retention';
import { loadStageConfig } from '../../../config/stages';
import { checkDeletionKeepsMail, parsePlaybooks, playbooks } from '../../../config/playbooks';

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

describe('a Vault hold and the deletion of the account', () => {
  // The default playbook with delete-user turned on.
  const deleting = parsePlaybooks({
    ...playbooks,
    terminate: { ...playbooks.terminate, steps: playbooks.terminate.steps.map((s) => (s.id === 'delete-user' ? { ...s, enabled: true } : s)) },
  });

  it('refuses a stage on vault-hold whose playbook deletes the account, naming both fields', () => {
    expect(() => checkDeletionKeepsMail(deleting, { method: 'vault-hold', matterName: 'Leavers' }, 'prod')).toThrow(
      /stage prod: mailRetention\.method is vault-hold, and the terminate playbook's step delete-user \(google\.deleteUser\) is enabled/,
    );
  });

  it('allows the deletion with archived-user-license or none, and vault-hold with the deletion off (the default playbook)', () => {
    expect(() => checkDeletionKeepsMail(deleting, { method: 'archived-user-license', matterName: 'Leavers' }, 'prod')).not.toThrow();
    expect(() => checkDeletionKeepsMail(deleting, { method: 'none', matterName: 'Leavers' }, 'prod')).not.toThrow();
    expect(() => checkDeletionKeepsMail(playbooks, { method: 'vault-hold', matterName: 'Leavers' }, 'local')).not.toThrow();
    expect(() => loadStageConfig('local')).not.toThrow();
  });
});
