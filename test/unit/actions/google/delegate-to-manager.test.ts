/**
 * google.delegateToManager against Gmail's refusals: the manager resolved to their primary address, and a manager
 * already delegate of as many mailboxes as Google allows (docs/google-refusals.md, "Gmail").
 */
import type { ActionDefinition } from '../../../../lambdas/actions/define-action';
import { delegateToManager } from '../../../../lambdas/actions/google/delegate-to-manager';
import { removeDelegation } from '../../../../lambdas/actions/google/remove-delegation';
import { restoreDelegates } from '../../../../lambdas/actions/google/restore-delegates';
import { runAction } from '../../../../lambdas/actions/run-action';
import { expectFailure, expectOk, useGoogleTestBed, type GoogleTestBed, sampleOf } from '../../../support/google-emulator';

const currentBed = useGoogleTestBed();
let bed: GoogleTestBed;
beforeEach(() => {
  bed = currentBed();
});

type Def = ActionDefinition<unknown>;
const { ada, grace } = sampleOf(() => bed);
const delegate = (employee: Record<string, unknown> = {}) => runAction(delegateToManager as Def, bed.ctx, bed.request('google.delegateToManager', { employee }));
const delegatesOf = (email: string) => bed.emulator.gmail(email).delegates.map((d) => d.delegateEmail);

/** Earlier leavers, managed by Grace, whose mailboxes she is delegate of (each bound to its employee id). */
function earlierLeavers(count: number): { id: string; email: string }[] {
  return bed.emulator.batch(() =>
    Array.from({ length: count }, (_, i) => {
      const email = `leaver${i + 1}@example.com`;
      const id = `E2${String(i + 1).padStart(2, '0')}`;
      bed.emulator.seedUser({ email, employeeId: id, givenName: 'Leaver', familyName: String(i + 1), manager: grace(), license: true });
      bed.emulator.seedDelegate(email, grace());
      return { id, email };
    }),
  );
}

function sharedDelegates(...emails: string[]): void {
  bed.emulator.batch(() => emails.forEach((email) => bed.emulator.seedUser({ email, givenName: 'Shared', familyName: 'Mailboxes', license: true })));
}

describe('the manager resolved to their primary address', () => {
  it('delegates to the primary address when HR gives an alias, and records the primary', async () => {
    // Grace was renamed: HR still has her old address, which Google keeps as an alias.
    await bed.ctx.providers.google!().directory.users.patch({ userKey: grace(), requestBody: { primaryEmail: 'grace@example.com' } });
    const res = expectOk(await delegate());
    expect(res.result).toMatchObject({ delegate: 'grace@example.com', added: { delegates: ['grace@example.com'] }, removed: { delegates: ['alan.turing@example.com'] } });
    expect(res.note).toBe('grace@example.com is the only delegate (the manager, given as grace.hopper@example.com)');
    expect(delegatesOf(ada())).toEqual(['grace@example.com']);
  });

  it('an unknown manager fails for an operator, naming the address, and changes nothing', async () => {
    const err = expectFailure(await delegate({ managerEmail: 'nobody@example.com' }));
    expect(err.retryable).toBe(false);
    expect(err.message).toContain("employee E100's managerEmail nobody@example.com is no account of the domain");
    expect(delegatesOf(ada())).toEqual(['alan.turing@example.com']);
  });
});

describe('a manager already delegate of as many mailboxes as Google allows', () => {
  it('stops for an operator by default, naming the manager, the count and what to do, and leaves the mailbox as it was', async () => {
    earlierLeavers(10);
    const err = expectFailure(await delegate());
    expect(err.retryable).toBe(false);
    expect(err.message).toContain(
      'Gmail refused the manager grace.hopper@example.com as delegate for lack of room (Google answered 400 failedPrecondition "Delegate user cannot have any more delegators")',
    );
    expect(err.message).toContain('google.removeDelegation of an earlier leaver frees one at day +30');
    expect(err.message).toContain("set the stage's mailboxDelegation");
    expect(err.providerAnswer).toContain('400 failedPrecondition');
    expect(delegatesOf(ada())).toEqual(['alan.turing@example.com']);
  });

  it('a manager with 11 leavers: the 11th waits, and goes to the manager once day +30 frees a slot', async () => {
    const [first] = earlierLeavers(10);
    expect(expectFailure(await delegate()).retryable).toBe(false);
    // Day +30 of the first leaver: their delegation is removed.
    expectOk(await runAction(removeDelegation as Def, bed.ctx, bed.request('google.removeDelegation', { employee: { id: first.id, email: first.email } })));
    const res = expectOk(await delegate());
    expect(res.result).toMatchObject({ delegate: grace() });
    expect(delegatesOf(ada())).toEqual([grace()]);
    expect(bed.emulator.delegatorsOf(grace())).toHaveLength(10);
  });

  it('with an overflow delegate set for the stage, hands the mailbox to it and says why; a restore takes it back', async () => {
    earlierLeavers(10);
    sharedDelegates('mailboxes@example.com');
    bed.ctx.mailboxDelegation = () => ({ whenManagerFull: 'overflow', overflowDelegates: ['mailboxes@example.com'] });
    const res = expectOk(await delegate());
    expect(res.note).toContain('mailboxes@example.com (overflow delegate of the stage) is the only delegate: Google refused the manager grace.hopper@example.com another mailbox');
    expect(res.result).toEqual({ delegate: 'mailboxes@example.com', manager: grace(), added: { delegates: ['mailboxes@example.com'] }, removed: { delegates: ['alan.turing@example.com'] } });
    expect(delegatesOf(ada())).toEqual(['mailboxes@example.com']);

    expectOk(await runAction(restoreDelegates as Def, bed.ctx, bed.request('google.restoreDelegates', { eventType: 'cancel', params: { result: res.result } })));
    expect(delegatesOf(ada())).toEqual(['alan.turing@example.com']);
  });

  it('moves on to the next overflow delegate while Google refuses one, and to an operator when all are full', async () => {
    earlierLeavers(10);
    sharedDelegates('mailboxes-a@example.com', 'mailboxes-b@example.com');
    bed.emulator.setDelegateLimits({ delegatorsPerUser: 10 });
    // mailboxes-a is full too.
    bed.emulator.batch(() => ['leaver1', 'leaver2', 'leaver3', 'leaver4', 'leaver5', 'leaver6', 'leaver7', 'leaver8', 'leaver9', 'leaver10'].forEach((l) => bed.emulator.seedDelegate(`${l}@example.com`, 'mailboxes-a@example.com')));
    bed.ctx.mailboxDelegation = () => ({ whenManagerFull: 'overflow', overflowDelegates: ['mailboxes-a@example.com', 'mailboxes-b@example.com'] });
    expect(expectOk(await delegate()).result).toMatchObject({ delegate: 'mailboxes-b@example.com' });

    bed.emulator.setDelegateLimits({ delegatorsPerUser: 1 });
    const err = expectFailure(await delegate({ id: 'E101', email: bed.sample.users.alan.email }));
    expect(err.message).toContain("the stage's overflow delegates (mailboxes-a@example.com, mailboxes-b@example.com) were refused too");
  });

  it('a mailbox already holding as many delegates as Gmail allows (10) makes room for the manager', async () => {
    const others = fullMailbox();
    const res = expectOk(await delegate());
    expect(res.result).toMatchObject({ delegate: grace(), removed: { delegates: ['alan.turing@example.com', ...others] } });
    expect(delegatesOf(ada())).toEqual([grace()]);
  });

  it('takes "cannot have any more delegates" on a mailbox below the limit as the manager\'s side: no delegate is removed on those words alone', async () => {
    // Google is reported to answer these words for the delegate's side too.
    bed.emulator.faults.failNext({ method: 'POST', path: '/settings/delegates$', count: 1, status: 400, reason: 'failedPrecondition', message: 'Delegator user cannot have any more delegates' });
    const err = expectFailure(await delegate());
    expect(err.retryable).toBe(false);
    expect(err.message).toContain('Gmail refused the manager grace.hopper@example.com as delegate for lack of room (Google answered 400 failedPrecondition "Delegator user cannot have any more delegates")');
    expect(delegatesOf(ada())).toEqual(['alan.turing@example.com']);
  });
});

/** Fills Ada's mailbox to Gmail's 10 delegates (Alan and nine more); answers the nine. */
function fullMailbox(): string[] {
  return bed.emulator.batch(() =>
    Array.from({ length: 9 }, (_, i) => {
      const email = `reader${i + 1}@example.com`;
      bed.emulator.seedUser({ email, givenName: 'Reader', familyName: String(i + 1), license: true });
      bed.emulator.seedDelegate(ada(), email);
      return email;
    }),
  );
}

const restore = (result: unknown) => runAction(restoreDelegates as Def, bed.ctx, bed.request('google.restoreDelegates', { eventType: 'cancel', params: { result } }));

describe('a suspended manager', () => {
  it('holds the step for an operator before anything is delegated, overflow delegates or not', async () => {
    sharedDelegates('mailboxes@example.com');
    bed.ctx.mailboxDelegation = () => ({ whenManagerFull: 'overflow', overflowDelegates: ['mailboxes@example.com'] });
    await bed.ctx.providers.google!().directory.users.patch({ userKey: grace(), requestBody: { suspended: true } });
    const err = expectFailure(await delegate());
    expect(err).toMatchObject({ retryable: false, hold: 'beneficiary' });
    expect(err.message).toContain('grace.hopper@example.com is suspended');
    expect(delegatesOf(ada())).toEqual(['alan.turing@example.com']);
  });

  it('holds a retry that carries progress the same way', async () => {
    await bed.ctx.providers.google!().directory.users.patch({ userKey: grace(), requestBody: { suspended: true } });
    const err = expectFailure(await runAction(delegateToManager as Def, bed.ctx, bed.request('google.delegateToManager', { progress: { added: [], removed: ['someone@example.com'] } })));
    expect(err).toMatchObject({ retryable: false, hold: 'beneficiary' });
    expect(delegatesOf(ada())).toEqual(['alan.turing@example.com']);
  });
});

describe('what the step records across a retry', () => {
  it('a delegate added before a failure counts as added on the retry, so a restore takes it back', async () => {
    // The manager is added, then removing Alan gets a 500.
    bed.emulator.faults.failNext({ method: 'DELETE', path: '/settings/delegates/', count: 1, status: 500 });
    const err = expectFailure(await delegate());
    expect(err.retryable).toBe(true);
    expect(err.progress).toEqual({ added: [grace()], removed: [] });
    expect(delegatesOf(ada())).toEqual(['alan.turing@example.com', grace()]);

    const res = expectOk(await runAction(delegateToManager as Def, bed.ctx, bed.request('google.delegateToManager', { progress: err.progress })));
    expect(res.result).toMatchObject({ delegate: grace(), added: { delegates: [grace()] }, removed: { delegates: ['alan.turing@example.com'] } });
    expectOk(await restore(res.result));
    expect(delegatesOf(ada())).toEqual(['alan.turing@example.com']);
  });

  it('an overflow delegate added before a failure counts as added on the retry', async () => {
    earlierLeavers(10);
    sharedDelegates('mailboxes@example.com');
    bed.ctx.mailboxDelegation = () => ({ whenManagerFull: 'overflow', overflowDelegates: ['mailboxes@example.com'] });
    bed.emulator.faults.failNext({ method: 'DELETE', path: '/settings/delegates/', count: 1, status: 500 });
    const err = expectFailure(await delegate());
    expect(err.progress).toEqual({ added: ['mailboxes@example.com'], removed: [] });
    const res = expectOk(await runAction(delegateToManager as Def, bed.ctx, bed.request('google.delegateToManager', { progress: err.progress })));
    expect(res.result).toMatchObject({ delegate: 'mailboxes@example.com', added: { delegates: ['mailboxes@example.com'] } });
    expectOk(await restore(res.result));
    expect(delegatesOf(ada())).toEqual(['alan.turing@example.com']);
  });

  it('delegates removed from a full mailbox before the manager was refused are recorded by the retry, so a restore gives them back', async () => {
    const others = fullMailbox();
    const [first] = earlierLeavers(10);
    const err = expectFailure(await delegate());
    expect(err.retryable).toBe(false);
    expect(err.progress).toEqual({ added: [], removed: ['alan.turing@example.com', ...others] });
    expect(delegatesOf(ada())).toEqual([]);

    // A slot frees; the operator retries the step, which is handed the progress.
    expectOk(await runAction(removeDelegation as Def, bed.ctx, bed.request('google.removeDelegation', { employee: { id: first.id, email: first.email } })));
    const res = expectOk(await runAction(delegateToManager as Def, bed.ctx, bed.request('google.delegateToManager', { progress: err.progress })));
    expect(res.result).toMatchObject({ delegate: grace(), added: { delegates: [grace()] }, removed: { delegates: ['alan.turing@example.com', ...others] } });
    expectOk(await restore(res.result));
    expect(delegatesOf(ada()).sort()).toEqual(['alan.turing@example.com', ...others].sort());
  });
});

describe('the manager read once', () => {
  it('delegates with one read of the leaver, one of the manager, and the delegates listed once before and once after', async () => {
    const before = bed.emulator.faults.requests;
    expectOk(await delegate());
    // users.get of Ada (account check) and of Grace (beneficiary check), delegates.list, create Grace, delete Alan, delegates.list.
    expect(bed.emulator.faults.requests - before).toBe(6);
  });
});

describe('google.restoreDelegates after the manager was renamed', () => {
  it('takes the renamed manager out of the mailbox by their new primary address', async () => {
    const res = expectOk(await delegate());
    await bed.ctx.providers.google!().directory.users.patch({ userKey: grace(), requestBody: { primaryEmail: 'grace@example.com' } });
    expectOk(await restore(res.result));
    expect(delegatesOf(ada())).toEqual(['alan.turing@example.com']);
  });

  it('grants a removed delegate renamed since by the new primary address', async () => {
    const res = expectOk(await delegate());
    await bed.ctx.providers.google!().directory.users.patch({ userKey: 'alan.turing@example.com', requestBody: { primaryEmail: 'alan@example.com' } });
    expectOk(await restore(res.result));
    expect(delegatesOf(ada())).toEqual(['alan@example.com']);
  });
});

describe('google.removeDelegation across a retry', () => {
  it('records the delegates an earlier attempt removed, so a restore grants them again', async () => {
    bed.emulator.seedDelegate(ada(), bed.sample.users.katherine.email);
    bed.emulator.faults.failNext({ method: 'DELETE', path: '/settings/delegates/katherine', count: 1, status: 500 });
    const err = expectFailure(await runAction(removeDelegation as Def, bed.ctx, bed.request('google.removeDelegation')));
    expect(err).toMatchObject({ retryable: true, progress: { removed: ['alan.turing@example.com'] } });
    const res = expectOk(await runAction(removeDelegation as Def, bed.ctx, bed.request('google.removeDelegation', { progress: err.progress })));
    expect(res.result).toEqual({ removed: { delegates: ['alan.turing@example.com', bed.sample.users.katherine.email] } });
    expectOk(await restore(res.result));
    expect(delegatesOf(ada()).sort()).toEqual(['alan.turing@example.com', bed.sample.users.katherine.email].sort());
  });
});

describe('google.removeDelegation after the manager was renamed', () => {
  it('removes the manager, whom Gmail lists by the new primary address', async () => {
    expectOk(await delegate());
    await bed.ctx.providers.google!().directory.users.patch({ userKey: grace(), requestBody: { primaryEmail: 'grace@example.com' } });
    const res = expectOk(await runAction(removeDelegation as Def, bed.ctx, bed.request('google.removeDelegation')));
    expect(res.result).toEqual({ removed: { delegates: ['grace@example.com'] } });
    expect(delegatesOf(ada())).toEqual([]);
  });
});

describe('google.restoreDelegates within the limit', () => {
  it('a delegate who has no room left fails the restore for an operator, saying what to free, and the rest is restored', async () => {
    const res = expectOk(await delegate());
    // Alan, Ada's delegate before the run, became delegate of as many mailboxes as Gmail allows meanwhile.
    bed.emulator.setDelegateLimits({ delegatorsPerUser: 1 });
    bed.emulator.seedDelegate(bed.sample.users.katherine.email, 'alan.turing@example.com');
    const err = expectFailure(await runAction(restoreDelegates as Def, bed.ctx, bed.request('google.restoreDelegates', { eventType: 'cancel', params: { result: res.result } })));
    expect(err.retryable).toBe(false);
    expect(err.message).toContain(
      'alan.turing@example.com cannot be delegate of ada.lovelace@example.com again: Gmail refused alan.turing@example.com as delegate for lack of room (Google answered 400 failedPrecondition "Delegate user cannot have any more delegators")',
    );
    expect(err.message).toContain("remove one of alan.turing@example.com's other delegations");
    // The manager's delegation, which the run added, is taken back all the same.
    expect(delegatesOf(ada())).toEqual([]);
  });
});
