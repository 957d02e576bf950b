/** A clock a test moves by hand: time passes only when the test says so. */
import type { Clock } from '../../lambdas/engine/ports';

export class ManualClock implements Clock {
  private at: number;

  constructor(start: string | Date = '2030-01-15T08:00:00.000Z') {
    this.at = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.at);
  }

  /** Moves the clock forward (never back). */
  advance(ms: number): void {
    if (ms < 0) throw new Error(`a clock does not go back (${ms} ms)`);
    this.at += ms;
  }

  advanceSeconds(seconds: number): void {
    this.advance(seconds * 1000);
  }

  set(at: string | Date): void {
    this.at = new Date(at).getTime();
  }
}

/**
 * The providers' clock for a runtime whose engine clock a test sets by hand: the engine's time plus the real time
 * since it was made. Providers see the day the test says (a meeting "tomorrow" is tomorrow to both), and time
 * still passes for what takes time at a provider (a Data Transfer completing).
 */
export function providerClockFollowing(engine: Clock): Clock {
  const started = Date.now();
  return { now: () => new Date(engine.now().getTime() + (Date.now() - started)) };
}
