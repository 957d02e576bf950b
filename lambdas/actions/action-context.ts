/** The context actions run with, from this process's environment. */
import { systemClock } from '../engine/ports';
import type { ActionContext } from './define-action';
import type { ForwardReceiver } from './forward/forward-receivers';

/**
 * Each action Lambda passes what its actions need, and nothing else is loaded: the downstream receivers
 * and their keys only for data forwarding, the provider clients only for their actions.
 */
export function actionContextFromEnv(
  providers: ActionContext['providers'] = {},
  forwardTo: readonly ForwardReceiver[] = [],
  extras: Pick<ActionContext, 'credentials' | 'welcomeEmail' | 'operatorEmails'> = {},
): ActionContext {
  return { fetch: globalThis.fetch, clock: systemClock, forwardTo, providers, ...extras };
}
