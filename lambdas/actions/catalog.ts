/**
 * The action catalog: every action's name, its Lambda entry and what it needs from the platform.
 * The Actions Stack builds one function per entry; the dispatcher refuses names not listed here.
 */
export interface ActionSpec {
  /** provider.actionName, as playbooks name it. */
  name: string;
  /** Handler file, relative to the repository root. */
  entry: string;
  /** One line for operators and the README. */
  description: string;
  /** Platform needs, granted by the Actions Stack and nothing more. */
  needs: {
    /** The HMAC signing secret (Secrets Manager on AWS). */
    hmacSecret?: boolean;
    /** The downstream URLs for data forwarding. */
    forwardUrls?: boolean;
  };
}

export const ACTION_CATALOG = [
  {
    name: 'forward.event',
    entry: 'lambdas/handlers/actions/forward-event.ts',
    description: 'POST the signed lifecycle event to each downstream URL so other systems run their own steps.',
    needs: { hmacSecret: true, forwardUrls: true },
  },
] as const satisfies readonly ActionSpec[];

export type ActionName = (typeof ACTION_CATALOG)[number]['name'];

export const ACTION_NAMES: readonly string[] = ACTION_CATALOG.map((a) => a.name);

export function isKnownAction(name: string): name is ActionName {
  return ACTION_NAMES.includes(name);
}
