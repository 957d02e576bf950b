/** The context actions run with, from this process's environment. */
import { systemClock } from '../engine/ports';
import type { ActionContext } from './define-action';
import { parseAccountPolicy } from './account-policy';
import { ENV } from '../shared/env-names';
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
  const policy = parseAccountPolicy(process.env[ENV.accountPolicy]);
  return { fetch: globalThis.fetch, clock: systemClock, forwardTo, providers, accountPolicy: () => policy, ...extras };
}
