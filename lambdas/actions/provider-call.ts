/** Runs an action's calls to its provider, every failure as the ProviderError the engine retries or fails on. */
import type { ProviderError } from '../providers/provider-error';
import { AccountHoldError } from './define-action';

/**
 * Runs `run`: an account hold passes as it is; any other failure becomes the provider's ProviderError (`toError`),
 * given what `progress` says the step did so far, for the next try.
 */
export async function providerCall<T>(
  run: () => Promise<T>,
  toError: (err: unknown, progress: Record<string, unknown> | undefined) => ProviderError,
  progress?: () => Record<string, unknown> | undefined,
): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof AccountHoldError) throw err;
    throw toError(err, progress?.());
  }
}
