/** What a directory reader counts as it reads: the pages it asked for (one request each), so a report says what a read cost. */
import type { AccountPolicy } from '../../actions/account-policy';
import { protectedBecause, type FoundAccount } from '../../actions/account-policy';
import type { DirectoryReader } from '../directory';

export interface ReadStats {
  /** Requests the reader sent (one a page, plus the look-ups of names it reads once: groups, profiles). */
  calls: number;
  /** Pages of accounts read. */
  pages: number;
}

/** A reader that says what its last read cost. */
export interface CountedReader extends DirectoryReader {
  readonly stats: ReadStats;
}

/** A fresh count for one read. */
export const newStats = (): ReadStats => ({ calls: 0, pages: 0 });

/** Whether the stage (or the provider's own roles) protects the account, as the actions decide it. */
export function isProtected(account: FoundAccount, policy: AccountPolicy): boolean {
  return protectedBecause({ ...account, address: account.address.toLowerCase() }, policy) !== undefined;
}

/** The access label consolidation compares: the role model's grant field and its value, `googleGroups:sales@example.com`. */
export const accessLabel = (field: string, value: string): string => `${field}:${value}`;
