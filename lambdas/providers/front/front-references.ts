/** Team and inbox names, as the role catalog gives them, resolved to Front ids (an id such as `tim_…`/`inb_…` is taken as is). */
import { ProviderError } from '../provider-error';
import type { FrontClient, FrontInbox, FrontTeamPreview } from './front-client';

/** Front accepted a change but reading it back shows otherwise: retryable, the actions are idempotent. */
export class FrontVerificationError extends ProviderError {
  constructor(message: string, progress?: Record<string, unknown>) {
    super(message, true, undefined, progress);
    this.name = 'FrontVerificationError';
  }
}

export interface FrontReferences {
  /** Teams by name or id; one Front does not have is a clear, not retryable error naming the role's `Front teams`. */
  teams(names: readonly string[]): Promise<FrontTeamPreview[]>;
  /** Shared inboxes by name or id; an unknown one names the role's `Front inboxes`. */
  inboxes(names: readonly string[]): Promise<FrontInbox[]>;
}

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** Each list is read once per step, when first needed. */
export function frontReferences(client: FrontClient): FrontReferences {
  let teams: Promise<FrontTeamPreview[]> | undefined;
  let inboxes: Promise<FrontInbox[]> | undefined;
  const pick = async <T extends { id: string; name: string }>(all: T[], names: readonly string[], what: string, property: string): Promise<T[]> => {
    const found = names.map((name) => ({ name, item: all.find((x) => x.id === name.trim()) ?? all.find((x) => same(x.name, name)) }));
    const missing = found.filter((f) => !f.item).map((f) => JSON.stringify(f.name));
    if (missing.length) throw new ProviderError(`Front has no ${what} ${missing.join(', ')}: fix the role's ${property}, or make the ${what} in Front; nothing was changed`, false);
    return [...new Map(found.map((f) => [f.item!.id, f.item!])).values()];
  };
  return {
    async teams(names) {
      if (!names.length) return [];
      return pick(await (teams ??= client.listTeams()), names, 'team', 'Front teams');
    },
    async inboxes(names) {
      if (!names.length) return [];
      const shared = (await (inboxes ??= client.listInboxes())).filter((i) => !i.is_private);
      return pick(shared, names, 'shared inbox', 'Front inboxes');
    },
  };
}
