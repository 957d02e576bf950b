/** A playbook with one step per event type, for tests of the engine itself rather than of the providers. */
import { parsePlaybooks } from '../../config/playbooks';

export const FORWARD_ONLY_PLAYBOOKS = parsePlaybooks({
  hire: { steps: [{ id: 'forward-event', action: 'forward.event', offsetDays: -1, at: '09:00' }] },
  role_change: { steps: [{ id: 'forward-event', action: 'forward.event' }] },
  terminate: { steps: [{ id: 'forward-event', action: 'forward.event', cutoff: true }] },
});
