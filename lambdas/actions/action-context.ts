/** The context actions run with, from this process's environment. */
import { systemClock } from '../engine/ports';
import { hmacSecretSource } from '../shared/secrets';
import type { ActionContext } from './define-action';
import { parseAccountPolicy } from './account-policy';
import { ENV } from '../shared/env-names';

/**
 * Each action Lambda passes what its actions need, and nothing else is loaded: the forward URLs
 * (read from the stage's settings) only for data forwarding, the provider clients only for their actions.
 */
export function actionContextFromEnv(
  providers: ActionContext['providers'] = {},
  forwardUrls: string[] = [],
  extras: Pick<ActionContext, 'credentials' | 'welcomeEmail' | 'operatorEmails'> = {},
): ActionContext {
  const policy = parseAccountPolicy(process.env[ENV.accountPolicy]);
  return { fetch: globalThis.fetch, clock: systemClock, hmacSecret: hmacSecretSource(), forwardUrls, providers, accountPolicy: () => policy, ...extras };
}
