/** While the shared Google budget cannot be read, each process keeps to its share of the stage's figure. */
import { fallbackPerMinute } from '../../../lambdas/providers/google/google-from-env';
import { maxConcurrentActions } from '../../../config/dispatch-timing';
import { loadStageConfig } from '../../../config/stages';

describe('the Google budget fallback', () => {
  it('gives each of the calls that may run at once an even share, so together they stay within the figure', () => {
    const prod = loadStageConfig('prod');
    const containers = maxConcurrentActions(prod.dispatcherMaxConcurrency);
    // 10 lockout + 3 protect + 2 housekeeping dispatchers, 10 records each.
    expect(containers).toBe(150);
    const share = fallbackPerMinute(prod.google.requestsPerMinute, containers);
    expect(share).toBe(10);
    expect(share * containers).toBeLessThanOrEqual(prod.google.requestsPerMinute);
  });

  it('never drops below one request a minute', () => {
    expect(fallbackPerMinute(60, 1000)).toBe(1);
  });

  it('keeps the whole figure for a process told no count (the local runtime, one process)', () => {
    expect(fallbackPerMinute(1500, undefined)).toBe(1500);
    expect(fallbackPerMinute(1500, Number.NaN)).toBe(1500);
  });
});
