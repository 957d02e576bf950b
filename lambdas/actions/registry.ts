/** Every action definition by name: what the in-process invoker (local runtime, tests) runs. */
import type { ActionDefinition } from './define-action';
import { forwardEvent } from './forward/forward-event';
import type { ActionName } from './catalog';

export const ACTION_DEFINITIONS: Record<ActionName, ActionDefinition<never>> = {
  'forward.event': forwardEvent as ActionDefinition<never>,
};
