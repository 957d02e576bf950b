/** The context actions run with, from this process's environment. */
import { systemClock } from '../engine/ports';
import { hmacSecretSource } from '../shared/secrets';
import { forwardUrlsFromEnv } from '../shared/settings';
import type { ActionContext } from './define-action';

export function actionContextFromEnv(providers: ActionContext['providers'] = {}): ActionContext {
  return { fetch: globalThis.fetch, clock: systemClock, hmacSecret: hmacSecretSource(), forwardUrls: forwardUrlsFromEnv(), providers };
}
