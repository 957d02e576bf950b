/** The context actions run with, from this process's environment. */
import { systemClock } from '../engine/ports';
import type { ActionContext } from './define-action';
import { parseAccountPolicy } from './account-policy';
import { ENV } from '../shared/env-names';
import type { ActionSpec } from './catalog';

/** What one of an action's needs adds to its context: a provider, the receivers, the vault, the mail settings. */
export type ContextPart = Partial<Pick<ActionContext, 'providers' | 'forwardTo' | 'credentials' | 'welcomeEmail' | 'operatorEmails' | 'mailboxDelegation' | 'mailRetention' | 'handover'>>;

/** Builds a need's part of the context from the action's catalog needs (lambdas/handlers/actions/<need>.ts). */
export type ContextPartFor = (needs: ActionSpec['needs']) => ContextPart;

/**
 * Each action Lambda passes the parts its catalog needs name, and nothing else is loaded: the downstream receivers
 * and their keys only for data forwarding, the provider clients only for their actions.
 */
export function actionContextFromEnv(parts: readonly ContextPart[] = []): ActionContext {
  const policy = parseAccountPolicy(process.env[ENV.accountPolicy]);
  const merged = parts.reduce<ContextPart>((all, part) => ({ ...all, ...part, providers: { ...all.providers, ...part.providers } }), {});
  return { fetch: globalThis.fetch, clock: systemClock, forwardTo: [], ...merged, providers: merged.providers ?? {}, accountPolicy: () => policy };
}
