/** The shape of an action: a name, a zod input, and a run that answers what the provider said. */
import type * as z from '../shared/zod';
import type { ActionRequest, ActionResponse, Clock } from '../engine/ports';
import type { AccountHold, BoundAccount, HeldAccount } from '../engine/model';
import type { AccountPolicy } from './account-policy';
import type { MailboxDelegation } from '../../config/mailbox-delegation';
import type { MailRetention } from '../../config/mail-retention';
import type { HandoverSettings } from '../../config/handover';
import type { Providers } from '../providers/providers';
import { ProviderError } from '../providers/provider-error';
import type { CredentialVault, WelcomeEmailSettings } from '../credentials/vault';
import type { ForwardReceiver } from './forward/forward-receivers';

/** What an action may use; each action takes only what it needs. */
export interface ActionContext {
  fetch: typeof fetch;
  clock: Clock;
  /** Downstream receivers of data forwarding, each with its own key: given only to the forwarding Lambda. */
  forwardTo?: readonly ForwardReceiver[];
  providers: { [K in keyof Providers]?: () => Providers[K] };
  /** The initial-password vault: given to the functions that seal a password or issue its reveal link. */
  credentials?: () => CredentialVault;
  /** Sender and link lifetime of the welcome email: given to that action's function only. */
  welcomeEmail?: () => WelcomeEmailSettings;
  /** The operators' addresses (the stage's alertEmails): given to the joiner summary's function only. */
  operatorEmails?: () => string[];
  /** Who gets a leaver's mailbox when the manager has no room (the stage's mailboxDelegation): given to google.delegateToManager only; absent, the default (an operator decides). */
  mailboxDelegation?: () => MailboxDelegation;
  /** How a leaver's mail is kept (the stage's mailRetention): given to google.retainMail, google.removeLicenses and google.deleteUser only; absent, none. */
  mailRetention?: () => MailRetention;
  /** To whom a leaver's sole-owner resources go (the stage's handover): given to the handover actions only; absent, the manager. */
  handover?: () => HandoverSettings;
  /** Which accounts are protected and which unbound ones are adopted on first sight; absent, the defaults (admins protected, nothing adopted). */
  accountPolicy?: () => AccountPolicy;
}

/** The provider an action needs, or a clear error naming what its Lambda was not given. */
export function provider<K extends keyof Providers>(ctx: ActionContext, name: K): Providers[K] {
  const make = ctx.providers[name];
  if (!make) throw new ProviderError(`this function was built without the ${name} provider`, false);
  return make();
}

/**
 * Runs before an action touches an existing account: resolves the account bound to the employee id, holds the step for
 * an operator when it belongs to someone else, is unbound, protected, or hands data to a beneficiary who may not have it.
 * Answers the account it checked (undefined when there is none: the action then says there is nothing to do).
 */
export interface AccountCheck {
  (ctx: ActionContext, request: ActionRequest): Promise<CheckedAccount | undefined>;
  /** What it checks, in a few words: docs/actions.md lists it beside the action. */
  readonly summary: string;
}

/** What an account check found: the account, and the beneficiary it checked (primary address), for a step that hands data over. */
export interface CheckedAccount {
  account: BoundAccount;
  /** The manager's primary address as Google knows it, when the check read them (so the action need not read them again). */
  beneficiary?: string;
  /** The account as the provider answered the check (its own shape), so the action need not read it again a moment later. */
  read?: unknown;
}

/** An account check with its summary. */
export function accountCheck(summary: string, check: (ctx: ActionContext, request: ActionRequest) => Promise<CheckedAccount | undefined>): AccountCheck {
  return Object.assign(check, { summary });
}

export interface ActionDefinition<I> {
  name: string;
  /** Validates the step's parameters. */
  params: z.core.$ZodType<I>;
  /** Which account the action acts on, checked before it runs (see AccountCheck); absent for actions that touch no account. */
  account?: AccountCheck;
  /** `checked`: what the account check found; null when it found no account; absent for an action without a check. */
  run(ctx: ActionContext, params: I, request: ActionRequest, checked?: CheckedAccount | null): Promise<Extract<ActionResponse, { ok: true }>>;
}

export function defineAction<I>(definition: ActionDefinition<I>): ActionDefinition<I> {
  return definition;
}

/** The step waits for an operator about whose account it is: never retried, the alert says what to confirm or fix. */
export class AccountHoldError extends ProviderError {
  constructor(
    message: string,
    readonly hold: AccountHold,
    /** The account held about, where a confirmation can settle it. */
    readonly account?: HeldAccount,
  ) {
    super(message, false, `held: ${hold}`);
    this.name = 'AccountHoldError';
  }
}
