/** The leaver's Gmail steps on an account with no Gmail license: Gmail answers "Mail service not enabled", the step says what to do. */
import type { ActionDefinition } from '../../../../lambdas/actions/define-action';
import { delegateToManager } from '../../../../lambdas/actions/google/delegate-to-manager';
import { removeDelegation } from '../../../../lambdas/actions/google/remove-delegation';
import { removeExternalForwarding } from '../../../../lambdas/actions/google/remove-external-forwarding';
import { setAutoReply } from '../../../../lambdas/actions/google/set-auto-reply';
import { runAction } from '../../../../lambdas/actions/run-action';
import { expectFailure, useGoogleTestBed, type GoogleTestBed } from '../../../support/google-emulator';

const currentBed = useGoogleTestBed();
let bed: GoogleTestBed;
beforeEach(() => {
  bed = currentBed();
});

const autoReply = { subject: 'Ada has left', message: 'Please write to {managerEmail}.' };

describe.each([
  ['google.setAutoReply', setAutoReply, autoReply, 'set an auto-reply'],
  ['google.delegateToManager', delegateToManager, {}, 'delegate the mailbox'],
  ['google.removeExternalForwarding', removeExternalForwarding, {}, 'stop its forwarding'],
  ['google.removeDelegation', removeDelegation, {}, 'remove its delegates'],
])('%s on a mailbox whose user holds no license', (name, def, params, what) => {
  it('fails for an operator, saying the account has no mail service and what to do, and changes nothing', async () => {
    const ada = bed.sample.users.ada.email;
    const before = bed.emulator.gmail(ada);
    // An admin took her license before the run.
    await bed.ctx.providers.google!().licensing.delete('Google-Apps', '1010020028', ada);
    const err = expectFailure(await runAction(def as ActionDefinition<unknown>, bed.ctx, bed.request(name, { params })));
    expect(err.retryable).toBe(false);
    expect(err.message).toContain(`ada.lovelace@example.com has no mail service: Gmail answers "Mail service not enabled" (the account is suspended or holds no Google Workspace license), so nothing can ${what}`);
    expect(err.message).toContain('give it its license back');
    expect(bed.emulator.gmail(ada)).toEqual(before);
  });
});
