/**
 * The doors a leaver's cut-off closes besides sign-in (recovery email and phone, POP and IMAP, send-as addresses,
 * aliases) and the role's grants revoked at the cut-off (team calendars, custom schema fields), against the Google
 * emulator through the real clients: the change read back through the API, already done, no account, a provider
 * error, what is recorded, and the restore that puts it back.
 */
import type { ActionDefinition } from '../../../../lambdas/actions/define-action';
import { removeAliases } from '../../../../lambdas/actions/google/remove-aliases';
import { removeRecoveryInfo } from '../../../../lambdas/actions/google/remove-recovery-info';
import { removeSendAs } from '../../../../lambdas/actions/google/remove-send-as';
import { restoreAliases } from '../../../../lambdas/actions/google/restore-aliases';
import { restoreCalendars } from '../../../../lambdas/actions/google/restore-calendars';
import { restoreCustomSchemas } from '../../../../lambdas/actions/google/restore-custom-schemas';
import { restorePopImap } from '../../../../lambdas/actions/google/restore-pop-imap';
import { restoreRecoveryInfo } from '../../../../lambdas/actions/google/restore-recovery-info';
import { restoreSendAs } from '../../../../lambdas/actions/google/restore-send-as';
import { turnOffPopImap } from '../../../../lambdas/actions/google/turn-off-pop-imap';
import { unshareCalendars } from '../../../../lambdas/actions/google/unshare-calendars';
import { updateCustomSchemas } from '../../../../lambdas/actions/google/update-custom-schemas';
import { restoreRuleFor } from '../../../../lambdas/actions/catalog';
import { runAction } from '../../../../lambdas/actions/run-action';
import { expectFailure, expectOk, useGoogleTestBed, type GoogleTestBed } from '../../../support/google-emulator';

const currentBed = useGoogleTestBed();
let bed: GoogleTestBed;
beforeEach(() => {
  bed = currentBed();
});

type Def = ActionDefinition<unknown>;
const ok = expectOk;
const g = () => bed.ctx.providers.google!();
const ada = () => bed.sample.users.ada.email;
const gmail = () => g().gmailFor(ada());
const user = async () => (await g().directory.users.get({ userKey: ada(), projection: 'full' })).data;
const run = (def: Def, params: Record<string, unknown> = {}, employee = {}, progress?: Record<string, unknown>) =>
  runAction(def, bed.ctx, bed.request(def.name, { params, employee, ...(progress ? { progress } : {}) }));
const restore = (def: Def, result: unknown, employee = {}) => runAction(def, bed.ctx, bed.request(def.name, { eventType: 'cancel', params: { result }, employee }));
const nobody = { id: 'E999', email: 'nobody@example.com' };
const sorted = (xs: (string | null | undefined)[]) => [...xs].sort();

const TEAM = () => bed.sample.calendars.support;

interface Door {
  removal: Def;
  params?: Record<string, unknown>;
  restore: Def;
  /** Gives the sample what the removal takes, where it has none of it. */
  setup?: () => Promise<void>;
  /** What the removal changes, read through the API. */
  state: () => Promise<unknown>;
  /** The state once the removal ran. */
  closed: unknown;
  /** The removal's write, for fault injection. */
  write: { method: string; path: string };
  /** The restore's write. */
  restoreWrite: { method: string; path: string };
}

const doors: [string, Door][] = [
  [
    'removeRecoveryInfo → restoreRecoveryInfo',
    {
      removal: removeRecoveryInfo as Def,
      restore: restoreRecoveryInfo as Def,
      state: async () => {
        const u = (await user()) as { recoveryEmail?: string; recoveryPhone?: string };
        return { recoveryEmail: u.recoveryEmail ?? null, recoveryPhone: u.recoveryPhone ?? null };
      },
      closed: { recoveryEmail: null, recoveryPhone: null },
      write: { method: 'PATCH', path: '/admin/directory/v1/users/' },
      restoreWrite: { method: 'PATCH', path: '/admin/directory/v1/users/' },
    },
  ],
  [
    'turnOffPopImap → restorePopImap',
    {
      removal: turnOffPopImap as Def,
      restore: restorePopImap as Def,
      state: async () => {
        const settings = (await gmail()).users.settings;
        const pop = (await settings.getPop({ userId: ada() })).data;
        const imap = (await settings.getImap({ userId: ada() })).data;
        return { pop: pop.accessWindow, disposition: pop.disposition, imap: imap.enabled };
      },
      closed: { pop: 'disabled', disposition: 'archive', imap: false },
      write: { method: 'PUT', path: '/settings/pop$' },
      restoreWrite: { method: 'PUT', path: '/settings/pop$' },
    },
  ],
  [
    'removeSendAs → restoreSendAs',
    {
      removal: removeSendAs as Def,
      restore: restoreSendAs as Def,
      state: async () =>
        ((await (await gmail()).users.settings.sendAs.list({ userId: ada() })).data.sendAs ?? []).map((s) => ({
          sendAsEmail: s.sendAsEmail,
          displayName: s.displayName,
          signature: s.signature,
          isPrimary: s.isPrimary ?? false,
          verificationStatus: s.verificationStatus ?? null,
        })),
      closed: [{ sendAsEmail: 'ada.lovelace@example.com', displayName: 'Ada Lovelace', signature: '', isPrimary: true, verificationStatus: null }],
      write: { method: 'DELETE', path: '/settings/sendAs/' },
      restoreWrite: { method: 'POST', path: '/settings/sendAs$' },
    },
  ],
  [
    'removeAliases → restoreAliases',
    {
      removal: removeAliases as Def,
      restore: restoreAliases as Def,
      state: async () => sorted(((await g().directory.users.aliases.list({ userKey: ada() })).data.aliases as { alias?: string }[] | undefined ?? []).map((a) => a.alias)),
      closed: [],
      write: { method: 'DELETE', path: '/aliases/' },
      restoreWrite: { method: 'POST', path: '/aliases$' },
    },
  ],
  [
    'unshareCalendars (the role\'s team calendar) → restoreCalendars',
    {
      removal: unshareCalendars as Def,
      params: { calendars: [] },
      restore: restoreCalendars as Def,
      setup: async () => {
        await g().calendar.acl.insert({ calendarId: TEAM(), requestBody: { role: 'writer', scope: { type: 'user', value: ada() } } });
      },
      state: async () => {
        const rule = await g().calendar.acl.get({ calendarId: TEAM(), ruleId: `user:${ada()}` }).then((r) => r.data.role, () => null);
        return rule;
      },
      closed: null,
      write: { method: 'DELETE', path: '/acl/' },
      restoreWrite: { method: 'POST', path: '/acl$' },
    },
  ],
  [
    'updateCustomSchemas (the role\'s SAML.role cleared) → restoreCustomSchemas',
    {
      removal: updateCustomSchemas as Def,
      params: { set: {}, remove: ['SAML.role'] },
      restore: restoreCustomSchemas as Def,
      setup: async () => {
        await g().directory.users.update({ userKey: ada(), requestBody: { customSchemas: { SAML: { role: 'engineer' } } } });
      },
      state: async () => ((await user()).customSchemas ?? {}) as unknown,
      closed: { Employment: { employeeId: 'E1001', costCenter: 'R&D' } },
      write: { method: 'PUT', path: '/admin/directory/v1/users/' },
      restoreWrite: { method: 'PUT', path: '/admin/directory/v1/users/' },
    },
  ],
];

describe.each(doors)('%s', (_name, door) => {
  const params = () => (door.removal.name === 'google.unshareCalendars' ? { calendars: [TEAM()] } : (door.params ?? {}));
  const remove = async () => ok(await run(door.removal, params())).result;

  beforeEach(async () => {
    await door.setup?.();
  });

  it('the sample leaver has it open before the cut-off', async () => {
    expect(await door.state()).not.toEqual(door.closed);
  });

  it('closes it, as read back through the API, and records what it took', async () => {
    const result = await remove();
    expect(await door.state()).toEqual(door.closed);
    expect(JSON.stringify(result)).not.toBe('{}');
  });

  it('run again, is already done: a success that records nothing more and changes nothing', async () => {
    await remove();
    const again = ok(await run(door.removal, params()));
    expect(again.note).toMatch(/already|no |not shared|none/i);
    expect(await door.state()).toEqual(door.closed);
    // What the second run recorded gives a restore nothing to put back.
    expect(ok(await restore(door.restore, again.result)).note).toMatch(/^nothing to restore|already/);
    expect(await door.state()).toEqual(door.closed);
  });

  it('treats a leaver with no account as done', async () => {
    const res = ok(await run(door.removal, params(), nobody));
    expect(res.note).toMatch(/^no Google account nobody@example.com/);
  });

  it.each([
    [503, true],
    [403, false],
  ])('a %i on its write fails, retryable: %s, naming the answer, and nothing is lost', async (status, retryable) => {
    const before = await door.state();
    bed.emulator.faults.failNext({ ...door.write, count: 1, status, ...(status === 403 ? { reason: 'forbidden' } : {}) });
    const res = await run(door.removal, params());
    const error = expectFailure(res);
    expect(error.retryable).toBe(retryable);
    expect(error.providerAnswer).toContain(String(status));
    expect(await door.state()).toEqual(before);
  });

  it('refuses a parameter it does not take, before calling Google', async () => {
    const requests = bed.emulator.faults.requests;
    const res = await run(door.removal, { ...params(), extra: true });
    expect(expectFailure(res)).toMatchObject({ retryable: false });
    expect(expectFailure(res).message).toContain('extra');
    expect(bed.emulator.faults.requests).toBe(requests);
  });

  it('is put back by its restore, as read back through the API; a second restore is already done', async () => {
    const before = await door.state();
    const result = await remove();
    expect(await door.state()).not.toEqual(before);
    const back = ok(await restore(door.restore, result));
    expect(back.note).not.toMatch(/^nothing to restore/);
    expect(await door.state()).toEqual(before);
    const again = ok(await restore(door.restore, result));
    expect(again.note).toMatch(/already/);
    expect(await door.state()).toEqual(before);
  });

  it('has nothing to restore when the removal recorded nothing', async () => {
    const res = ok(await restore(door.restore, {}));
    expect(res.note).toMatch(/^nothing to restore: /);
  });

  it('a restore whose write answers 503 is retryable and one onto an account that is gone is not', async () => {
    const result = await remove();
    bed.emulator.faults.failNext({ ...door.restoreWrite, count: 1, status: 503 });
    expect(expectFailure(await restore(door.restore, result)).retryable).toBe(true);
    const gone = expectFailure(await restore(door.restore, result, nobody));
    expect(gone.retryable).toBe(false);
    expect(gone.message).toContain('nobody@example.com');
  });
});

describe('what the doors record, and the cases an operator must see', () => {
  it('removeRecoveryInfo records the email and the phone it removed', async () => {
    const res = ok(await run(removeRecoveryInfo as Def));
    expect(res.result).toEqual({ removed: { recoveryEmail: 'ada.byron@home.example', recoveryPhone: '+447700900461' } });
    expect(res.note).toBe('removed the recovery email and recovery phone');
  });

  it('a retry after a failed read-back still records what the first attempt removed', async () => {
    // The first attempt cleared the channels, then failed: its progress holds them; the retry finds nothing left.
    await g().directory.users.patch({ userKey: ada(), requestBody: { recoveryEmail: '', recoveryPhone: '' } });
    const progress = { removed: { recoveryEmail: 'ada.byron@home.example', recoveryPhone: '+447700900461' } };
    const res = ok(await run(removeRecoveryInfo as Def, {}, {}, progress));
    expect(res.result).toEqual(progress);
  });

  it('restoreRecoveryInfo leaves a recovery phone set since as it is', async () => {
    const result = ok(await run(removeRecoveryInfo as Def)).result;
    await g().directory.users.patch({ userKey: ada(), requestBody: { recoveryPhone: '+447700900999' } });
    const res = ok(await restore(restoreRecoveryInfo as Def, result));
    expect(res.note).toContain('recovery phone set since: left as is');
    const u = (await user()) as { recoveryEmail?: string; recoveryPhone?: string };
    expect([u.recoveryEmail, u.recoveryPhone]).toEqual(['ada.byron@home.example', '+447700900999']);
  });

  it('turnOffPopImap records the POP window and disposition and the IMAP settings it found', async () => {
    const res = ok(await run(turnOffPopImap as Def));
    expect(res.result).toEqual({ removed: { pop: { accessWindow: 'allMail', disposition: 'archive' }, imap: { enabled: true, autoExpunge: true, expungeBehavior: 'archive', maxFolderSize: 0 } } });
  });

  it('turnOffPopImap on a mailbox with no mail service is for an operator, and changes nothing', async () => {
    await g().directory.users.patch({ userKey: ada(), requestBody: { suspended: true } });
    const error = expectFailure(await run(turnOffPopImap as Def));
    expect(error).toMatchObject({ retryable: false });
    expect(error.message).toContain('no mail service');
  });

  it('removeSendAs records each custom address with its fields and never touches the primary one', async () => {
    const res = ok(await run(removeSendAs as Def));
    expect(res.result).toEqual({
      removed: { sendAs: [{ sendAsEmail: 'countess@example.com', displayName: 'The Countess of Lovelace', replyToAddress: '', signature: 'Ada', isDefault: false, treatAsAlias: false }] },
    });
  });

  it('restoreSendAs, run before the aliases are back, makes the address again pending its owner, and says so', async () => {
    const aliases = ok(await run(removeAliases as Def)).result;
    const sendAs = ok(await run(removeSendAs as Def)).result;
    const early = ok(await restore(restoreSendAs as Def, sendAs));
    expect(early.note).toContain("pending until their owner confirms Gmail's verification mail: countess@example.com");
    await (await gmail()).users.settings.sendAs.delete({ userId: ada(), sendAsEmail: 'countess@example.com' });
    // In a cancel the aliases come back first (phase 2, the send-as addresses phase 3): accepted at once.
    expect(restoreRuleFor('google.removeAliases')!.phase).toBeLessThan(restoreRuleFor('google.removeSendAs')!.phase);
    ok(await restore(restoreAliases as Def, aliases));
    ok(await restore(restoreSendAs as Def, sendAs));
    const back = (await (await gmail()).users.settings.sendAs.get({ userId: ada(), sendAsEmail: 'countess@example.com' })).data;
    expect(back).toMatchObject({ verificationStatus: 'accepted', displayName: 'The Countess of Lovelace', signature: 'Ada' });
  });

  it('removeAliases keeps the alias the HR event names the account by, and says so', async () => {
    const res = ok(await run(removeAliases as Def, {}, { email: 'ada@example.com' }));
    expect(res.result).toEqual({ removed: { aliases: ['countess@example.com'] } });
    expect(res.note).toContain('kept ada@example.com');
    expect(bed.emulator.user(ada())!.aliases).toEqual(['ada@example.com']);
  });

  it('restoreAliases: an address taken meanwhile goes to an operator, named, after the others are back', async () => {
    const result = ok(await run(removeAliases as Def)).result;
    await g().directory.users.aliases.insert({ userKey: bed.sample.users.alan.email, requestBody: { alias: 'countess@example.com' } });
    const error = expectFailure(await restore(restoreAliases as Def, result));
    expect(error.retryable).toBe(false);
    expect(error.message).toContain("countess@example.com is now another user's, group's or alias's address");
    expect(error.message).toContain('Restored: ada@example.com');
    expect(bed.emulator.user(ada())!.aliases).toEqual(['ada@example.com']);
  });

  it('a Google refusal of a malformed recovery phone names the field', async () => {
    await expect(g().directory.users.patch({ userKey: ada(), requestBody: { recoveryPhone: '07700 900461' } })).rejects.toThrow(/recovery_phone/);
  });
});
