/**
 * What consolidation and inactivity revocation read from a connected system: its accounts as the system
 * itself holds them, with the binding each carries, whether it is active, its access and, where the system
 * knows it, its last sign-in. Readers page through the system within its rate budget and never change it.
 */

/** One account as a connected system holds it. */
export interface DirectoryAccount {
  /** The system's key: `google`, `connect`, `zendesk`, `front`, `scim:<app>`, `openproject`, `nextcloud`. */
  system: string;
  /** The system's own id for the account (Google user id, Connect user id, Nextcloud user id, …). */
  accountId: string;
  /** The address the account signs in with, when it has one. */
  email?: string;
  /** The employee id the account carries as its binding (externalId, tag, user id), when it carries one. */
  employeeId?: string;
  /** False for a suspended, locked, disabled or deactivated account. */
  active: boolean;
  /** The last sign-in (ISO 8601), where the system records it; absent when never or unknown. */
  lastSignInAt?: string;
  /** Whether the system records sign-ins at all (a missing lastSignInAt then means "never"). */
  signInKnown: boolean;
  /** When the account was made (ISO 8601), where the system says: an account never signed in is idle from then. */
  createdAt?: string;
  /** The access the account holds, named as the role model names it (groups, licenses, profiles, roles). */
  access: string[];
  /** An account no lifecycle step may take access from (an admin, a protected org unit, a listed address). */
  protected?: boolean;
}

/** Reads every account of one system. */
export interface DirectoryReader {
  readonly system: string;
  /** Every account, page by page, within the provider's rate budget. */
  accounts(): AsyncIterable<DirectoryAccount>;
}
