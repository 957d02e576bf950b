/** The local runtime as the inactivity e2e tests start it: a clock they move, the default playbooks, the check only when asked. */
import { playbooksForSet } from '../../config/playbooks';
import type { Runtime, RuntimeOptions } from '../../local/runtime';
import { start } from './harness';

export interface InactivityRuntime {
  /** The runtime, once beforeAll has started it. */
  rt(): Runtime;
  /** The time the runtime and the emulators see, in ms; a test moves it forward. */
  now: number;
}

/** Starts the runtime in beforeAll with these inactivity settings and stops it in afterAll. */
export function useInactivityRuntime(inactivity: RuntimeOptions['inactivity']): InactivityRuntime {
  let runtime: Runtime | undefined;
  const time: InactivityRuntime = { rt: () => runtime!, now: Date.parse('2099-03-01T10:00:00Z') };
  beforeAll(async () => {
    const clock = { now: () => new Date(time.now) };
    runtime = await start({ clock, providerClock: clock, playbooks: playbooksForSet('default'), inactivityIntervalSeconds: 0, inactivity });
  });
  afterAll(async () => {
    await runtime?.stop();
  });
  return time;
}
