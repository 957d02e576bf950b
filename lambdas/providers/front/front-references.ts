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
  /**
   * For a removal: the teams (or shared inboxes) of the names Front lists, and the names it does not list (gone from
   * Front since a role named them). Only a list Front answered tells a name is gone: a failed list (a 401, 403, 429,
   * 5xx) throws its error, and is not kept, so the next call asks again.
   */
  findTeams(names: readonly string[]): Promise<{ found: FrontTeamPreview[]; gone: string[] }>;
  findInboxes(names: readonly string[]): Promise<{ found: FrontInbox[]; gone: string[] }>;
}

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** Each list is read once per step, when first needed; a list that failed is read again when next needed. */
export function frontReferences(client: FrontClient): FrontReferences {
  let teams: Promise<FrontTeamPreview[]> | undefined;
  let inboxes: Promise<FrontInbox[]> | undefined;
  const allTeams = () =>
    (teams ??= client.listTeams().catch((err: unknown) => {
      teams = undefined;
      throw err;
    }));
  const sharedInboxes = async () =>
    (
      await (inboxes ??= client.listInboxes().catch((err: unknown) => {
        inboxes = undefined;
        throw err;
      }))
    ).filter((i) => !i.is_private);
  const lookup = <T extends { id: string; name: string }>(all: T[], names: readonly string[]) => {
    const found = new Map<string, T>();
    const gone: string[] = [];
    for (const name of names) {
      const item = all.find((x) => x.id === name.trim()) ?? all.find((x) => same(x.name, name));
      if (item) found.set(item.id, item);
      else gone.push(name);
    }
    return { found: [...found.values()], gone };
  };
  const pick = async <T extends { id: string; name: string }>(all: T[], names: readonly string[], what: string, property: string): Promise<T[]> => {
    const found = names.map((name) => ({ name, item: all.find((x) => x.id === name.trim()) ?? all.find((x) => same(x.name, name)) }));
    const missing = found.filter((f) => !f.item).map((f) => JSON.stringify(f.name));
    if (missing.length) throw new ProviderError(`Front has no ${what} ${missing.join(', ')}: fix the role's ${property}, or make the ${what} in Front; nothing was changed`, false);
    return [...new Map(found.map((f) => [f.item!.id, f.item!])).values()];
  };
  return {
    async teams(names) {
      if (!names.length) return [];
      return pick(await allTeams(), names, 'team', 'Front teams');
    },
    async inboxes(names) {
      if (!names.length) return [];
      return pick(await sharedInboxes(), names, 'shared inbox', 'Front inboxes');
    },
    async findTeams(names) {
      return names.length ? lookup(await allTeams(), names) : { found: [], gone: [] };
    },
    async findInboxes(names) {
      return names.length ? lookup(await sharedInboxes(), names) : { found: [], gone: [] };
    },
  };
}
