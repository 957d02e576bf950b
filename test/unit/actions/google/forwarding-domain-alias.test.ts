/**
 * Forwarding to an address on one of the tenant's domain aliases: Gmail accepts it at once, as on the primary domain,
 * so google.removeExternalForwarding keeps it (it is inside) and google.restoreForwarding turns it back on without
 * waiting for a confirmation (docs/google-refusals.md, "Gmail").
 */
import type { ActionDefinition } from '../../../../lambdas/actions/define-action';
import { removeExternalForwarding } from '../../../../lambdas/actions/google/remove-external-forwarding';
import { restoreForwarding } from '../../../../lambdas/actions/google/restore-forwarding';
import { runAction } from '../../../../lambdas/actions/run-action';
import { expectOk, useGoogleTestBed, type GoogleTestBed } from '../../../support/google-emulator';

const currentBed = useGoogleTestBed();
let bed: GoogleTestBed;
beforeEach(() => {
  bed = currentBed();
  bed.emulator.addDomainAlias('example.org');
});

type Def = ActionDefinition<unknown>;
const ada = () => bed.sample.users.ada.email;
const ALIAS_ADDRESS = 'grace.hopper@example.org';
const settings = async () => (await bed.ctx.providers.google!().gmailFor(ada())).users.settings;

describe('google.removeExternalForwarding with a domain alias', () => {
  it('keeps auto-forwarding to an address on a domain alias, and removes the outside one', async () => {
    bed.emulator.seedForwardingAddress(ada(), ALIAS_ADDRESS);
    bed.emulator.seedForwardingAddress(ada(), 'ada@home.example');
    await (await settings()).updateAutoForwarding({ userId: ada(), requestBody: { enabled: true, emailAddress: ALIAS_ADDRESS, disposition: 'leaveInInbox' } });

    const res = expectOk(await runAction(removeExternalForwarding as Def, bed.ctx, bed.request('google.removeExternalForwarding')));
    expect(res.result).toEqual({ removed: { autoForwarding: null, forwardingAddresses: ['ada@home.example'] } });
    expect(res.note).toBe('stopped forwarding outside example.com, example.org');
    const after = bed.emulator.gmail(ada());
    expect(after.autoForwarding).toMatchObject({ enabled: true, emailAddress: ALIAS_ADDRESS });
    expect(after.forwardingAddresses.map((f) => f.forwardingEmail).sort()).toEqual(['grace.hopper@example.com', ALIAS_ADDRESS]);
  });
});

describe('google.restoreForwarding to a domain alias', () => {
  it('turns auto-forwarding back on at once: Gmail accepts the address without a confirmation', async () => {
    const result = { removed: { autoForwarding: { emailAddress: ALIAS_ADDRESS, disposition: 'archive' }, forwardingAddresses: [ALIAS_ADDRESS] } };
    const res = expectOk(await runAction(restoreForwarding as Def, bed.ctx, bed.request('google.restoreForwarding', { eventType: 'cancel', params: { result } })));
    expect(res.note).toBe(`re-created forwarding address(es) ${ALIAS_ADDRESS}; auto-forwarding to ${ALIAS_ADDRESS} again`);
    expect(bed.emulator.gmail(ada()).autoForwarding).toEqual({ enabled: true, emailAddress: ALIAS_ADDRESS, disposition: 'archive' });
  });
});
